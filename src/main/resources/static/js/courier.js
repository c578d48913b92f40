/*
 * The courier page (templates/courier.html). Plain ES2020 on top of common.js, no build step,
 * no inline script (the Content-Security-Policy is script-src 'self').
 *
 * Why it is shaped this way:
 * - One field takes every scan. A box the courier does not carry is taken (hand-over to the
 *   chosen lab); a box the courier carries is delivered (arrival) — so at the lab door the
 *   courier scans the same label again and nothing else.
 * - The carried boxes are kept in localStorage per courier, so a reload, a closed tab or a
 *   flat battery does not lose what is on the bike; each is re-read from the server (status,
 *   tube count, first sample time) and dropped once the server says it arrived.
 * - The age of the oldest sample is what matters on the road (samples must reach the lab in
 *   time), so every box shows minutes since its first sample, red past 180.
 */
'use strict';

(() => {
  const E = window.Epiloop;
  const { $, el, enc, NetworkError } = E;

  const SESSION = E.sessionStore('epiloop.courier.session');
  const LAB_KEY = 'epiloop.courier.lab';
  const BOXES_PREFIX = 'epiloop.courier.boxes.';
  const BOX_CODE = /^[A-Za-z0-9][A-Za-z0-9-]{3,31}$/;
  const LATE_MINUTES = 180;
  const REFRESH_MS = 60000;
  const TICK_MS = 30000;
  // a scanner that reads one label twice does so within a second or two: never a delivery
  const DOUBLE_READ_MS = 5000;

  const words = E.feedback({
    NOT_COURIER: ['不是转运员账号', 'This page is for couriers. Log in with a courier account.'],
    NO_LAB: ['请先选择目的实验室', 'Choose the destination lab first, then scan the box again.'],
    INVALID_BOX_CODE: ['箱码无效', 'That is not a box barcode (4–32 letters, digits or "-"). Scan the label on the box.'],
    BOX_NOT_FOUND: ['没有这个箱子', 'No box with this code is in use. Check the label; the site must pack and seal it first.'],
    BOX_NOT_SEALED: ['箱子不能交接', 'This box is not sealed, or it was already delivered. Only a sealed box can be taken.'],
    BOX_NOT_IN_TRANSIT: ['箱子不在运输中', 'This box is not on the road any more (already delivered or received).'],
    UNKNOWN_LAB: ['没有这个实验室', 'The lab is not known. Choose the lab again from the list.'],
    INVALID_COORDINATES: ['位置无效', 'Latitude is −90…90 and longitude −180…180, as decimal degrees.'],
    NO_BOXES: ['没有携带的箱子', 'You carry no boxes, so there is no position to send.'],
    GEO_UNAVAILABLE: ['无法自动定位', 'This phone cannot give its position here. Type it in the form below.'],
    GEO_DENIED: ['定位被拒绝', 'Location access is off for this page. Allow it, or type the position below.'],
    GEO_FAILED: ['定位失败', 'No position fix yet. Try again in the open, or type the position below.'],
    LABS_FAILED: ['无法读取实验室列表', 'The list of labs could not be loaded. Tap refresh to try again.'],
    DOUBLE_READ: ['重复读取，已忽略', 'The same box was read twice: it is taken, not delivered. At the lab, scan it again.'],
  });

  const api = E.client(() => state.session && state.session.accessToken);

  const state = {
    session: null, // {accessToken, role, username}
    labs: [], // [{code, name}]
    chain: Promise.resolve(), // scans are handled one after another, in scan order
    armed: null, // {boxCode, timer} while an "Arrived" button waits for its second tap
    refreshTimer: null,
    confirming: null, // the box whose delivery waits for a tap on 'Confirm delivery'
    tickTimer: null,
  };

  const refocus = E.keepFocus(() => (state.session ? $('scan') : null));

  // ---------------------------------------------------------------- storage

  function boxesKey() {
    return BOXES_PREFIX + state.session.username;
  }

  function carried() {
    try { return JSON.parse(localStorage.getItem(boxesKey())) || []; } catch (e) { return []; }
  }

  function saveCarried(list) {
    localStorage.setItem(boxesKey(), JSON.stringify(list));
  }

  function upsert(box) {
    const list = carried();
    const i = list.findIndex((b) => b.boxCode === box.boxCode);
    if (i >= 0) list[i] = Object.assign(list[i], box); else list.push(box);
    saveCarried(list);
  }

  function drop(code) {
    saveCarried(carried().filter((b) => b.boxCode !== code));
  }

  function chosenLab() {
    return $('lab').value || null;
  }

  // ---------------------------------------------------------------- session

  function sessionExpired() {
    state.session = null;
    SESSION.clear();
    setLoggedIn(false);
    login.fail(words.text('UNAUTHORIZED') + ' 携带的箱子已保留。Your boxes are kept.');
  }

  function setLoggedIn(on) {
    $('login-panel').hidden = on;
    $('courier-panel').hidden = !on;
    $('who').hidden = !on;
    $('logout').hidden = !on;
    if (!on) {
      clearInterval(state.refreshTimer);
      clearInterval(state.tickTimer);
      words.hide();
      $('username').focus();
    }
  }

  async function start() {
    setLoggedIn(true);
    $('user').textContent = state.session.username;
    render();
    refocus();
    await loadLabs();
    await refreshAll();
    clearInterval(state.refreshTimer);
    clearInterval(state.tickTimer);
    state.refreshTimer = setInterval(refreshAll, REFRESH_MS);
    state.tickTimer = setInterval(render, TICK_MS);
  }

  function logout() {
    E.revoke(state.session && state.session.accessToken);
    state.session = null;
    SESSION.clear();
    setLoggedIn(false);
  }

  // ---------------------------------------------------------------- labs

  async function loadLabs() {
    try {
      const r = await api('GET', '/api/v1/labs');
      if (r.status === 401) { sessionExpired(); return; }
      if (!r.ok) { words.problem(E.problem(r)); return; }
      state.labs = r.data || [];
    } catch (e) {
      if (!(e instanceof NetworkError)) throw e;
      words.problem(E.local('LABS_FAILED'));
      return;
    }
    const select = $('lab');
    const remembered = localStorage.getItem(LAB_KEY) || '';
    select.textContent = '';
    const none = el('option', null, '— 请选择 Choose —');
    none.value = '';
    select.append(none);
    for (const lab of state.labs) {
      const o = el('option', null, `${lab.code} · ${lab.name}`);
      o.value = lab.code;
      select.append(o);
    }
    select.value = state.labs.some((l) => l.code === remembered) ? remembered : '';
    showDest();
  }

  function chooseLab() {
    const code = chosenLab();
    if (code) localStorage.setItem(LAB_KEY, code); else localStorage.removeItem(LAB_KEY);
    showDest();
    refocus();
  }

  function showDest() {
    $('dest').textContent = chosenLab() || '—';
  }

  // ---------------------------------------------------------------- scans

  function onScan(ev) {
    ev.preventDefault();
    const input = $('scan');
    const code = input.value.trim();
    input.value = '';
    refocus();
    if (!code) return;
    state.chain = state.chain.then(() => handle(code)).catch((e) => {
      if (!(e instanceof NetworkError)) throw e;
      words.problem(E.local('NETWORK'), code);
    });
  }

  function handle(code) {
    if (!BOX_CODE.test(code)) { words.problem(E.local('INVALID_BOX_CODE', 'boxCode'), code); return Promise.resolve(); }
    const box = carried().find((b) => b.boxCode === code);
    if (!box) return handOver(code);
    if (box.takenAt && Date.now() - Date.parse(box.takenAt) < DOUBLE_READ_MS) {
      words.show('info', words.text('DOUBLE_READ') + ` (${code})`, { code: 'DOUBLE_READ', beep: false });
      return Promise.resolve();
    }
    askArrival(box);
    return Promise.resolve();
  }

  /** A carried box scanned again: delivery waits for a deliberate tap. */
  function askArrival(box) {
    const lab = box.labCode || chosenLab() || '—';
    state.confirming = box.boxCode;
    $('arrive-what').textContent = `送达 ${box.boxCode}（${box.tubeCount == null ? '…' : box.tubeCount} 管）到 ${lab}？ Deliver ${box.boxCode} to ${lab}?`;
    $('arrive-confirm').hidden = false;
    words.show('info', `${box.boxCode}：请确认送达。Confirm the delivery below.`, { code: 'CONFIRM_ARRIVAL', beep: false });
  }

  function closeAsk() {
    state.confirming = null;
    $('arrive-confirm').hidden = true;
  }

  function confirmArrival() {
    const code = state.confirming;
    closeAsk();
    if (!code) return;
    state.chain = state.chain.then(() => arrive(code)).catch((e) => {
      if (!(e instanceof NetworkError)) throw e;
      words.problem(E.local('NETWORK'), code);
    });
    refocus();
  }

  async function handOver(code) {
    const lab = chosenLab();
    if (!lab) { words.problem(E.local('NO_LAB', 'labCode'), code); $('lab').focus(); return; }
    const r = await api('POST', `/api/v1/boxes/${enc(code)}/handover`, { labCode: lab });
    if (r.status === 401) { sessionExpired(); return; }
    if (!r.ok) { words.problem(E.problem(r), code); return; }
    upsert({ boxCode: code, labCode: lab, status: r.data.status, takenAt: new Date().toISOString() });
    render();
    words.show('ok', `✓ 已接收 ${code} — IN_TRANSIT 运输中 → ${lab}。Box taken; deliver it to ${lab}.`, { code: 'HANDED_OVER' });
    await refresh(code);
    loadQueues();
  }

  async function arrive(code) {
    disarm();
    const box = carried().find((b) => b.boxCode === code);
    const lab = (box && box.labCode) || chosenLab();
    if (!lab) { words.problem(E.local('NO_LAB', 'labCode'), code); $('lab').focus(); return; }
    const r = await api('POST', `/api/v1/boxes/${enc(code)}/arrival`, { labCode: lab });
    if (r.status === 401) { sessionExpired(); return; }
    if (!r.ok) {
      const p = E.problem(r);
      words.problem(p, code);
      if (p.code === 'BOX_NOT_IN_TRANSIT' || p.code === 'BOX_NOT_FOUND') await refresh(code);
      return;
    }
    drop(code);
    render();
    words.show('ok', `✓ 已送达 ${code} — ARRIVED 已到达 ${lab}。Delivered; hand it to the lab.`, { code: 'ARRIVED' });
    loadQueues();
  }

  // ---------------------------------------------------------------- reading boxes

  /** Re-reads one carried box; drops it once the server says it is no longer on the road. */
  async function refresh(code) {
    try {
      const r = await api('GET', `/api/v1/boxes/${enc(code)}`);
      if (r.status === 401) { sessionExpired(); return; }
      if (r.status === 404) { drop(code); render(); return; }
      if (!r.ok) return;
      const d = r.data;
      if (d.status === 'ARRIVED' || d.status === 'RECEIVED') {
        drop(code);
        render();
        words.show('info', `${code} 已送达 (${d.status})。This box was already delivered; it left your list.`, { code: 'DELIVERED', beep: false });
        return;
      }
      if (!carried().some((b) => b.boxCode === code)) return;
      const fresh = { boxCode: code, status: d.status, siteCode: d.siteCode, tubeCount: d.tubeCount, firstSampledAt: d.firstSampledAt };
      if (d.labCode) fresh.labCode = d.labCode;
      upsert(fresh);
      render();
    } catch (e) {
      if (!(e instanceof NetworkError)) throw e;
    }
  }

  async function refreshAll() {
    if (!state.session) return;
    for (const b of carried()) await refresh(b.boxCode);
    await loadQueues();
  }

  // ---------------------------------------------------------------- what waits, what is done

  function workItem(code, text) {
    const li = el('li');
    li.dataset.box = code;
    const item = el('div', 'btn work-item');
    item.append(el('strong', null, code), el('span', null, text));
    li.append(item);
    return li;
  }

  async function loadQueues() {
    if (!state.session) return;
    try {
      const [pickups, delivered] = await Promise.all([api('GET', '/api/v1/transport/pickups'), api('GET', '/api/v1/transport/deliveries')]);
      if (pickups.status === 401 || delivered.status === 401) { sessionExpired(); return; }
      if (pickups.ok) {
        let n = 0;
        $('pickups').replaceChildren(...(pickups.data.length ? pickups.data.map((site) => {
          n += site.boxes.length;
          const group = el('div', 'site-group');
          group.dataset.site = site.siteCode;
          group.append(el('h3', null, `${site.siteName} (${site.siteCode}) · ${site.boxes.length} 箱 boxes`));
          const list = el('ul', 'worklist');
          list.append(...site.boxes.map((b) => workItem(b.boxCode,
            `${b.tubeCount} 管 tubes · 首采 first ${E.hhmm(b.firstSampledAt)} · ${minutesSince(b.firstSampledAt) ?? '—'} 分钟 min`)));
          group.append(list);
          return group;
        }) : [el('p', 'hint', '暂无待取箱子 No sealed boxes waiting')]));
        $('pickup-count').textContent = String(n);
      }
      routingHint();
      if (delivered.ok) {
        $('delivered-count').textContent = String(delivered.data.length);
        $('delivered').replaceChildren(...(delivered.data.length ? delivered.data.map((b) => workItem(b.boxCode,
          `${b.siteCode} → ${b.labCode} · ${b.tubeCount} 管 tubes · 送达 delivered ${E.hhmm(b.arrivedAt)} · ${b.status}`))
          : [el('li', 'empty', '暂无 None')]));
      }
    } catch (e) {
      if (!(e instanceof NetworkError)) throw e;
    }
  }

  /** An overloaded lab's new boxes are better taken elsewhere: one line per suggestion, nothing otherwise. */
  async function routingHint() {
    const r = await api('GET', '/api/v1/bookings/routing');
    const hint = $('routing-hint');
    if (!r.ok || !r.data.suggestions.length) { hint.hidden = true; return; }
    hint.textContent = r.data.suggestions.map((s) => `${s.from} 已满 is full today → 新箱子请送 take new boxes to ${s.to} `
      + `(可再收 can take ${s.freeTubes} 管 tubes)`).join(' · ');
    hint.hidden = false;
  }

  function minutesSince(iso) {
    const t = iso ? Date.parse(iso) : NaN;
    return isNaN(t) ? null : Math.max(0, Math.floor((Date.now() - t) / 60000));
  }

  function render() {
    if (!state.session) return;
    const list = $('boxes');
    const boxes = carried();
    $('box-count').textContent = String(boxes.length);
    list.textContent = '';
    if (!boxes.length) {
      list.append(el('li', 'empty', '暂无 None — 扫描箱码接收。Scan a box to take it.'));
      return;
    }
    for (const b of boxes) {
      const li = el('li', 'box');
      li.dataset.box = b.boxCode;
      li.dataset.status = b.status || '';
      const head = el('div', 'box-head');
      head.append(el('strong', 'code', b.boxCode),
        el('span', 'badge badge-transit', b.status === 'IN_TRANSIT' ? 'IN_TRANSIT 运输中' : (b.status || '…')));
      const facts = el('div', 'box-facts');
      facts.append(el('span', 'tubes', b.tubeCount == null ? '… 管 tubes' : `${b.tubeCount} 管 tubes`),
        el('span', 'first', `首采 First sample ${E.hhmm(b.firstSampledAt)}`));
      const age = minutesSince(b.firstSampledAt);
      const ageEl = el('span', 'age', age == null ? '' : `${age} 分钟 min`);
      if (age != null && age > LATE_MINUTES) {
        li.classList.add('late');
        ageEl.textContent += ' ⚠ 超时 over 3 h';
      }
      facts.append(ageEl);
      const foot = el('div', 'box-foot');
      const arriveButton = el('button', 'btn btn-small btn-primary arrive', '送达 Arrived');
      arriveButton.type = 'button';
      if (state.armed && state.armed.boxCode === b.boxCode) {
        arriveButton.textContent = `再按一次：送达 ${b.labCode || ''} Tap again`;
        arriveButton.classList.add('armed');
      }
      arriveButton.addEventListener('click', () => tapArrived(b.boxCode));
      foot.append(el('span', 'to', `→ ${b.labCode || chosenLab() || '—'}`), arriveButton);
      li.append(head, facts, foot);
      list.append(li);
    }
  }

  /** "Arrived" by tap instead of a scan: the first tap arms, the second delivers. */
  function tapArrived(code) {
    if (state.armed && state.armed.boxCode === code) {
      state.chain = state.chain.then(() => arrive(code)).catch((e) => {
        if (!(e instanceof NetworkError)) throw e;
        words.problem(E.local('NETWORK'), code);
      });
      return;
    }
    disarm();
    state.armed = { boxCode: code, timer: setTimeout(() => { disarm(); render(); }, 4000) };
    render();
  }

  function disarm() {
    if (state.armed) clearTimeout(state.armed.timer);
    state.armed = null;
  }

  // ---------------------------------------------------------------- positions

  async function sendPosition(lat, lon) {
    const boxes = carried();
    if (!boxes.length) { words.problem(E.local('NO_BOXES')); return; }
    let sent = 0;
    let failed = null;
    for (const b of boxes) {
      try {
        const r = await api('POST', `/api/v1/boxes/${enc(b.boxCode)}/locations`, { latitude: lat, longitude: lon });
        if (r.status === 401) { sessionExpired(); return; }
        if (r.ok) sent++; else failed = { p: E.problem(r), code: b.boxCode };
      } catch (e) {
        if (!(e instanceof NetworkError)) throw e;
        failed = { p: E.local('NETWORK'), code: b.boxCode };
      }
    }
    const where = `(${lat.toFixed(5)}, ${lon.toFixed(5)})`;
    if (failed) {
      words.problem(failed.p, `${failed.code} ${where}` + (sent ? ` · ${sent} 个已发送 sent` : ''));
      if (failed.p.code === 'BOX_NOT_IN_TRANSIT') await refreshAll();
      return;
    }
    words.show('ok', `✓ 位置已发送 ${where} — ${sent} 个箱子。Position sent for ${sent} box${sent === 1 ? '' : 'es'}.`, { code: 'LOCATION_SENT' });
  }

  function locate() {
    if (!carried().length) { words.problem(E.local('NO_BOXES')); return; }
    if (!navigator.geolocation || !window.isSecureContext) {
      $('manual-position').open = true;
      words.show('warn', words.text('GEO_UNAVAILABLE'), { code: 'GEO_UNAVAILABLE' });
      return;
    }
    words.show('info', '正在定位… Finding your position…', { code: 'LOCATING', beep: false });
    navigator.geolocation.getCurrentPosition(
      (pos) => { sendPosition(pos.coords.latitude, pos.coords.longitude); },
      (err) => {
        $('manual-position').open = true;
        const code = err && err.code === 1 ? 'GEO_DENIED' : 'GEO_FAILED';
        words.show('warn', words.text(code), { code });
      },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
  }

  function number(id) {
    const v = $(id).value.trim().replace(',', '.');
    return v === '' ? NaN : Number(v);
  }

  function onManualPosition(ev) {
    ev.preventDefault();
    const lat = number('latitude');
    const lon = number('longitude');
    if (!(lat >= -90 && lat <= 90)) { words.problem(E.local('INVALID_COORDINATES', 'latitude')); $('latitude').focus(); return; }
    if (!(lon >= -180 && lon <= 180)) { words.problem(E.local('INVALID_COORDINATES', 'longitude')); $('longitude').focus(); return; }
    $('manual-position').open = false;
    refocus();
    sendPosition(lat, lon);
  }

  // ---------------------------------------------------------------- wiring

  let login = null;

  function init() {
    login = E.loginForm({
      api, words, store: SESSION,
      accept: (d) => (d.role === 'COURIER' ? null : 'NOT_COURIER'),
      onSession: (s) => { state.session = s; return start(); },
    });
    $('logout').addEventListener('click', logout);
    $('scan-form').addEventListener('submit', onScan);
    $('lab').addEventListener('change', chooseLab);
    $('refresh').addEventListener('click', async () => { await loadLabs(); await refreshAll(); });
    $('send-position').addEventListener('click', locate);
    $('arrive-yes').addEventListener('click', confirmArrival);
    $('arrive-no').addEventListener('click', () => { closeAsk(); words.hide(); refocus(); });
    $('position-form').addEventListener('submit', onManualPosition);
    $('manual-position').addEventListener('toggle', () => {
      if ($('manual-position').open) $('latitude').focus(); else refocus();
    });
    $('keyboard').addEventListener('click', () => {
      const on = $('keyboard').getAttribute('aria-pressed') !== 'true';
      $('keyboard').setAttribute('aria-pressed', String(on));
      $('scan').setAttribute('inputmode', on ? 'text' : 'none');
      $('scan').blur();
      $('scan').focus();
    });
    window.addEventListener('storage', (e) => { if (state.session && e.key === boxesKey()) render(); });
    document.addEventListener('visibilitychange', () => { if (!document.hidden && state.session) refreshAll(); });

    state.session = SESSION.load();
    if (state.session) start(); else setLoggedIn(false);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init); else init();
})();
