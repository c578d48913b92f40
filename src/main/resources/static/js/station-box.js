/*
 * The collector station's box and recall views (templates/station.html, next to station.js).
 * Plain ES2020 on common.js, no build step, no inline script.
 *
 * Why it is shaped this way:
 * - Box and tube labels look alike (4–32 letters, digits or "-"), so packing has its own scan
 *   field: the first scan opens (or resumes) a box, every scan after it packs a sealed tube.
 * - station.js owns the login, the modes and which field the scanner types into; this script
 *   follows its 'station:mode' events and asks it (event 'station:expired') to log out on 401.
 * - The label is printed from the page: the barcode is the server's Code 128 SVG of the box
 *   code (sharp at any printer resolution), with the site, the count and the time of the first
 *   sample — what the lab and the courier need to read without a scanner.
 */
'use strict';

(() => {
  const E = window.Epiloop;
  const { $, el, enc, NetworkError } = E;

  const SESSION = E.sessionStore('epiloop.station.session');
  const BOX_KEY = 'epiloop.station.box';
  const CODE = /^[A-Za-z0-9][A-Za-z0-9-]{3,31}$/;
  const RECALL_REFRESH_MS = 60000;

  const words = E.feedback({
    INVALID_BOX_CODE: ['箱码无效', 'That is not a box barcode (4–32 letters, digits or "-").'],
    INVALID_CODE: ['条码无效', 'That is not a tube barcode (4–32 letters, digits or "-").'],
    BOX_IN_USE: ['箱子仍在使用', 'This box is still on a trip (sealed or on the road). Use another box.'],
    BOX_NOT_FOUND: ['没有这个箱子', 'No box with this code is open here. Scan the box first.'],
    BOX_NOT_OPEN: ['箱子已封', 'This box is sealed. Open another box for more tubes.'],
    BOX_EMPTY: ['空箱不能封', 'Nothing is packed in this box yet. Scan sealed tubes into it first.'],
    TUBE_NOT_SEALED: ['试管未封', 'This tube is not sealed yet. Seal it at the sampling view before packing it.'],
    TUBE_IN_OTHER_BOX: ['试管在别的箱子里', 'This tube is already packed in another box. Take it out of this one.'],
    TUBE_FROM_OTHER_SITE: ['不是本站的试管', 'This tube was filled at another site. It cannot travel in this site\'s box.'],
    TUBE_NOT_FOUND: ['没有这支试管', 'No tube with this code was opened. Check the label.'],
    OUT_OF_SCOPE: ['不是本站的箱子', 'This box belongs to another site.'],
    THIS_BOX: ['这是箱码', 'That is this box\'s own label. Scan the tubes.'],
  });

  const api = E.client(() => { const s = SESSION.load(); return s && s.accessToken; });

  const state = { box: null, sites: null, recallsAt: 0, labelUrl: null, chain: Promise.resolve() };

  function expired(r) {
    if (r.status !== 401) return false;
    document.dispatchEvent(new CustomEvent('station:expired'));
    return true;
  }

  function show(kind, text, opts) {
    $('repeat').hidden = true;
    words.show(kind, text, opts);
  }

  function problem(p, prefix) {
    $('repeat').hidden = true;
    words.problem(p, prefix);
  }

  function step(fn, label) {
    state.chain = state.chain.then(fn).catch((e) => {
      if (!(e instanceof NetworkError)) throw e;
      problem(E.local('NETWORK'), label);
    });
  }

  // ---------------------------------------------------------------- the box

  function onScan(ev) {
    ev.preventDefault();
    const input = $('box-scan');
    const code = input.value.trim();
    input.value = '';
    if (!code) return;
    if (!CODE.test(code)) { problem(E.local(state.box ? 'INVALID_CODE' : 'INVALID_BOX_CODE', state.box ? 'tubeCode' : 'boxCode'), code); return; }
    step(() => (state.box && state.box.status === 'OPEN' ? pack(code) : open(code)), code);
  }

  async function open(code) {
    const r = await api('POST', '/api/v1/boxes', { boxCode: code });
    if (expired(r)) return;
    if (!r.ok && !(r.data && r.data.code === 'BOX_IN_USE')) { problem(E.problem(r), code); return; }
    const view = r.ok ? r.data : await read(code);
    if (!view) { problem(E.problem(r), code); return; }
    use(view);
    if (view.status === 'OPEN') {
      show(r.ok ? 'ok' : 'info', r.ok
        ? `✓ 已开箱 ${code}。请扫描已封试管装箱。Box opened: scan sealed tubes into it.`
        : `继续装箱 ${code}（${view.tubeCount} 管）。Carrying on with box ${code}.`, { code: r.ok ? 'BOX_OPENED' : 'BOX_RESUMED' });
    } else {
      show('info', `${code} 已封箱 ${view.status} — ${view.tubeCount} 管。This box is sealed; its label is below.`, { code: 'BOX_SEALED_ALREADY', beep: false });
      await showLabel(view);
    }
  }

  async function read(code) {
    const r = await api('GET', `/api/v1/boxes/${enc(code)}`);
    if (expired(r) || !r.ok) return null;
    return r.data;
  }

  async function pack(code) {
    const box = state.box;
    if (code === box.boxCode) { problem(E.local('THIS_BOX'), code); return; }
    const r = await api('POST', `/api/v1/boxes/${enc(box.boxCode)}/tubes`, { tubeCode: code });
    if (expired(r)) return;
    if (!r.ok) { problem(E.problem(r), code); return; }
    if (!box.tubeCodes.includes(code)) box.tubeCodes.push(code);
    box.tubeCount = r.data.tubeCount;
    const fresh = await read(box.boxCode);
    if (fresh) box.firstSampledAt = fresh.firstSampledAt;
    render();
    show('ok', `✓ ${code} 已装箱 — ${box.tubeCount} 管 tubes in ${box.boxCode}`, { code: 'PACKED' });
  }

  async function seal() {
    const box = state.box;
    if (!box || box.status !== 'OPEN') return;
    const r = await api('POST', `/api/v1/boxes/${enc(box.boxCode)}/seal`);
    if (expired(r)) return;
    if (!r.ok) { problem(E.problem(r), box.boxCode); return; }
    const view = await read(box.boxCode);
    use(view || Object.assign({}, box, { status: r.data.status, tubeCount: r.data.tubeCount }));
    show('ok', `✓ 已封箱 SEALED ${box.boxCode} — ${r.data.tubeCount} 管。请贴上箱签，等待转运。Label the box; a courier takes it.`, { code: 'BOX_SEALED' });
    await showLabel(state.box);
    loadPickups();
  }

  function use(view) {
    state.box = Object.assign({ tubeCodes: [] }, view);
    if (view.status === 'OPEN') sessionStorage.setItem(BOX_KEY, view.boxCode); else sessionStorage.removeItem(BOX_KEY);
    render();
  }

  function other() {
    state.box = null;
    sessionStorage.removeItem(BOX_KEY);
    $('box-label').hidden = true;
    $('label-actions').hidden = true;
    words.hide();
    render();
    $('box-scan').focus();
  }

  function render() {
    const b = state.box;
    $('box-card').hidden = !b;
    const open = b && b.status === 'OPEN';
    $('box-step').replaceChildren(...(open
      ? [`扫描已封试管装入 ${b.boxCode} `, el('span', 'en', 'Scan sealed tubes into the box')]
      : ['扫描箱码开箱 ', el('span', 'en', 'Scan a box to open it')]));
    if (!b) {
      $('box-label').hidden = true;
      $('label-actions').hidden = true;
      return;
    }
    $('box-code').textContent = b.boxCode;
    const badge = $('box-status');
    badge.textContent = b.status === 'OPEN' ? 'OPEN 装箱中' : b.status + ' 已封箱';
    badge.className = 'badge ' + (b.status === 'OPEN' ? 'badge-open' : 'badge-sealed');
    $('box-count').textContent = String(b.tubeCount);
    $('box-first').textContent = E.hhmm(b.firstSampledAt);
    $('packed').replaceChildren(...b.tubeCodes.map((t) => el('li', null, t)));
    $('box-seal').hidden = !open;
    if (open) { $('box-label').hidden = true; $('label-actions').hidden = true; }
  }

  async function siteName(code) {
    if (!state.sites) {
      try {
        const r = await api('GET', '/api/v1/sites');
        state.sites = r.ok ? Object.fromEntries(r.data.map((s) => [s.code, s.name])) : {};
      } catch (e) {
        if (!(e instanceof NetworkError)) throw e;
        state.sites = {};
      }
    }
    return state.sites[code] ? `${state.sites[code]} (${code})` : code;
  }

  /** The label: the box code as a Code 128 barcode (server-drawn SVG), its site, count and first sample. */
  async function showLabel(view) {
    const r = await fetch(`/api/v1/boxes/${enc(view.boxCode)}/label.svg`, {
      headers: { Authorization: 'Bearer ' + SESSION.load().accessToken }, cache: 'no-store' });
    if (r.status === 401) { document.dispatchEvent(new CustomEvent('station:expired')); return; }
    if (!r.ok) return;
    if (state.labelUrl) URL.revokeObjectURL(state.labelUrl);
    state.labelUrl = URL.createObjectURL(await r.blob());
    $('label-img').src = state.labelUrl;
    $('label-img').dataset.box = view.boxCode;
    $('label-code').textContent = view.boxCode;
    $('label-site').textContent = await siteName(view.siteCode);
    $('label-count').textContent = `${view.tubeCount} 管 tubes`;
    $('label-first').textContent = E.when(view.firstSampledAt);
    $('box-label').hidden = false;
    $('label-actions').hidden = false;
  }

  function print() {
    document.body.classList.add('printing-label');
    window.print();
    setTimeout(() => document.body.classList.remove('printing-label'), 0);
  }

  // ---------------------------------------------------------------- sealed boxes waiting at this site

  async function loadPickups() {
    try {
      const r = await api('GET', '/api/v1/transport/pickups');
      if (expired(r) || !r.ok) return;
      const boxes = r.data.flatMap((s) => s.boxes);
      $('pickup-count').textContent = String(boxes.length);
      $('site-pickups').replaceChildren(...(boxes.length ? boxes.map((b) => {
        const li = el('li');
        li.dataset.box = b.boxCode;
        const btn = el('button', 'btn work-item');
        btn.type = 'button';
        btn.append(el('strong', null, b.boxCode), el('span', null, `${b.tubeCount} 管 tubes · 封箱 sealed ${E.hhmm(b.sealedAt)} · 首采 first ${E.hhmm(b.firstSampledAt)}`));
        btn.addEventListener('click', () => step(async () => { const v = await read(b.boxCode); if (v) { use(v); await showLabel(v); } }, b.boxCode));
        li.append(btn);
        return li;
      }) : [el('li', 'empty', '暂无 None')]));
    } catch (e) {
      if (!(e instanceof NetworkError)) throw e;
    }
  }

  // ---------------------------------------------------------------- this site's recalls

  const REASONS = {
    POOL_POSITIVE: '混管阳性 Pool positive', INCONCLUSIVE: '结果不确定 Inconclusive', INVALID: '无效 Invalid',
    MISSING: '样本缺失 Sample missing', REJECTED: '样本拒收 Sample rejected',
  };
  const STATES = {
    RECALLED: '待通知 Not notified', NOTIFIED: '已短信 Texted', RETESTED: '已复采 Retested', CLOSED: '已完成 Closed',
  };

  async function loadRecalls() {
    const s = SESSION.load();
    if (!s) return;
    try {
      const r = await api('GET', `/api/v1/recalls/board?siteCode=${enc(s.siteCode)}`);
      if (expired(r) || !r.ok) return;
      state.recallsAt = Date.now();
      $('recall-count').textContent = String(r.data.counts.open);
      const items = r.data.items.filter((i) => i.state !== 'CLOSED');
      $('station-recalls').replaceChildren(...(items.length ? items.map((i) => {
        const li = el('li', i.overdue ? 'overdue' : null);
        li.dataset.state = i.state;
        const head = el('div', 'box-head');
        head.append(el('span', 'who', `${i.nameMasked} ${i.phoneMasked || ''}`), el('span', 'state state-' + i.state, STATES[i.state] || i.state));
        const facts = el('div', 'facts');
        facts.append(el('span', null, REASONS[i.reason] || i.reason), el('span', null, `自 since ${E.hhmm(i.since)}`),
          el('span', null, `原管 tube ${i.tubeCode}`));
        if (i.overdue) facts.append(el('strong', null, '⚠ 超时 overdue'));
        li.append(head, facts);
        return li;
      }) : [el('li', 'empty', '暂无复检 Nobody to retest')]));
    } catch (e) {
      if (!(e instanceof NetworkError)) throw e;
    }
  }

  // ---------------------------------------------------------------- wiring

  async function onMode(mode) {
    if (mode === 'login') { state.box = null; state.recallsAt = 0; render(); return; }
    if (!SESSION.load()) return;
    if (mode === 'box') {
      const saved = sessionStorage.getItem(BOX_KEY);
      if (saved && !state.box) {
        const view = await read(saved);
        if (view && view.status === 'OPEN') use(view); else sessionStorage.removeItem(BOX_KEY);
      }
      render();
      loadPickups();
    } else if (mode === 'recalls' || Date.now() - state.recallsAt > RECALL_REFRESH_MS) {
      loadRecalls();
    }
  }

  function init() {
    $('box-form').addEventListener('submit', onScan);
    $('box-other').addEventListener('click', other);
    $('label-print').addEventListener('click', print);
    $('recalls-refresh').addEventListener('click', loadRecalls);
    E.twoTap($('box-seal'), () => `再按一次封箱（${state.box ? state.box.tubeCount : 0} 管）Tap again to seal`, () => step(seal, 'seal'));
    document.addEventListener('station:mode', (e) => {
      onMode(e.detail.mode).catch((err) => { if (!(err instanceof NetworkError)) throw err; });
    });
    document.addEventListener('station:recalls-changed', () => loadRecalls());
    // station.js may have started (and announced its first mode) before this script listened
    const mode = document.body.dataset.mode;
    if (mode && mode !== 'login') onMode(mode).catch((err) => { if (!(err instanceof NetworkError)) throw err; });
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init); else init();
})();
