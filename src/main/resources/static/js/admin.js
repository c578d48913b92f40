/*
 * The administration page (templates/admin.html). Plain ES2020 on top of common.js and
 * citymap.js (ECharts from the jar), no build step, no inline script (CSP script-src 'self').
 *
 * Why it is shaped this way:
 * - A city is set up once and corrected often, mostly on a laptop but sometimes on a phone at a
 *   site: four tabs, each a short form above its list.
 * - A site's coordinates are the ones most often typed wrong (latitude and longitude swapped, a
 *   digit dropped), and a wrong one sends couriers and residents to the wrong place. So the site
 *   being entered is a red pin on the same city map the command centre draws, and the distance
 *   to the nearest existing site is said in words while typing.
 * - The map draws the districts' outlines (GeoJSON the directory keeps); the districts tab sets
 *   one from a boundary dataset's file (a FeatureCollection gives the feature named like the
 *   district) or pasted text, and shows the same map so a wrong outline is seen at once.
 * - A staff account is bound to a site (collectors) or a lab (lab staff): the form shows only
 *   the choice the role needs, from the lists, so no code is typed.
 */
'use strict';

(() => {
  const E = window.Epiloop;
  const { $, el, enc } = E;

  const SESSION = E.sessionStore('epiloop.admin.session');
  const TABS = ['sites', 'labs', 'staff', 'districts', 'texts', 'province'];
  const ROLES = {
    COLLECTOR: '采样员 Collector', COURIER: '转运员 Courier', LAB_TECH: '检验员 Lab technician',
    LAB_REVIEWER: '审核员 Lab reviewer', OFFICIAL: '防疫人员 Official', VENUE_MANAGER: '场所管理员 Venue manager',
    LAB_DIRECTOR: '实验室主任 Lab director', PARTNER: '对接系统 Partner system',
    GRID_WORKER: '网格员 Grid worker', HOSPITAL: '发热门诊 Fever clinic', ADMIN: '管理员 Administrator',
  };
  const FAR_KM = 50;

  const words = E.feedback({
    NOT_ADMIN: ['不是管理员账号', 'This page is for administrators. Log in with an administrator account.'],
    DISTRICT_EXISTS: ['该区编码已存在', 'A district with this code exists already.'],
    SITE_EXISTS: ['该采样点编码已存在', 'A site with this code exists already.'],
    LAB_EXISTS: ['该实验室编码已存在', 'A lab with this code exists already.'],
    USER_EXISTS: ['用户名已存在', 'This username is taken.'],
    UNKNOWN_DISTRICT: ['区不存在', 'Choose the district from the list.'],
    INVALID_COORDINATES: ['坐标不正确', 'Latitude is -90 to 90, longitude -180 to 180.'],
    OUTLINE_NOT_IN_FILE: ['文件中找不到该区', 'The file holds several districts and none is named like the chosen one: choose the district, or paste its feature alone.'],
    WEAK_PASSWORD: ['密码太弱', 'The password is too short or too common: use 12 characters or more, not a common one.'],
  });

  const state = { session: null, tab: 'sites', districts: [], sites: [], labs: [], users: [], outlines: null, maps: {} };
  const api = E.client(() => state.session && state.session.accessToken);

  function setLoggedIn(on) {
    $('login-panel').hidden = on;
    $('admin-panel').hidden = !on;
    $('who').hidden = !on;
    $('logout').hidden = !on;
    if (!on) $('username').focus();
  }

  /** One API call; problems are shown in words; resolves to the response, or null when it failed. */
  const call = E.shownCall(api, words, () => {
    SESSION.clear();
    state.session = null;
    setLoggedIn(false);
  });
  const numberOrText = E.numberOrText;

  function options(select, items, label, value) {
    const keep = select.value;
    select.textContent = '';
    for (const item of items) {
      const o = el('option', null, label(item));
      o.value = value(item);
      select.append(o);
    }
    if (keep && items.some((i) => value(i) === keep)) select.value = keep;
  }

  // ---------------------------------------------------------------- tabs

  function setTab(tab) {
    state.tab = TABS.includes(tab) ? tab : 'sites';
    for (const t of TABS) {
      $('tab-' + t).setAttribute('aria-selected', String(t === state.tab));
      $(t + '-panel').hidden = t !== state.tab;
    }
    drawMap();
    if (state.tab === 'province' && state.session) loadProvince();
  }
  for (const t of TABS) $('tab-' + t).addEventListener('click', () => { words.hide(); setTab(t); });

  // ---------------------------------------------------------------- lists

  async function loadDistricts() {
    const r = await call('GET', '/api/v1/districts');
    if (!r) return;
    state.districts = r.data;
    for (const select of document.querySelectorAll('.district-select')) {
      options(select, r.data, (d) => `${d.name} (${d.code})`, (d) => d.code);
    }
    list('district-list', r.data, (d) => [d.name, d.code + ' · ' + (d.hasOutline ? '已有轮廓 outline set' : '无轮廓 no outline')]);
  }

  async function loadOutlines() {
    const r = await call('GET', '/api/v1/districts/outlines');
    if (!r) return;
    state.outlines = r.data;
    drawMap();
  }

  async function loadSites() {
    const r = await call('GET', '/api/v1/sites');
    if (!r) return;
    state.sites = r.data;
    options($('user-site'), r.data, (s) => `${s.name} (${s.code})`, (s) => s.code);
    list('site-list', r.data, (s) => [`${s.name} (${s.code})`,
      `${s.districtCode} · ${s.latitude.toFixed(5)}, ${s.longitude.toFixed(5)} · ${s.openingHours || '开放时间未填 hours not set'}`]);
    drawMap();
  }

  async function loadLabs() {
    const r = await call('GET', '/api/v1/labs');
    if (!r) return;
    state.labs = r.data;
    options($('user-lab'), r.data, (l) => `${l.name} (${l.code})`, (l) => l.code);
    list('lab-list', r.data, (l) => [`${l.name} (${l.code})`,
      `${l.districtCode} · 日能力 capacity ${Number(l.dailyCapacity).toLocaleString('en-US')}`]);
    drawMap();
  }

  async function loadUsers() {
    const r = await call('GET', '/api/v1/admin/users');
    if (!r) return;
    state.users = r.data;
    const ul = $('user-list');
    ul.textContent = '';
    for (const u of r.data) {
      const li = el('li', 'admin-item');
      li.dataset.username = u.username;
      li.dataset.enabled = String(u.enabled !== false);
      const scope = u.siteCode ? ' · ' + u.siteCode : u.labCode ? ' · ' + u.labCode : '';
      const what = el('div', 'admin-what');
      what.append(el('strong', null, u.username),
        el('span', 'small-print', (ROLES[u.role] || u.role) + scope + (u.enabled === false ? ' · 已停用 DISABLED' : '')));
      const actions = el('div', 'admin-actions');
      const toggle = el('button', 'btn btn-small ' + (u.enabled === false ? '' : 'btn-warn'),
        u.enabled === false ? '启用 Enable' : '停用 Disable');
      toggle.type = 'button';
      toggle.dataset.action = u.enabled === false ? 'enable' : 'disable';
      const reset = el('button', 'btn btn-small btn-quiet', '重置密码 Reset password');
      reset.type = 'button';
      reset.dataset.action = 'reset';
      actions.append(toggle, reset);
      li.append(what, actions);
      ul.append(li);
    }
  }

  function list(id, items, lines) {
    const ul = $(id);
    ul.textContent = '';
    for (const item of items) {
      const [head, detail] = lines(item);
      const li = el('li', 'admin-item');
      li.dataset.code = item.code;
      const what = el('div', 'admin-what');
      what.append(el('strong', null, head), el('span', 'small-print', detail));
      li.append(what);
      ul.append(li);
    }
  }

  // ---------------------------------------------------------------- the map

  function km(aLat, aLon, bLat, bLon) {
    const r = (d) => (d * Math.PI) / 180;
    const h = Math.sin(r(bLat - aLat) / 2) ** 2 + Math.cos(r(aLat)) * Math.cos(r(bLat)) * Math.sin(r(bLon - aLon) / 2) ** 2;
    return 2 * 6371 * Math.asin(Math.sqrt(h));
  }

  /** The map of the open tab: sites (with the site being entered as a pin) or districts. */
  function drawMap() {
    const id = { sites: 'site-map', districts: 'district-map' }[state.tab];
    if (!id || $('admin-panel').hidden || !window.echarts) return;
    if (!state.maps[id]) state.maps[id] = window.echarts.init($(id), null, { renderer: 'canvas' });
    const lat = Number($('site-lat').value.trim());
    const lon = Number($('site-lon').value.trim());
    const typed = state.tab === 'sites' && $('site-lat').value.trim() !== '' && $('site-lon').value.trim() !== ''
      && Number.isFinite(lat) && Number.isFinite(lon);
    const focusName = ($('site-code').value.trim() || '新 New');
    window.EpiloopMap.draw(state.maps[id], {
      outlines: state.outlines, halo: '#ffffff',
      sites: state.sites.map((s) => ({ name: `${s.code} ${s.name}`, label: s.code, lon: s.longitude, lat: s.latitude, color: '#0a4fb4', size: 10 })),
      labs: state.labs.map((l) => ({ name: `${l.code} ${l.name}`, label: l.code, lon: l.longitude, lat: l.latitude, color: '#7a4a00', size: 18 })),
      focus: typed ? { name: focusName, lon, lat } : null,
    });
    const note = $('site-distance');
    note.classList.remove('far');
    if (!typed || state.sites.length === 0) {
      note.textContent = '';
      return;
    }
    let nearest = null;
    for (const s of state.sites) {
      const d = km(lat, lon, s.latitude, s.longitude);
      if (!nearest || d < nearest.d) nearest = { d, s };
    }
    const far = nearest.d > FAR_KM;
    note.classList.toggle('far', far);
    note.dataset.far = String(far);
    note.textContent = `最近的采样点 Nearest site: ${nearest.s.name} (${nearest.s.code}), ${nearest.d.toFixed(1)} km`
      + (far ? ` — 离其他点很远，请核对坐标 Far from all others: check the coordinates` : '');
  }
  for (const id of ['site-lat', 'site-lon', 'site-code']) $(id).addEventListener('input', drawMap);
  window.addEventListener('resize', () => Object.values(state.maps).forEach((m) => m.resize()));

  // ---------------------------------------------------------------- forms

  function form(id, button, build, after) {
    $(id).addEventListener('submit', async (ev) => {
      ev.preventDefault();
      words.hide();
      $(button).disabled = true;
      try {
        const [path, body] = build();
        const r = await call('POST', path, body);
        if (!r) return;
        await after(r);
      } finally {
        $(button).disabled = false;
      }
    });
  }

  form('district-form', 'district-create', () => ['/api/v1/districts',
    { code: $('district-code').value.trim(), name: $('district-name').value.trim() }], async (r) => {
    words.show('ok', `已新建区 District created: ${r.data.name} (${r.data.code})`);
    $('district-form').reset();
    await loadDistricts();
  });

  // ---------------------------------------------------------------- district outlines

  $('outline-file').addEventListener('change', async () => {
    const file = $('outline-file').files[0];
    if (file) $('outline-text').value = await file.text();
  });

  /**
   * The outline to send for a district: the pasted or loaded GeoJSON as it is, except that a
   * boundary dataset's FeatureCollection gives the one feature named like the district (or its
   * only feature). The server checks the rest and names the bad point.
   */
  function outlineFor(district) {
    let geo;
    try {
      geo = JSON.parse($('outline-text').value);
    } catch (e) {
      return { problem: E.local('INVALID_OUTLINE', 'outline', 'not JSON') };
    }
    if (geo && geo.type === 'FeatureCollection' && Array.isArray(geo.features)) {
      const named = geo.features.filter((f) => f && f.properties && [district.name, district.code].includes(f.properties.name));
      const one = named.length === 1 ? named[0] : geo.features.length === 1 ? geo.features[0] : null;
      if (!one) {
        return { problem: E.local('OUTLINE_NOT_IN_FILE', 'outline', 'no single feature named ' + district.name) };
      }
      geo = one;
    }
    return { outline: geo };
  }

  $('outline-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    words.hide();
    const district = state.districts.find((d) => d.code === $('outline-district').value);
    if (!district) { words.problem(E.local('UNKNOWN_DISTRICT', 'districtCode')); return; }
    if (!$('outline-text').value.trim()) { words.problem(E.local('FIELD_REQUIRED', 'outline')); $('outline-text').focus(); return; }
    const { outline, problem } = outlineFor(district);
    if (problem) { words.problem(problem); return; }
    $('outline-save').disabled = true;
    try {
      const r = await call('PUT', `/api/v1/districts/${enc(district.code)}/outline`, { outline });
      if (!r) return;
      words.show('ok', `已保存轮廓 Outline saved: ${district.name} (${district.code})`);
      $('outline-text').value = '';
      $('outline-file').value = '';
      await Promise.all([loadDistricts(), loadOutlines()]);
    } finally {
      $('outline-save').disabled = false;
    }
  });

  $('outline-remove').addEventListener('click', async () => {
    words.hide();
    const code = $('outline-district').value;
    if (!code) return;
    const r = await call('DELETE', `/api/v1/districts/${enc(code)}/outline`);
    if (!r) return;
    words.show('ok', `已删除轮廓 Outline removed: ${code}`);
    await Promise.all([loadDistricts(), loadOutlines()]);
  });

  form('site-form', 'site-create', () => ['/api/v1/sites', {
    code: $('site-code').value.trim(), name: $('site-name').value.trim(), districtCode: $('site-district').value,
    latitude: numberOrText('site-lat'), longitude: numberOrText('site-lon'), openingHours: $('site-hours').value.trim() || null,
  }], async (r) => {
    words.show('ok', `已新建采样点 Site created: ${r.data.name} (${r.data.code})`);
    $('site-form').reset();
    await loadSites();
  });

  form('lab-form', 'lab-create', () => ['/api/v1/labs', {
    code: $('lab-code').value.trim(), name: $('lab-name').value.trim(), districtCode: $('lab-district').value,
    dailyCapacity: numberOrText('lab-capacity'), latitude: numberOrText('lab-lat'), longitude: numberOrText('lab-lon'),
  }], async (r) => {
    words.show('ok', `已新建实验室 Lab created: ${r.data.name} (${r.data.code})`);
    $('lab-form').reset();
    await loadLabs();
  });

  /** Roles bound to one lab (shared/Role.labBound on the server). */
  const LAB_BOUND = ['LAB_TECH', 'LAB_REVIEWER', 'LAB_DIRECTOR'];

  function roleScope() {
    const role = $('user-role').value;
    $('user-site-row').hidden = role !== 'COLLECTOR';
    $('user-lab-row').hidden = !LAB_BOUND.includes(role);
    $('user-grid-row').hidden = role !== 'GRID_WORKER';
    if (role === 'GRID_WORKER') loadGrids();
    $('user-hospital-row').hidden = role !== 'HOSPITAL';
    if (role === 'HOSPITAL') loadHospitals();
  }

  /** The designated hospitals a fever-clinic account can report for. */
  async function loadHospitals() {
    const r = await call('GET', '/api/v1/hospitals');
    if (!r) return;
    $('user-hospital').replaceChildren(...r.data.map((h) => {
      const o = el('option', null, `${h.name} (${h.code}) · ${h.districtCode}`);
      o.value = h.code;
      return o;
    }));
  }

  /** The grids a grid worker can be given (officials divide districts into grids). */
  async function loadGrids() {
    const r = await call('GET', '/api/v1/grids');
    if (!r) return;
    const chosen = $('user-grid').value;
    $('user-grid').replaceChildren(...r.data.map((g) => {
      const o = el('option', null, `${g.name} (${g.code}) · ${g.districtCode}`);
      o.value = g.code;
      return o;
    }));
    if (chosen) $('user-grid').value = chosen;
  }
  $('user-role').addEventListener('change', roleScope);

  form('user-form', 'user-create', () => {
    const role = $('user-role').value;
    return ['/api/v1/admin/users', {
      username: $('user-name').value.trim(), password: $('user-password').value, role,
      siteCode: role === 'COLLECTOR' ? $('user-site').value : null,
      labCode: LAB_BOUND.includes(role) ? $('user-lab').value : null,
      gridCode: role === 'GRID_WORKER' ? $('user-grid').value : null,
      hospitalCode: role === 'HOSPITAL' ? $('user-hospital').value : null,
    }];
  }, async (r) => {
    words.show('ok', `已新建账号 Account created: ${r.data.username} (${ROLES[r.data.role] || r.data.role})`);
    const uri = r.data.totpUri || r.data.otpauthUri || null;
    $('user-secret').hidden = !uri;
    $('user-secret-uri').textContent = uri || '';
    $('user-form').reset();
    roleScope();
    await loadUsers();
  });

  $('user-list').addEventListener('click', async (ev) => {
    const button = ev.target instanceof Element ? ev.target.closest('button[data-action]') : null;
    if (!button) return;
    const li = button.closest('li');
    const username = li.dataset.username;
    words.hide();
    if (button.dataset.action === 'reset') {
      if (li.querySelector('form')) return;
      const f = el('form', 'reset-form');
      const input = el('input');
      input.type = 'text';
      input.autocomplete = 'new-password';
      input.setAttribute('aria-label', '新密码 New password');
      input.placeholder = '新密码（至少 12 位） New password (12+)';
      const ok = el('button', 'btn btn-small btn-primary', '确认重置 Reset');
      ok.type = 'submit';
      f.append(input, ok);
      li.append(f);
      input.focus();
      f.addEventListener('submit', async (e) => {
        e.preventDefault();
        const r = await call('POST', `/api/v1/admin/users/${enc(username)}/password`, { password: input.value });
        if (!r) return;
        words.show('ok', `已重置密码，原登录已失效 Password reset; ${username}'s sessions were ended`);
        f.remove();
      });
      return;
    }
    const r = await call('POST', `/api/v1/admin/users/${enc(username)}/${button.dataset.action}`, {});
    if (!r) return;
    words.show('ok', button.dataset.action === 'disable'
      ? `已停用 ${username}，其登录立即失效 Disabled ${username}: their sessions stop now`
      : `已启用 Enabled ${username}`);
    await loadUsers();
  });

  // ---------------------------------------------------------------- development texts

  $('texts-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    words.hide();
    const r = await call('GET', `/api/v1/admin/sms-outbox?phone=${enc($('texts-phone').value.trim())}&limit=20`);
    const ul = $('text-list');
    ul.textContent = '';
    if (!r) return;
    if (r.data.length === 0) words.show('info', '没有短信 No texts to this phone.');
    for (const m of r.data) {
      const li = el('li', 'admin-item');
      const what = el('div', 'admin-what');
      what.append(el('span', 'small-print', E.when(m.sentAt)), el('strong', 'text-body', m.text));
      li.append(what);
      ul.append(li);
    }
  });

  // ---------------------------------------------------------------- delivery to the province

  function seconds(s) {
    return s == null ? '–' : s < 90 ? `${Math.round(s)} s` : `${Math.round(s / 60)} min`;
  }

  async function loadProvince() {
    const [st, dead] = await Promise.all([call('GET', '/api/v1/admin/province'),
      call('GET', '/api/v1/admin/province/deliveries?state=DEAD&limit=100')]);
    if (!st || !dead) return;
    const s = st.data.summary;
    $('province-status').textContent = st.data.enabled
      ? `已开启 On → ${st.data.endpoint} · 待发 waiting ${s.pending} · 已确认 acknowledged ${s.delivered} · 被拒 refused ${s.dead}`
        + (s.oldestPendingSince ? ` · 最早待发 oldest waiting since ${E.when(s.oldestPendingSince)}` : '')
        + ` · 延迟 lag p50 ${seconds(s.lagP50Seconds)}, p99 ${seconds(s.lagP99Seconds)}`
      : '未开启（演示城市不报送）Off: this city sends nothing to the province (epiloop.province.enabled).';
    const ul = $('province-dead');
    ul.textContent = '';
    for (const d of dead.data) {
      const li = el('li', 'admin-item');
      li.dataset.code = String(d.id);
      const what = el('div', 'admin-what');
      what.append(el('strong', null, `#${d.id} · ${d.reportStatus} · ${d.lastError || ''}`),
        el('span', 'small-print', `结果 result ${d.resultId} r${d.revision} · ${E.when(d.createdAt)} · 尝试 tries ${d.attempts}`));
      if (d.outcome) what.append(el('pre', 'outcome', d.outcome));
      const again = el('button', 'btn', '重新报送 Send again');
      again.type = 'button';
      again.dataset.action = 'requeue';
      again.dataset.id = String(d.id);
      li.append(what, again);
      ul.append(li);
    }
    if (dead.data.length === 0) ul.append(el('li', 'admin-item small-print', '没有被拒收的结果 Nothing refused.'));
  }

  $('province-refresh').addEventListener('click', () => { words.hide(); loadProvince(); });
  $('province-dead').addEventListener('click', async (ev) => {
    const button = ev.target.closest('button[data-action="requeue"]');
    if (!button) return;
    words.hide();
    const r = await call('POST', `/api/v1/admin/province/deliveries/${enc(button.dataset.id)}/requeue`, {});
    if (!r) return;
    words.show('ok', `已重新排队 #${button.dataset.id} Queued again: it is sent within seconds`);
    await loadProvince();
  });

  // ---------------------------------------------------------------- session

  async function start(session) {
    state.session = session;
    $('user').textContent = session.username;
    setLoggedIn(true);
    roleScope();
    setTab(state.tab);
    await loadDistricts();
    await Promise.all([loadSites(), loadLabs(), loadUsers(), loadOutlines()]);
  }

  E.loginForm({
    api, words, store: SESSION,
    accept: (t) => (t.role === 'ADMIN' ? null : 'NOT_ADMIN'),
    onSession: start,
  });

  $('logout').addEventListener('click', () => {
    SESSION.clear();
    state.session = null;
    setLoggedIn(false);
  });

  const saved = SESSION.load();
  if (saved && saved.accessToken) start(saved);
})();
