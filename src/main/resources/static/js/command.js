/*
 * The command centre (templates/command.html). Plain ES2020 on top of common.js and ECharts
 * (served from the jar), no build step, no inline script (CSP script-src 'self').
 *
 * Why it is shaped this way:
 * - A wall screen runs for hours unattended: it polls the dashboard API every
 *   refreshSeconds (GET /dashboard/settings), updates the charts in place (no reload, no
 *   flicker), and says when the figures were last refreshed; when a refresh fails it keeps the
 *   last figures on screen and says so, rather than going blank.
 * - Officials drill down by clicking: a district's bar lists its sites, a lab's row its oldest
 *   pending boxes and tubes, an alert the box (chain of custody), lab or site it names.
 * - Alerts also arrive live (server-sent events, opened with a single-use ticket): a critical
 *   result shows the moment it is stored, not at the next poll.
 * - Every figure is also in the DOM (data-value on the tiles, tables), so the screen reads
 *   well on a projector and tests can check it.
 */
'use strict';

(() => {
  const E = window.Epiloop;
  const { $, el, enc, NetworkError } = E;

  const SESSION = E.sessionStore('epiloop.command.session');
  const words = E.feedback({
    NOT_OFFICIAL: ['仅限防疫指挥人员', 'The command centre is for officials. Log in with an official account.'],
    FORBIDDEN: ['无权查看', 'This account may not see the command centre. Log in as an official.'],
  });
  const api = E.client(() => state.session && state.session.accessToken);

  const state = { session: null, timer: null, refreshMs: 5000, zone: undefined, charts: {}, districts: [], drill: null,
    live: new Set(), stream: null, outlines: null, outlinesAt: 0, drawn: {},
    // the map's layers: what was last drawn under them, and the layer data of the last refresh
    today: null, sites: [], labs: [], heat: null, flows: null, flowsAt: 0, grids: null, gridsAt: 0 };

  /** hh:mm in the city's time zone (the wall screen's own zone may differ): the layout's zone. */
  const hhmm = E.hhmm;

  const KPIS = ['personsSampled', 'tubesSealed', 'boxesInTransit', 'tubesReceived', 'tubesTested', 'personsReported',
    'positives', 'recalled'];
  const LEGS = [['collectionToReceipt', '采样→接收 Collection→receipt'], ['receiptToRelease', '接收→发布 Receipt→release'],
    ['collectionToRelease', '采样→发布 Collection→release']];
  const TEXT = '#e8eef7';
  const GRID = '#2d3f5c';
  const PALETTE = ['#4cc9f0', '#f9c74f', '#90be6d', '#f8961e', '#f94144', '#b5179e', '#577590'];

  const fmt = (n) => (n === null || n === undefined ? '—' : Number(n).toLocaleString('en-US'));

  function chart(id) {
    if (!state.charts[id]) {
      state.charts[id] = window.echarts.init($(id), null, { renderer: 'canvas' });
    }
    return state.charts[id];
  }

  const axisStyle = { axisLine: { lineStyle: { color: GRID } }, axisLabel: { color: TEXT }, splitLine: { lineStyle: { color: GRID } } };

  async function get(path) {
    const r = await api('GET', path);
    if (r.status === 401) { logout(); throw new Error('logged out'); }
    if (!r.ok) {
      const p = E.problem(r);
      throw Object.assign(new Error(p.detail), { problem: p });
    }
    return r.data;
  }

  // ---------------------------------------------------------------- drawing

  function drawKpis(s) {
    KPIS.forEach((k) => {
      const box = $('kpi-' + k);
      box.dataset.value = String(s[k]);
      box.querySelector('.kpi-value').textContent = fmt(s[k]);
    });
  }

  function drawFunnel(s) {
    const stages = [['已采样人数 Sampled', s.personsSampled], ['已封管 Sealed (tubes)', s.tubesSealed],
      ['已接收 Received (tubes)', s.tubesReceived], ['已检测 Tested (tubes)', s.tubesTested],
      ['已发布 Released (tubes)', s.tubesReleased], ['已出结果 Reported (persons)', s.personsReported]];
    chart('chart-funnel').setOption({
      color: PALETTE,
      tooltip: { trigger: 'axis' },
      grid: { left: 190, right: 60, top: 10, bottom: 20 },
      xAxis: Object.assign({ type: 'value' }, axisStyle),
      yAxis: Object.assign({ type: 'category', inverse: true, data: stages.map((x) => x[0]) }, axisStyle),
      series: [{ name: 'funnel', type: 'bar', data: stages.map((x) => x[1]), label: { show: true, position: 'right', color: TEXT },
        itemStyle: { color: (p) => PALETTE[p.dataIndex % PALETTE.length] } }],
    });
  }

  /** The wall shows the 12 districts that sampled most today (a city may have hundreds). */
  function drawDistricts(all) {
    const list = all.slice().sort((a, b) => b.figures.personsSampled - a.figures.personsSampled
      || a.districtCode.localeCompare(b.districtCode)).slice(0, 12);
    state.districts = list;
    const names = list.map((d) => (d.name && d.name.indexOf(d.districtCode) < 0 ? d.name + ' ' : '') + d.districtCode);
    chart('chart-districts').setOption({
      color: PALETTE,
      tooltip: { trigger: 'axis' },
      legend: { textStyle: { color: TEXT }, top: 0 },
      grid: { left: 50, right: 10, top: 30, bottom: 40 },
      xAxis: Object.assign({ type: 'category', data: names }, axisStyle, { axisLabel: { color: TEXT, interval: 0, hideOverlap: true } }),
      yAxis: Object.assign({ type: 'value' }, axisStyle),
      series: [
        { name: '采样 Sampled', type: 'bar', data: list.map((d) => d.figures.personsSampled) },
        { name: '出结果 Reported', type: 'bar', data: list.map((d) => d.figures.personsReported) },
      ],
    });
  }

  function drawMap(sites, labs) {
    state.sites = sites;
    state.labs = labs;
    const max = Math.max(1, ...sites.map((s) => s.sampledToday));
    window.EpiloopMap.draw(chart('chart-map'), {
      outlines: state.outlines, fit: 'outlines', text: TEXT, halo: '#0b1628', area: '#17304f', areaHover: '#1f3d63', border: '#7d9cc9',
      districtText: '#9fb6d6',
      sites: sites.map((s) => ({ name: s.siteCode + ' ' + s.name, label: s.siteCode, lon: s.longitude, lat: s.latitude,
        value: s.sampledToday, color: s.slow ? '#f94144' : '#4cc9f0', size: 6 + 18 * Math.sqrt(s.sampledToday / max) })),
      labs: labs.filter((l) => l.latitude !== null && l.latitude !== undefined).map((l) => ({ name: l.labCode + ' ' + l.name,
        label: l.labCode, lon: l.longitude, lat: l.latitude, value: l.backlog, color: l.atRisk ? '#f94144' : '#f9c74f', size: 22 })),
      tooltip: (p, isLab) => p.name + '<br>' + (isLab ? '积压 backlog ' : '今日采样 sampled ') + fmt(p.value[2]),
      heat: heatShown(), flows: flowsShown(),
    });
    drawLayerLegends();
  }

  // ---------------------------------------------------------------- map layers: heat and population flows

  const METRICS = { positives: '阳性 Positives', feverVisits: '发热门诊 Fever visits', declaredFevers: '申报发热 Declared fevers' };
  /** The slider reaches 13 days back and a period is at most 14 days: the heat is read for the 27 days that can be shown. */
  const HEAT_DAYS = 27;
  /** How long the layers' counts are kept before they are read again. */
  const LAYER_MS = 60000;

  /** A city day (YYYY-MM-DD) moved by n days; days are dates, not instants, so UTC arithmetic is exact. */
  function plusDays(day, n) {
    const d = new Date(day + 'T00:00:00Z');
    d.setUTCDate(d.getUTCDate() + n);
    return d.toISOString().slice(0, 10);
  }

  /** The days the layers show: the period chosen, ending on the slider's day (today at the right end). */
  function period() {
    const to = plusDays(state.today, Number($('heat-day').value));
    return { from: plusDays(to, 1 - Number($('heat-span').value)), to };
  }

  const districtName = (code) => {
    const f = ((state.outlines && state.outlines.features) || []).find((x) => (x.properties || {}).code === code || x.id === code);
    return f && f.properties && f.properties.name ? f.properties.name : code;
  };

  /** The heat cells of the chosen measure, level and period, summed per district or grid, zeros left out. */
  function heatShown() {
    if (!$('layer-heat').checked || !state.heat) return null;
    const level = $('heat-level').value;
    const metric = $('heat-metric').value;
    const { from, to } = period();
    const sums = new Map();
    for (const c of state.heat[level]) {
      if (c.day < from || c.day > to || !c[metric]) continue;
      const code = level === 'GRID' ? c.gridCode : c.districtCode;
      const cell = sums.get(code) || { code, districtCode: c.districtCode, value: 0,
        name: level === 'GRID' ? ((state.grids && state.grids.get(code)) || {}).name || code : districtName(code) };
      cell.value += c[metric];
      sums.set(code, cell);
    }
    return { level, title: METRICS[metric], cells: Array.from(sums.values()) };
  }

  /** The arrivals of the period per origin and district, each origin given a place when it has one. */
  function flowsShown() {
    if (!$('layer-flows').checked || !state.flows) return null;
    const { from, to } = period();
    const codes = new Set(((state.outlines && state.outlines.features) || []).map((f) => (f.properties || {}).code || f.id));
    const sums = new Map();
    for (const f of state.flows.flows) {
      if (f.day < from || f.day > to) continue;
      const key = f.origin + '|' + f.districtCode;
      const r = sums.get(key) || { origin: f.origin, districtCode: f.districtCode, districtName: districtName(f.districtCode), count: 0 };
      r.count += f.total;
      sums.set(key, r);
    }
    return Array.from(sums.values()).map((r) => {
      // a check-in's origin is the person's home district: one of the city's, drawn from its centre
      if (codes.has(r.origin)) {
        return Object.assign(r, { originName: districtName(r.origin), fromDistrict: r.origin, from: null, drawn: codes.has(r.districtCode) });
      }
      const p = window.EpiloopRegions.place(r.origin);
      return Object.assign(r, { originName: p ? p.name : r.origin, from: p ? { lon: p.lon, lat: p.lat } : null,
        drawn: Boolean(p) && codes.has(r.districtCode) });
    }).sort((a, b) => b.count - a.count || a.origin.localeCompare(b.origin));
  }

  /** The legends under the map: the heat's scale and its hottest places, the flows with their counts (also what tests read). */
  function drawLayerLegends() {
    if (!state.today) return;
    const heat = heatShown();
    const flows = flowsShown();
    const { from, to } = period();
    // rebuilt only when what they show changed, like the other lists (a poll every few seconds)
    if (!changed('layers', [heat, flows, from, to, state.today])) return;
    const span = from === to ? from : from + ' – ' + to;
    $('heat-day-label').textContent = to === state.today ? '今天 today' : to;
    $('heat-legend').hidden = !heat;
    if (heat) {
      const max = Math.max(1, ...heat.cells.map((c) => c.value));
      $('heat-title').textContent = heat.title + ' · ' + (heat.level === 'GRID' ? '按网格 by grid' : '按区 by district') + ' · ' + span;
      $('heat-note').textContent = '0 – ' + max + (heat.level === 'GRID' ? ' · 网格位置为示意（网格无边界数据）grid positions are schematic' : '');
      const top = heat.cells.slice().sort((a, b) => b.value - a.value || a.code.localeCompare(b.code)).slice(0, 12);
      $('heat-list').replaceChildren(...(top.length ? top.map((c) => {
        const li = el('li');
        const colour = window.EpiloopMap.heatColour(c.value, max);
        Object.assign(li.dataset, { code: c.code, value: String(c.value), colour, level: heat.level });
        const sw = el('span', 'swatch');
        sw.style.background = colour;
        li.append(sw, (c.name && c.name.indexOf(c.code) >= 0 ? c.name : (c.name && c.name !== c.code ? c.name + ' ' : '') + c.code)
          + (heat.level === 'GRID' ? '（' + c.districtCode + '）' : '') + ' ×' + fmt(c.value));
        return li;
      }) : [el('li', 'empty', '此期间无记录 Nothing in this period')]));
    }
    $('flow-legend').hidden = !flows;
    if (flows) {
      const total = flows.reduce((n, r) => n + r.count, 0);
      $('flow-title').textContent = '人口流入 Arrivals · ' + span + ' · 共 ' + fmt(total) + ' 人次';
      $('flow-list').replaceChildren(...(flows.length ? flows.slice(0, 12).map((r) => {
        const li = el('li', null, r.originName + ' → ' + r.districtName + ' ×' + fmt(r.count) + (r.drawn ? '' : ' (无位置 not on the map)'));
        Object.assign(li.dataset, { origin: r.origin, district: r.districtCode, count: String(r.count) });
        return li;
      }) : [el('li', 'empty', '此期间无流入 No arrivals in this period')]));
    }
  }

  /**
   * The layers' data, read only while a layer is on: the heat for every day the controls can
   * show (both levels, so switching is immediate), the flows of the period, the grids' names
   * every 10 minutes like the outlines. Heat and flows are counts per day: read again once a
   * minute (or when the period or the day changed), not on every 5-second poll of the wall.
   */
  async function loadLayers() {
    if (!state.today) return;
    const reads = [];
    const fresh = (at) => Date.now() - at < LAYER_MS;
    if ($('layer-heat').checked && !(state.heat && state.heat.today === state.today && fresh(state.heat.at))) {
      const range = 'from=' + plusDays(state.today, -HEAT_DAYS + 1) + '&to=' + state.today;
      reads.push(Promise.all([get('/api/v1/dashboard/heat?by=DISTRICT&' + range), get('/api/v1/dashboard/heat?by=GRID&' + range)])
        .then(([d, g]) => { state.heat = { DISTRICT: d, GRID: g, today: state.today, at: Date.now() }; }));
      if (!state.grids || Date.now() - state.gridsAt > 600000) {
        reads.push(get('/api/v1/grids').then((gs) => { state.grids = new Map(gs.map((g) => [g.code, g])); state.gridsAt = Date.now(); }));
      }
    }
    const { from, to } = period();
    if ($('layer-flows').checked && !(state.flows && state.flows.from === from && state.flows.to === to && fresh(state.flowsAt))) {
      reads.push(get('/api/v1/population-flow?from=' + from + '&to=' + to).then((r) => { state.flows = r; state.flowsAt = Date.now(); }));
    }
    await Promise.all(reads);
  }

  /** A layer control changed: draw at once (reading what the change needs), not at the next poll. */
  async function layersChanged() {
    $('heat-metric').disabled = $('heat-level').disabled = !$('layer-heat').checked;
    try {
      await loadLayers();
      drawMap(state.sites, state.labs);
      document.body.dataset.layers = String(Number(document.body.dataset.layers || 0) + 1);
    } catch (e) {
      showProblem(e);
    }
  }

  function drawTrend(t) {
    const hours = t.hours.map((h) => hhmm(h.hour));
    chart('chart-trend').setOption({
      color: PALETTE,
      tooltip: { trigger: 'axis' },
      legend: { textStyle: { color: TEXT }, top: 0 },
      // a phone wraps the three-item legend onto a second line: room for it above the plot
      grid: { left: 60, right: 20, top: $('chart-trend').clientWidth < 500 ? 56 : 30, bottom: 30 },
      xAxis: Object.assign({ type: 'category', data: hours }, axisStyle),
      yAxis: Object.assign({ type: 'value' }, axisStyle),
      series: [
        { name: '采样人数 Sampled', type: 'line', data: t.hours.map((h) => h.sampled) },
        { name: '接收管数 Received', type: 'line', data: t.hours.map((h) => h.received) },
        { name: '发布管数 Released', type: 'line', data: t.hours.map((h) => h.released) },
      ],
    });
  }

  /**
   * Gives each cell its column's heading (data-label): on a phone the tables are laid out as one
   * card per row, each figure with its heading beside it, instead of nine columns scrolled sideways.
   */
  function labelCells(t) {
    const heads = Array.from(t.querySelectorAll('thead th')).map((th) => th.textContent);
    t.querySelectorAll('tbody tr').forEach((tr) => Array.from(tr.children).forEach((td, i) => { td.dataset.label = heads[i] || ''; }));
    return t;
  }

  function drawTurnaround(t) {
    const body = $('turnaround-table').querySelector('tbody');
    body.replaceChildren(...LEGS.map(([key, label]) => {
      const l = t[key];
      const tr = el('tr');
      tr.dataset.leg = key;
      [label, fmt(l.count), fmt(l.p50), fmt(l.p90), fmt(l.p99)].forEach((v) => tr.append(el('td', null, v)));
      return tr;
    }));
    labelCells($('turnaround-table'));
    const leg = t.collectionToRelease;
    chart('chart-turnaround').setOption({
      color: ['#90be6d'],
      tooltip: { trigger: 'axis' },
      grid: { left: 45, right: 10, top: 10, bottom: 30 },
      xAxis: Object.assign({ type: 'category', data: leg.histogram.map((b) => b.fromMinutes + '–' + b.toMinutes) }, axisStyle),
      yAxis: Object.assign({ type: 'value' }, axisStyle),
      series: [{ name: '采样→发布 Collection→release', type: 'bar', data: leg.histogram.map((b) => b.count) }],
    });
  }

  /**
   * Whether a list's figures differ from what is on screen. The lists are rebuilt only when they
   * changed: a row or alert that has the keyboard focus (or is being clicked) is not replaced
   * under the official every few seconds.
   */
  function changed(what, data) {
    const key = JSON.stringify(data);
    if (state.drawn[what] === key) return false;
    state.drawn[what] = key;
    return true;
  }

  function drawLabs(labs) {
    if (!changed('labs', labs)) return;
    const body = $('labs-table').querySelector('tbody');
    body.replaceChildren(...labs.map((l) => {
      const tr = el('tr', l.atRisk ? 'risk' : null);
      tr.dataset.lab = l.labCode;
      tr.tabIndex = 0;
      const stateWords = l.atRisk ? '⚠ 积压风险 At risk' : l.backlog > 0 ? '处理中 Working' : '正常 Clear';
      [l.labCode + ' ' + l.name, fmt(l.received), fmt(l.tested), fmt(l.released), fmt(l.backlog),
        fmt(l.oldestPendingMinutes), fmt(l.ratePerHour), Math.round(l.capacityUse * 100) + '%', stateWords]
        .forEach((v) => tr.append(el('td', null, v)));
      tr.addEventListener('click', () => drillLab(l.labCode));
      tr.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') drillLab(l.labCode); });
      return tr;
    }));
    labelCells($('labs-table'));
  }

  function drawAlerts(alerts) {
    if (!changed('alerts', alerts)) return;
    window.EpiloopAlerts.draw($('alerts'), $('alert-count'), alerts, { limit: 100, empty: '暂无预警 No open alerts', item: alertItem });
  }

  /** The shared alert item; on the wall a click (or Enter) drills down to what it names. */
  function alertItem(a) {
    const li = window.EpiloopAlerts.item(a, { className: 'alert', when: hhmm });
    if (state.live.has(a.kind + ':' + a.subject)) li.dataset.via = 'sse';
    li.tabIndex = 0;
    li.addEventListener('click', () => drillAlert(a));
    li.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') drillAlert(a); });
    return li;
  }

  /** A critical result across the top of the wall, wherever the alert list is; a click goes to the list. */
  function banner(a) {
    let b = $('live-banner');
    if (!b) {
      b = el('button', 'cc-live-banner');
      b.type = 'button';
      b.id = 'live-banner';
      b.addEventListener('click', () => { b.hidden = true; $('alerts').scrollIntoView({ block: 'center' }); });
      $('screen').prepend(b);
    }
    b.hidden = false;
    b.dataset.subject = a.subject;
    b.textContent = '⚠ ' + window.EpiloopAlerts.word(a.kind) + ' ' + a.subject + ' · ' + hhmm(a.since) + ' — ' + a.detail;
  }

  /**
   * An alert pushed by the server the moment it was raised, acknowledged or resolved (server-sent
   * events): shown at once, before the next poll; a resolved one leaves the list.
   */
  function liveAlert(a) {
    const key = a.kind + ':' + a.subject;
    state.live.add(key);
    const list = $('alerts');
    const old = Array.from(list.querySelectorAll('li[data-kind]')).find((li) => li.dataset.kind + ':' + li.dataset.subject === key);
    if (a.state === 'RESOLVED') {
      if (old) old.remove();
    } else {
      const li = alertItem(a);
      li.classList.add('live');
      if (old) old.replaceWith(li);
      else {
        const empty = list.querySelector('li.empty');
        if (empty) empty.remove();
        list.prepend(li);
      }
      if (a.kind === 'CRITICAL_RESULT' && a.state === 'OPEN') {
        E.beep(false);
        banner(a);
      }
    }
    window.EpiloopAlerts.recount(list, $('alert-count'));
  }

  // ---------------------------------------------------------------- drill-down

  /**
   * The lab network (register and booking load) and the routing suggestions: boxes toward labs
   * with free capacity when one is overloaded. The server decides who is overloaded (ADR 0027);
   * the page only shows it.
   */
  function drawNetwork(network, routing) {
    if (!changed('network', [network, routing])) return;
    const load = new Map(routing.labs.map((l) => [l.labCode, l]));
    const pct = (v) => (v === null || v === undefined ? '—' : (v * 100).toFixed(1) + '%');
    $('network-table').querySelector('tbody').replaceChildren(...network.map((n) => {
      const l = load.get(n.code);
      const tr = el('tr', l && l.overloaded ? 'risk' : null);
      tr.dataset.lab = n.code;
      [n.code + ' ' + n.name,
        l ? `${fmt(l.receivedToday)} + ${fmt(l.stillBooked)} 预约 booked (${Math.round(l.load * 100)}%)${l.overloaded ? ' ⚠' : ''}` : '—',
        fmt(n.dailyCapacity), `${n.technicians} / ${n.reviewers} / ${n.directors}`, `${n.instruments} (${n.cyclers})`, String(n.assays),
        n.qcRuns ? `${pct(n.qcFailureRate)} (${n.qcRuns} 批 runs)` : '—']
        .forEach((v) => tr.append(el('td', null, v)));
      tr.append(labState(n));
      return tr;
    }));
    labelCells($('network-table'));
    const list = $('routing-suggestions');
    list.replaceChildren(...routing.suggestions.map((s) => {
      const li = el('li', null, `${s.from} → ${s.to} ${s.toName}: 可再收 can take ${fmt(s.freeTubes)} 管 tubes`);
      li.dataset.from = s.from;
      li.dataset.to = s.to;
      return li;
    }));
    if (!routing.suggestions.length) list.append(el('li', null, '无需分流 No lab is overloaded'));
  }

  /**
   * What needs a look at the lab now, one line each, only when there is something: runs QC holds,
   * open environment excursions and silent sensors, lots low in stock or near expiry (their lot
   * numbers: a few, then how many more). "正常 OK" when nothing is open.
   */
  function labState(n) {
    const td = el('td', 'lab-state');
    const lots = (list) => list.slice(0, 3).join(', ') + (list.length > 3 ? ` +${list.length - 3}` : '');
    const lines = [
      ['qc', n.qcHeldRuns, () => `质控拦截 QC held: ${n.qcHeldRuns} 批 runs`],
      ['excursion', n.openExcursions, () => `环境超限 Excursions: ${n.openExcursions}`],
      ['silent', n.silentSensors, () => `传感器失联 Silent sensors: ${n.silentSensors}`],
      ['low', (n.lowStockLots || []).length, () => `库存不足 Low stock: ${lots(n.lowStockLots)}`],
      ['expiring', (n.expiringLots || []).length, () => `临近过期 Expiring: ${lots(n.expiringLots)}`],
    ].filter(([, count]) => count > 0);
    td.dataset.state = lines.length ? 'attention' : 'ok';
    if (!lines.length) {
      td.textContent = '正常 OK';
      return td;
    }
    for (const [key, , text] of lines) {
      const line = el('span', 'lab-state-line', text());
      line.dataset.kind = key;
      td.append(line);
    }
    return td;
  }

  function table(headers, rows) {
    const t = el('table', 'cc-table');
    const head = el('tr');
    headers.forEach((h) => head.append(el('th', null, h)));
    const thead = el('thead');
    thead.append(head);
    const tbody = el('tbody');
    rows.forEach((r) => {
      const tr = el('tr', r.className || null);
      r.cells.forEach((c) => tr.append(el('td', null, c)));
      tbody.append(tr);
    });
    t.append(thead, tbody);
    return labelCells(t);
  }

  function openDrill(title, nodes, what) {
    state.drill = what;
    $('drill-title').textContent = title;
    $('drill-body').replaceChildren(...nodes);
    $('drill').hidden = false;
    $('drill').dataset.what = what.kind + ':' + what.code;
    $('drill').scrollIntoView({ block: 'nearest' });
  }

  async function drillDistrict(code) {
    const sites = await get('/api/v1/dashboard/sites?districtCode=' + enc(code));
    openDrill('区 District ' + code + ' — 采样点 sites', [table(
      ['采样点 Site', '近一小时 Last hour', '今日 Today', '封管 Sealed', '开管 Open tubes', '状态 State'],
      sites.map((s) => ({ className: s.slow ? 'risk' : null, cells: [s.siteCode + ' ' + s.name, fmt(s.sampledLastHour),
        fmt(s.sampledToday), fmt(s.tubesSealedToday), fmt(s.openTubes), s.slow ? '⚠ 缓慢 Slow' : '正常 OK'] })))],
    { kind: 'district', code });
  }

  async function drillLab(code) {
    const p = await get('/api/v1/dashboard/labs/' + enc(code) + '/pending');
    openDrill('实验室 Lab ' + code + ' — 积压 backlog ' + fmt(p.backlog), [
      el('h3', null, '最久待检的箱 Oldest pending boxes'),
      table(['箱码 Box', '采样点 Site', '待检管 Tubes', '接收于 Received', '等待 Waiting (min)'],
        p.boxes.map((b) => ({ cells: [b.boxCode, b.siteCode, fmt(b.tubes), hhmm(b.oldestReceivedAt), fmt(b.waitingMinutes)] }))),
      el('h3', null, '最久待检的管 Oldest pending tubes'),
      table(['试管 Tube', '箱码 Box', '状态 State', '接收于 Received', '等待 Waiting (min)'],
        p.tubes.slice(0, 20).map((t) => ({ cells: [t.tubeCode, t.boxCode, t.state, hhmm(t.receivedAt), fmt(t.waitingMinutes)] }))),
    ], { kind: 'lab', code });
  }

  async function drillBox(code) {
    const b = await get('/api/v1/boxes/' + enc(code));
    const events = b.events || b.chainOfCustody || [];
    openDrill('转运箱 Box ' + code + ' — ' + (b.status || ''), [
      el('p', null, '采样点 Site ' + (b.siteCode || '—') + ' → 实验室 Lab ' + (b.labCode || '—') + ' · ' + fmt(b.tubeCount) + ' 管 tubes'),
      table(['时间 Time', '环节 Step', '人员 By'], events.map((e) => ({ cells: [hhmm(e.at), e.type, e.actor] }))),
    ], { kind: 'box', code });
  }

  async function drillAlert(a) {
    try {
      if (a.kind === 'BOX_OVERDUE') await drillBox(a.subject);
      else if (a.kind === 'LAB_BACKLOG') await drillLab(a.subject);
      else if (a.kind === 'SITE_SLOW') {
        const all = await get('/api/v1/dashboard/sites');
        const site = all.find((s) => s.siteCode === a.subject);
        if (site) await drillDistrict(site.districtCode);
      } else {
        openDrill(window.EpiloopAlerts.word(a.kind), [el('p', null, a.subject + ': ' + a.detail)], { kind: 'alert', code: a.subject });
      }
    } catch (e) {
      showProblem(e);
    }
  }

  // ---------------------------------------------------------------- refresh

  function showProblem(e) {
    if (e instanceof NetworkError) {
      $('problem').textContent = '网络不通，显示的是上次的数据 No network: showing the last figures';
    } else {
      $('problem').textContent = e.problem ? words.text(e.problem.code, e.problem.detail) : String(e.message);
    }
    $('problem').hidden = false;
  }

  /**
   * The districts' outlines change when an administrator sets one, not during a day: read them
   * at start and every 10 minutes, not on every poll (a city's outlines weigh a few hundred kB).
   */
  async function outlines() {
    if (state.outlines && Date.now() - state.outlinesAt < 600000) return;
    try {
      state.outlines = await get('/api/v1/districts/outlines');
      state.outlinesAt = Date.now();
    } catch (e) {
      if (!state.outlines) throw e;
    }
  }

  async function refresh() {
    try {
      await outlines();
      const [summary, districts, labs, sites, trend, turnaround, alerts] = await Promise.all([
        get('/api/v1/dashboard/summary'), get('/api/v1/dashboard/districts'), get('/api/v1/dashboard/labs'),
        get('/api/v1/dashboard/sites'), get('/api/v1/dashboard/trend'), get('/api/v1/dashboard/turnaround'),
        get('/api/v1/dashboard/alerts')]);
      const [network, routing] = await Promise.all([get('/api/v1/dashboard/lab-network'), get('/api/v1/bookings/routing')]);
      $('day-label').textContent = summary.day;
      state.today = summary.day;
      await loadLayers();
      drawKpis(summary);
      drawFunnel(summary);
      drawDistricts(districts);
      drawMap(sites, labs);
      drawTrend(trend);
      drawTurnaround(turnaround);
      drawLabs(labs);
      drawNetwork(network, routing);
      drawAlerts(alerts);
      $('problem').hidden = true;
      const now = new Date();
      $('refreshed').textContent = '更新于 Updated ' + E.cityTime(now, { second: '2-digit' });
      $('refreshed').dataset.at = now.toISOString();
      document.body.dataset.loaded = String(Number(document.body.dataset.loaded || 0) + 1);
    } catch (e) {
      if (state.session) showProblem(e);
    } finally {
      if (state.session) state.timer = setTimeout(refresh, state.refreshMs);
    }
  }

  async function downloadCsv(path) {
    const r = await fetch(path, { headers: { Authorization: 'Bearer ' + state.session.accessToken }, cache: 'no-store' });
    if (!r.ok) { showProblem(new Error('CSV: HTTP ' + r.status)); return; }
    const name = (r.headers.get('Content-Disposition') || '').replace(/.*filename="([^"]+)".*/, '$1') || 'epiloop.csv';
    const url = URL.createObjectURL(await r.blob());
    const a = el('a');
    a.href = url;
    a.download = name;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  async function start(session) {
    state.session = session;
    $('login-panel').hidden = true;
    $('screen').hidden = false;
    $('who').hidden = false;
    $('logout').hidden = false;
    $('user').textContent = session.username;
    try {
      const s = await get('/api/v1/dashboard/settings');
      state.refreshMs = Math.max(1, s.refreshSeconds) * 1000;
      state.zone = s.zone;
      document.body.dataset.refreshSeconds = String(s.refreshSeconds);
    } catch (e) {
      showProblem(e);
    }
    chart('chart-districts').on('click', (p) => {
      const d = state.districts[p.dataIndex];
      if (d) drillDistrict(d.districtCode).catch(showProblem);
    });
    refresh();
    state.stream = E.ticketedStream(api, '/api/v1/dashboard/alerts/stream-tickets', '/api/v1/dashboard/alerts/stream',
      { alert: liveAlert }, (st) => { document.body.dataset.stream = st; });
  }

  function logout() {
    clearTimeout(state.timer);
    E.revoke(state.session && state.session.accessToken);
    if (state.stream) state.stream.close();
    state.stream = null;
    state.session = null;
    state.drawn = {};
    state.heat = state.flows = null;
    SESSION.clear();
    $('screen').hidden = true;
    $('who').hidden = true;
    $('logout').hidden = true;
    $('login-panel').hidden = false;
  }

  window.addEventListener('resize', () => Object.values(state.charts).forEach((c) => c.resize()));

  document.addEventListener('DOMContentLoaded', () => {
    E.loginForm({
      api, words, store: SESSION,
      accept: (t) => (t.role === 'OFFICIAL' ? null : 'NOT_OFFICIAL'),
      onSession: start,
    });
    $('logout').addEventListener('click', logout);
    $('drill-close').addEventListener('click', () => { $('drill').hidden = true; state.drill = null; });
    $('export-sites').addEventListener('click', () => downloadCsv('/api/v1/dashboard/export/sites.csv'));
    $('export-labs').addEventListener('click', () => downloadCsv('/api/v1/dashboard/export/labs.csv'));
    ['layer-heat', 'layer-flows', 'heat-metric', 'heat-level', 'heat-span', 'heat-day']
      .forEach((id) => $(id).addEventListener(id === 'heat-day' ? 'input' : 'change', layersChanged));
    $('heat-metric').disabled = $('heat-level').disabled = true;
    const saved = SESSION.load();
    if (saved && saved.role === 'OFFICIAL') start(saved);
  });
})();
