/*
 * Shared by the courier page (courier.js), the lab bench (lab.js), the resident page
 * (resident.js), the venue gate (gate.js), the collector station (station.js) and every other page. It
 * exists so that the small things every terminal page needs are done one way: the bearer-token
 * session in sessionStorage, JSON calls with a timeout, problem JSON turned into one friendly
 * 中文 + English sentence per `code`, the feedback box and beep, the login form, and keeping a
 * keyboard-wedge scanner's field focused. Plain ES2020, no build step, no inline script (CSP
 * script-src 'self'). Exposes one frozen object, window.Epiloop.
 */
'use strict';

(() => {
  const TIMEOUT_MS = 15000;

  class NetworkError extends Error {}

  const $ = (id) => document.getElementById(id);
  const enc = encodeURIComponent;

  /**
   * Words for codes: [中文, English]. Every code the server answers with has its words in
   * /js/messages.js (made from the server's ProblemCode table), which this file loads by itself;
   * COMMON holds the codes only the pages make. A page adds its own words, for codes it wants
   * to explain in its own terms.
   */
  const COMMON = {
    NETWORK: ['网络不通', 'No network. Try again in a moment.'],
    LOGIN_REQUIRED: ['请输入用户名和密码', 'Enter your username and password.'],
    TOTP_REQUIRED: ['请输入动态验证码', 'Enter the 6-digit code from your authenticator app.'],
    INVALID_TOTP: ['动态验证码错误或已使用', 'The code is wrong or was already used. Wait for the next one.'],
    LOGIN_LOCKED: ['登录失败次数过多，账号已暂时锁定', 'Too many failed logins: this account is locked for a while. Try again later.'],
    LOGIN_RATE_LIMITED: ['登录失败次数过多，请稍后再试', 'Too many failed logins from here. Try again later.'],
  };

  /** The server's table, once /js/messages.js has run. */
  function serverMessages() {
    return window.EpiloopMessages || {};
  }

  if (!window.EpiloopMessages && document.currentScript) {
    const s = document.createElement('script');
    s.src = new URL('messages.js', document.currentScript.src).pathname;
    document.head.appendChild(s);
  }

  const FIELDS = {
    username: '用户名 Username', password: '密码 Password', boxCode: '箱码 Box code', tubeCode: '试管条码 Tube code',
    labCode: '实验室 Lab', latitude: '纬度 Latitude', longitude: '经度 Longitude', reason: '原因 Reason',
    plateCode: '板号 Plate code', wells: '孔位 Wells', file: '仪器文件 Instrument file',
    phone: '手机号 Phone', code: '验证码 Code', totp: '动态验证码 One-time code', idType: '证件类型 ID type', idNumber: '证件号码 ID number',
    name: '姓名 Name', districtCode: '居住区 District', venueToken: '场所码 Venue code', token: '健康码 Health code',
    appointmentCode: '预约码 Appointment code', capacity: '人数 Capacity',
    outline: '区轮廓 Outline', note: '备注 Note', hours: '时长 Hours', color: '颜色 Colour', confirmedAt: '确诊时间 Confirmed at', value: '新值 New value',
  };

  /** A field in words; a part of one (outline.coordinates[0][3], persons[2]) as its field's words, then the part. */
  function fieldWords(field) {
    if (FIELDS[field]) return FIELDS[field];
    const root = field.split(/[.[]/)[0];
    return FIELDS[root] && root !== field ? FIELDS[root] + ' (' + field + ')' : field;
  }

  // ---------------------------------------------------------------- session

  /** A login kept in this tab only (sessionStorage): {accessToken, role, siteCode, labCode, username}. */
  function sessionStore(key) {
    return {
      load() {
        let s = null;
        try { s = JSON.parse(sessionStorage.getItem(key)); } catch (e) { s = null; }
        header(s);
        return s;
      },
      save(s) { sessionStorage.setItem(key, JSON.stringify(s)); header(s); },
      clear() { sessionStorage.removeItem(key); header(null); },
    };
  }

  // ---------------------------------------------------------------- the header (fragments :: bar)

  const ROLE_WORDS = {
    ADMIN: '管理员 Admin', OFFICIAL: '官员 Official', COLLECTOR: '采样员 Collector', COURIER: '转运员 Courier',
    LAB_TECH: '检验员 Technician', LAB_REVIEWER: '审核员 Reviewer', VENUE_MANAGER: '场所管理员 Venue manager',
    LAB_DIRECTOR: '实验室主任 Lab director', PARTNER: '对接系统 Partner system',
    GRID_WORKER: '网格员 Grid worker',
    HOSPITAL: '发热门诊 Fever clinic',
  };

  /** The pages, in the order the day runs: [path, 中文, English]. */
  const PAGES = {
    command: ['/command', '指挥大屏', 'Command'], official: ['/official', '工作台', 'Workbench'],
    station: ['/station', '采样', 'Station'], courier: ['/courier', '运输', 'Courier'], lab: ['/lab', '实验室', 'Lab'],
    recalls: ['/recalls', '复检', 'Recalls'], track: ['/track', '查询', 'Track'], gate: ['/gate', '查验', 'Gate'],
    venues: ['/venues', '场所', 'Venues'], admin: ['/admin', '管理', 'Admin'],
    quality: ['/lab/quality', '质控', 'Quality'],
    grid: ['/grid', '网格随访', 'Grid'], risk: ['/risk-areas', '风险地区', 'Risk areas'],
    director: ['/lab/director', '实验室主任', 'Lab director'],
    supplies: ['/supplies', '物资', 'Supplies'], siteSupplies: ['/station/supplies', '物资', 'Supplies'],
    fever: ['/fever-clinic', '发热门诊', 'Fever clinic'], fevermon: ['/fever-monitor', '发热门诊监测', 'Fever clinics'],
    warning: ['/early-warning', '预警设置', 'Early warning'], hospitals: ['/hospitals', '定点医院', 'Hospitals'],
  };

  /** Which pages a role works on: the server's role matrix, seen from the pages. */
  const NAV = {
    OFFICIAL: ['command', 'official', 'recalls', 'track', 'risk', 'director', 'quality', 'supplies', 'fevermon', 'warning', 'hospitals'],
    COLLECTOR: ['station', 'recalls', 'track', 'siteSupplies'],
    LAB_TECH: ['lab', 'quality', 'track'], LAB_REVIEWER: ['lab', 'quality', 'track'], LAB_DIRECTOR: ['director', 'quality', 'track'],
    COURIER: ['courier', 'track'],
    VENUE_MANAGER: ['gate', 'venues'],
    GRID_WORKER: ['grid'],
    HOSPITAL: ['fever'],
    ADMIN: ['admin', 'command', 'official', 'station', 'courier', 'lab', 'recalls', 'track', 'gate', 'venues', 'director', 'quality', 'warning', 'hospitals'],
  };

  /**
   * Draws the logged-in part of the header from a page's session: the role in words and links to
   * the other pages that role may use. Called whenever a page loads, saves or clears its session,
   * so no page needs to know about it. A page may write its own words into #role after this.
   */
  function header(s) {
    const role = s && s.role;
    const r = $('role');
    if (r) r.textContent = (role && ROLE_WORDS[role]) || '';
    const nav = $('nav');
    if (!nav) return;
    nav.textContent = '';
    const here = location.pathname.replace(/\/+$/, '');
    for (const page of (role && NAV[role]) || []) {
      const [path, zh, en] = PAGES[page];
      const a = el('a', 'bar-link', zh + ' ');
      a.href = path;
      a.id = 'nav-' + page;
      a.append(el('span', 'en-bar', en));
      if (path === here) a.setAttribute('aria-current', 'page');
      nav.append(a);
    }
    nav.hidden = nav.childElementCount === 0;
  }

  /**
   * The language switch: "中文 + English" (the default) or "中文" alone, which hides the English
   * (.en, .en-bar); remembered in localStorage for every page. Only spans marked as English are
   * hidden, so no text a page needs is lost.
   */
  const LANG_KEY = 'epiloop.lang';
  function zhOnly() {
    try { return localStorage.getItem(LANG_KEY) === 'zh'; } catch (e) { return false; }
  }
  function showLanguage(only) {
    document.documentElement.classList.toggle('zh-only', only);
    const b = $('lang');
    if (b) {
      b.setAttribute('aria-pressed', String(!only));
      b.textContent = only ? '中文' : '中/EN';
    }
  }
  showLanguage(zhOnly());
  document.addEventListener('DOMContentLoaded', () => {
    showLanguage(zhOnly());
    const b = $('lang');
    if (b) b.addEventListener('click', () => {
      const only = !zhOnly();
      try { localStorage.setItem(LANG_KEY, only ? 'zh' : 'both'); } catch (e) { /* private mode: this page only */ }
      showLanguage(only);
    });
  });

  // ---------------------------------------------------------------- HTTP

  /**
   * A client that sends the token token() returns. call(method, path, body, opts) resolves to
   * {status, ok, data, headers}; it throws NetworkError when the request may not have arrived (no
   * network, timeout, 502/503/504). opts.contentType sends body as a string of that type.
   */
  function client(token) {
    return async function call(method, path, body, opts) {
      const o = opts || {};
      const h = Object.assign({ Accept: 'application/json, application/problem+json' }, o.headers || {});
      let payload;
      if (body !== undefined) {
        h['Content-Type'] = o.contentType || 'application/json';
        payload = o.contentType ? String(body) : JSON.stringify(body);
      }
      const t = token();
      if (t) h.Authorization = 'Bearer ' + t;
      const abort = new AbortController();
      const timer = setTimeout(() => abort.abort(), o.timeout || TIMEOUT_MS);
      try {
        const res = await fetch(path, { method, headers: h, cache: 'no-store', signal: abort.signal, body: payload });
        if (res.status === 502 || res.status === 503 || res.status === 504) throw new NetworkError('HTTP ' + res.status);
        const text = await res.text();
        let data = null;
        if (text) {
          try { data = JSON.parse(text); } catch (e) { data = null; }
        }
        // Retry-After (seconds) on 429 and 503: the page says plainly when to try again
        const retry = Number(res.headers.get('Retry-After'));
        return { status: res.status, ok: res.ok, data, headers: res.headers,
          retryAfter: Number.isFinite(retry) && retry > 0 ? retry : null };
      } catch (e) {
        throw e instanceof NetworkError ? e : new NetworkError(String(e && e.message));
      } finally {
        clearTimeout(timer);
      }
    };
  }

  /**
   * An API call for pages that show every failure the same way: resolves to the response when it
   * is 2xx, else to null after showing the problem in words (a lost network too); a 401 ends the
   * session through onUnauthorized() instead.
   */
  function shownCall(api, words, onUnauthorized) {
    return async function call(method, path, body) {
      try {
        const r = await api(method, path, body);
        if (r.status === 401) {
          onUnauthorized();
          return null;
        }
        if (!r.ok) {
          words.problem(problem(r));
          return null;
        }
        return r;
      } catch (e) {
        if (!(e instanceof NetworkError)) throw e;
        words.show('error', words.text('NETWORK'), { code: 'NETWORK' });
        return null;
      }
    };
  }

  /** The problem of a failed response, with a code even when the body was not problem JSON. */
  function problem(r) {
    const d = r.data || {};
    return { code: d.code || 'HTTP_' + r.status, field: d.field || null, detail: d.detail || d.title || 'HTTP ' + r.status };
  }

  function local(code, field, detail) {
    return { code, field: field || null, detail: detail || code };
  }

  // ---------------------------------------------------------------- feedback

  let audio = null;

  /** A short beep: high for success, low for a problem, as scanners do. */
  function beep(ok) {
    try {
      if (!audio) audio = new (window.AudioContext || window.webkitAudioContext)();
      const o = audio.createOscillator();
      const g = audio.createGain();
      o.frequency.value = ok ? 1320 : 330;
      g.gain.value = 0.08;
      o.connect(g).connect(audio.destination);
      o.start();
      o.stop(audio.currentTime + (ok ? 0.08 : 0.35));
    } catch (e) { /* no sound is fine */ }
    if (!ok && navigator.vibrate) navigator.vibrate([120, 80, 120]);
  }

  /**
   * The page's feedback box (#message, #message-text, optional #message-field) and its words.
   * show(kind, text, {code, field}) — kind ok | error | warn | info; problem(p, prefix) shows an
   * API problem in plain words; text(code) is "中文。English" for a code.
   */
  function feedback(pageMessages) {
    const own = Object.assign({}, COMMON, pageMessages || {});
    const wordsOf = (code) => own[code] || serverMessages()[code];

    function text(code, fallback) {
      const w = wordsOf(code);
      return w ? w[0] + '。' + w[1] : (fallback || code);
    }

    function show(kind, words, opts) {
      const o = opts || {};
      const box = $('message');
      box.hidden = false;
      box.className = 'message ' + kind;
      box.dataset.code = o.code || '';
      $('message-text').textContent = words;
      const field = $('message-field');
      if (field) {
        field.hidden = !o.field;
        field.textContent = o.field ? '字段 Field: ' + fieldWords(o.field) : '';
      }
      if (kind === 'error') beep(false);
      if (kind === 'ok' && o.beep !== false) beep(true);
    }

    function showProblem(p, prefix) {
      const known = !!wordsOf(p.code);
      let words = text(p.code, p.detail);
      // the server's detail names the line of a bad file, the tubes that are not available, or an outline's bad point
      if (known && p.detail && p.detail !== p.code && /^(INVALID_INSTRUMENT_FILE|MISSING_WELLS|TUBE_NOT_AVAILABLE|INVALID_OUTLINE)$/.test(p.code)) {
        words += ' (' + p.detail + ')';
      }
      show('error', (prefix ? prefix + ' — ' : '') + words, { code: p.code, field: p.field });
    }

    function hide() {
      $('message').hidden = true;
    }

    return { text, show, problem: showProblem, hide, words: wordsOf };
  }

  // ---------------------------------------------------------------- focus

  function isField(el) {
    return !!el && el instanceof Element && el.matches('input, select, textarea') && !el.disabled;
  }

  /**
   * Keeps the scanner's field focused: buttons never take focus (a scanned Enter cannot press
   * one), and after a blur (unless into another field) or a tap that is not on a field the focus
   * goes back to primary(). Returns refocus(keepScroll).
   */
  function keepFocus(primary) {
    function refocus(keepScroll) {
      const el = primary();
      if (el && !el.hidden && document.activeElement !== el) el.focus({ preventScroll: keepScroll === true });
    }
    document.addEventListener('mousedown', (e) => {
      if (e.target instanceof Element && e.target.closest('button')) e.preventDefault();
    });
    document.addEventListener('focusout', () => {
      setTimeout(() => { if (!isField(document.activeElement)) refocus(true); }, 0);
    });
    document.addEventListener('click', (e) => {
      const target = e.target instanceof Element ? e.target : null;
      if (target && (isField(target) || target.closest('label, summary'))) return;
      setTimeout(() => { if (!isField(document.activeElement)) refocus(true); }, 0);
    });
    document.addEventListener('visibilitychange', () => { if (!document.hidden) refocus(); });
    return refocus;
  }

  /**
   * A button that acts on the second tap within 4 s (for what cannot be undone). The first tap
   * shows armedText; returns {disarm} so the page can reset it when the context changes.
   */
  function twoTap(button, armedText, action) {
    const idle = button.textContent;
    let timer = null;
    function disarm() {
      if (timer) clearTimeout(timer);
      timer = null;
      button.textContent = idle;
      button.classList.remove('armed');
    }
    button.addEventListener('click', () => {
      if (!timer) {
        button.textContent = typeof armedText === 'function' ? armedText() : armedText;
        button.classList.add('armed');
        timer = setTimeout(disarm, 4000);
        return;
      }
      disarm();
      action();
    });
    return { disarm };
  }

  // ---------------------------------------------------------------- login

  /**
   * Wires the login form (#login-form, #username, #password, #login, #login-error, and the
   * one-time-code row #totp-row with #totp, shown when the server answers TOTP_REQUIRED).
   * opts: {api, words (a feedback()), store (a sessionStore), accept(tokenResponse) → null or a
   * code that refuses the account, onSession(session)}.
   */
  function loginForm(opts) {
    const err = $('login-error');
    const totpRow = $('totp-row');
    function fail(words) {
      err.textContent = words;
      err.hidden = false;
    }
    function askForCode(show) {
      if (!totpRow) return;
      totpRow.hidden = !show;
      $('totp').value = '';
      if (show) $('totp').focus();
    }
    // another username may have no second factor: ask again only when the server does
    $('username').addEventListener('change', () => askForCode(false));
    $('login-form').addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const username = $('username').value.trim();
      const password = $('password').value;
      const totp = totpRow && !totpRow.hidden ? $('totp').value.trim() : '';
      err.hidden = true;
      if (!username || !password) { fail(opts.words.text('LOGIN_REQUIRED')); return; }
      if (totpRow && !totpRow.hidden && !totp) { fail(opts.words.text('TOTP_REQUIRED')); $('totp').focus(); return; }
      $('login').disabled = true;
      try {
        const body = totp ? { username, password, totp } : { username, password };
        const r = await opts.api('POST', '/api/v1/auth/token', body);
        if (!r.ok) {
          const p = problem(r);
          if (p.code === 'TOTP_REQUIRED' || p.code === 'INVALID_TOTP') askForCode(true);
          fail(opts.words.text(p.code, p.detail));
          return;
        }
        askForCode(false);
        const refused = opts.accept(r.data);
        if (refused) { fail(opts.words.text(refused)); return; }
        const session = { accessToken: r.data.accessToken, role: r.data.role, siteCode: r.data.siteCode || null,
          labCode: r.data.labCode || null, username };
        opts.store.save(session);
        $('password').value = '';
        await opts.onSession(session);
      } catch (e) {
        if (!(e instanceof NetworkError)) throw e;
        fail(opts.words.text('NETWORK'));
      } finally {
        $('login').disabled = false;
      }
    });
    return { fail };
  }

  /**
   * Ends a login on the server too (POST /auth/logout revokes the token), best effort: the page
   * forgets the token whatever the answer, and a token that cannot be revoked now still expires.
   */
  function revoke(accessToken) {
    if (!accessToken) return;
    client(() => accessToken)('POST', '/api/v1/auth/logout').catch(() => {});
  }

  /**
   * The session plumbing of a staff page with a login panel and one page panel (#login-panel,
   * #<panel>, #who, #logout, #username), so those pages show, end and time out a login one way.
   * opts: {api (a client()), words (a feedback()), store (a sessionStore), state (the page's
   * object whose .session holds the login), panel (the page panel's id), onLoggedOut() (optional:
   * what the page stops when the login panel comes back, e.g. a refresh timer)}.
   * Returns {setLoggedIn(on), expired(), call (a shownCall that ends the session on 401),
   * login(formOpts) (loginForm with api, words and store filled in), logout()}.
   */
  function staffSession(opts) {
    const { api, words, store, state } = opts;
    let form = null;
    function setLoggedIn(on) {
      $('login-panel').hidden = on;
      $(opts.panel).hidden = !on;
      $('who').hidden = !on;
      $('logout').hidden = !on;
      if (!on) {
        if (opts.onLoggedOut) opts.onLoggedOut();
        $('username').focus();
      }
    }
    function expired() {
      state.session = null;
      store.clear();
      setLoggedIn(false);
      form.fail(words.text('UNAUTHORIZED'));
    }
    function login(formOpts) {
      form = loginForm(Object.assign({ api, words, store }, formOpts));
      return form;
    }
    function logout() {
      revoke(state.session && state.session.accessToken);
      state.session = null;
      store.clear();
      setLoggedIn(false);
    }
    return { setLoggedIn, expired, call: shownCall(api, words, expired), login, logout };
  }

  /**
   * The usual staff page around {@link staffSession}: its client and state (`state` adds the
   * page's own fields), and begin(load), which shows the page for the logged-in user, loads it
   * and, with `every` (ms), loads it again at that interval until logout.
   */
  function staffPage(opts) {
    const state = Object.assign({ session: null, timer: null }, opts.state);
    const api = client(() => state.session && state.session.accessToken);
    const session = staffSession({ api, words: opts.words, store: opts.store, state, panel: opts.panel,
      onLoggedOut: () => clearInterval(state.timer) });
    async function begin(load) {
      session.setLoggedIn(true);
      $('user').textContent = state.session.username;
      await load();
      clearInterval(state.timer);
      if (opts.every) state.timer = setInterval(load, opts.every);
    }
    return Object.assign({ api, state, begin }, session);
  }

  // ---------------------------------------------------------------- small things

  /** A v4 UUID for an Idempotency-Key; crypto.randomUUID exists only in secure contexts (https or localhost). */
  function newKey() {
    if (window.crypto && typeof window.crypto.randomUUID === 'function') return window.crypto.randomUUID();
    const b = window.crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  function el(tag, className, text) {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }

  /**
   * The value of a field where a number is asked for: a number when it is one, null when empty,
   * else the text as typed — so that the server names the field instead of the page guessing.
   */
  function numberOrText(id) {
    const raw = $(id).value.trim();
    if (raw === '') return null;
    const n = Number(raw);
    return Number.isFinite(n) ? n : raw;
  }

  /**
   * The city's time zone, from the layout's <meta name="epiloop-zone"> (the server's
   * epiloop.zone): every time on every page is shown as the city's clocks read, 24-hour, even on
   * a phone or a wall screen set to another zone.
   */
  const ZONE = (() => {
    const m = document.querySelector('meta[name="epiloop-zone"]');
    const z = m && m.content;
    try { return z ? new Intl.DateTimeFormat('en-GB', { timeZone: z }).resolvedOptions().timeZone : undefined; } catch (e) { return undefined; }
  })();

  /** A time in the city's zone, 24-hour: opts are Intl.DateTimeFormat's (default hour and minute). */
  function cityTime(date, opts) {
    const d = date instanceof Date ? date : (date ? new Date(date) : null);
    if (!d || isNaN(d)) return '—';
    return d.toLocaleString('zh-CN', Object.assign({ hour: '2-digit', minute: '2-digit' }, opts || {},
      { hourCycle: 'h23', hour12: false, timeZone: ZONE }));
  }

  /** Month, day and time in 24-hour form, as the pages show a sampling or report time. */
  function when(iso) {
    return cityTime(iso, { month: '2-digit', day: '2-digit' });
  }

  /** A result's status in words: [中文, English, what it means 中文, English]. */
  const RESULT_STATUS = Object.freeze({
    PENDING: ['检测中', 'PENDING', '样本正在检测，结果尚未出来。', 'Your sample is being tested; the result is not out yet.'],
    NEGATIVE: ['阴性', 'NEGATIVE', '未检出病毒。', 'No virus was found.'],
    POSITIVE: ['阳性', 'POSITIVE', '检出病毒。请居家等待，疾控人员会联系您。',
      'The virus was found. Stay at home; health staff will call you.'],
    RECALLED: ['需复检', 'RECALLED', '您所在的混采管阳性，这不代表您阳性。请尽快到采样点单管复检。',
      'Your pooled tube tested positive. This does not mean you are positive: go to a sampling site soon for a single-tube retest.'],
    RETEST: ['需重采', 'RETEST', '样本无法检测（如损坏或结果无效），请重新采样。',
      'Your sample could not be tested (damaged, or the result was invalid). Please be sampled again.'],
  });

  /**
   * Fills a list (ul) with result lines [{sampledAt, status, reportedAt, labCode, pooled, source}],
   * newest first; returns how many there were. The resident page and the public query show results
   * alike; extra(line, li), when given, adds to a line (the resident page: a certificate button).
   */
  function renderResults(list, lines, extra) {
    list.textContent = '';
    const sorted = lines.slice().sort((a, b) => Date.parse(b.sampledAt) - Date.parse(a.sampledAt));
    for (const line of sorted) {
      const s = RESULT_STATUS[line.status] || [line.status, line.status, '', ''];
      const li = el('li', 'result');
      li.dataset.status = line.status;
      const head = el('div', 'result-head');
      head.append(el('strong', 'status-word status-' + String(line.status).toLowerCase(), `${s[0]} ${s[1]}`),
        el('span', 'result-when', '采样 Sampled ' + when(line.sampledAt)));
      li.append(head, el('p', 'result-what', s[2] + ' ' + s[3]));
      const facts = [line.pooled ? '混采 Pooled' : '单管 Single tube'];
      if (line.reportedAt) facts.push('报告 Reported ' + when(line.reportedAt));
      if (line.labCode) facts.push('实验室 Lab ' + line.labCode);
      // a result received from outside the city says where it came from (ADR 0025)
      if (line.source) facts.push(line.source);
      const p = el('p', 'small-print facts');
      for (const f of facts) p.append(el('span', null, f));
      li.append(p);
      if (extra) extra(line, li);
      list.append(li);
    }
    return sorted.length;
  }

  /** Hour and minute in the city's zone, 24-hour. */
  function hhmm(iso) {
    return cityTime(iso);
  }

  // ---------------------------------------------------------------- live streams

  /**
   * Follows a server-sent event stream that is opened with a ticket: an EventSource cannot send
   * the bearer token, so each connection first trades it (POST ticketPath through api) for a
   * single-use ticket valid for a minute, then opens streamPath?ticket=…. When the stream drops
   * (network, server restart, its 30-minute lifetime) it is closed and opened again after a pause
   * with a new ticket, since the browser's own retry would reuse the spent one.
   * handlers: {eventName: fn(parsedData)}; onState('open' | 'closed'). Returns {close()}.
   */
  function ticketedStream(api, ticketPath, streamPath, handlers, onState) {
    let source = null;
    let timer = null;
    let stopped = false;
    const state = (s) => { if (onState) onState(s); };
    function retry() {
      if (source) { source.close(); source = null; }
      state('closed');
      if (!stopped) timer = setTimeout(open, 3000);
    }
    async function open() {
      timer = null;
      let r;
      try {
        r = await api('POST', ticketPath, {});
      } catch (e) {
        retry();
        return;
      }
      if (stopped) return;
      if (!r.ok || !r.data || !r.data.ticket) { retry(); return; }
      source = new EventSource(streamPath + '?ticket=' + enc(r.data.ticket));
      source.addEventListener('ready', () => state('open'));
      Object.keys(handlers).forEach((name) => source.addEventListener(name, (ev) => {
        let data = null;
        try { data = JSON.parse(ev.data); } catch (e) { return; }
        handlers[name](data);
      }));
      source.onerror = retry;
    }
    open();
    return {
      close() {
        stopped = true;
        if (timer) clearTimeout(timer);
        if (source) source.close();
        source = null;
      },
    };
  }

  window.Epiloop = Object.freeze({
    $, enc, el, hhmm, when, cityTime, ZONE, RESULT_STATUS, renderResults, NetworkError, sessionStore, client, problem, local, beep, feedback,
    isField, keepFocus, twoTap, loginForm, revoke, ticketedStream, shownCall, numberOrText, staffSession, staffPage, newKey,
  });
})();
