/*
 * The venue manager's page (templates/venues.html). Plain ES2020 on top of common.js, no build
 * step, no inline script (CSP script-src 'self').
 *
 * Why it is shaped this way:
 * - A manager has a few venues, so they are listed with their two actions (today's figures, the
 *   poster) and nothing is typed but a new venue's details.
 * - The poster is printed from the browser (A4, print stylesheet) with the browser's own fonts,
 *   so the venue's Chinese name prints as the manager typed it. Its QR image needs the bearer
 *   token, so it is fetched and shown from a blob.
 * - Today's colour mix is counted by the server from the colours the entrance saw at each
 *   check-in (not today's colours of those persons).
 */
'use strict';

(() => {
  const E = window.Epiloop;
  const { $, el, enc } = E;

  const SESSION = E.sessionStore('epiloop.venues.session');
  const KINDS = {
    RESTAURANT: '餐饮 Restaurant', MARKET: '市场 Market', SHOP: '商店 Shop', OFFICE: '办公 Office',
    FACTORY: '工厂 Factory', HOSPITAL: '医院 Hospital', CLINIC: '诊所 Clinic', PHARMACY: '药店 Pharmacy',
    STATION: '车站机场 Station', TRANSIT: '公共交通 Transit', SCHOOL: '学校 School', HOTEL: '酒店 Hotel',
    RESIDENTIAL: '小区 Residential', GOVERNMENT: '政府机关 Government', ENTERTAINMENT: '娱乐 Entertainment',
    RELIGIOUS: '宗教场所 Religious', OTHER: '其他 Other',
  };
  const COLORS = { GREEN: ['绿码', 'Green'], YELLOW: ['黄码', 'Yellow'], RED: ['红码', 'Red'], UNKNOWN: ['未记录', 'Not recorded'] };

  const words = E.feedback({
    NOT_VENUE_MANAGER: ['不是场所管理员账号', 'This page is for venue managers. Log in with a venue manager account.'],
    INVALID_VENUE_NAME: ['场所名称不正确', 'The name must be 1–100 characters.'],
    UNKNOWN_DISTRICT: ['所在区不存在', 'Choose the district from the list.'],
    INVALID_COORDINATES: ['坐标不正确', 'Latitude is -90 to 90, longitude -180 to 180.'],
    INVALID_TEST_WINDOW: ['小时数不正确', 'Hours must be 1 to 720, or left empty.'],
    VENUE_NOT_FOUND: ['找不到该场所', 'This venue does not exist.'],
    NO_LOCATION: ['无法获取位置', 'The location is not available. Type the coordinates instead.'],
  });

  const state = { session: null, venues: [], dayVenue: null, qrUrl: null };
  const api = E.client(() => state.session && state.session.accessToken);

  function setLoggedIn(on) {
    $('login-panel').hidden = on;
    $('manager-panel').hidden = !on;
    $('who').hidden = !on;
    $('logout').hidden = !on;
    if (!on) $('username').focus();
  }

  const call = E.shownCall(api, words, () => {
    SESSION.clear();
    state.session = null;
    setLoggedIn(false);
  });

  // ---------------------------------------------------------------- venues

  async function loadDistricts() {
    const r = await call('GET', '/api/v1/districts');
    if (!r) return;
    const select = $('venue-district');
    select.textContent = '';
    for (const d of r.data) {
      const o = el('option', null, `${d.name} (${d.code})`);
      o.value = d.code;
      select.append(o);
    }
  }

  async function loadVenues() {
    const r = await call('GET', '/api/v1/venues');
    if (!r) return;
    state.venues = r.data;
    const list = $('venue-list');
    list.textContent = '';
    $('venues-none').hidden = r.data.length > 0;
    for (const v of r.data) {
      const li = el('li', 'venue-item');
      li.dataset.code = v.venueCode;
      const what = el('div', 'venue-what');
      what.append(el('strong', 'venue-name', v.name), el('span', 'small-print', `${KINDS[v.kind] || v.kind} · ${v.venueCode}`));
      const today = el('button', 'btn btn-small', '今日 Today');
      today.type = 'button';
      today.dataset.action = 'day';
      const poster = el('button', 'btn btn-small btn-primary', '海报 Poster');
      poster.type = 'button';
      poster.dataset.action = 'poster';
      const actions = el('div', 'venue-actions');
      actions.append(today, poster);
      li.append(what, actions);
      list.append(li);
    }
  }

  $('venue-list').addEventListener('click', (ev) => {
    const button = ev.target instanceof Element ? ev.target.closest('button[data-action]') : null;
    if (!button) return;
    const code = button.closest('li').dataset.code;
    if (button.dataset.action === 'day') showDay(code);
    else showPoster(code);
  });

  // ---------------------------------------------------------------- today

  async function showDay(code) {
    const r = await call('GET', `/api/v1/venues/${enc(code)}/check-ins/today`);
    if (!r) return;
    const d = r.data;
    state.dayVenue = code;
    $('day-panel').hidden = false;
    $('day-venue').textContent = d.name;
    $('day-total').textContent = d.total;
    $('day-admitted').textContent = d.admitted;
    $('day-denied').textContent = d.denied;
    const mix = $('day-colors');
    const legend = $('day-legend');
    mix.textContent = '';
    legend.textContent = '';
    for (const [color, n] of Object.entries(d.colors)) {
      if (color === 'UNKNOWN' && n === 0) continue;
      const share = d.total ? Math.round((100 * n) / d.total) : 0;
      if (n > 0) {
        const seg = el('span', 'mix-' + color.toLowerCase());
        seg.style.width = share + '%';
        seg.title = `${COLORS[color][0]} ${n}`;
        mix.append(seg);
      }
      const li = el('li', 'legend-' + color.toLowerCase());
      li.dataset.color = color;
      li.append(el('span', 'swatch mix-' + color.toLowerCase()), `${COLORS[color][0]} ${COLORS[color][1]}: `, el('strong', null, String(n)),
        ` (${share}%)`);
      legend.append(li);
    }
    const hours = $('day-hours');
    hours.textContent = '';
    const max = Math.max(1, ...d.perHour);
    d.perHour.forEach((n, h) => {
      const bar = el('span', 'hour-bar');
      bar.style.height = Math.round((100 * n) / max) + '%';
      bar.title = `${String(h).padStart(2, '0')}:00 — ${n}`;
      bar.dataset.hour = h;
      bar.dataset.count = n;
      hours.append(bar);
    });
    $('day-panel').scrollIntoView({ block: 'nearest' });
  }

  $('day-refresh').addEventListener('click', () => { if (state.dayVenue) showDay(state.dayVenue); });

  // ---------------------------------------------------------------- poster

  async function showPoster(code) {
    const v = state.venues.find((x) => x.venueCode === code);
    if (!v) return;
    let res;
    try {
      res = await fetch(`/api/v1/venues/${enc(code)}/qr.png`, {
        headers: { Authorization: 'Bearer ' + state.session.accessToken }, cache: 'no-store' });
    } catch (e) {
      words.show('error', words.text('NETWORK'), { code: 'NETWORK' });
      return;
    }
    if (!res.ok) {
      words.show('error', words.text(res.status === 404 ? 'VENUE_NOT_FOUND' : 'HTTP_' + res.status));
      return;
    }
    if (state.qrUrl) URL.revokeObjectURL(state.qrUrl);
    state.qrUrl = URL.createObjectURL(await res.blob());
    $('poster-qr').src = state.qrUrl;
    $('poster-name').textContent = v.name;
    $('poster-code').textContent = v.venueCode;
    $('poster-district').textContent = v.districtCode;
    $('manager-panel').hidden = true;
    $('poster').hidden = false;
    document.body.classList.add('printing-poster');
  }

  function closePoster() {
    $('poster').hidden = true;
    $('manager-panel').hidden = false;
    document.body.classList.remove('printing-poster');
  }

  $('poster-print').addEventListener('click', () => window.print());
  $('poster-close').addEventListener('click', closePoster);

  // ---------------------------------------------------------------- register

  const numberOrText = E.numberOrText;

  $('register-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    words.hide();
    const body = {
      name: $('venue-name').value.trim(), districtCode: $('venue-district').value, kind: $('venue-kind').value,
      latitude: numberOrText('venue-lat'), longitude: numberOrText('venue-lon'),
    };
    const hours = numberOrText('venue-test-hours');
    if (hours !== null) body.negativeTestWithinHours = hours;
    $('register').disabled = true;
    try {
      const r = await call('POST', '/api/v1/venues', body);
      if (!r) return;
      words.show('ok', `已登记 Registered: ${r.data.name} (${r.data.venueCode})`);
      $('register-form').reset();
      await loadVenues();
    } finally {
      $('register').disabled = false;
    }
  });

  $('venue-here').addEventListener('click', () => {
    if (!navigator.geolocation) { words.show('warn', words.text('NO_LOCATION')); return; }
    navigator.geolocation.getCurrentPosition((p) => {
      $('venue-lat').value = p.coords.latitude.toFixed(6);
      $('venue-lon').value = p.coords.longitude.toFixed(6);
    }, () => words.show('warn', words.text('NO_LOCATION')), { timeout: 10000 });
  });

  // ---------------------------------------------------------------- session

  async function start(session) {
    state.session = session;
    $('user').textContent = session.username;
    setLoggedIn(true);
    await Promise.all([loadDistricts(), loadVenues()]);
  }

  for (const o of $('venue-kind').options) o.textContent = KINDS[o.value] || o.value;

  E.loginForm({
    api, words, store: SESSION,
    accept: (t) => (t.role === 'VENUE_MANAGER' || t.role === 'ADMIN' ? null : 'NOT_VENUE_MANAGER'),
    onSession: start,
  });

  $('logout').addEventListener('click', () => {
    SESSION.clear();
    state.session = null;
    closePoster();
    setLoggedIn(false);
  });

  const saved = SESSION.load();
  if (saved && saved.accessToken) start(saved);
})();
