/*
 * The Levey–Jennings chart, shared by the quality page and the lab director's page (so neither
 * keeps its own copy). Plain ES2020 on top of common.js and ECharts.
 *
 * Why it is shaped this way: the chart draws what the server says — each point's broken Westgard
 * rules come with the point — so no page re-implements a rule; the severity of a point is only
 * "any rule other than 1-2s rejects", which is what the rules' list says too.
 */
'use strict';

(() => {
  const E = window.Epiloop;

  function severity(rules) {
    if (!rules.length) return 'ok';
    return rules.some((x) => x !== '1-2s') ? 'reject' : 'warn';
  }

  /** Draws chart c (the API's /qc/chart answer) into the ECharts instance, or clears it when c is null. */
  function draw(chart, c) {
    if (!c) { chart.clear(); return; }
    const colours = { ok: '#0a4fb4', warn: '#b26b00', reject: '#a3001b' };
    const symbols = { ok: 'circle', warn: 'diamond', reject: 'triangle' };
    const data = c.points.map((p, i) => {
      const s = severity(p.rules);
      return {
        value: [i + 1, p.ct], rules: p.rules, runId: p.runId, at: p.at, z: p.z, well: p.well,
        symbol: symbols[s], symbolSize: s === 'ok' ? 7 : 13, itemStyle: { color: colours[s] },
        label: { show: s !== 'ok', formatter: p.rules.join(' '), position: 'top', color: colours[s], fontWeight: 'bold' },
      };
    });
    const line = (k, colour, type) => ({ yAxis: c.mean + k * c.sd, lineStyle: { color: colour, type }, label: { formatter: k === 0 ? 'x̄' : (k > 0 ? '+' : '') + k + 'SD' } });
    const lo = c.mean - 4 * c.sd;
    const hi = c.mean + 4 * c.sd;
    const values = c.points.map((p) => p.ct);
    chart.setOption({
      animation: false,
      grid: { left: 48, right: 56, top: 24, bottom: 40 },
      tooltip: {
        trigger: 'item',
        formatter: (p) => `${E.when(p.data.at)} · ${p.data.well}<br>Ct ${p.data.value[1]} (${p.data.z > 0 ? '+' : ''}${p.data.z} SD)`
          + (p.data.rules.length ? '<br>' + p.data.rules.join(', ') : ''),
      },
      xAxis: { type: 'value', name: '批次 run', nameLocation: 'middle', nameGap: 26, min: 0, max: Math.max(c.points.length + 1, 10), minInterval: 1 },
      yAxis: { type: 'value', name: 'Ct', nameLocation: 'middle', nameGap: 34, min: Math.floor(Math.min(lo, ...values) * 10) / 10, max: Math.ceil(Math.max(hi, ...values) * 10) / 10 },
      series: [{
        id: 'lj', name: c.target, type: 'line', data, lineStyle: { color: '#5a6270', width: 1 },
        markLine: {
          symbol: 'none', silent: true,
          data: [line(0, '#0b6b2c', 'solid'), line(1, '#9aa1ab', 'dotted'), line(-1, '#9aa1ab', 'dotted'),
            line(2, '#b26b00', 'dashed'), line(-2, '#b26b00', 'dashed'), line(3, '#a3001b', 'solid'), line(-3, '#a3001b', 'solid')],
        },
      }],
    }, true);
  }

  /** A one-line summary of chart c: lot, level, target, mean, SD, points and how many broke a rule. */
  function summary(c) {
    const broken = c.points.filter((p) => p.rules.length).length;
    return `${c.material} · 批号 lot ${c.lotNumber} · L${c.level} · ${c.target}: 均值 mean ${c.mean}, SD ${c.sd} · `
      + `${c.points.length} 点 points · ${broken} 违规 with rule violations`;
  }

  // window.Epiloop is frozen (common.js): the chart is a global of its own
  window.EpiloopLeveyJennings = Object.freeze({ draw, summary, severity });
})();
