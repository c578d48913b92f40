/*
 * The venue gate (templates/gate.html). Plain ES2020 on top of common.js (and the optional
 * camera.js), no build step, no inline script (the Content-Security-Policy is script-src 'self').
 *
 * Why it is shaped this way:
 * - A keyboard-wedge scanner types into whatever has focus, so the one scan field keeps the
 *   focus (common.js keepFocus): the guard never touches the screen between people.
 * - Every code is verified online (POST /health-codes/verification): the signature and expiry,
 *   and the person's colour NOW — a code shown green a minute ago is red at the door if the
 *   person turned red since. Only a valid GREEN code admits; anything else denies, in words and
 *   colour, and a code that cannot be checked is never shown as admitted.
 * - Without network (the request fails, or the browser says it is offline) the code's signature
 *   is checked here with the keys fetched last (offline-codes.js): a genuine, unexpired code
 *   signed GREEN admits, marked "verified offline" with how old it is, since the colour now
 *   cannot be known. Each offline scan is queued in localStorage with a random id and sent to
 *   POST /health-codes/offline-scans when the network is back (the server stores each id once).
 * - The answer fills the width of the screen and clears itself after a few seconds (longer for a
 *   denial, which the guard must act on), so the next person never sees the last one's answer.
 *   A new scan replaces an answer at once; scans are checked one after another, in scan order.
 */
'use strict';

