/*
 * The collector station (templates/station.html). Plain ES2020, no build step, no inline
 * script (the Content-Security-Policy is script-src 'self').
 *
 * Why it is shaped this way:
 * - A keyboard-wedge scanner "types" into whatever has focus and presses Enter, so exactly one
 *   field (the tube field, then the scan field) is kept focused after every action, blur and
 *   stray tap; buttons never keep focus, or a scanned Enter would press them.
 * - Every binding scan goes through a queue persisted in localStorage, each with its own
 *   Idempotency-Key made once per scan. On a network error or 502/503/504 the scan stays at
 *   the head of the queue and is retried every few seconds in order; the server answers a
 *   repeated key with the first response, so a retry never binds twice.
 * - The bearer token lives in sessionStorage (gone with the tab); the queue outlives the tab
 *   and is tagged with the user, so it is sent after that collector logs in again.
 * - The session store, the HTTP client, the words for codes, the feedback box and beep, keeping
 *   the scanner's field focused and the login form are common.js's (window.Epiloop), as on every
 *   other page; this file keeps only what a station does.
 */
'use strict';

(() => {
  const E = window.Epiloop;
  const SESSION = E.sessionStore('epiloop.station.session');
  const TUBE_KEY = 'epiloop.station.tube';
  const QUEUE_KEY = 'epiloop.station.queue';
  const CAPACITY_KEY = 'epiloop.station.capacity';
  const RETRY_MS = 3000;
  const TUBE_CODE = /^[A-Za-z0-9][A-Za-z0-9-]{3,31}$/;

  /** Plain words for the API's problem codes: [中文, English]. */
  const MESSAGES = {
    INVALID_ID_NUMBER: ['证件号码不正确', 'The ID number is not valid. Check the card and scan again, or type it in by hand.'],
    TUBE_NOT_FOUND: ['没有这支试管', 'This tube has not been opened. Scan it as a new tube first.'],
    TUBE_SEALED: ['试管已封', 'This tube is sealed. Scan a new tube.'],
    ALREADY_IN_TUBE: ['此人已在本管', 'This person is already in this tube. Nothing was added.'],
    SAMPLED_IN_ROUND: ['12小时内已采样', 'This person was sampled in the last 12 hours. Sample again only if you are told to.'],
    APPOINTMENT_NOT_FOUND: ['预约码无效或已过期', 'The appointment code is not valid or has expired. Scan the ID card instead.'],
    NAME_MISMATCH: ['姓名与证件不符', 'The name does not match the one registered for this ID. Check the card.'],
    OUT_OF_SCOPE: ['无权操作', 'This tube belongs to another site. Use a tube of your own site.'],
    TUBE_EXISTS: ['试管已被使用', 'This tube was already used. Take a new tube.'],
    INVALID_TUBE_CODE: ['试管条码无效', 'That is not a tube barcode (4–32 letters, digits or "-").'],
    INVALID_CAPACITY: ['人数无效', 'Choose 1, 5, 10 or 20 people per tube.'],
    TUBE_EMPTY: ['空管不能封', 'Nobody is in this tube yet, so there is nothing to seal.'],
    BINDING_NOT_FOUND: ['记录已移除', 'This person was already removed from the tube.'],
    INVALID_REASON: ['原因太长', 'Keep the reason under 200 characters.'],
    FIELD_REQUIRED: ['缺少必填项', 'Something required is missing.'],
    BAD_CREDENTIALS: ['用户名或密码错误', 'Wrong username or password.'],
    UNAUTHORIZED: ['登录已过期', 'Please log in again. Waiting scans are kept.'],
    FORBIDDEN: ['无权操作', 'Your account may not do this.'],
    IDEMPOTENCY_KEY_REUSED: ['扫描编号冲突', 'This scan clashed with an earlier one. Scan the person again.'],
    NOT_COLLECTOR: ['不是采样员账号', 'This page is for collectors. Log in with a collector account.'],
    UNRECOGNISED_SCAN: ['无法识别', 'Not an ID card or appointment code. Scan again, or type the ID by hand.'],
    NUMBER_WITHOUT_NAME: ['只读到号码', 'Only a number was read. Type the name in the form below.'],
    NOT_A_TUBE: ['请先扫描试管', 'That was a person, not a tube. Scan the tube barcode first.'],
    TUBE_FULL_PENDING: ['本管已满', 'The tube is full once the waiting scans are sent. Scan the next tube.'],
    WAIT_FOR_QUEUE: ['请等待网络', 'Scans for this tube are still waiting for the network. Seal it when they are sent.'],
    NETWORK: ['网络不通', 'No network. Try again in a moment.'],
    REASON_REQUIRED: ['请填写原因', 'Give a reason for removing this person.'],
    PERSON_RECALLED: ['复检 RECALL', 'This person must be retested in a single tube. Scan a NEW tube: it opens for 1 person and they go in.'],
  };

  const { $, enc, problem, local, NetworkError } = E;
  const words = E.feedback(MESSAGES);

  const state = {
    session: null, // {accessToken, role, siteCode, username}
    mode: 'login', // 'login' | 'tube' | 'scan'
    tube: null, // {tubeCode, capacity, count, status, members: [{bindingId, position, nameMasked, idMasked}]}
    lastPerson: null,
    capacity: 10,
    pumping: false,
    retryTimer: null,
    offline: false,
    repeat: null, // the scan refused with SAMPLED_IN_ROUND: {tubeCode, body, label}
    unbinding: null, // the member being removed
    sealArmed: null, // timer while "Seal now" waits for its second tap
    recall: null, // a recalled person waiting for their single tube: {body, label, back (the pooled tube), tube}
  };

  // ---------------------------------------------------------------- HTTP

  const call = E.client(() => state.session && state.session.accessToken);

  /** A JSON call to the API; throws NetworkError when the request may not have arrived. */
  function api(method, path, body, headers) {
    return call(method, path, body, { headers });
  }

  const newKey = E.newKey;

  /** Masks a name like the server does (张*三), so waiting scans show no personal data. */
  function maskName(name) {
    const cps = Array.from((name || '').trim());
    if (cps.length <= 1) return cps.length ? '*' : '';
    if (cps.length === 2) return cps[0] + '*';
    return cps[0] + '*'.repeat(cps.length - 2) + cps[cps.length - 1];
  }

  // ---------------------------------------------------------------- feedback

  /** Shows one message. kind: ok | error | warn | info; code: a key of MESSAGES or a server code. */
  function show(kind, text, opts) {
    const o = opts || {};
    words.show(kind, text, o);
    $('repeat').hidden = !o.repeat;
  }

  /** Shows a problem from the API (or a local one) in plain words. */
  function showProblem(p, prefix, opts) {
    const text = (prefix ? prefix + ' — ' : '') + words.text(p.code, p.detail || p.code);
    show('error', text, Object.assign({ code: p.code, field: p.field }, opts || {}));
  }

  // ---------------------------------------------------------------- focus

  function primaryInput() {
    if (state.mode === 'login' || state.mode === 'recalls') return null;
    if (state.mode === 'box') return $('box-scan');
    if (!$('unbind-panel').hidden) return $('unbind-reason');
    return state.mode === 'scan' ? $('scan') : $('tube-code');
  }

  /**
   * Puts the cursor back where the scanner types (common.js keeps it there after a blur or a
   * stray tap). keepScroll: when only guarding focus, do not scroll under the collector's finger.
   */
  const refocus = E.keepFocus(primaryInput);

  // ---------------------------------------------------------------- session

  function logout() {
    const waiting = myQueue().length;
    // the server revokes the token too (best effort: it expires anyway)
    E.revoke(state.session && state.session.accessToken);
    state.session = null;
    state.tube = null;
    state.repeat = null;
    SESSION.clear();
    sessionStorage.removeItem(TUBE_KEY);
    $('message').hidden = true;
    setMode('login');
    if (waiting) {
      const err = $('login-error');
      err.textContent = `${waiting} 条扫描仍在等待网络，重新登录后会继续发送。${waiting} scan(s) still wait for the network; they are sent after you log in again.`;
      err.hidden = false;
    }
  }

  /** Token expired or revoked: back to the login form, keeping the queue and the tube. */
  function sessionExpired() {
    state.session = null;
    SESSION.clear();
    setMode('login');
    const err = $('login-error');
    err.textContent = MESSAGES.UNAUTHORIZED.join('。');
    err.hidden = false;
  }

  /** After login (or a reload with a live session): resume the tube of this tab, if any. */
  async function start() {
    $('site').textContent = state.session.siteCode;
    $('user').textContent = state.session.username;
    const code = sessionStorage.getItem(TUBE_KEY);
    setMode('tube');
    if (code) await resume(code, true);
    renderQueue();
    pump();
  }

  // ---------------------------------------------------------------- modes and rendering

  function setMode(mode) {
    state.mode = mode;
    const loggedIn = mode !== 'login';
    $('login-panel').hidden = loggedIn;
    $('station-panel').hidden = !loggedIn;
    $('who').hidden = !loggedIn;
    $('logout').hidden = !loggedIn;
    const sampling = mode === 'tube' || mode === 'scan';
    $('sample-panel').hidden = !sampling;
    $('box-panel').hidden = mode !== 'box';
    $('recalls-panel').hidden = mode !== 'recalls';
    for (const [tab, on] of [['sample', sampling], ['box', mode === 'box'], ['recalls', mode === 'recalls']]) {
      $('tab-' + tab).setAttribute('aria-selected', String(on));
    }
    $('recall-banner').hidden = !state.recall || !sampling;
    // while a recalled person waits for their tube, the next tube is a single one: no choice to make
    $('tube-mode').classList.toggle('recalling', !!state.recall);
    $('tube-mode').hidden = mode !== 'tube';
    $('scan-mode').hidden = mode !== 'scan';
    $('manual').hidden = mode !== 'scan';
    if (mode !== 'scan') $('manual').open = false;
    closeUnbind();
    document.body.dataset.mode = mode;
    // the box and recall views (station-box.js) load what they show when they appear
    document.dispatchEvent(new CustomEvent('station:mode', { detail: { mode } }));
    if (mode === 'tube') loadOpenTubes();
    if (mode === 'login') {
      $('username').focus();
    } else {
      renderTube();
      refocus();
    }
  }

  function pendingFor(tubeCode) {
    return myQueue().filter((i) => i.tubeCode === tubeCode);
  }

  function renderTube() {
    const t = state.tube;
    const card = $('tube-card');
    card.hidden = !t;
    if (!t) return;
    card.dataset.status = t.status;
    $('tube-label').textContent = t.tubeCode;
    const status = $('tube-status');
    status.textContent = t.status === 'SEALED' ? 'SEALED 已封管' : 'OPEN 采样中';
    status.className = 'badge ' + (t.status === 'SEALED' ? 'badge-sealed' : 'badge-open');
    $('progress').textContent = `${t.count} / ${t.capacity}`;
    const pending = pendingFor(t.tubeCode).length;
    $('pending').hidden = pending === 0;
    $('pending').textContent = `+${pending} 等待网络 waiting for network`;
    const lp = $('last-person');
    lp.textContent = '';
    if (state.lastPerson) {
      const name = document.createElement('span');
      name.className = 'name';
      name.textContent = state.lastPerson.nameMasked;
      const id = document.createElement('span');
      id.className = 'id';
      id.textContent = state.lastPerson.idMasked || '';
      lp.append(name, id);
    }
    $('seal').hidden = t.status !== 'OPEN';
    $('change-tube').hidden = t.status !== 'OPEN' || state.mode !== 'scan';
    disarmSeal();
    renderMembers();
  }

  function renderMembers() {
    const list = $('members');
    list.textContent = '';
    const t = state.tube;
    if (!t) return;
    const members = t.members.slice().sort((a, b) => a.position - b.position);
    for (const m of members) {
      const li = document.createElement('li');
      li.dataset.bindingId = m.bindingId;
      li.dataset.position = String(m.position);
      const pos = document.createElement('span');
      pos.className = 'pos';
      pos.textContent = String(m.position);
      const who = document.createElement('span');
      who.className = 'who';
      const name = document.createElement('span');
      name.className = 'name';
      name.textContent = m.nameMasked;
      const id = document.createElement('span');
      id.className = 'id';
      id.textContent = m.idMasked || '';
      who.append(name, id);
      li.append(pos, who);
      if (t.status === 'OPEN') {
        const rm = document.createElement('button');
        rm.type = 'button';
        rm.className = 'btn btn-small btn-quiet remove';
        rm.textContent = '✕ 移除';
        rm.setAttribute('aria-label', `Remove ${m.nameMasked}`);
        rm.addEventListener('click', () => openUnbind(m));
        li.append(rm);
      }
      list.append(li);
    }
    for (const item of pendingFor(t.tubeCode)) {
      const li = document.createElement('li');
      li.className = 'waiting';
      const pos = document.createElement('span');
      pos.className = 'pos';
      pos.textContent = '…';
      const who = document.createElement('span');
      who.className = 'who';
      who.textContent = `${item.label} · 等待网络 waiting`;
      li.append(pos, who);
      list.append(li);
    }
  }

  function renderQueue() {
    const n = myQueue().length;
    const q = $('queue');
    q.dataset.count = String(n);
    q.hidden = !(state.offline && n > 0);
    q.textContent = `${n} 条扫描等待网络 · ${n} scan${n === 1 ? '' : 's'} waiting for network — 每 ${RETRY_MS / 1000} 秒重试 retrying every ${RETRY_MS / 1000} s`;
    if (state.tube) {
      const pending = pendingFor(state.tube.tubeCode).length;
      $('pending').hidden = pending === 0;
      $('pending').textContent = `+${pending} 等待网络 waiting for network`;
      renderMembers();
    }
  }

  // ---------------------------------------------------------------- tubes

  function setCapacity(c) {
    state.capacity = c;
    $('capacity').dataset.value = String(c);
    for (const b of document.querySelectorAll('#capacity .cap')) {
      b.setAttribute('aria-pressed', String(Number(b.dataset.capacity) === c));
    }
    try { localStorage.setItem(CAPACITY_KEY, String(c)); } catch (e) { /* private mode */ }
  }

  function tubeFromView(v) {
    return {
      tubeCode: v.tubeCode, capacity: v.capacity, count: v.count, status: v.status,
      members: (v.bindings || []).map((b) => ({ bindingId: b.bindingId, position: b.position, nameMasked: b.nameMasked, idMasked: b.idMasked })),
    };
  }

  function useTube(t) {
    state.tube = t;
    state.lastPerson = null;
    state.repeat = null;
    if (t.status === 'OPEN') {
      sessionStorage.setItem(TUBE_KEY, t.tubeCode);
      setMode('scan');
    } else {
      sessionStorage.removeItem(TUBE_KEY);
      setMode('tube');
    }
  }

  async function openTube(ev) {
    ev.preventDefault();
    const input = $('tube-code');
    const code = input.value.trim();
    input.value = '';
    if (!code) { refocus(); return; }
    if (parseScan(code)) { showProblem(local('NOT_A_TUBE')); refocus(); return; }
    if (!TUBE_CODE.test(code)) { showProblem(local('INVALID_TUBE_CODE', 'tubeCode')); refocus(); return; }
    try {
      const recall = state.recall;
      const r = await api('POST', '/api/v1/tubes', { tubeCode: code, capacity: recall ? 1 : state.capacity });
      if (r.status === 401) { sessionExpired(); return; }
      if (r.ok && recall) {
        recall.tube = r.data.tubeCode;
        useTube({ tubeCode: r.data.tubeCode, capacity: r.data.capacity, count: r.data.count, status: r.data.status, members: [] });
        // the retest is expected: the repeat within 12 hours is confirmed
        enqueue(r.data.tubeCode, Object.assign({}, recall.body, { confirmRepeat: true }), recall.label);
        show('warn', `RECALL 复检：${recall.label} → 单管 ${r.data.tubeCode}…`, { code: 'RECALL_TUBE', beep: false });
        return;
      }
      if (r.ok) {
        useTube({ tubeCode: r.data.tubeCode, capacity: r.data.capacity, count: r.data.count, status: r.data.status, members: [] });
        show('ok', `已开管 ${r.data.tubeCode}（${r.data.capacity} 人）。请扫描身份证。Tube ${r.data.tubeCode} opened for ${r.data.capacity}. Scan ID cards.`);
        return;
      }
      const p = problem(r);
      if (p.code === 'TUBE_EXISTS' && !recall && await resume(code, true)) {
        show('info', `试管 ${code} 已开，继续采样。Tube ${code} was already open here — continuing it.`);
        return;
      }
      showProblem(p, code);
    } catch (e) {
      if (!(e instanceof NetworkError)) throw e;
      showProblem(local('NETWORK'), code);
    }
    refocus();
  }

  /** Loads a tube and, if it is open, makes it the current one. False when it could not be resumed. */
  async function resume(code, quiet) {
    try {
      const r = await api('GET', `/api/v1/tubes/${enc(code)}`);
      if (r.status === 401) { sessionExpired(); return false; }
      if (!r.ok) {
        if (!quiet) showProblem(problem(r), code);
        return false;
      }
      const t = tubeFromView(r.data);
      if (t.status !== 'OPEN') {
        if (!quiet) showProblem(local('TUBE_SEALED'), code);
        return false;
      }
      useTube(t);
      if (!quiet) show('info', `继续试管 ${code}：${t.count} / ${t.capacity}。Continuing tube ${code}.`);
      return true;
    } catch (e) {
      if (!(e instanceof NetworkError)) throw e;
      if (!quiet) showProblem(local('NETWORK'), code);
      return false;
    }
  }

  async function loadOpenTubes() {
    if (!state.session) return;
    const list = $('open-tubes');
    try {
      const r = await api('GET', '/api/v1/tubes');
      if (r.status === 401) { sessionExpired(); return; }
      if (!r.ok) return;
      list.textContent = '';
      if (!r.data.length) {
        const li = document.createElement('li');
        li.className = 'empty';
        li.textContent = '暂无未封试管 No open tubes';
        list.append(li);
      }
      for (const t of r.data) {
        const li = document.createElement('li');
        const b = document.createElement('button');
        b.type = 'button';
        b.className = 'btn tube-button';
        b.dataset.code = t.tubeCode;
        const code = document.createElement('strong');
        code.textContent = t.tubeCode;
        const count = document.createElement('span');
        count.textContent = `${t.count} / ${t.capacity}`;
        const when = document.createElement('small');
        when.textContent = t.openedAt ? E.hhmm(t.openedAt) : '';
        b.append(code, count, when);
        b.addEventListener('click', () => resume(t.tubeCode, false));
        li.append(b);
        list.append(li);
      }
    } catch (e) {
      if (!(e instanceof NetworkError)) throw e;
    }
  }

  function disarmSeal() {
    if (state.sealArmed) clearTimeout(state.sealArmed);
    state.sealArmed = null;
    $('seal').textContent = '封管 Seal now';
    $('seal').classList.remove('armed');
  }

  /** Seal a partly filled tube; the first tap arms, the second seals (sealing cannot be undone). */
  async function seal() {
    const t = state.tube;
    if (!t || t.status !== 'OPEN') return;
    if (pendingFor(t.tubeCode).length) { showProblem(local('WAIT_FOR_QUEUE'), t.tubeCode); return; }
    if (!state.sealArmed) {
      $('seal').textContent = `再按一次封管 Tap again to seal at ${t.count}`;
      $('seal').classList.add('armed');
      state.sealArmed = setTimeout(disarmSeal, 4000);
      return;
    }
    disarmSeal();
    try {
      const r = await api('POST', `/api/v1/tubes/${enc(t.tubeCode)}/seal`);
      if (r.status === 401) { sessionExpired(); return; }
      if (!r.ok) { showProblem(problem(r), t.tubeCode); return; }
      t.status = 'SEALED';
      t.count = r.data.count;
      sessionStorage.removeItem(TUBE_KEY);
      setMode('tube');
      show('ok', `SEALED 已封管 ${t.count} / ${t.capacity}（${t.tubeCode}）— 请扫描下一支试管。Scan the next tube.`, { code: 'SEALED' });
    } catch (e) {
      if (!(e instanceof NetworkError)) throw e;
      showProblem(local('NETWORK'), t.tubeCode);
    }
  }

  function leaveTube() {
    state.tube = null;
    state.lastPerson = null;
    sessionStorage.removeItem(TUBE_KEY);
    $('message').hidden = true;
    setMode('tube');
  }

  // ---------------------------------------------------------------- scans

  /** What a scan is: an appointment code, an ID card read "NUMBER,NAME" / "NUMBER NAME", or null. */
  function parseScan(text) {
    const t = text.trim();
    if (/^AP/i.test(t) && t.length === 50) {
      return { body: { appointmentCode: t }, label: '预约码 appointment' };
    }
    const m = /^([0-9]{6,17}[0-9Xx])\s*[,，;；\t ]\s*(\S.*)$/.exec(t);
    if (m) {
      const name = m[2].trim();
      return { body: { idType: 'CN_ID', idNumber: m[1].toUpperCase(), name }, label: maskName(name) };
    }
    if (/^[0-9]{17}[0-9Xx]$/.test(t)) return { numberOnly: t.toUpperCase() };
    return null;
  }

  function onScan(ev) {
    ev.preventDefault();
    const input = $('scan');
    const text = input.value;
    input.value = '';
    refocus();
    if (!text.trim()) return;
    const s = parseScan(text);
    if (!s) { showProblem(local('UNRECOGNISED_SCAN')); return; }
    if (s.numberOnly) {
      $('manual').open = true;
      $('manual-type').value = 'CN_ID';
      $('manual-number').value = s.numberOnly;
      $('manual-name').focus();
      showProblem(local('NUMBER_WITHOUT_NAME', 'name'));
      return;
    }
    submitScan(s.body, s.label);
  }

  function onManual(ev) {
    ev.preventDefault();
    const idType = $('manual-type').value;
    const idNumber = $('manual-number').value.trim().toUpperCase();
    const name = $('manual-name').value.trim();
    if (!idNumber) { showProblem(local('FIELD_REQUIRED', 'idNumber')); $('manual-number').focus(); return; }
    if (!name) { showProblem(local('FIELD_REQUIRED', 'name')); $('manual-name').focus(); return; }
    $('manual-number').value = '';
    $('manual-name').value = '';
    $('manual').open = false;
    submitScan({ idType, idNumber, name }, maskName(name));
    refocus();
  }

  /** Queues a binding for the current tube, unless the tube is already full counting waiting scans. */
  function submitScan(body, label) {
    const t = state.tube;
    if (!t || t.status !== 'OPEN') { showProblem(local('TUBE_SEALED')); setMode('tube'); return; }
    if (t.count + pendingFor(t.tubeCode).length >= t.capacity) {
      showProblem(local('TUBE_FULL_PENDING'), t.tubeCode);
      return;
    }
    state.repeat = null;
    enqueue(t.tubeCode, body, label);
  }

  // ---------------------------------------------------------------- the queue

  function loadQueue() {
    try { return JSON.parse(localStorage.getItem(QUEUE_KEY)) || []; } catch (e) { return []; }
  }

  function saveQueue(q) {
    localStorage.setItem(QUEUE_KEY, JSON.stringify(q));
  }

  function myQueue() {
    const user = state.session && state.session.username;
    return user ? loadQueue().filter((i) => i.user === user) : [];
  }

  function enqueue(tubeCode, body, label) {
    const q = loadQueue();
    q.push({ key: newKey(), user: state.session.username, tubeCode, body, label, attempts: 0, at: new Date().toISOString() });
    saveQueue(q);
    renderQueue();
    pump();
  }

  function dequeue(key) {
    saveQueue(loadQueue().filter((i) => i.key !== key));
  }

  function countAttempt(key) {
    const q = loadQueue();
    for (const i of q) if (i.key === key) i.attempts += 1;
    saveQueue(q);
  }

  function retryLater() {
    if (!state.retryTimer) {
      state.retryTimer = setTimeout(() => { state.retryTimer = null; pump(); }, RETRY_MS);
    }
  }

  /** Sends waiting scans in order, one at a time; stops at the first that cannot get through. */
  async function pump() {
    if (state.pumping || !state.session) return;
    state.pumping = true;
    try {
      for (;;) {
        const item = myQueue()[0];
        if (!item) { state.offline = false; renderQueue(); return; }
        let r;
        try {
          r = await api('POST', `/api/v1/tubes/${enc(item.tubeCode)}/bindings`, item.body, { 'Idempotency-Key': item.key });
        } catch (e) {
          if (!(e instanceof NetworkError)) throw e;
          countAttempt(item.key);
          state.offline = true;
          renderQueue();
          retryLater();
          return;
        }
        if (r.status === 401) { sessionExpired(); return; }
        if (r.status === 409 && r.data && r.data.code === 'IDEMPOTENCY_IN_PROGRESS') { retryLater(); return; }
        dequeue(item.key);
        state.offline = false;
        renderQueue();
        if (r.ok) bound(r.data, item); else refused(problem(r), item);
      }
    } finally {
      state.pumping = false;
    }
  }

  function bound(d, item) {
    if (state.recall && state.recall.tube === d.tubeCode) { recallDone(d); return; }
    const t = state.tube;
    const current = t && t.tubeCode === d.tubeCode;
    if (current) {
      t.count = d.count;
      t.capacity = d.capacity;
      t.status = d.tubeStatus;
      if (!t.members.some((m) => m.bindingId === d.bindingId)) {
        t.members.push({ bindingId: d.bindingId, position: d.position, nameMasked: d.person.nameMasked, idMasked: d.person.idMasked });
      }
      state.lastPerson = d.person;
    }
    const who = d.person.nameMasked;
    const note = d.repeat ? '（重复采样 repeat sample）' : '';
    if (d.tubeStatus === 'SEALED') {
      if (current) {
        sessionStorage.removeItem(TUBE_KEY);
        setMode('tube');
      }
      show('ok', `✓ ${who}${note} · SEALED 已封管 ${d.count} / ${d.capacity}（${d.tubeCode}）— 请扫描下一支试管。Scan the next tube.`, { code: 'SEALED' });
    } else {
      if (current) renderTube();
      show('ok', `✓ ${who}${note} — ${d.count} / ${d.capacity}` + (current ? '' : `（试管 tube ${d.tubeCode}）`), { code: 'BOUND' });
    }
    refocus();
  }

  // ---------------------------------------------------------------- recalls (L5)

  /** A recalled person was scanned into a pooled tube: RECALL, and the next tube scanned is their single tube. */
  function startRecall(p, item) {
    const back = state.tube && state.tube.status === 'OPEN' && state.tube.tubeCode === item.tubeCode ? item.tubeCode : null;
    state.recall = { body: item.body, label: item.label, back, tube: null };
    state.tube = null;
    sessionStorage.removeItem(TUBE_KEY);
    $('recall-text').textContent = `RECALL 复检：${item.label}`;
    setMode('tube');
    show('error', `${item.label}：复检 RECALL — 单管单检 single-tube retest`, { code: p.code });
    refocus();
  }

  async function recallDone(d) {
    const back = state.recall.back;
    state.recall = null;
    $('recall-banner').hidden = true;
    state.tube = null;
    sessionStorage.removeItem(TUBE_KEY);
    if (back) await resume(back, true); else setMode('tube');
    show('ok', `✓ RECALL 复检已采样 ${d.person.nameMasked} — 单管 ${d.tubeCode} 已封 SEALED。Retest sampled in a single tube.`
      + (back ? ` 继续试管 ${back} Back to tube ${back}.` : ''), { code: 'RETESTED' });
    document.dispatchEvent(new CustomEvent('station:recalls-changed'));
    refocus();
  }

  function cancelRecall() {
    const back = state.recall && state.recall.back;
    state.recall = null;
    $('recall-banner').hidden = true;
    $('message').hidden = true;
    if (back) resume(back, true); else setMode('tube');
  }

  function refused(p, item) {
    if (p.code === 'PERSON_RECALLED' && !(state.recall && state.recall.tube === item.tubeCode)) { startRecall(p, item); return; }
    if (state.recall && state.recall.tube === item.tubeCode) {
      // the single tube could not take them (a wrong name, …): say why and leave the recall
      state.recall = null;
      $('recall-banner').hidden = true;
    }
    const where = state.tube && state.tube.tubeCode === item.tubeCode ? item.label : `${item.label} · ${item.tubeCode}`;
    if (p.code === 'SAMPLED_IN_ROUND') {
      state.repeat = { tubeCode: item.tubeCode, body: item.body, label: item.label };
      showProblem(p, where, { repeat: true });
    } else {
      showProblem(p, where);
    }
    if (p.code === 'TUBE_SEALED' && state.tube && state.tube.tubeCode === item.tubeCode) {
      state.tube.status = 'SEALED';
      sessionStorage.removeItem(TUBE_KEY);
      setMode('tube');
    }
    refocus();
  }

  /** "Sample anyway": the same person again with confirmRepeat, under a new key (the body differs). */
  function repeatAnyway() {
    const r = state.repeat;
    state.repeat = null;
    $('repeat').hidden = true;
    if (!r) return;
    const t = state.tube;
    if (!t || t.tubeCode !== r.tubeCode || t.status !== 'OPEN') { showProblem(local('TUBE_SEALED'), r.tubeCode); return; }
    enqueue(r.tubeCode, Object.assign({}, r.body, { confirmRepeat: true }), r.label);
    refocus();
  }

  // ---------------------------------------------------------------- unbinding

  function openUnbind(m) {
    state.unbinding = m;
    $('unbind-what').textContent = `从试管 ${state.tube.tubeCode} 移除 #${m.position} ${m.nameMasked}？ Remove #${m.position} ${m.nameMasked} from this tube?`;
    $('unbind-reason').value = '';
    $('unbind-panel').hidden = false;
    $('unbind-panel').scrollIntoView({ block: 'center' });
    $('unbind-reason').focus();
  }

  function closeUnbind() {
    state.unbinding = null;
    $('unbind-panel').hidden = true;
  }

  async function confirmUnbind() {
    const m = state.unbinding;
    const t = state.tube;
    if (!m || !t) { closeUnbind(); refocus(); return; }
    const reason = $('unbind-reason').value.trim();
    if (!reason) { showProblem(local('REASON_REQUIRED', 'reason')); $('unbind-reason').focus(); return; }
    try {
      const r = await api('DELETE', `/api/v1/tubes/${enc(t.tubeCode)}/bindings/${enc(m.bindingId)}?reason=${enc(reason)}`);
      if (r.status === 401) { sessionExpired(); return; }
      if (!r.ok && !(r.status === 404 && r.data && r.data.code === 'BINDING_NOT_FOUND')) {
        showProblem(problem(r), `#${m.position} ${m.nameMasked}`);
        return;
      }
      closeUnbind();
      t.members = t.members.filter((x) => x.bindingId !== m.bindingId);
      t.count = Math.max(0, t.count - (r.ok ? 1 : 0));
      state.lastPerson = null;
      renderTube();
      show('ok', `已移除 #${m.position} ${m.nameMasked}。Removed from tube ${t.tubeCode}: ${t.count} / ${t.capacity}.`, { code: 'UNBOUND' });
      refresh(t.tubeCode);
    } catch (e) {
      if (!(e instanceof NetworkError)) throw e;
      showProblem(local('NETWORK'), `#${m.position} ${m.nameMasked}`);
    } finally {
      refocus();
    }
  }

  /** Re-reads the tube from the server so the count and list are the truth, not our arithmetic. */
  async function refresh(code) {
    try {
      const r = await api('GET', `/api/v1/tubes/${enc(code)}`);
      if (r.ok && state.tube && state.tube.tubeCode === code) {
        const fresh = tubeFromView(r.data);
        state.tube.count = fresh.count;
        state.tube.members = fresh.members;
        state.tube.status = fresh.status;
        renderTube();
      }
    } catch (e) {
      if (!(e instanceof NetworkError)) throw e;
    }
  }

  // ---------------------------------------------------------------- wiring

  function init() {
    E.loginForm({
      api, words, store: SESSION,
      accept: (t) => (t.role === 'COLLECTOR' && t.siteCode ? null : 'NOT_COLLECTOR'),
      onSession: (session) => { state.session = session; return start(); },
    });
    $('logout').addEventListener('click', logout);
    $('tube-form').addEventListener('submit', openTube);
    $('scan-form').addEventListener('submit', onScan);
    $('manual-form').addEventListener('submit', onManual);
    $('seal').addEventListener('click', seal);
    $('change-tube').addEventListener('click', leaveTube);
    $('repeat').addEventListener('click', repeatAnyway);
    $('refresh-tubes').addEventListener('click', loadOpenTubes);
    $('tab-sample').addEventListener('click', () => setMode(state.tube && state.tube.status === 'OPEN' ? 'scan' : 'tube'));
    $('tab-box').addEventListener('click', () => setMode('box'));
    $('tab-recalls').addEventListener('click', () => setMode('recalls'));
    $('recall-cancel').addEventListener('click', cancelRecall);
    document.addEventListener('station:expired', () => { if (state.session) sessionExpired(); });
    $('unbind-confirm').addEventListener('click', confirmUnbind);
    $('unbind-cancel').addEventListener('click', () => { closeUnbind(); refocus(); });
    $('unbind-reason').addEventListener('keydown', (e) => {
      if (e.key === 'Enter') { e.preventDefault(); confirmUnbind(); }
      if (e.key === 'Escape') { closeUnbind(); refocus(); }
    });
    for (const chip of document.querySelectorAll('#unbind-panel .chip')) {
      chip.addEventListener('click', () => { $('unbind-reason').value = chip.dataset.reason; });
    }
    for (const b of document.querySelectorAll('#capacity .cap')) {
      b.addEventListener('click', () => { setCapacity(Number(b.dataset.capacity)); refocus(); });
    }
    $('manual').addEventListener('toggle', () => {
      if ($('manual').open) $('manual-number').focus(); else refocus();
    });
    $('keyboard').addEventListener('click', () => {
      const on = $('keyboard').getAttribute('aria-pressed') !== 'true';
      $('keyboard').setAttribute('aria-pressed', String(on));
      for (const id of ['scan', 'tube-code']) $(id).setAttribute('inputmode', on ? 'text' : 'none');
      const el = primaryInput();
      if (el) { el.blur(); el.focus(); }
    });

    document.addEventListener('visibilitychange', () => { if (!document.hidden) pump(); });
    window.addEventListener('online', () => pump());
    window.addEventListener('storage', (e) => { if (e.key === QUEUE_KEY) renderQueue(); });

    const saved = Number(localStorage.getItem(CAPACITY_KEY));
    setCapacity([1, 5, 10, 20].includes(saved) ? saved : 10);

    state.session = SESSION.load();
    if (state.session) start(); else setMode('login');
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init); else init();
})();
