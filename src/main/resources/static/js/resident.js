/*
 * The resident's page (templates/resident.html). Plain ES2020 on top of common.js (and the
 * optional camera.js), no build step, no inline script (the Content-Security-Policy is
 * script-src 'self').
 *
 * Why it is shaped this way:
 * - The login is a phone and a one-time code; the bearer token lives in sessionStorage, so it
 *   ends with the tab and a shared phone does not stay logged in.
 * - The health code is the point of the page. Its QR is an image the API renders; an <img src>
 *   cannot send the Authorization header, so the image is fetched with the token and shown
 *   through an object URL (the CSP allows img-src blob:).
 * - The QR must hold exactly the token the page claims it holds (data-token, what a checker
 *   compares against). The JSON and the image come from two requests, and the server issues a
 *   new token when the old one is a minute old. It reuses a person's token until then, and never
 *   goes back to an older one: so the JSON is read before AND after the image, and when both
 *   name the same token, the image between them holds it too. Otherwise the three are fetched
 *   again.
 * - Tokens live three minutes. The page fetches a fresh code every minute and as soon as one
 *   expires, without reloading, so a screenshot goes stale. The countdown runs against the
 *   server's clock (its Date header), not the phone's: a phone whose clock is off would
 *   otherwise call every fresh code expired and ask again and again.
 * - Everything else (appointment code, results, exposures) is read when its tab is opened or
 *   its refresh button tapped: cheap, and never older than the resident's last look.
 */
'use strict';

