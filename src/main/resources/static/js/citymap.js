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

  /**
   * Draws (or redraws in place) the map into an ECharts instance.
   * opts: {outlines: GeoJSON FeatureCollection or null, sites, labs: [{name, label, lon, lat,
   * value, color, size}], focus: {name, lon, lat} or null (a point being entered, drawn as a red
   * pin), fit ('outlines': frame the districts only, when there are any; else the districts and
   * every point), text (label colour), halo (a label's outline colour), area, areaHover, border
   * and districtText (the districts' fill, outline and name colours), tooltip(point, isLab)}.
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
    chart.setOption({
      tooltip: { formatter: (p) => (p.componentType === 'geo' ? p.name.replace('\n', ' ')
        : opts.tooltip ? opts.tooltip(p, p.seriesIndex === 1) : p.name) },
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
      ],
    }, { replaceMerge: ['series', 'geo'] });
  }

  window.EpiloopMap = Object.freeze({ draw });
})();
