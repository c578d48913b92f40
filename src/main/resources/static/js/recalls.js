/*
 * The recall page (templates/recalls.html). Plain ES2020 on common.js, no build step.
 *
 * Why it is shaped this way: a recall is only done when the person has been sampled again and
 * the result is out, so the page lists each open recall with the one thing that is missing —
 * the text message (nobody to text: call them), the retest, or the result — and puts the
 * overdue ones first, in red. Officials choose a district (and optionally a site); a collector
 * is shown their own site. The list refreshes itself every 30 s.
 */
'use strict';

(() => {
  const E = window.Epiloop;
  const { $, el, enc, NetworkError } = E;
  const SESSION = E.sessionStore('epiloop.recalls.session');
  const SCOPE_KEY = 'epiloop.recalls.scope';
  const REFRESH_MS = 30000;

  const words = E.feedback({
    NOT_RECALL_STAFF: ['此页面供卫健官员和采样员使用', 'This page is for health officials and collectors.'],
    UNKNOWN_SITE: ['没有这个采样点', 'No such site. Choose it from the list.'],
    UNKNOWN_DISTRICT: ['没有这个区', 'No such district. Choose it from the list.'],
    CHOOSE_SCOPE: ['请选择区或采样点', 'Choose a district (and a site if you like).'],
  });
  const REASONS = {
    POOL_POSITIVE: '混管阳性 Pool positive', INCONCLUSIVE: '结果不确定 Inconclusive', INVALID: '无效 Invalid',
    MISSING: '样本缺失 Sample missing', REJECTED: '样本拒收 Sample rejected',
  };
  const STATES = {
    RECALLED: '待通知 Not texted', NOTIFIED: '已短信 Texted', RETESTED: '已复采，等结果 Retested, result pending', CLOSED: '已完成 Closed',
  };

  const api = E.client(() => state.session && state.session.accessToken);
  const state = { session: null, sites: [], timer: null };
  let login = null;

  function setLoggedIn(on) {
    $('login-panel').hidden = on;
    $('recalls-panel').hidden = !on;
    $('who').hidden = !on;
    $('logout').hidden = !on;
    if (!on) { clearInterval(state.timer); $('username').focus(); }
  }

  function expired() {
    state.session = null;
    SESSION.clear();
    setLoggedIn(false);
    login.fail(words.text('UNAUTHORIZED'));
  }

  async function start() {
    setLoggedIn(true);
    $('user').textContent = state.session.username;
    const official = state.session.role === 'OFFICIAL';
    $('scope-pickers').hidden = !official;
    if (official) await loadDirectory();
    await load();
    clearInterval(state.timer);
    state.timer = setInterval(load, REFRESH_MS);
  }

  async function loadDirectory() {
    const [d, s] = await Promise.all([api('GET', '/api/v1/districts'), api('GET', '/api/v1/sites')]);
    if (d.status === 401 || s.status === 401) { expired(); return; }
    state.sites = s.ok ? s.data : [];
    const saved = JSON.parse(localStorage.getItem(SCOPE_KEY) || '{}');
    const district = $('district');
    district.replaceChildren(option('', '— 请选择 Choose —'), ...(d.ok ? d.data : []).map((x) => option(x.code, `${x.name} (${x.code})`)));
    district.value = saved.district && (d.data || []).some((x) => x.code === saved.district) ? saved.district : '';
    fillSites(saved.site);
  }

  function option(value, text) {
    const o = el('option', null, text);
    o.value = value;
    return o;
  }

  function fillSites(chosen) {
    const d = $('district').value;
    const sites = state.sites.filter((s) => s.districtCode === d);
    $('site').replaceChildren(option('', '— 全区 Whole district —'), ...sites.map((s) => option(s.code, `${s.name} (${s.code})`)));
    $('site').value = sites.some((s) => s.code === chosen) ? chosen : '';
  }

  function scope() {
    if (state.session.role !== 'OFFICIAL') return { siteCode: state.session.siteCode };
    const site = $('site').value;
    const district = $('district').value;
    return site ? { siteCode: site } : district ? { districtCode: district } : null;
  }

  async function load() {
    if (!state.session) return;
    const s = scope();
    if (!s) { words.show('info', words.text('CHOOSE_SCOPE'), { code: 'CHOOSE_SCOPE', beep: false }); render(null); return; }
    const q = s.siteCode ? `siteCode=${enc(s.siteCode)}` : `districtCode=${enc(s.districtCode)}`;
    try {
      const r = await api('GET', `/api/v1/recalls/board?${q}`);
      if (r.status === 401) { expired(); return; }
      if (!r.ok) { words.problem(E.problem(r)); return; }
      words.hide();
      $('scope-label').textContent = s.siteCode || s.districtCode;
      render(r.data);
    } catch (e) {
      if (!(e instanceof NetworkError)) throw e;
      words.problem(E.local('NETWORK'));
    }
  }

  function render(board) {
    const c = board ? board.counts : { open: 0, notified: 0, retested: 0, overdue: 0, closedToday: 0 };
    $('count-open').textContent = String(c.open);
    $('count-notified').textContent = String(c.notified);
    $('count-retested').textContent = String(c.retested);
    $('count-overdue').textContent = String(c.overdue);
    $('count-closed').textContent = String(c.closedToday);
    $('fig-overdue').classList.toggle('bad', c.overdue > 0);
    $('overdue-rule').textContent = board
      ? `召回 ${Math.round(board.overdueAfterMinutes / 60)} 小时内未复采即为超时。Overdue: not retested ${Math.round(board.overdueAfterMinutes / 60)} h after the recall.` : '';
    const items = board ? board.items : [];
    const open = items.filter((i) => i.state !== 'CLOSED');
    const closed = items.filter((i) => i.state === 'CLOSED');
    $('open-list').replaceChildren(...(open.length ? open.map(line) : [el('li', 'empty', '暂无 Nobody to retest')]));
    $('closed-list').replaceChildren(...(closed.length ? closed.map(line) : [el('li', 'empty', '暂无 None')]));
  }

  function line(i) {
    const li = el('li', i.overdue ? 'overdue' : null);
    li.dataset.state = i.state;
    li.dataset.tube = i.tubeCode;
    const head = el('div', 'box-head');
    head.append(el('span', 'who', `${i.nameMasked} ${i.phoneMasked || ''}`), el('span', 'state state-' + i.state, STATES[i.state] || i.state));
    const facts = el('div', 'facts');
    facts.append(el('span', null, REASONS[i.reason] || i.reason), el('span', null, `采样点 site ${i.siteCode}`),
      el('span', null, `原管 tube ${i.tubeCode}`), el('span', null, `召回 recalled ${E.hhmm(i.since)}`));
    if (i.notifiedAt) {
      facts.append(el('span', null, i.notifiedPhones > 0 ? `短信 texted ${E.hhmm(i.notifiedAt)} (${i.notifiedPhones})` : '无手机号 No phone — call or visit'));
    }
    if (i.retestedAt) facts.append(el('span', null, `复采 retested ${E.hhmm(i.retestedAt)}`));
    if (i.closedAt) facts.append(el('span', null, `结果 result ${i.outcome || ''} ${E.hhmm(i.closedAt)}`));
    if (i.overdue) facts.append(el('strong', null, '⚠ 超时 OVERDUE'));
    li.append(head, facts);
    return li;
  }

  function saveScope() {
    localStorage.setItem(SCOPE_KEY, JSON.stringify({ district: $('district').value, site: $('site').value }));
  }

  function init() {
    login = E.loginForm({
      api, words, store: SESSION,
      accept: (d) => (d.role === 'OFFICIAL' || (d.role === 'COLLECTOR' && d.siteCode) ? null : 'NOT_RECALL_STAFF'),
      onSession: (s) => { state.session = s; return start(); },
    });
    $('logout').addEventListener('click', () => { state.session = null; SESSION.clear(); setLoggedIn(false); });
    $('refresh').addEventListener('click', load);
    $('district').addEventListener('change', () => { fillSites(''); saveScope(); load(); });
    $('site').addEventListener('change', () => { saveScope(); load(); });
    state.session = SESSION.load();
    if (state.session) start(); else setLoggedIn(false);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init); else init();
})();