(() => {
  const E = window.Epiloop;
  const { $, NetworkError } = E;
  const Offline = window.EpiloopOfflineCodes;

  const SESSION = E.sessionStore('epiloop.gate.session');
  const TALLY_KEY = 'epiloop.gate.tally';
  const SHOW_ADMIT_MS = 5000;
  const SHOW_DENY_MS = 8000;
  const QUEUE_KEY = 'epiloop.gate.offline-scans';
  const QUEUE_MAX = 2000; // ~1 MB of localStorage; the oldest go first beyond it
  const SYNC_BATCH = 200;
  const SYNC_EVERY_MS = 10000; // while scans wait: a lost 'online' event delays them this long at most
  const KEYS_EVERY_MS = 5 * 60 * 1000;
  const TOKEN_MAX = 4096;

  const COLORS = { GREEN: ['绿码', 'GREEN'], YELLOW: ['黄码', 'YELLOW'], RED: ['红码', 'RED'] };
  const ROLES = {
    VENUE_MANAGER: '场所管理员 Venue manager', OFFICIAL: '防疫人员 Official', ADMIN: '管理员 Admin',
    COLLECTOR: '采样员 Collector', COURIER: '转运员 Courier', LAB_TECH: '检验员 Lab', LAB_REVIEWER: '审核员 Lab', LAB_DIRECTOR: '实验室主任 Lab',
  };

  const words = E.feedback({
    NOT_STAFF: ['不是工作人员账号', 'This page is for venue managers and other staff. Log in with a staff account.'],
    FORBIDDEN: ['无权查验', 'This account may not check health codes. Log in as a venue manager.'],
    TOKEN_REQUIRED: ['请扫描健康码', 'Scan the health code on the person\'s phone.'],
  });

  /** Why a code was refused offline, as the verdict line shows it: [中文, English]. */
  const OFFLINE_REFUSALS = {
    EXPIRED: ['✗ 码已过期', 'Expired code'],
    BAD_SIGNATURE: ['✗ 伪造或被改动的码', 'Forged or altered code'],
    UNKNOWN_KEY: ['✗ 非本系统签发', 'Not signed by Epiloop (unknown key)'],
    BAD_ALGORITHM: ['✗ 签名方式不符', 'Wrong kind of signature'],
    NOT_A_HEALTH_CODE: ['✗ 不是健康码', 'Not a health code'],
    MALFORMED: ['✗ 不是健康码', 'Not a health code'],
  };

  const api = E.client(() => state.session && state.session.accessToken);

  const state = {
    session: null, // {accessToken, role, username}
    seq: 0, // answers shown so far; the panel's data-seq
    timer: null,
    chain: Promise.resolve(),
    tally: { admit: 0, deny: 0 },
    camera: null,
    online: navigator.onLine !== false, // what the last request (or the browser) said
    flushing: false,
  };

  const refocus = E.keepFocus(() => (state.session ? $('scan') : null));
  let login = null;

  function colorWords(color) {
    const w = COLORS[color];
    return w ? w[0] + ' ' + w[1] : (color || '—');
  }

  function hhmmss(iso) {
    return E.cityTime(iso, { second: '2-digit' });
  }

  // ---------------------------------------------------------------- session

  function setLoggedIn(on) {
    $('login-panel').hidden = on;
    $('gate-panel').hidden = !on;
    $('who').hidden = !on;
    $('logout').hidden = !on;
    if (!on) {
      stopCamera();
      idle();
      words.hide();
      $('username').focus();
    }
  }

  function sessionExpired() {
    state.session = null;
    SESSION.clear();
    setLoggedIn(false);
    login.fail(words.text('UNAUTHORIZED'));
  }

  function logout() {
    E.revoke(state.session && state.session.accessToken);
    state.session = null;
    SESSION.clear();
    setLoggedIn(false);
  }

  function start() {
    const s = state.session;
    $('user').textContent = s.username || '';
    $('role').textContent = ROLES[s.role] || s.role || '';
    try { state.tally = JSON.parse(sessionStorage.getItem(TALLY_KEY)) || { admit: 0, deny: 0 }; } catch (e) { /* keep zeros */ }
    renderTally();
    setLoggedIn(true);
    idle();
    renderStatus();
    refocus();
    flush();
  }

  // ---------------------------------------------------------------- scans

  function onScan(ev) {
    ev.preventDefault();
    const input = $('scan');
    const token = input.value.trim();
    input.value = '';
    refocus();
    if (!token) return;
    queue(() => check(token));
  }

  /** Runs a check after the ones before it (a scanner is faster than the network). */
  function queue(step) {
    state.chain = state.chain.then(step).catch((e) => {
      if (!(e instanceof NetworkError)) throw e;
      show({ verdict: 'DENY', color: 'UNKNOWN', word: '⚠ 无法查验 NOT CHECKED', line: '网络不通 No network',
        note: '请稍后重扫，查验前不要放行。 Scan again in a moment; do not admit until the code is checked.' });
      words.problem(E.local('NETWORK'));
    });
    return state.chain;
  }

  async function check(token) {
    if (/^VN[A-Z2-7]{8,}$/i.test(token)) {
      show({ verdict: 'DENY', color: 'INVALID', word: '✗ 禁止 DENY', line: '这是场所码，不是健康码 A venue code, not a health code',
        note: '请对方打开自己的健康码。 Ask the person to open their own health code.' });
      return;
    }
    if (navigator.onLine === false) { await checkOffline(token); return; }
    let r;
    try {
      r = await api('POST', '/api/v1/health-codes/verification', { token });
    } catch (e) {
      if (!(e instanceof NetworkError)) throw e;
      await checkOffline(token);
      return;
    }
    setOnline(true);
    if (r.status === 401) { sessionExpired(); return; }
    if (!r.ok) { idle(); words.problem(E.problem(r)); return; }
    words.hide();
    const v = r.data;
    if (!v.valid) {
      show({ verdict: 'DENY', color: 'INVALID', word: '✗ 禁止 DENY', line: '✗ 无效或过期的码 Invalid or expired code',
        note: '请对方刷新健康码后重扫（截图无效）。 Ask the person to refresh their code and scan again — screenshots do not work.' });
      return;
    }
    const admit = v.color === 'GREEN';
    const notes = [];
    if (v.signedColor && v.signedColor !== v.color) {
      notes.push(`出码时为${colorWords(v.signedColor)}，现为${colorWords(v.color)}。 Shown as ${v.signedColor}; ${v.color} now (checked online).`);
    }
    if (v.color === 'RED') notes.push('红码：不得进入，请联系场所防疫负责人。 Red: do not admit; call the venue\'s health contact.');
    if (v.color === 'YELLOW') notes.push('黄码：不得进入，请先做核酸检测。 Yellow: not admitted; the person should get tested first.');
    if (admit) notes.push('码有效至 Code valid until ' + hhmmss(v.expiresAt));
    show({ verdict: admit ? 'ADMIT' : 'DENY', color: v.color, word: admit ? '✓ 放行 ADMIT' : '✗ 禁止 DENY',
      line: colorWords(v.color), name: v.nameMasked, note: notes.join('\n') });
  }

  // ---------------------------------------------------------------- offline

  /**
   * No network: the signature decides, with the kept keys. The answer says it was checked
   * offline and how old the code is, and the scan is queued for the server.
   */
  async function checkOffline(token) {
    setOnline(false);
    const v = await Offline.verify(token);
    const admit = v.ok && v.color === 'GREEN';
    enqueue({ scanId: newId(), scannedAt: new Date(Offline.now()).toISOString(), token: token.slice(0, TOKEN_MAX),
      verdict: admit ? 'ADMITTED' : 'REFUSED', reason: admit ? null : (v.ok ? 'NOT_GREEN' : v.reason) });
    if (!v.ok && (v.reason === 'NO_KEYS' || v.reason === 'NO_ENGINE')) {
      show({ verdict: 'DENY', color: 'UNKNOWN', mode: 'OFFLINE', reason: v.reason, word: '⚠ 无法查验 NOT CHECKED',
        line: '网络不通，且本机无法离线验证 No network, and this device cannot check codes offline',
        note: '请稍后重扫，查验前不要放行。 Scan again in a moment; do not admit until the code is checked.' });
      return;
    }
    if (!v.ok) {
      const w = OFFLINE_REFUSALS[v.reason] || OFFLINE_REFUSALS.MALFORMED;
      show({ verdict: 'DENY', color: 'INVALID', mode: 'OFFLINE', reason: v.reason, word: '✗ 禁止 DENY', line: w[0] + ' ' + w[1],
        note: '离线验证：签名或有效期不符。请对方刷新健康码后重扫（截图无效）。\n'
          + 'Checked offline: the signature or the time is wrong. Ask the person to refresh their code and scan again — screenshots do not work.' });
      return;
    }
    const c = COLORS[v.color];
    const notes = [`离线验证：签发时为${c[0]}，${v.ageSeconds} 秒前签发。 Verified offline: ${c[1]} as signed, issued ${v.ageSeconds} s ago.`];
    if (v.color === 'RED') notes.push('红码：不得进入，请联系场所防疫负责人。 Red: do not admit; call the venue\'s health contact.');
    if (v.color === 'YELLOW') notes.push('黄码：不得进入，请先做核酸检测。 Yellow: not admitted; the person should get tested first.');
    if (admit) notes.push('码有效至 Code valid until ' + hhmmss(new Date(v.expiresAt).toISOString()));
    show({ verdict: admit ? 'ADMIT' : 'DENY', color: v.color, mode: 'OFFLINE', word: admit ? '✓ 放行 ADMIT' : '✗ 禁止 DENY',
      line: colorWords(v.color), name: v.nameMasked, note: notes.join('\n') });
  }

  const newId = E.newKey;

  function pending() {
    try {
      const q = JSON.parse(localStorage.getItem(QUEUE_KEY));
      return Array.isArray(q) ? q : [];
    } catch (e) {
      return [];
    }
  }

  function savePending(q) {
    localStorage.setItem(QUEUE_KEY, JSON.stringify(q));
    renderStatus();
  }

  function enqueue(scan) {
    const q = pending();
    q.push(scan);
    savePending(q.length > QUEUE_MAX ? q.slice(q.length - QUEUE_MAX) : q);
  }

  /**
   * Sends the queued offline scans, a slice at a time; each slice leaves the queue only once the
   * server has answered it (a re-sent slice is harmless: the server keeps each scan id once). A
   * scan the server refuses as bad input (400 naming scans[i]) is dropped, so it cannot block
   * the rest for ever.
   */
  async function flush() {
    if (state.flushing || !state.session) return;
    state.flushing = true;
    try {
      for (let rounds = 0; rounds < 50; rounds++) {
        const slice = pending().slice(0, SYNC_BATCH);
        if (!slice.length) break;
        const r = await api('POST', '/api/v1/health-codes/offline-scans', { scans: slice });
        setOnline(true);
        if (r.status === 401) { sessionExpired(); return; }
        const sent = new Set(slice.map((s) => s.scanId));
        if (r.ok) {
          savePending(pending().filter((s) => !sent.has(s.scanId)));
          continue;
        }
        const bad = r.status === 400 && /^scans\[(\d+)\]/.exec((r.data && r.data.field) || '');
        if (!bad) break;
        const dropped = slice[Number(bad[1])];
        savePending(pending().filter((s) => !dropped || s.scanId !== dropped.scanId));
      }
    } catch (e) {
      if (!(e instanceof NetworkError)) throw e;
      setOnline(false);
    } finally {
      state.flushing = false;
    }
  }

  async function refreshKeys() {
    await Offline.refresh();
    renderStatus();
  }

  function setOnline(on) {
    if (state.online === on) return;
    state.online = on;
    renderStatus();
    if (on) { refreshKeys(); flush(); }
  }

  /** The band above the scan field: shown while offline or while scans wait to be sent. */
  function renderStatus() {
    const el = $('offline-status');
    const n = pending().length;
    const kept = Offline.keys();
    el.dataset.online = String(state.online);
    el.dataset.pending = String(n);
    el.dataset.keys = String(kept ? kept.keys.length : 0);
    const parts = [];
    if (!state.online) {
      parts.push(kept && kept.keys.length
        ? '⚠ 离线：凭签名查验 Offline: checked by signature'
        : '⚠ 离线且无密钥，无法查验 Offline, no keys: cannot check codes');
    }
    if (n) parts.push(`待上报 ${n} To send: ${n}`);
    el.textContent = parts.join(' · ');
    el.hidden = !parts.length;
  }

  // ---------------------------------------------------------------- the answer

  function show(a) {
    const panel = $('verdict');
    clearTimeout(state.timer);
    state.seq++;
    panel.dataset.verdict = a.verdict;
    panel.dataset.color = a.color;
    panel.dataset.mode = a.mode || 'ONLINE';
    panel.dataset.reason = a.reason || '';
    panel.dataset.seq = String(state.seq);
    $('verdict-word').textContent = a.word;
    $('verdict-color').textContent = a.line || '';
    $('verdict-name').textContent = a.name || '';
    $('verdict-note').textContent = a.note || '';
    const admit = a.verdict === 'ADMIT';
    if (admit) state.tally.admit++; else state.tally.deny++;
    sessionStorage.setItem(TALLY_KEY, JSON.stringify(state.tally));
    renderTally();
    E.beep(admit);
    const ms = admit ? SHOW_ADMIT_MS : SHOW_DENY_MS;
    const bar = $('verdict-timer');
    bar.hidden = false;
    bar.classList.remove('run');
    void bar.offsetWidth; // restart the shrinking bar
    bar.style.animationDuration = ms + 'ms';
    bar.classList.add('run');
    state.timer = setTimeout(idle, ms);
  }

  function idle() {
    clearTimeout(state.timer);
    state.timer = null;
    const panel = $('verdict');
    panel.dataset.verdict = '';
    panel.dataset.color = '';
    panel.dataset.mode = '';
    panel.dataset.reason = '';
    $('verdict-word').textContent = '请出示健康码';
    $('verdict-color').textContent = 'Show your health code';
    $('verdict-name').textContent = '';
    $('verdict-note').textContent = '';
    $('verdict-timer').hidden = true;
  }

  function renderTally() {
    $('tally-admit').textContent = String(state.tally.admit);
    $('tally-deny').textContent = String(state.tally.deny);
  }

  // ---------------------------------------------------------------- camera (optional)

  function startCamera() {
    stopCamera();
    state.camera = window.EpiloopCamera.scan($('camera-view'), (text) => {
      state.camera = null;
      refocus();
      queue(() => check(text.trim()));
    }, () => {
      state.camera = null;
      words.show('warn', '无法使用摄像头扫码。 The camera cannot scan here: use the scanner.', { code: 'CAMERA_FAILED' });
    });
  }

  function stopCamera() {
    if (state.camera) state.camera.stop();
    state.camera = null;
  }

  // ---------------------------------------------------------------- wiring

  function init() {
    login = E.loginForm({
      api, words, store: SESSION,
      accept: (d) => (d.role && d.role !== 'RESIDENT' ? null : 'NOT_STAFF'),
      onSession: (s) => { state.session = s; start(); },
    });
    $('logout').addEventListener('click', logout);
    $('scan-form').addEventListener('submit', onScan);
    if (window.EpiloopCamera && window.EpiloopCamera.available()) {
      $('camera').hidden = false;
      $('camera').addEventListener('click', () => (state.camera ? stopCamera() : startCamera()));
    }
    document.addEventListener('visibilitychange', () => { if (document.hidden) stopCamera(); });

    // the keys and the signature engine are fetched while there is network, before they are needed
    refreshKeys();
    Offline.engineName().then((name) => { $('offline-status').dataset.engine = name || 'none'; });
    window.addEventListener('offline', () => setOnline(false));
    window.addEventListener('online', () => setOnline(true));
    setInterval(() => { if (state.online) refreshKeys(); }, KEYS_EVERY_MS);
    setInterval(() => { if (pending().length) flush(); }, SYNC_EVERY_MS);

    state.session = SESSION.load();
    if (state.session) start(); else setLoggedIn(false);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init); else init();
})();
