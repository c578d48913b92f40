/*
 * The city map the command centre and the administration page share: the districts' outlines
 * (GeoJSON kept by the directory, GET /api/v1/districts/outlines) with their names, and over
 * them the sampling sites (circles) and labs (diamonds), each labelled with its code. No map
 * tiles: none are reachable from a city's network, and the outlines are the city's own data.
 * On the administration page the frame fits the outlines AND every point, so a coordinate typed
 * wrong shows as a point far outside the districts (the map shrinks to keep it in view), which
 * is the check an administrator needs; the command centre's wall frames the districts (fit:
 * 'outlines'), so one stray point cannot shrink the city to a dot. Plain ES2020 over ECharts (served from the jar): a geo component, the
 * points as scatter series on it. Exposes one frozen object, window.EpiloopMap.
 */
'use strict';

(() => {
  /** ECharts keeps registered maps by name: each new set of outlines gets a name of its own. */
  const registered = new WeakMap();
  let maps = 0;

  function mapName(outlines) {
    if (!registered.has(outlines)) {
      const name = 'epiloop-city-' + (++maps);
      // ECharts names a region after properties.name: the district's name, then its code
      const features = (outlines.features || []).map((f) => Object.assign({}, f, {
        properties: { name: districtLabel(f.properties || {}), code: (f.properties || {}).code },
      }));
      window.echarts.registerMap(name, { type: 'FeatureCollection', features });
      registered.set(outlines, name);
    }
    return registered.get(outlines);
  }

  function districtLabel(p) {
    return p.name && p.code && p.name.indexOf(p.code) < 0 ? p.name + '\n' + p.code : p.name || p.code || '';
  }

  /** Every [lon, lat] of a Polygon or MultiPolygon. */
  function positions(geometry) {
    if (!geometry) return [];
    const polygons = geometry.type === 'MultiPolygon' ? geometry.coordinates : [geometry.coordinates];
    return polygons.flat(1).flat(1);
  }

  /** [[west, north], [east, south]] around the outlines and points, with a margin. */
  function frame(outlines, points) {
    const lons = points.map((p) => p.lon);
    const lats = points.map((p) => p.lat);
    for (const f of outlines.features || []) {
      for (const [lon, lat] of positions(f.geometry)) {
        lons.push(lon);
        lats.push(lat);
      }
    }
    if (!lons.length) return null;
    const pad = (lo, hi) => Math.max(0.01, (hi - lo) * 0.1);
    const [w, e, s, n] = [Math.min(...lons), Math.max(...lons), Math.min(...lats), Math.max(...lats)];
    return [[w - pad(w, e), n + pad(s, n)], [e + pad(w, e), s - pad(s, n)]];
  }

  /** The area-weighted centre [lon, lat] of a district's largest polygon (where its heat and flows meet it). */
  function centre(geometry) {
    if (!geometry) return null;
    const polygons = geometry.type === 'MultiPolygon' ? geometry.coordinates : [geometry.coordinates];
    let best = null;
    for (const polygon of polygons) {
      const ring = polygon[0] || [];
      let a = 0;
      let x = 0;
      let y = 0;
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const f = ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
        a += f;
        x += (ring[j][0] + ring[i][0]) * f;
        y += (ring[j][1] + ring[i][1]) * f;
      }
      if (a !== 0 && (!best || Math.abs(a) > best.area)) best = { area: Math.abs(a), at: [x / (3 * a), y / (3 * a)] };
    }
    return best ? best.at : null;
  }

  /** The half-extents [lon, lat] of a district's bounding box: how far from its centre its grids may be drawn. */
  function extent(geometry) {
    const ps = positions(geometry);
    if (!ps.length) return [0, 0];
    const lons = ps.map((p) => p[0]);
    const lats = ps.map((p) => p[1]);
    return [(Math.max(...lons) - Math.min(...lons)) / 2, (Math.max(...lats) - Math.min(...lats)) / 2];
  }

  /**
   * Where an arrow from a place outside the frame enters it: the point on the frame's edge (kept a
   * little inside, so its label shows) on the line from the frame's centre toward the place.
   */
  function entry(box, lon, lat) {
    const [[w, n], [e, s]] = box;
    const cx = (w + e) / 2;
    const cy = (n + s) / 2;
    // degrees of longitude are shorter than degrees of latitude: the bearing is taken on the ground
    const k = Math.cos((cy * Math.PI) / 180);
    const dx = (lon - cx) * k;
    const dy = lat - cy;
    const hx = ((e - w) / 2) * k * 0.9;
    const hy = ((n - s) / 2) * 0.9;
    const t = Math.min(dx ? hx / Math.abs(dx) : Infinity, dy ? hy / Math.abs(dy) : Infinity);
    return [cx + (dx * t) / k, cy + dy * t];
  }

  const inside = (box, lon, lat) => lon >= box[0][0] && lon <= box[1][0] && lat <= box[0][1] && lat >= box[1][1];

  /** The heat layer's colours, cold to hot (on the wall's dark map). */
  const RAMP = ['#3a7bd5', '#90be6d', '#f9c74f', '#f8961e', '#f94144'];

  /**
   * The heat layer's series and its colour scale: districts filled by their value (a map series on
   * the geo component), or grids drawn as circles inside their district. Grids have no outlines
   * in the directory: a district's grids are placed on a ring around its centre, in code order —
   * which district they are in is exact, where in it is schematic (the legend says so).
   */
  function heatLayer(heat, outlines, first, text, halo) {
    const features = outlines.features || [];
    const byCode = new Map(features.map((f) => [(f.properties || {}).code || f.id, f]));
    const max = Math.max(1, ...heat.cells.map((c) => c.value));
    const series = [];
    if (heat.level === 'GRID') {
      const perDistrict = new Map();
      heat.cells.forEach((c) => perDistrict.set(c.districtCode, (perDistrict.get(c.districtCode) || []).concat([c])));
      const data = [];
      perDistrict.forEach((cells, district) => {
        const f = byCode.get(district);
        const at = f && centre(f.geometry);
        if (!at) return;
        const [ex, ey] = extent(f.geometry);
        cells.slice().sort((a, b) => a.code.localeCompare(b.code)).forEach((c, i) => {
          const angle = (2 * Math.PI * i) / cells.length - Math.PI / 2;
          const r = cells.length === 1 ? 0 : 0.45;
          data.push({ name: c.code, label: c.name, value: [at[0] + r * ex * Math.cos(angle), at[1] - r * ey * Math.sin(angle), c.value],
            districtCode: district });
        });
      });
      // no grow-in animation: the wall redraws every few seconds and a screenshot must show what is there
      series.push({ name: 'heat-grids', type: 'scatter', coordinateSystem: 'geo', geoIndex: 0, z: 4, data, animation: false,
        symbolSize: (v) => 14 + 22 * Math.sqrt(v[2] / max),
        label: { show: true, position: 'bottom', color: text, fontSize: 11, textBorderColor: halo || 'transparent', textBorderWidth: halo ? 3 : 0,
          formatter: (p) => (p.data.label || p.name) + ' ×' + p.value[2] }, labelLayout: { hideOverlap: true } });
    } else {
      series.push({ name: 'heat-districts', type: 'map', geoIndex: 0, z: 1, animation: false,
        data: heat.cells.filter((c) => byCode.has(c.code)).map((c) => ({ name: districtLabel((byCode.get(c.code).properties) || {}),
          value: c.value, code: c.code })) });
    }
    const visualMap = [{ type: 'continuous', min: 0, max, seriesIndex: [first], dimension: heat.level === 'GRID' ? 2 : undefined,
      inRange: { color: RAMP }, calculable: false, orient: 'horizontal', left: 8, bottom: 4, itemWidth: 10, itemHeight: 90,
      text: [String(max), '0 ' + (heat.title || '')], textStyle: { color: text, fontSize: 11 } }];
    return { series, visualMap };
  }

  /**
   * The flow layer: a line with a moving arrow from each origin to each district it arrived in,
   * labelled with its count, and the origins labelled with their name and total. An origin on the
   * map starts at its place; one outside it at the frame's edge in its direction.
   */
  function flowLayer(flows, outlines, box, text, halo) {
    const features = outlines.features || [];
    const centres = new Map(features.map((f) => [(f.properties || {}).code || f.id, centre(f.geometry)]));
    const origins = new Map();
    const lines = [];
    for (const r of flows) {
      const to = centres.get(r.districtCode);
      const home = r.fromDistrict ? centres.get(r.fromDistrict) : null;
      if (home) r.from = { lon: home[0], lat: home[1] };
      if (!to || !r.from) continue;
      const start = inside(box, r.from.lon, r.from.lat) ? [r.from.lon, r.from.lat] : entry(box, r.from.lon, r.from.lat);
      const o = origins.get(r.origin) || { name: r.origin, label: r.originName, value: [start[0], start[1], 0], outside: !inside(box, r.from.lon, r.from.lat) };
      o.value[2] += r.count;
      origins.set(r.origin, o);
      lines.push({ name: r.originName + ' → ' + r.districtName, origin: r.origin, districtCode: r.districtCode, value: r.count,
        coords: [start, to] });
    }
    const most = Math.max(1, ...lines.map((l) => l.value));
    const halos = { textBorderColor: halo || 'transparent', textBorderWidth: halo ? 3 : 0 };
    return [
      { name: 'flows', type: 'lines', coordinateSystem: 'geo', geoIndex: 0, z: 5, animation: false, data: lines.map((l) => Object.assign(l, {
        lineStyle: { width: 1.5 + 4 * Math.sqrt(l.value / most) } })),
      symbol: ['none', 'arrow'], symbolSize: 9,
      lineStyle: { color: '#4cc9f0', opacity: 0.85, curveness: 0.15 },
      effect: { show: true, period: 3, symbol: 'arrow', symbolSize: 7, color: '#ffffff', trailLength: 0.2 },
      label: Object.assign({ show: true, position: 'middle', color: '#4cc9f0', fontSize: 12, fontWeight: 'bold', formatter: (p) => '×' + p.value }, halos) },
      { name: 'flow-origins', type: 'scatter', coordinateSystem: 'geo', geoIndex: 0, z: 5, animation: false, symbol: 'circle', symbolSize: 8,
        itemStyle: { color: '#4cc9f0' }, data: Array.from(origins.values()),
        label: Object.assign({ show: true, position: 'right', color: text, fontSize: 11, distance: 4,
          formatter: (p) => (p.data.outside ? '→ ' : '') + p.data.label + ' ×' + p.value[2] }, halos),
        labelLayout: { hideOverlap: false, moveOverlap: 'shiftY' } },
    ];
  }

  /**
   * Draws (or redraws in place) the map into an ECharts instance.
   * opts: {outlines: GeoJSON FeatureCollection or null, sites, labs: [{name, label, lon, lat,
   * value, color, size}], focus: {name, lon, lat} or null (a point being entered, drawn as a red
   * pin), fit ('outlines': frame the districts only, when there are any; else the districts and
   * every point), text (label colour), halo (a label's outline colour), area, areaHover, border
   * and districtText (the districts' fill, outline and name colours), tooltip(point, isLab),
   * heat: {level: 'DISTRICT'|'GRID', title, cells: [{code, name, districtCode, value}]} or null,
   * flows: [{origin, originName, from: {lon, lat} or null, fromDistrict (an origin that is one of the
   * city's districts: drawn from its centre), districtCode, districtName, count}] or null}.
   * The heat and flow series come after the points (series 0–2 stay sites, labs, focus).
   */
  function draw(chart, opts) {
    const text = opts.text || '#0d1117';
    const outlines = opts.outlines || { type: 'FeatureCollection', features: [] };
    const point = (p) => ({ name: p.name, value: [p.lon, p.lat, p.value || 0], label: p.label, itemStyle: { color: p.color } });
    const placed = (p) => p && Number.isFinite(p.lon) && Number.isFinite(p.lat);
    const sites = (opts.sites || []).filter(placed);
    const labs = (opts.labs || []).filter(placed);
    const focus = placed(opts.focus) ? opts.focus : null;
    const points = sites.concat(labs).concat(focus ? [focus] : []);
    const framed = opts.fit === 'outlines' && (outlines.features || []).length ? [] : points;
    const box = frame(outlines, framed) || [[118, 34.1], [118.6, 33.8]];
    // a degree of longitude is shorter than one of latitude by cos(latitude)
    const aspect = Math.cos((((box[0][1] + box[1][1]) / 2) * Math.PI) / 180);
    const labelled = { show: true, position: 'right', color: text, fontSize: 11, formatter: (p) => p.data.label || '',
      textBorderColor: opts.halo || 'transparent', textBorderWidth: opts.halo ? 3 : 0 };
    const sizes = new Map(sites.concat(labs).map((p) => [p.name, p.size]));
    const scatter = { type: 'scatter', coordinateSystem: 'geo', geoIndex: 0, label: labelled, labelLayout: { hideOverlap: true } };
    const layers = [];
    let visualMap = [];
    if (opts.heat) {
      const h = heatLayer(opts.heat, outlines, 3, text, opts.halo);
      layers.push(...h.series);
      visualMap = h.visualMap;
    }
    if (opts.flows) layers.push(...flowLayer(opts.flows, outlines, box, text, opts.halo));
    const layerTip = (p) => {
      if (p.seriesName === 'heat-districts') return p.name.replace('\n', ' ') + '<br>' + (opts.heat.title || '') + ' ' + (p.value || 0);
      if (p.seriesName === 'heat-grids') return (p.data.label || p.name) + ' ' + p.name + '<br>' + (opts.heat.title || '') + ' ' + p.value[2];
      if (p.seriesName === 'flows') return p.data.name + '<br>到达 arrivals ' + p.value;
      if (p.seriesName === 'flow-origins') return p.data.label + '<br>到达 arrivals ' + p.value[2];
      return null;
    };
    chart.setOption({
      tooltip: { formatter: (p) => layerTip(p) || (p.componentType === 'geo' ? p.name.replace('\n', ' ')
        : opts.tooltip ? opts.tooltip(p, p.seriesIndex === 1) : p.name) },
      visualMap,
      geo: [{
        map: mapName(outlines), roam: false, boundingCoords: box, aspectScale: aspect,
        left: 8, right: 8, top: 8, bottom: 8, tooltip: { show: true },
        label: { show: true, color: opts.districtText || text, fontSize: 13, fontWeight: 'bold', opacity: 0.75 },
        itemStyle: { areaColor: opts.area || '#eef2f7', borderColor: opts.border || '#5a6270', borderWidth: 1.5 },
        emphasis: { label: { show: true, color: text }, itemStyle: { areaColor: opts.areaHover || opts.area || '#dde6f2' } },
        select: { disabled: true },
      }],
      series: [
        Object.assign({ name: 'sites', data: sites.map(point), symbolSize: (v, p) => sizes.get(p.name) || 10 }, scatter),
        Object.assign({ name: 'labs', symbol: 'diamond', data: labs.map(point), symbolSize: (v, p) => sizes.get(p.name) || 20 }, scatter),
        Object.assign({ name: 'focus', symbol: 'pin', symbolSize: 34, itemStyle: { color: '#c8102e' }, z: 5,
          data: focus ? [{ name: focus.name, value: [focus.lon, focus.lat, 0], label: focus.name }] : [] }, scatter,
        { label: Object.assign({}, labelled, { fontWeight: 'bold' }) }),
      ].concat(layers),
    }, { replaceMerge: ['series', 'geo', 'visualMap'] });
  }

  /** The colour the heat layer gives a value on a scale from 0 to max (as ECharts' continuous visualMap interpolates RAMP). */
  function heatColour(value, max) {
    const t = Math.max(0, Math.min(1, value / Math.max(1, max))) * (RAMP.length - 1);
    const i = Math.min(RAMP.length - 2, Math.floor(t));
    const rgb = (h) => [1, 3, 5].map((k) => parseInt(h.slice(k, k + 2), 16));
    const [a, b] = [rgb(RAMP[i]), rgb(RAMP[i + 1])];
    return 'rgb(' + a.map((x, k) => Math.round(x + (b[k] - x) * (t - i))).join(',') + ')';
  }

  window.EpiloopMap = Object.freeze({ draw, heatColour });
})();
