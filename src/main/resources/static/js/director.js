/*
 * The lab director's page (templates/director.html). Plain ES2020 on top of common.js, no build
 * step, no inline script.
 *
 * Why it is shaped this way:
 * - A lab director sees their own lab and may store tubes and dispose of due ones; officials and
 *   administrators pick any lab from a list and only read (the server checks roles again).
 * - Charts draw what the server computed: per-minute means (never raw readings) and the
 *   hour × stage medians; the page computes no figure itself.
 * - The alert list is the lab's own incidents (excursions and silent sensors) with start, peak
 *   and end; officials also get them on the command centre's alert list.
 */
'use strict';

(() => {
  const E = window.Epiloop;
  const { $, el, enc } = E;
  const SESSION = E.sessionStore('epiloop.director.session');
  const ROLES = ['LAB_DIRECTOR', 'OFFICIAL', 'ADMIN'];
  const REFRESH_MS = 15000;

  const words = E.feedback({
    NOT_DIRECTOR: ['不是实验室主任账号', 'This page is for a lab director (officials and administrators may read it).'],
  });
  const api = E.client(() => state.session && state.session.accessToken);
  const state = { session: null, lab: null, envChart: null, heatChart: null, ljChart: null, timer: null, overview: null, due: [] };
  const session = E.staffSession({ api, words, store: SESSION, state, panel: 'director-panel',
    onLoggedOut: () => clearInterval(state.timer) });
  const { call, setLoggedIn } = session;

  const MEASURES = { TEMPERATURE: '温度 Temperature', HUMIDITY: '湿度 Humidity', PRESSURE_DIFF: '压差 Pressure difference' };
  const STAGES = { TRANSPORT: '转运 Collection → receipt', WAITING: '待检 Receipt → plating', TESTING: '检测 Plating → result',
    REVIEW: '审核 Result → release', TOTAL: '全程 Collection → release' };
  const REASONS = { POSITIVE: '阳性 Positive', INCONCLUSIVE: '可疑 Inconclusive', NEGATIVE_SAMPLE: '阴性抽样 Negative sample' };

  const isDirector = () => state.session && state.session.role === 'LAB_DIRECTOR';
  const lab = () => enc(state.lab);
  const num = (v, digits) => (v === null || v === undefined ? '—' : Number(v).toFixed(digits === undefined ? 1 : digits));
  const time = (iso) => (iso ? E.when(iso) : '—');

  function row(cells, cls) {
    const tr = el('tr', cls || null);
    for (const c of cells) {
      const td = el('td', typeof c === 'number' ? 'num' : null, String(c));
      tr.append(td);
    }
    return tr;
  }

  // ---------------------------------------------------------------- environment

  function incidentText(i) {
    const what = i.kind === 'SILENT' ? '传感器无数据 Silent sensor' : `${MEASURES[i.measure] || i.measure} 超限 out of range`;
    const peak = i.kind === 'EXCURSION' ? ` · 峰值 peak ${num(i.peak)} (限值 limit ${num(i.limit)})` : '';
    const end = i.endedAt ? ` · 结束 ended ${time(i.endedAt)}` : ' · 未结束 ongoing';
    return `${i.roomCode} / ${i.deviceCode}: ${what} · 开始 since ${time(i.startedAt)}${peak}${end}`;
  }

  async function loadEnvironment() {
    const r = await call('GET', `/api/v1/labs/${lab()}/environment`);
    if (!r) return;
    const o = r.data;
    state.overview = o;
    const alerts = $('env-alerts');
    alerts.textContent = '';
    for (const i of o.openIncidents) {
      const li = el('li', 'open', incidentText(i));
      li.dataset.kind = i.kind;
      li.dataset.device = i.deviceCode;
      alerts.append(li);
    }
    if (!o.openIncidents.length) alerts.append(el('li', null, '无报警 No open alert'));
    $('env-alert-count').textContent = String(o.openIncidents.length);
    const closed = $('env-closed');
    closed.textContent = '';
    for (const i of o.recentIncidents.slice(0, 10)) closed.append(el('li', null, incidentText(i)));
    const body = $('env-current').querySelector('tbody');
    body.textContent = '';
    for (const c of o.current) {
      const out = (c.min !== null && c.value < c.min) || (c.max !== null && c.value > c.max);
      body.append(row([c.roomCode, `${c.deviceCode} ${c.deviceName}`, MEASURES[c.measure] || c.measure, `${num(c.value)} ${c.unit}`,
        `${num(c.min)} – ${num(c.max)}`, time(c.at)], out ? 'd-bad' : null));
    }
    if (!o.current.length) body.append(row(['—', '尚无读数 No reading yet', '', '', '', '']));
    const select = $('chart-channel');
    const chosen = select.value;
    select.textContent = '';
    for (const c of o.current) {
      select.append(new Option(`${c.deviceCode} · ${MEASURES[c.measure] || c.measure}`, `${c.deviceCode}|${c.measure}`));
    }
    if ([...select.options].some((op) => op.value === chosen)) select.value = chosen;
    await loadChart();
  }

  async function loadChart() {
    const v = $('chart-channel').value;
    if (!v || !window.echarts) return;
    const [device, measure] = v.split('|');
    const r = await call('GET', `/api/v1/labs/${lab()}/environment/devices/${enc(device)}/chart?measure=${enc(measure)}&hours=6`);
    if (!r) return;
    const c = r.data;
    if (!state.envChart) state.envChart = window.echarts.init($('env-chart'));
    const limits = [];
    if (c.min !== null) limits.push({ yAxis: c.min, name: 'min' });
    if (c.max !== null) limits.push({ yAxis: c.max, name: 'max' });
    state.envChart.setOption({
      animation: false,
      grid: { left: 48, right: 16, top: 24, bottom: 32 },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: c.points.map((p) => E.hhmm(p.minute)) },
      yAxis: { type: 'value', name: c.unit, scale: true },
      series: [
        { name: '均值 mean', type: 'line', showSymbol: false, data: c.points.map((p) => Number(p.mean.toFixed(2))),
          markLine: { symbol: 'none', lineStyle: { color: '#a3001b', type: 'dashed' }, data: limits } },
        { name: '最高 max', type: 'line', showSymbol: false, lineStyle: { opacity: 0.4 }, data: c.points.map((p) => p.max) },
        { name: '最低 min', type: 'line', showSymbol: false, lineStyle: { opacity: 0.4 }, data: c.points.map((p) => p.min) },
      ],
    }, true);
  }

  // ---------------------------------------------------------------- quality control

  const QC_STATUS = { WARNING: '警告 Warning (1-2s)', REJECTED: '失控 Rejected, release held', CORRECTED: '已纠正 Corrected' };

  /** The runs QC flagged: rejections not yet corrected are the open alerts, the rest are listed below them. */
  async function loadQcAlerts() {
    const r = await call('GET', `/api/v1/labs/${lab()}/qc/runs`);
    if (!r) return;
    const list = $('qc-alerts');
    list.textContent = '';
    const open = r.data.filter((f) => f.status === 'REJECTED');
    for (const f of r.data.slice(0, 20)) {
      const li = el('li', f.status === 'REJECTED' ? 'open' : null, `${time(f.evaluatedAt)} · 批次 run ${f.runId.slice(0, 8)} · `
        + `${QC_STATUS[f.status] || f.status}${f.correctiveAction ? ` · ${f.correctiveAction} (${f.correctedBy})` : ''}`);
      li.dataset.status = f.status;
      li.dataset.run = f.runId;
      list.append(li);
    }
    if (!r.data.length) list.append(el('li', null, '无质控异常 No run flagged by QC'));
    $('qc-alert-count').textContent = String(open.length);
  }

  async function loadLots() {
    const r = await call('GET', `/api/v1/labs/${lab()}/qc/lots`);
    if (!r) return;
    const select = $('lj-lot');
    const chosen = select.value;
    select.textContent = '';
    for (const l of r.data) {
      select.append(new Option(`${l.lotNumber} · ${l.material} · L${l.level}${l.inUse ? ' · 在用 in use' : ''}`, l.lotNumber));
    }
    if (r.data.some((l) => l.lotNumber === chosen)) select.value = chosen;
    await loadLj();
  }

  async function loadLj() {
    const lot = $('lj-lot').value;
    if (!state.ljChart && window.echarts) state.ljChart = window.echarts.init($('lj-chart'));
    if (!lot) {
      $('lj-summary').textContent = '尚无质控品批号 No control lot yet';
      if (state.ljChart) window.EpiloopLeveyJennings.draw(state.ljChart, null);
      return;
    }
    const r = await call('GET', `/api/v1/labs/${lab()}/qc/chart?lot=${enc(lot)}&target=${enc($('lj-target').value)}&limit=60`);
    if (!r) return;
    $('lj-summary').textContent = window.EpiloopLeveyJennings.summary(r.data);
    if (state.ljChart) window.EpiloopLeveyJennings.draw(state.ljChart, r.data);
  }

  // ---------------------------------------------------------------- sample bank

  async function loadBank() {
    const r = await call('GET', `/api/v1/labs/${lab()}/bank`);
    if (!r) return;
    const b = r.data;
    $('bank-counts').textContent = `在库 Stored ${b.stored} (阳性 positive ${b.positives} · 可疑 inconclusive ${b.inconclusives} · `
      + `阴性抽样 negative sample ${b.negativeSamples}) · 待入库 waiting ${b.waiting} · 已销毁 disposed ${b.disposed}`;
    const waiting = $('bank-waiting');
    waiting.textContent = '';
    for (const w of b.toStore.slice(0, 20)) waiting.append(el('li', null, `${w.tubeCode} · ${REASONS[w.reason] || w.reason} · ${time(w.releasedAt)}`));
    if (!b.toStore.length) waiting.append(el('li', null, '无 None'));
    const due = $('bank-due');
    due.textContent = '';
    state.due = b.dueForDisposal.map((d) => d.tubeCode);
    for (const d of b.dueForDisposal.slice(0, 20)) {
      due.append(el('li', null, `${d.tubeCode} · ${d.freezer}/${d.rack}/${d.box}/${d.position} · 保存至 kept until ${time(d.retainUntil)}`));
    }
    if (!b.dueForDisposal.length) due.append(el('li', null, '无 None'));
    $('bank-due-count').textContent = String(b.dueForDisposal.length);
    $('bank-dispose').disabled = !state.due.length;
  }

  async function store(ev) {
    ev.preventDefault();
    const body = { tubeCode: $('bank-tube').value.trim(), freezer: $('bank-freezer').value.trim(), rack: $('bank-rack').value.trim(),
      box: $('bank-box').value.trim(), position: $('bank-position').value.trim() };
    const r = await call('POST', `/api/v1/labs/${lab()}/bank/storage`, body);
    if (!r) return;
    words.show('ok', `已入库 Stored: ${r.data.tubeCode} → ${r.data.freezer}/${r.data.rack}/${r.data.box}/${r.data.position}`);
    $('bank-tube').value = '';
    $('bank-position').value = '';
    $('bank-tube').focus();
    loadBank();
  }

  async function dispose() {
    if (!state.due.length) return;
    const r = await call('POST', `/api/v1/labs/${lab()}/bank/disposals`,
      { tubeCodes: state.due.slice(0, 1000), note: '到期销毁 Disposed of after retention' });
    if (!r) return;
    words.show('ok', `已销毁 Disposed of: ${r.data.tubeCount}`);
    loadBank();
  }

  // ---------------------------------------------------------------- bookings

  async function loadBookings() {
    const r = await call('GET', `/api/v1/labs/${lab()}/bookings`);
    if (!r) return;
    const body = $('bookings').querySelector('tbody');
    body.textContent = '';
    for (const s of r.data) {
      body.append(row([`${E.hhmm(s.startsAt)}–${E.hhmm(s.endsAt)}`, s.siteCode, s.expectedTubes, s.arrivedTubes, s.arrivedBoxes],
        s.arrivedTubes > s.expectedTubes ? 'd-bad' : null));
    }
    if (!r.data.length) body.append(row(['—', '今日无预约 No booking today', '', '', '']));
    const routing = await call('GET', '/api/v1/bookings/routing');
    const list = $('routing');
    list.textContent = '';
    if (!routing) return;
    const mine = routing.data.labs.find((l) => l.labCode === state.lab);
    if (mine) {
      list.append(el('li', mine.overloaded ? 'open' : null, `本实验室 This lab: 已收 received ${mine.receivedToday} + 预约未到 booked ${mine.stillBooked}`
        + ` / 产能 capacity ${mine.dailyCapacity} (${Math.round(mine.load * 100)}%)`));
    }
    for (const s of routing.data.suggestions.filter((x) => x.from === state.lab || !isDirector())) {
      list.append(el('li', null, `${s.from} → ${s.to} ${s.toName}: 可再收 can take ${s.freeTubes}`));
    }
  }

  // ---------------------------------------------------------------- performance

  async function loadPerformance() {
    const r = await call('GET', `/api/v1/labs/${lab()}/performance?hours=24`);
    if (!r) return;
    const p = r.data;
    const pct = (v) => (v === null || v === undefined ? '—' : (v * 100).toFixed(1) + '%');
    $('perf-figures').textContent = `已发布样本 Released samples ${p.samples} · 复检率 Rerun rate ${pct(p.rerunRate)} · `
      + `对照失败 Control failures ${p.runsControlsFailed}/${p.runs} (${pct(p.controlFailureRate)}) · `
      + `人均每小时检测 Tests per technician-hour ${num(p.testsPerTechnicianHour)}`;
    const body = $('perf-stages').querySelector('tbody');
    body.textContent = '';
    for (const s of p.stages) {
      body.append(row([STAGES[s.stage] || s.stage, s.samples, s.medianMinutes === null ? '—' : `${num(s.medianMinutes, 0)} min`,
        s.p90Minutes === null ? '—' : `${num(s.p90Minutes, 0)} min`]));
    }
    if (!window.echarts) return;
    if (!state.heatChart) state.heatChart = window.echarts.init($('perf-heat'));
    const stages = ['TRANSPORT', 'WAITING', 'TESTING', 'REVIEW'];
    const data = p.heatMap.map((c) => [c.hour, stages.indexOf(c.stage), Math.round(c.medianMinutes)]);
    const max = Math.max(10, ...data.map((d) => d[2]));
    state.heatChart.setOption({
      animation: false,
      grid: { left: 150, right: 16, top: 10, bottom: 70 },
      tooltip: { formatter: (x) => `${x.value[0]}:00 · ${STAGES[stages[x.value[1]]]} · ${x.value[2]} min` },
      xAxis: { type: 'category', data: [...Array(24).keys()].map((h) => String(h).padStart(2, '0')), name: '时 h' },
      yAxis: { type: 'category', data: stages.map((s) => STAGES[s]) },
      visualMap: { min: 0, max, calculable: true, orient: 'horizontal', left: 'center', bottom: 0,
        inRange: { color: ['#e8f4ea', '#f5c242', '#a3001b'] } },
      series: [{ type: 'heatmap', data, label: { show: true, fontSize: 10 } }],
    }, true);
  }

  // ---------------------------------------------------------------- the page

  function refresh() {
    if (!state.lab) return;
    $('lab-code').textContent = state.lab;
    $('quality-link').href = `/lab/quality?lab=${lab()}`;
    loadEnvironment();
    loadQcAlerts();
    loadLots();
    loadBank();
    loadBookings();
    loadPerformance();
  }

  async function chooseLabs() {
    const r = await call('GET', '/api/v1/labs');
    if (!r) return;
    const select = $('lab-select');
    select.textContent = '';
    for (const l of r.data) select.append(new Option(`${l.code} ${l.name}`, l.code));
    state.lab = select.value || null;
    refresh();
  }

  function start() {
    const s = state.session;
    $('user').textContent = s.username;
    for (const f of document.querySelectorAll('.director-only')) f.hidden = !isDirector();
    $('lab-choice').hidden = isDirector();
    setLoggedIn(true);
    clearInterval(state.timer);
    state.timer = setInterval(refresh, REFRESH_MS);
    if (isDirector()) {
      state.lab = s.labCode;
      refresh();
    } else {
      chooseLabs();
    }
  }

  function init() {
    session.login({
      accept: (d) => (ROLES.includes(d.role) && (d.role !== 'LAB_DIRECTOR' || d.labCode) ? null : 'NOT_DIRECTOR'),
      onSession: (s) => { state.session = s; start(); },
    });
    $('logout').addEventListener('click', session.logout);
    $('refresh').addEventListener('click', refresh);
    $('chart-channel').addEventListener('change', loadChart);
    $('lj-lot').addEventListener('change', loadLj);
    $('lj-target').addEventListener('change', loadLj);
    $('lab-select').addEventListener('change', () => { state.lab = $('lab-select').value; refresh(); });
    $('bank-form').addEventListener('submit', store);
    $('bank-dispose').addEventListener('click', dispose);
    window.addEventListener('resize', () => {
      if (state.envChart) state.envChart.resize();
      if (state.heatChart) state.heatChart.resize();
      if (state.ljChart) state.ljChart.resize();
    });
    state.session = SESSION.load();
    if (state.session) start(); else setLoggedIn(false);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init); else init();
})();
