/*
 * Lab quality (templates/quality.html). Plain ES2020 on top of common.js, no build step.
 *
 * Why it is shaped this way:
 * - One page for what a lab keeps about its own quality: the Levey–Jennings chart of the chosen
 *   control lot and target (ECharts from the WebJar, as the command page loads it), the runs QC
 *   flagged, reagent stock and instruments. Technicians and reviewers read it; the director also
 *   gets the forms (the server checks the role again).
 * - The chart draws what the server says: each point's broken rules come with the point, so the
 *   page never re-implements a Westgard rule.
 */
'use strict';

(() => {
  const E = window.Epiloop;
  const { $, el, enc } = E;
  const SESSION = E.sessionStore('epiloop.quality.session');
  const ROLES = ['LAB_TECH', 'LAB_REVIEWER', 'LAB_DIRECTOR'];
  /** City-wide readers: they choose a lab from the list and only read (the server allows them no form). */
  const READERS = ['OFFICIAL', 'ADMIN'];

  const words = E.feedback({
    NOT_LAB_STAFF: ['不是实验室账号', 'This page is for lab staff, officials and administrators.'],
  });
  const api = E.client(() => state.session && state.session.accessToken);
  const state = { session: null, lots: [], chart: null, lab: null, form: null };

  /**
   * The inputs of each form by the API's field names: a refused form shows the problem's words
   * (Chinese first) right under the field the server named, besides the page's message box, so
   * the director sees at once which box to fix — on a phone the message box is far above.
   */
  const FORM_FIELDS = {
    'reagent-form': { item: 'r-item', kind: 'r-kind', lotNumber: 'r-lot', expiresOn: 'r-expires', quantity: 'r-quantity', lowAt: 'r-low' },
    'stock-form': { lotNumber: 's-lot', kind: 's-kind', quantity: 's-quantity', reason: 's-reason' },
    'instrument-form': { code: 'i-code', kind: 'i-kind', name: 'i-name', calibrationDue: 'i-calibration', maintenanceDue: 'i-maintenance' },
  };
  const shownProblem = words.problem;
  words.problem = (p, prefix) => {
    shownProblem(p, prefix);
    markField(p);
  };

  function clearFieldErrors(formId) {
    const form = $(formId);
    if (!form) return;
    for (const e of form.querySelectorAll('.field-error')) e.remove();
    for (const i of form.querySelectorAll('[aria-invalid]')) {
      i.removeAttribute('aria-invalid');
      i.removeAttribute('aria-describedby');
    }
  }

  function markField(p) {
    const fields = state.form && FORM_FIELDS[state.form];
    const id = fields && p.field && fields[p.field];
    if (!id) return;
    const input = $(id);
    // the short Chinese words under the field (they fit its width); the message box above has them in full, with the English
    const known = words.words(p.code);
    const note = el('p', 'field-error', known ? known[0] : p.detail);
    note.title = words.text(p.code, p.detail);
    note.id = id + '-error';
    note.dataset.code = p.code;
    note.setAttribute('role', 'alert');
    input.setAttribute('aria-invalid', 'true');
    input.setAttribute('aria-describedby', note.id);
    input.after(note);
    input.focus();
  }

  /** Starts a form's request: its old field errors go, and a refusal is shown under this form's fields. */
  function submitting(formId) {
    clearFieldErrors(formId);
    state.form = formId;
  }
  const session = E.staffSession({ api, words, store: SESSION, state, panel: 'quality-panel' });
  const { call, setLoggedIn } = session;

  const KINDS = {
    PCR_CYCLER: '扩增仪 PCR cycler', EXTRACTOR: '提取仪 Extractor', BIOSAFETY_CABINET: '生物安全柜 Biosafety cabinet',
    CENTRIFUGE: '离心机 Centrifuge', FREEZER: '冰箱 Freezer',
  };
  const STATUS = { WARNING: '警告 Warning', REJECTED: '失控 Rejected', CORRECTED: '已纠正 Corrected', PASS: '在控 In control' };

  function lab() {
    return enc(state.lab);
  }

  // ---------------------------------------------------------------- Levey–Jennings

  async function loadLots() {
    const r = await call('GET', `/api/v1/labs/${lab()}/qc/lots`);
    if (!r) return;
    state.lots = r.data;
    const select = $('lj-lot');
    const chosen = select.value;
    select.textContent = '';
    for (const l of r.data) {
      select.append(new Option(`${l.lotNumber} · ${l.material} · L${l.level}${l.inUse ? ' · 在用 in use' : ''}`, l.lotNumber));
    }
    if (r.data.some((l) => l.lotNumber === chosen)) select.value = chosen;
    await loadChart();
  }

  async function loadChart() {
    const lot = $('lj-lot').value;
    const target = $('lj-target').value;
    // no lot, no chart: an empty frame the height of the screen only pushed the stock and forms out of sight
    $('lj-chart').hidden = !lot;
    if (!lot) {
      $('lj-summary').textContent = '尚无质控品批号 No control lot yet' + (isDirector() ? ' — add one below.' : '.');
      return;
    }
    const r = await call('GET', `/api/v1/labs/${lab()}/qc/chart?lot=${enc(lot)}&target=${enc(target)}&limit=60`);
    if (!r) return;
    const c = r.data;
    $('lj-summary').textContent = window.EpiloopLeveyJennings.summary(c);
    draw(c);
  }

  /** Draws the chart (js/lj-chart.js, shared with the director's page). */
  function draw(c) {
    if (!window.echarts) return;
    if (!state.chart) state.chart = window.echarts.init($('lj-chart'), null, { renderer: 'canvas' });
    state.chart.resize(); // it may have been drawn while hidden (no lot yet), at no size
    window.EpiloopLeveyJennings.draw(state.chart, c);
  }

  // ---------------------------------------------------------------- flagged runs, reagents, instruments

  function row(cells, cls) {
    const tr = el('tr', cls || null);
    for (const c of cells) {
      const td = el('td', typeof c === 'number' ? 'num' : null);
      td.textContent = c == null ? '—' : String(c);
      tr.append(td);
    }
    return tr;
  }

  async function loadFlagged() {
    const r = await call('GET', `/api/v1/labs/${lab()}/qc/runs`);
    if (!r) return;
    const body = $('flagged').tBodies[0];
    body.textContent = '';
    for (const f of r.data) {
      body.append(row([E.when(f.evaluatedAt), f.runId.slice(0, 8), STATUS[f.status] || f.status,
        f.correctiveAction ? `${f.correctiveAction} (${f.correctedBy})` : null],
      f.status === 'REJECTED' ? 'q-bad' : f.status === 'WARNING' ? 'q-warn' : null));
    }
    $('flagged-count').textContent = String(r.data.length);
  }

  async function loadReagents() {
    const r = await call('GET', `/api/v1/labs/${lab()}/reagent-lots`);
    if (!r) return;
    const body = $('reagents').tBodies[0];
    body.textContent = '';
    for (const l of r.data) {
      const alerts = [l.expired ? '已过期 expired' : l.nearExpiry ? '临近过期 expires soon' : null, l.low ? '库存不足 low stock' : null]
        .filter(Boolean).join(' · ');
      const tr = row([`${l.item} (${l.kind === 'KIT' ? '试剂盒 kit' : '耗材 consumable'})`, l.lotNumber, l.expiresOn,
        l.remaining + ' / ' + l.received, l.dailyUse, l.daysLeft, alerts || null],
      l.expired || l.low ? 'q-bad' : l.nearExpiry ? 'q-warn' : null);
      tr.dataset.lot = l.lotNumber;
      body.append(tr);
    }
    const select = $('s-lot');
    const chosen = select.value;
    select.textContent = '';
    for (const l of r.data) select.append(new Option(`${l.lotNumber} · ${l.item} · 剩余 left ${l.remaining}`, l.lotNumber));
    if (r.data.some((l) => l.lotNumber === chosen)) select.value = chosen;
    if (isDirector()) loadMovements();
  }

  const MOVES = { RESTOCK: '入库 Restock', CONSUMED: '领用 Used', WRITTEN_OFF: '报损 Written off' };

  async function loadMovements() {
    const lot = $('s-lot').value;
    const list = $('stock-movements');
    list.textContent = '';
    if (!lot) return;
    const r = await call('GET', `/api/v1/labs/${lab()}/reagent-lots/${enc(lot)}/movements`);
    if (!r) return;
    for (const m of r.data.slice(0, 10)) {
      const li = el('li', null, `${E.when(m.movedAt)} · ${lot} · ${MOVES[m.kind] || m.kind} ${m.kind === 'RESTOCK' ? '+' : '−'}${m.quantity}`
        + ` → ${m.remainingAfter} · ${m.movedBy}${m.reason ? ' · ' + m.reason : ''}`);
      li.dataset.kind = m.kind;
      list.append(li);
    }
  }

  async function moveStock(ev) {
    ev.preventDefault();
    const lot = $('s-lot').value;
    if (!lot) return;
    submitting('stock-form');
    const r = await call('POST', `/api/v1/labs/${lab()}/reagent-lots/${enc(lot)}/movements`,
      { kind: $('s-kind').value, quantity: num('s-quantity'), reason: str('s-reason') });
    if (!r) return;
    $('s-quantity').value = '';
    $('s-reason').value = '';
    words.show('ok', `✓ ${MOVES[$('s-kind').value]} · ${r.data.lotNumber} · 剩余 left ${r.data.remaining}`, { code: 'ADDED' });
    loadReagents();
  }

  async function loadInstruments() {
    const r = await call('GET', `/api/v1/labs/${lab()}/instruments`);
    if (!r) return;
    const body = $('instruments').tBodies[0];
    body.textContent = '';
    for (const i of r.data) {
      const due = (d, overdue, soon) => d + (overdue ? ' ⚠ 已过期 overdue' : soon ? ' · 即将到期 soon' : '');
      body.append(row([i.code, KINDS[i.kind] || i.kind, i.name, due(i.calibrationDue, i.calibrationOverdue, i.calibrationSoon),
        due(i.maintenanceDue, i.maintenanceOverdue, i.maintenanceSoon)],
      i.calibrationOverdue || i.maintenanceOverdue ? 'q-bad' : i.calibrationSoon || i.maintenanceSoon ? 'q-warn' : null));
    }
  }

  function refresh() {
    if (!state.lab) return Promise.resolve();
    return Promise.all([loadLots(), loadFlagged(), loadReagents(), loadInstruments()]);
  }

  // ---------------------------------------------------------------- the director's forms

  function isDirector() {
    return state.session && state.session.role === 'LAB_DIRECTOR';
  }

  const num = (id) => ($(id).value === '' ? null : Number($(id).value));
  const str = (id) => $(id).value.trim() || null;

  async function addReagent(ev) {
    ev.preventDefault();
    submitting('reagent-form');
    const r = await call('POST', `/api/v1/labs/${lab()}/reagent-lots`, {
      item: str('r-item'), kind: $('r-kind').value, lotNumber: str('r-lot'), expiresOn: str('r-expires'),
      quantity: num('r-quantity'), lowAt: num('r-low'),
    });
    if (!r) return;
    $('reagent-form').reset();
    words.show('ok', `✓ 已登记 Added ${r.data.item} · ${r.data.lotNumber}`, { code: 'ADDED' });
    loadReagents();
  }

  async function addInstrument(ev) {
    ev.preventDefault();
    submitting('instrument-form');
    const r = await call('POST', `/api/v1/labs/${lab()}/instruments`, {
      code: str('i-code'), kind: $('i-kind').value, name: str('i-name'), calibrationDue: str('i-calibration'), maintenanceDue: str('i-maintenance'),
    });
    if (!r) return;
    $('instrument-form').reset();
    words.show('ok', `✓ 已登记 Registered ${r.data.code} · ${r.data.name}`, { code: 'ADDED' });
    loadInstruments();
  }

  async function addControlLot(ev) {
    ev.preventDefault();
    const targets = [['ORF1ab', 'q-orf'], ['N', 'q-n'], ['IC', 'q-ic']]
      .filter(([, id]) => $(id + '-mean').value !== '' || $(id + '-sd').value !== '')
      .map(([target, id]) => ({ target, mean: num(id + '-mean'), sd: num(id + '-sd') }));
    const r = await call('POST', `/api/v1/labs/${lab()}/qc/lots`, {
      material: str('q-material'), level: Number($('q-level').value), lotNumber: str('q-lot'), expiresOn: str('q-expires'), targets,
    });
    if (!r) return;
    $('qc-lot-form').reset();
    words.show('ok', `✓ 已登记 Added control lot ${r.data.lotNumber} (L${r.data.level})`, { code: 'ADDED' });
    $('lj-lot').value = r.data.lotNumber;
    loadLots();
  }

  // ---------------------------------------------------------------- session

  function start() {
    const s = state.session;
    $('user').textContent = s.username;
    for (const f of document.querySelectorAll('.director-only')) f.hidden = !isDirector();
    const cityWide = READERS.includes(s.role);
    $('lab-choice').hidden = !cityWide;
    setLoggedIn(true);
    if (cityWide) {
      chooseLab();
    } else {
      state.lab = s.labCode;
      $('lab-code').textContent = state.lab;
      refresh();
    }
  }

  /** Officials and administrators: every lab in a list, the one the link named (?lab=) chosen first. */
  async function chooseLab() {
    const r = await call('GET', '/api/v1/labs');
    if (!r) return;
    const select = $('lab-select');
    select.textContent = '';
    for (const l of r.data) select.append(new Option(`${l.code} ${l.name}`, l.code));
    const wanted = new URLSearchParams(window.location.search).get('lab');
    if (wanted && r.data.some((l) => l.code === wanted)) select.value = wanted;
    state.lab = select.value || null;
    $('lab-code').textContent = state.lab || '';
    $('lj-lot').textContent = '';
    if (state.lab) refresh();
  }

  /**
   * The login of the bench or the director's page in this tab, when it may read this page: a
   * person who follows the link from there is not asked to log in again (same token, same API).
   */
  function adopt() {
    for (const key of ['epiloop.lab.session', 'epiloop.director.session']) {
      let s = null;
      try { s = JSON.parse(sessionStorage.getItem(key)); } catch (e) { s = null; }
      if (s && s.accessToken && (READERS.includes(s.role) || (ROLES.includes(s.role) && s.labCode))) {
        SESSION.save(s);
        return s;
      }
    }
    return null;
  }

  function init() {
    session.login({
      accept: (d) => ((ROLES.includes(d.role) && d.labCode) || READERS.includes(d.role) ? null : 'NOT_LAB_STAFF'),
      onSession: (s) => { state.session = s; start(); },
    });
    $('logout').addEventListener('click', session.logout);
    $('lj-lot').addEventListener('change', loadChart);
    $('lj-target').addEventListener('change', loadChart);
    $('refresh').addEventListener('click', refresh);
    $('lab-select').addEventListener('change', () => {
      state.lab = $('lab-select').value;
      $('lab-code').textContent = state.lab;
      $('lj-lot').textContent = '';
      refresh();
    });
    $('reagent-form').addEventListener('submit', addReagent);
    // a scanned lot barcode ends with Enter: it goes on to the expiry date instead of sending a half-filled form
    $('r-lot').addEventListener('keydown', (ev) => {
      if (ev.key !== 'Enter') return;
      ev.preventDefault();
      $('r-expires').focus();
    });
    for (const formId of Object.keys(FORM_FIELDS)) {
      $(formId).addEventListener('input', (ev) => {
        const note = ev.target.id && $(ev.target.id + '-error');
        if (note) note.remove();
        ev.target.removeAttribute('aria-invalid');
      });
    }
    $('instrument-form').addEventListener('submit', addInstrument);
    $('stock-form').addEventListener('submit', moveStock);
    $('s-lot').addEventListener('change', loadMovements);
    $('qc-lot-form').addEventListener('submit', addControlLot);
    window.addEventListener('resize', () => state.chart && state.chart.resize());
    state.session = SESSION.load() || adopt();
    if (state.session) start(); else setLoggedIn(false);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init); else init();
})();
