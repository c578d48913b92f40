/*
 * The city map the command centre and the administration page share: sampling sites (circles)
 * and labs (diamonds) drawn at their coordinates on longitude/latitude axes, each labelled with
 * its code, in a frame that fits the points. No map tiles: none are reachable from a city's
 * network, and a coordinate typed wrong shows as a point far from the others, which is the
 * check an administrator needs. Plain ES2020 over ECharts (served from the jar).
 * Exposes one frozen object, window.EpiloopMap.
 */
'use strict';

(() => {
  /** A margin around the points; a single point gets a small square around it. */
  function bounds(values) {
    const lo = Math.min(...values);
    const hi = Math.max(...values);
    const pad = Math.max(0.01, (hi - lo) * 0.08);
    return { min: +(lo - pad).toFixed(3), max: +(hi + pad).toFixed(3) };
  }

  /**
   * Draws (or redraws in place) the map into an ECharts instance.
   * opts: {sites, labs: [{name, label, lon, lat, value, color, size}], focus: {name, lon, lat} or
   * null (a point being entered, drawn as a red pin), text (label colour), axisLine, splitLine
   * (ECharts line styles), tooltip(point, isLab)}.
   */
  function draw(chart, opts) {
    const text = opts.text || '#0d1117';
    const point = (p) => ({ name: p.name, value: [p.lon, p.lat, p.value || 0], label: p.label, itemStyle: { color: p.color } });
    const sites = (opts.sites || []).filter((p) => Number.isFinite(p.lon) && Number.isFinite(p.lat));
    const labs = (opts.labs || []).filter((p) => Number.isFinite(p.lon) && Number.isFinite(p.lat));
    const focus = opts.focus && Number.isFinite(opts.focus.lon) && Number.isFinite(opts.focus.lat) ? opts.focus : null;
    const all = sites.concat(labs).concat(focus ? [focus] : []);
    const lon = all.length ? bounds(all.map((p) => p.lon)) : {};
    const lat = all.length ? bounds(all.map((p) => p.lat)) : {};
    const axis = (name, b) => ({ type: 'value', name, nameLocation: 'middle', nameGap: 32, nameTextStyle: { color: text },
      min: b.min, max: b.max, axisLabel: { color: text, formatter: (v) => v.toFixed(2) }, axisLine: opts.axisLine,
      splitLine: opts.splitLine });
    const labelled = { show: true, position: 'right', color: text, fontSize: 11, formatter: (p) => p.data.label || '' };
    const sizes = new Map(sites.concat(labs).map((p) => [p.name, p.size]));
    chart.setOption({
      tooltip: { formatter: (p) => (opts.tooltip ? opts.tooltip(p, p.seriesIndex === 1) : p.name) },
      grid: { left: 65, right: 25, top: 15, bottom: 45 },
      xAxis: axis('经度 lon', lon),
      yAxis: axis('纬度 lat', lat),
      labelLayout: { hideOverlap: true },
      series: [
        { name: 'sites', type: 'scatter', data: sites.map(point), label: labelled,
          symbolSize: (v, p) => sizes.get(p.name) || 10 },
        { name: 'labs', type: 'scatter', symbol: 'diamond', data: labs.map(point), label: labelled,
          symbolSize: (v, p) => sizes.get(p.name) || 20 },
        { name: 'focus', type: 'scatter', symbol: 'pin', symbolSize: 34, itemStyle: { color: '#c8102e' },
          data: focus ? [{ name: focus.name, value: [focus.lon, focus.lat, 0], label: focus.name }] : [],
          label: Object.assign({}, labelled, { fontWeight: 'bold' }) },
      ],
    }, { replaceMerge: ['series'] });
  }

  window.EpiloopMap = Object.freeze({ draw });
})();