(() => {
  const E = window.Epiloop;
  const { $, el, enc, NetworkError } = E;

  const SESSION = E.sessionStore('epiloop.resident.session');
  const PERSON_KEY = 'epiloop.resident.person';
  const TAB_KEY = 'epiloop.resident.tab';
  const TABS = ['code', 'testing', 'checkin', 'exposures'];
  const TIMEOUT_MS = 15000;
  const REFRESH_MS = 60000; // the server keeps a token for a minute, so a minute gives a new one
  const MIN_REFRESH_MS = 5000;
  const RETRY_MS = 10000;
  const RESEND_S = 60;
  const ADDED_NOTE_MS = 4000;
  const JSON_ACCEPT = 'application/json, application/problem+json';

  const COLORS = { GREEN: ['绿码', 'GREEN'], YELLOW: ['黄码', 'YELLOW'], RED: ['红码', 'RED'] };
  const STATUS = E.RESULT_STATUS;
  const LEVELS = { CLOSE: ['密接', 'Close contact'], SECONDARY: ['次密接', 'Secondary contact'] };

  const words = E.feedback({
    PHONE_REQUIRED: ['请输入手机号', 'Enter your mobile phone number.'],
    INVALID_PHONE: ['手机号不正确', 'That is not a mainland mobile number (11 digits, starting with 1).'],
    OTP_RATE_LIMITED: ['发送太频繁', 'Too many codes for this number. Wait a minute and ask again.'],
    CODE_REQUIRED: ['请输入验证码', 'Enter the code from the text message (6 digits).'],
    INVALID_CODE: ['验证码错误或已过期', 'The code is wrong, already used or expired. Check the message, or tap "Send again".'],
    FIELD_REQUIRED: ['缺少必填项', 'Fill in every field.'],
    INVALID_ID_TYPE: ['证件类型不正确', 'Choose the kind of ID from the list.'],
    INVALID_ID_NUMBER: ['证件号码不正确', 'The ID number is not valid. Check it against the document.'],
    INVALID_NAME: ['姓名不正确', 'Write the name as on the document (1–64 characters).'],
    LINK_CODE_REQUIRED: ['请输入验证码', 'Enter the 6-digit code from the text message.'],
    LINK_CODE_INVALID: ['验证码错误或已过期', 'The code is wrong, used or expired. After 5 wrong tries or 10 minutes, add the person again for a new code.'],
    LINK_RATE_LIMITED: ['操作太频繁', 'Too many requests. Try again later.'],
    LINK_CHANGED: ['信息已变更，请重新添加', 'Something changed since you asked (someone else now holds this person, for example). Add them again.'],
    LINK_NOT_FOUND: ['找不到此申请', 'This request is not on your account any more. Add the person again.'],
    SELF_ALREADY_ON_ACCOUNT: ['本人已在此账户', 'You are already on this account. Choose "A family member" for anyone else.'],
    INVALID_RELATION: ['请选择关系', 'Choose who this person is to you.'],
    UNKNOWN_DISTRICT: ['居住区不存在', 'Choose your district from the list.'],
    DISTRICT_REQUIRED: ['请选择居住区', 'Choose the district you live in.'],
    DISTRICTS_FAILED: ['无法读取居住区列表', 'The list of districts could not be loaded. Log out and in again to retry.'],
    VENUE_CODE_REQUIRED: ['请扫描或输入场所码', 'Scan the venue\'s QR code, or type the code printed under it.'],
    NOT_VENUE_CODE: ['这不是场所码', 'That is not a venue code. Venue codes start with "VN": scan the QR at the entrance.'],
    HEALTH_CODE_NOT_VENUE: ['这是健康码，不是场所码', 'That is a health code. Scan the venue\'s code at the entrance instead.'],
    INVALID_VENUE_TOKEN: ['场所码无效', 'This is not a venue code of Epiloop, or it was mistyped. Scan it again.'],
    CAMERA_FAILED: ['无法使用摄像头扫码', 'The camera cannot scan here. Type the code printed under the QR instead.'],
    OUT_OF_SCOPE: ['无权查看', 'This person is not on your account.'],
    FORBIDDEN: ['无权操作', 'Log in again with your phone.'],
    PERSON_NOT_FOUND: ['找不到此人', 'This person is not registered any more. Reload the page.'],
    CODE_STALE: ['网络不通，二维码可能已过期', 'No network: this code may be out of date. It renews as soon as the network is back.'],
  });

  const api = E.client(() => state.session && state.session.accessToken);

  const state = {
    session: null, // {accessToken, phone (masked)}
    phone: null, // the number the last code was sent to
    persons: [], // [{personId, idType, nameMasked, idMasked, districtCode, relation, confirmedBy, resultsFrom}]
    link: null, // the link request waiting for its code: {linkId, name}
    person: null, // the selected personId
    tab: 'code',
    districts: false,
    code: { busy: false, again: false, timer: null, deadline: 0, lastTry: 0, url: null },
    appointment: { person: null, url: null },
    resend: { timer: null, left: 0 },
    ticker: null,
    camera: null,
  };

  // ---------------------------------------------------------------- HTTP

  /**
   * A GET with the resident's token that also keeps the server's time (the Date header) and,
   * for an image, the body as a Blob: {status, ok, data | blob, serverNow}.
   */
  async function fetchRaw(path, accept) {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), TIMEOUT_MS);
    const headers = { Accept: accept };
    if (state.session) headers.Authorization = 'Bearer ' + state.session.accessToken;
    try {
      const res = await fetch(path, { headers, cache: 'no-store', signal: abort.signal });
      if (res.status === 502 || res.status === 503 || res.status === 504) throw new NetworkError('HTTP ' + res.status);
      const date = Date.parse(res.headers.get('Date') || '');
      // the Date header is whole seconds: the middle of that second is the best guess
      const serverNow = isNaN(date) ? Date.now() : date + 500;
      if (res.ok && (accept.startsWith('image/') || accept === 'application/pdf')) return { status: res.status, ok: true, blob: await res.blob(), serverNow };
      const text = await res.text();
      let data = null;
      try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
      return { status: res.status, ok: res.ok, data, serverNow };
    } catch (e) {
      throw e instanceof NetworkError ? e : new NetworkError(String(e && e.message));
    } finally {
      clearTimeout(timer);
    }
  }

  /** Common handling of a failed call: false when the caller may go on. */
  function failed(r, prefix) {
    if (r.ok) return false;
    if (r.status === 401) { sessionExpired(); return true; }
    words.problem(E.problem(r), prefix);
    return true;
  }

  function network(e) {
    if (!(e instanceof NetworkError)) throw e;
    words.problem(E.local('NETWORK'));
  }

  // ---------------------------------------------------------------- small things

  function maskPhone(phone) {
    let d = String(phone || '').replace(/\D/g, '');
    if (d.length === 13 && d.startsWith('86')) d = d.slice(2);
    return d.length >= 7 ? d.slice(0, 3) + '****' + d.slice(-4) : d;
  }

  function colorWords(color) {
    const w = COLORS[color];
    return w ? w[0] + ' ' + w[1] : (color || '—');
  }

  const when = E.when;

  /** Reason texts come from the server and may hold an ISO instant ("until 2026-12-06T01:50:47Z"): local time reads better. */
  function localTimes(text) {
    return String(text).replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})/g, (iso) => when(iso));
  }

  function hoursAgo(h) {
    if (h == null) return '';
    if (h < 1) return '不到 1 小时前 less than an hour ago';
    if (h === 1) return '1 小时前 1 hour ago';
    return `${h} 小时前 ${h} hours ago`;
  }

  function mmss(ms) {
    const s = Math.max(0, Math.ceil(ms / 1000));
    return Math.floor(s / 60) + ':' + String(s % 60).padStart(2, '0');
  }

  function personById(id) {
    return state.persons.find((p) => p.personId === id) || null;
  }

  function showImage(img, blob, old) {
    const url = URL.createObjectURL(blob);
    img.src = url;
    img.hidden = false;
    if (old) URL.revokeObjectURL(old);
    return url;
  }

  function clearImage(img, url) {
    if (url) URL.revokeObjectURL(url);
    img.removeAttribute('src');
    img.hidden = true;
  }

  // ---------------------------------------------------------------- login

  function loginError(code, detail) {
    const err = $('login-error');
    err.hidden = !code;
    err.textContent = code ? words.text(code, detail) : '';
  }

  async function sendCode(phone) {
    loginError(null);
    if (!phone) { loginError('PHONE_REQUIRED'); $('phone').focus(); return; }
    $('send-code').disabled = true;
    $('resend').disabled = true;
    try {
      const r = await api('POST', '/api/v1/resident/otp', { phone });
      if (!r.ok) {
        const p = E.problem(r);
        loginError(p.code, p.detail);
        if (p.code !== 'OTP_RATE_LIMITED') { showPhoneStep(); $('phone').focus(); }
        return;
      }
      state.phone = phone;
      $('otp-form').hidden = true;
      $('code-form').hidden = false;
      const masked = maskPhone(phone);
      $('code-sent').textContent = `验证码已发送至 ${masked}。 A code was sent to ${masked}.`;
      $('otp').value = '';
      $('otp').focus();
      resendCountdown();
    } catch (e) {
      if (!(e instanceof NetworkError)) throw e;
      loginError('NETWORK');
    } finally {
      $('send-code').disabled = false;
      if (!state.resend.left) $('resend').disabled = false;
    }
  }

  function resendCountdown() {
    const r = state.resend;
    clearInterval(r.timer);
    r.left = RESEND_S;
    const show = () => {
      $('resend').disabled = r.left > 0;
      $('resend').textContent = r.left > 0 ? `重新发送 Send again (${r.left})` : '重新发送 Send again';
    };
    show();
    r.timer = setInterval(() => {
      r.left--;
      show();
      if (r.left <= 0) clearInterval(r.timer);
    }, 1000);
  }

  function showPhoneStep() {
    $('otp-form').hidden = false;
    $('code-form').hidden = true;
    clearInterval(state.resend.timer);
    state.resend.left = 0;
  }

  async function verify(ev) {
    ev.preventDefault();
    const code = $('otp').value.replace(/\s/g, '');
    loginError(null);
    if (!/^\d{4,8}$/.test(code)) { loginError('CODE_REQUIRED'); $('otp').focus(); return; }
    $('verify').disabled = true;
    try {
      const r = await api('POST', '/api/v1/resident/session', { phone: state.phone, code });
      if (!r.ok) {
        const p = E.problem(r);
        loginError(p.code, p.detail);
        $('otp').select();
        return;
      }
      state.session = { accessToken: r.data.accessToken, phone: maskPhone(state.phone) };
      SESSION.save(state.session);
      $('otp').value = '';
      showPhoneStep();
      start();
    } catch (e) {
      if (!(e instanceof NetworkError)) throw e;
      loginError('NETWORK');
    } finally {
      $('verify').disabled = false;
    }
  }

  function setLoggedIn(on) {
    $('login-panel').hidden = on;
    $('home-panel').hidden = !on;
    $('who').hidden = !on;
    $('logout').hidden = !on;
    if (!on) {
      clearInterval(state.ticker);
      state.ticker = null;
      selectPerson(null);
      state.persons = [];
      $('person-list').textContent = '';
      words.hide();
      showPhoneStep();
      $('phone').focus();
    }
  }

  function sessionExpired() {
    state.session = null;
    SESSION.clear();
    setLoggedIn(false);
    loginError('UNAUTHORIZED');
  }

  function logout() {
    state.session = null;
    SESSION.clear();
    sessionStorage.removeItem(PERSON_KEY);
    setLoggedIn(false);
    loginError(null);
  }

  function start() {
    $('user-phone').textContent = state.session.phone || '';
    setLoggedIn(true);
    words.hide();
    clearInterval(state.ticker);
    state.ticker = setInterval(tick, 500);
    loadDistricts();
    loadPersons(sessionStorage.getItem(PERSON_KEY));
  }

  // ---------------------------------------------------------------- persons

  async function loadDistricts() {
    if (state.districts) return;
    try {
      const r = await api('GET', '/api/v1/districts');
      if (r.status === 401) { sessionExpired(); return; }
      if (!r.ok) { words.problem(E.local('DISTRICTS_FAILED')); return; }
      const select = $('district');
      for (const d of r.data || []) {
        const o = el('option', null, `${d.name} (${d.code})`);
        o.value = d.code;
        select.append(o);
      }
      state.districts = true;
    } catch (e) {
      network(e);
    }
  }

  async function loadPersons(prefer) {
    try {
      const r = await api('GET', '/api/v1/resident/persons');
      if (failed(r)) return;
      state.persons = r.data || [];
      renderPersons();
      if (!state.persons.length) {
        selectPerson(null);
        openAdd(true);
        return;
      }
      const has = (id) => !!personById(id);
      selectPerson(has(prefer) ? prefer : has(state.person) ? state.person : state.persons[0].personId);
    } catch (e) {
      network(e);
    }
  }

  function renderPersons() {
    const list = $('person-list');
    list.textContent = '';
    for (const p of state.persons) {
      const b = el('button', 'person');
      b.type = 'button';
      b.dataset.personId = p.personId;
      b.setAttribute('aria-pressed', String(p.personId === state.person));
      b.append(el('span', 'person-name', p.nameMasked), el('span', 'person-id', '…' + String(p.idMasked || '').slice(-4)));
      b.addEventListener('click', () => { closeAdd(); selectPerson(p.personId); });
      const li = el('li');
      li.append(b);
      list.append(li);
    }
  }

  function openAdd(first) {
    showAddStep();
    $('relation').value = state.persons.some((p) => p.relation === 'SELF') ? 'FAMILY' : 'SELF';
    $('add-panel').hidden = false;
    $('add-first').hidden = !first;
    $('add-cancel').hidden = !!first;
    $('add-person').setAttribute('aria-expanded', 'true');
    $('id-number').focus();
  }

  function closeAdd() {
    showAddStep();
    $('add-panel').hidden = true;
    $('add-person').setAttribute('aria-expanded', 'false');
  }

  /** Back to the form of the person's document (the code step forgotten). */
  function showAddStep() {
    state.link = null;
    $('person-form').hidden = false;
    $('link-form').hidden = true;
    $('link-code').value = '';
  }

  /**
   * Step 1 of adding someone: the request. The server answers every request the same way
   * (ADR 0014), so the page cannot and does not say where the code went; it says where codes go.
   */
  async function addPerson(ev) {
    ev.preventDefault();
    const body = {
      idType: $('id-type').value,
      idNumber: $('id-number').value.trim(),
      name: $('person-name').value.trim(),
      districtCode: $('district').value,
      relation: $('relation').value,
    };
    if (!body.idNumber) { words.problem(E.local('FIELD_REQUIRED', 'idNumber')); $('id-number').focus(); return; }
    if (!body.name) { words.problem(E.local('FIELD_REQUIRED', 'name')); $('person-name').focus(); return; }
    if (!body.districtCode) { words.problem(E.local('DISTRICT_REQUIRED', 'districtCode')); $('district').focus(); return; }
    $('add-person-submit').disabled = true;
    try {
      const r = await api('POST', '/api/v1/resident/persons', body);
      if (r.status === 401) { sessionExpired(); return; }
      if (!r.ok) {
        const p = E.problem(r);
        if (p.field === 'districtCode') p.code = 'UNKNOWN_DISTRICT';
        words.problem(p);
        return;
      }
      words.hide();
      state.link = { linkId: r.data.linkId, name: body.name };
      $('person-form').hidden = true;
      $('link-form').hidden = false;
      $('link-form').dataset.linkId = r.data.linkId;
      $('link-sent').textContent = `已申请添加 ${body.name}，验证码已发出（10 分钟内有效）。 A code to add ${body.name} was sent (valid for 10 minutes).`;
      $('link-code').focus();
    } catch (e) {
      network(e);
    } finally {
      $('add-person-submit').disabled = false;
    }
  }

  /** Step 2: the code. Only a confirmed person is on the account and shows anything. */
  async function confirmLink(ev) {
    ev.preventDefault();
    const link = state.link;
    if (!link) { showAddStep(); return; }
    const code = $('link-code').value.replace(/\s/g, '');
    if (!/^\d{6}$/.test(code)) { words.problem(E.local('LINK_CODE_REQUIRED', 'code')); $('link-code').focus(); return; }
    $('link-confirm').disabled = true;
    try {
      const r = await api('POST', `/api/v1/resident/persons/links/${enc(link.linkId)}/confirmation`, { code });
      if (r.status === 401) { sessionExpired(); return; }
      if (!r.ok) {
        const p = E.problem(r);
        if (p.code === 'INVALID_CODE') p.code = 'LINK_CODE_INVALID';
        words.problem(p);
        $('link-code').select();
        return;
      }
      $('person-form').reset();
      closeAdd();
      const later = r.data.resultsFrom ? ' 仅显示此后的检测。 Only tests from now on are shown.' : '';
      words.show('ok', `✓ 已添加 ${r.data.nameMasked}（${r.data.idMasked}）。 Added ${r.data.nameMasked}.${later}`,
        { code: 'PERSON_ADDED', beep: false });
      // the code is what matters now: the note gives way to it
      setTimeout(() => { if ($('message').dataset.code === 'PERSON_ADDED') $('message').hidden = true; }, ADDED_NOTE_MS);
      await loadPersons(r.data.personId);
    } catch (e) {
      network(e);
    } finally {
      $('link-confirm').disabled = false;
    }
  }

  function selectPerson(id) {
    const changed = id !== state.person;
    state.person = id;
    if (id) sessionStorage.setItem(PERSON_KEY, id);
    for (const b of document.querySelectorAll('#person-list .person')) {
      b.setAttribute('aria-pressed', String(b.dataset.personId === id));
    }
    $('person-panels').hidden = !id;
    if (changed) clearPersonViews();
    if (!id) return;
    loadCode();
    setTab(sessionStorage.getItem(TAB_KEY) || state.tab);
  }

  function clearPersonViews() {
    const c = state.code;
    clearTimeout(c.timer);
    c.deadline = 0;
    clearImage($('code-qr'), c.url);
    c.url = null;
    const card = $('code-card');
    card.dataset.color = '';
    card.classList.remove('expired');
    delete $('code-qr').dataset.token;
    delete $('code-qr').dataset.expiresAt;
    $('code-color').textContent = '…';
    $('code-name').textContent = '';
    $('code-countdown').textContent = '';
    $('last-test').textContent = '';
    $('code-reasons').textContent = '';
    $('code-updated').textContent = '';
    $('code-note').hidden = true;
    $('code-expired').hidden = true;
    clearImage($('appointment-qr'), state.appointment.url);
    state.appointment = { person: null, url: null };
    $('results').textContent = '';
    $('results-none').hidden = true;
    $('exposures').textContent = '';
    $('exposures-none').hidden = true;
    $('checkin-result').hidden = true;
    stopCamera();
  }

  // ---------------------------------------------------------------- tabs

  function setTab(tab) {
    state.tab = TABS.includes(tab) ? tab : 'code';
    sessionStorage.setItem(TAB_KEY, state.tab);
    for (const t of TABS) {
      $('tab-' + t).setAttribute('aria-selected', String(t === state.tab));
      $(t + '-panel').hidden = t !== state.tab;
    }
    if (state.tab !== 'checkin') stopCamera();
    if (!state.person) return;
    if (state.tab === 'testing') { loadAppointment(); loadResults(); }
    if (state.tab === 'exposures') loadExposures();
    if (state.tab === 'checkin') {
      const p = personById(state.person);
      $('checkin-who').textContent = p ? `为 ${p.nameMasked} 登记 · Checking in ${p.nameMasked}` : '';
    }
  }

  // ---------------------------------------------------------------- the health code

  /**
   * The JSON, the image and the JSON again, until both JSON answers name the same token (see
   * the header): {view, blob, serverNow, at} or {failure: response}.
   */
  async function fetchCode(person) {
    const path = `/api/v1/resident/persons/${enc(person)}/health-code`;
    let got = null;
    for (let i = 0; i < 3; i++) {
      const before = await fetchRaw(path, JSON_ACCEPT);
      if (!before.ok) return { failure: before };
      const png = await fetchRaw(path + '.png', 'image/png');
      if (!png.ok) return { failure: png };
      const after = await fetchRaw(path, JSON_ACCEPT);
      if (!after.ok) return { failure: after };
      got = { view: after.data, blob: png.blob, serverNow: after.serverNow, at: performance.now() };
      if (before.data.token === after.data.token) return got;
    }
    return got;
  }

  /** Fetches and shows the selected person's code, then schedules the next refresh. */
  async function loadCode() {
    const person = state.person;
    const c = state.code;
    if (!person || !state.session) return;
    if (c.busy) { c.again = true; return; }
    c.busy = true;
    c.again = false;
    clearTimeout(c.timer);
    c.lastTry = performance.now();
    let next = RETRY_MS;
    try {
      const got = await fetchCode(person);
      if (state.person !== person || !state.session) return;
      if (got.failure) {
        failed(got.failure);
        next = REFRESH_MS;
        return;
      }
      await renderCode(got, person);
      next = Math.max(MIN_REFRESH_MS, Math.min(REFRESH_MS, c.deadline - performance.now()));
    } catch (e) {
      if (!(e instanceof NetworkError)) throw e;
      if (state.person === person) {
        $('code-note').hidden = false;
        $('code-note').textContent = words.text('CODE_STALE');
      }
    } finally {
      c.busy = false;
      if (state.person && state.session) {
        if (c.again) loadCode(); else c.timer = setTimeout(loadCode, next);
      }
    }
  }

  async function renderCode(got, person) {
    const v = got.view;
    const c = state.code;
    const img = $('code-qr');
    delete img.dataset.token; // no claim while the image changes
    c.url = showImage(img, got.blob, c.url);
    try { await img.decode(); } catch (e) { /* it shows when it loads */ }
    if (state.person !== person) return;
    // the token and the image change together, once the image can be drawn
    img.dataset.token = v.token;
    img.dataset.expiresAt = v.expiresAt;
    c.deadline = got.at + (Date.parse(v.expiresAt) - got.serverNow);

    const card = $('code-card');
    card.dataset.color = v.color;
    $('code-color').textContent = colorWords(v.color);
    $('code-name').textContent = v.nameMasked || '';
    img.alt = `${colorWords(v.color)} ${v.nameMasked || ''} 健康码二维码 Health code QR`;

    const reasons = $('code-reasons');
    reasons.textContent = '';
    for (const r of v.reasons || []) {
      const li = el('li', null, localTimes(r.text || r.code));
      li.dataset.code = r.code;
      reasons.append(li);
    }

    const last = $('last-test');
    last.textContent = '';
    const t = v.lastTest;
    last.dataset.status = t ? t.status : '';
    last.append(el('span', 'label', '最近核酸 Last test: '));
    if (t) {
      const s = STATUS[t.status];
      last.append(el('strong', 'status-word status-' + String(t.status).toLowerCase(), s ? `${s[0]} ${s[1]}` : t.status),
        el('span', null, ' · ' + hoursAgo(t.hoursSince)));
    } else {
      last.append(el('strong', null, '暂无 none yet'));
    }

    $('code-note').hidden = true;
    $('code-updated').textContent = '更新 Updated ' + E.cityTime(new Date(), { second: '2-digit' });
    tick();
  }

  /** The countdown, twice a second; an expired code is greyed out and fetched again. */
  function tick() {
    const c = state.code;
    if (!state.person || !c.deadline) return;
    const left = c.deadline - performance.now();
    const expired = left <= 0;
    $('code-card').classList.toggle('expired', expired);
    $('code-expired').hidden = !expired;
    const cd = $('code-countdown');
    cd.dataset.seconds = String(Math.max(0, Math.ceil(left / 1000)));
    cd.textContent = expired ? '已过期，正在刷新 Expired — refreshing…' : `有效 ${mmss(left)} · Valid for ${mmss(left)}`;
    if (expired && !c.busy && performance.now() - c.lastTry > MIN_REFRESH_MS) loadCode();
  }

  // ---------------------------------------------------------------- testing

  async function loadAppointment() {
    const person = state.person;
    if (state.appointment.person === person) return; // valid for days: once per person and page
    try {
      const r = await fetchRaw(`/api/v1/resident/persons/${enc(person)}/appointment.png`, 'image/png');
      if (state.person !== person) return;
      if (failed(r)) return;
      state.appointment = { person, url: showImage($('appointment-qr'), r.blob, state.appointment.url) };
    } catch (e) {
      network(e);
    }
  }

  async function loadResults() {
    const person = state.person;
    $('results-refresh').disabled = true;
    try {
      const r = await api('GET', `/api/v1/resident/persons/${enc(person)}/results`);
      if (state.person !== person) return;
      if (failed(r)) return;
      renderResults(r.data || []);
    } catch (e) {
      network(e);
    } finally {
      $('results-refresh').disabled = false;
    }
  }

  function renderResults(lines) {
    $('results-none').hidden = E.renderResults($('results'), lines, certificateButton) > 0;
  }

  /**
   * A released negative or positive of a city lab can be downloaded as a signed certificate
   * (PDF with a QR code anyone checks at /verify); an outside result is certified by its own lab.
   */
  function certificateButton(line, li) {
    if (line.source || !line.resultId || (line.status !== 'NEGATIVE' && line.status !== 'POSITIVE')) return;
    const button = el('button', 'btn btn-quiet certificate', '下载结果证明 Certificate (PDF)');
    button.type = 'button';
    button.dataset.resultId = line.resultId;
    button.addEventListener('click', async () => {
      button.disabled = true;
      try {
        const r = await fetchRaw(`/api/v1/certificates/${enc(line.resultId)}`, 'application/pdf');
        if (failed(r)) return;
        const url = URL.createObjectURL(r.blob);
        const a = el('a');
        a.href = url;
        a.download = `certificate-${line.resultId}.pdf`;
        document.body.append(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(url), 60000);
      } catch (e) {
        network(e);
      } finally {
        button.disabled = false;
      }
    });
    li.append(button);
  }

  // ---------------------------------------------------------------- check-in

  /** A venue QR holds a token starting "VN"; it may arrive inside a longer text (a URL). */
  function venueToken(text) {
    const m = text.match(/VN[A-Z2-7]{8,}/i);
    return m ? m[0] : null;
  }

  async function checkIn(ev) {
    if (ev) ev.preventDefault();
    const person = state.person;
    const raw = $('venue-token').value.trim();
    if (!person) return;
    if (!raw) { words.problem(E.local('VENUE_CODE_REQUIRED', 'venueToken')); return; }
    if (/^eyJ/.test(raw)) { words.problem(E.local('HEALTH_CODE_NOT_VENUE', 'venueToken')); return; }
    const token = venueToken(raw);
    if (!token) { words.problem(E.local('NOT_VENUE_CODE', 'venueToken')); return; }
    $('checkin-submit').disabled = true;
    try {
      const r = await api('POST', `/api/v1/resident/persons/${enc(person)}/check-ins`, { venueToken: token });
      if (state.person !== person) return;
      if (failed(r)) { $('checkin-result').hidden = true; return; }
      $('venue-token').value = '';
      words.hide();
      renderAdmission(r.data, personById(person));
    } catch (e) {
      network(e);
    } finally {
      $('checkin-submit').disabled = false;
    }
  }

  function renderAdmission(d, person) {
    const box = $('checkin-result');
    box.hidden = false;
    box.dataset.admitted = String(!!d.admitted);
    box.dataset.color = d.color || '';
    $('checkin-verdict').textContent = d.admitted ? '✓ 可以进入 ADMITTED' : '✗ 不可进入 NOT ADMITTED';
    $('checkin-venue').textContent = d.venueName || '';
    $('checkin-color').textContent = colorWords(d.color);
    $('checkin-reason').textContent = d.reason || '';
    $('checkin-reason').hidden = !d.reason;
    $('checkin-at').textContent = `${person ? person.nameMasked + ' · ' : ''}登记于 Checked in ${E.hhmm(d.at)}`;
    E.beep(!!d.admitted);
  }

  function startCamera() {
    stopCamera();
    state.camera = window.EpiloopCamera.scan($('checkin-video'), (text) => {
      state.camera = null;
      $('venue-token').value = text;
      checkIn();
    }, () => {
      state.camera = null;
      words.problem(E.local('CAMERA_FAILED'));
    });
  }

  function stopCamera() {
    if (state.camera) state.camera.stop();
    state.camera = null;
  }

  // ---------------------------------------------------------------- exposures

  async function loadExposures() {
    const person = state.person;
    $('exposures-refresh').disabled = true;
    try {
      const r = await api('GET', `/api/v1/resident/persons/${enc(person)}/exposures`);
      if (state.person !== person) return;
      if (failed(r)) return;
      const list = $('exposures');
      list.textContent = '';
      const found = r.data || [];
      $('exposures-none').hidden = found.length > 0;
      for (const x of found) {
        const level = LEVELS[x.level] || [x.level, x.level];
        const li = el('li', 'exposure');
        li.dataset.level = x.level;
        const head = el('div', 'result-head');
        head.append(el('strong', 'exposure-venue', x.venueName || x.venueCode), el('span', 'level level-' + String(x.level).toLowerCase(),
          `${level[0]} ${level[1]}`));
        const facts = el('p', 'small-print facts');
        facts.append(el('span', null, '时间 When ' + when(x.at)));
        if (x.venueCode) facts.append(el('span', null, x.venueCode));
        li.append(head, facts);
        list.append(li);
      }
      if (found.length) {
        words.show('warn', '⚠ 发现时空重叠：请居家并等待疾控联系。 You were near a case: stay at home and wait for the health office to call.',
          { code: 'EXPOSED', beep: false });
      }
    } catch (e) {
      network(e);
    } finally {
      $('exposures-refresh').disabled = false;
    }
  }

  // ---------------------------------------------------------------- wiring

  function init() {
    $('otp-form').addEventListener('submit', (ev) => { ev.preventDefault(); sendCode($('phone').value.trim()); });
    $('code-form').addEventListener('submit', verify);
    $('resend').addEventListener('click', () => sendCode(state.phone));
    $('other-phone').addEventListener('click', () => { loginError(null); showPhoneStep(); $('phone').focus(); });
    $('logout').addEventListener('click', logout);

    $('add-person').addEventListener('click', () => {
      if ($('add-panel').hidden) openAdd(!state.persons.length); else if (state.persons.length) closeAdd();
    });
    $('add-cancel').addEventListener('click', closeAdd);
    $('person-form').addEventListener('submit', addPerson);
    $('link-form').addEventListener('submit', confirmLink);
    $('link-cancel').addEventListener('click', () => { words.hide(); showAddStep(); $('id-number').focus(); });

    for (const t of TABS) $('tab-' + t).addEventListener('click', () => { words.hide(); setTab(t); });
    $('code-refresh').addEventListener('click', () => loadCode());
    $('results-refresh').addEventListener('click', () => loadResults());
    $('exposures-refresh').addEventListener('click', () => loadExposures());
    $('checkin-form').addEventListener('submit', checkIn);
    if (window.EpiloopCamera && window.EpiloopCamera.available()) {
      $('checkin-camera').hidden = false;
      $('checkin-camera').addEventListener('click', startCamera);
    }

    // back to the page after a while (phone unlocked, tab switched): the code first
    document.addEventListener('visibilitychange', () => {
      const c = state.code;
      if (document.hidden) { stopCamera(); return; }
      if (state.session && state.person && (performance.now() - c.lastTry > 15000 || c.deadline - performance.now() < 0)) loadCode();
    });

    state.session = SESSION.load();
    if (state.session && state.session.accessToken) start(); else setLoggedIn(false);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init); else init();
})();
