/*
 * The search page (templates/track.html). Plain ES2020 on common.js, no build step.
 *
 * Why it is shaped this way: a label is scanned, not typed, so the code field keeps the focus
 * like the terminals' scan fields; the custody is shown as a time line in plain words (who,
 * where, when) because the question asked is "where is it now, and who had it last". The person
 * search needs a reason before it asks, because reading a person's results is audited.
 */
'use strict';

(() => {
  const E = window.Epiloop;
  const { $, el, enc, NetworkError } = E;
  const SESSION = E.sessionStore('epiloop.track.session');
  const CODE = /^[A-Za-z0-9][A-Za-z0-9-]{3,31}$/;

  const words = E.feedback({
    NOT_STAFF: ['此页面供工作人员使用', 'This page is for staff.'],
    INVALID_CODE: ['条码无效', 'That is not a tube or box label (4–32 letters, digits or "-").'],
    TUBE_NOT_FOUND: ['没有这支试管', 'No tube with this code was ever opened.'],
    BOX_NOT_FOUND: ['没有这个箱子', 'No box with this code was ever used.'],
    OUT_OF_SCOPE: ['不是本站的', 'This belongs to another site.'],
    PERSON_NOT_FOUND: ['查无此人', 'Nobody is registered with this document.'],
    INVALID_ID_NUMBER: ['证件号码不正确', 'The ID number is not valid. Check it.'],
    INVALID_REASON: ['请填写查询原因', 'Say why you look this person up (1–200 characters): it is kept in the audit log.'],
    REASON_REQUIRED: ['请填写查询原因', 'Say why you look this person up: it is kept in the audit log.'],
  });
  const EVENTS = {
    TUBE_OPENED: '开管 Tube opened', TUBE_SEALED: '封管 Tube sealed', PACKED: '装箱 Packed into box',
    BOX_OPENED: '开箱 Box opened', BOX_SEALED: '封箱 Box sealed', BOX_HANDED_OVER: '交接转运 Handed to courier',
    BOX_LOCATION: '位置 Position', BOX_ARRIVED: '送达实验室 Delivered to lab', BOX_RECEIVED: '实验室开箱 Opened at lab',
    RECEIVED: '实验室签收 Checked in at lab', REJECTED: '拒收 Rejected', ON_PLATE: '上板 On a plate', TESTED: '已检测 Tested',
    RUN_CONTROLS_FAILED: '对照失败 Run invalid', RELEASED: '结果发布 Result released',
  };
  const STATUS = {
    PENDING: '待出结果 Pending', NEGATIVE: '阴性 NEGATIVE', POSITIVE: '阳性 POSITIVE', RECALLED: '混管阳性·需复检 RECALLED', RETEST: '需重采 RETEST',
  };

  const api = E.client(() => state.session && state.session.accessToken);
  const state = { session: null, kind: 'tube' };
  let login = null;
  const refocus = E.keepFocus(() => (state.session ? $('where-code') : null));

  function setLoggedIn(on) {
    $('login-panel').hidden = on;
    $('track-panel').hidden = !on;
    $('who').hidden = !on;
    $('logout').hidden = !on;
    if (!on) $('username').focus();
  }

  function expired() {
    state.session = null;
    SESSION.clear();
    setLoggedIn(false);
    login.fail(words.text('UNAUTHORIZED'));
  }

  function start() {
    setLoggedIn(true);
    $('user').textContent = state.session.username;
    $('person-panel').hidden = state.session.role !== 'OFFICIAL';
    $('where-code').focus();
  }

  function setKind(kind) {
    state.kind = kind;
    for (const c of document.querySelectorAll('.chip.kind')) c.setAttribute('aria-checked', String(c.dataset.kind === kind));
    refocus();
  }

  async function onWhere(ev) {
    ev.preventDefault();
    const code = $('where-code').value.trim();
    $('where-code').value = '';
    if (!code) return;
    if (!CODE.test(code)) { words.problem(E.local('INVALID_CODE', state.kind + 'Code'), code); return; }
    try {
      const r = await api('GET', `/api/v1/custody?${state.kind}Code=${enc(code)}`);
      if (r.status === 401) { expired(); return; }
      if (!r.ok) { words.problem(E.problem(r), code); $('custody').hidden = true; return; }
      words.hide();
      showCustody(r.data);
    } catch (e) {
      if (!(e instanceof NetworkError)) throw e;
      words.problem(E.local('NETWORK'), code);
    }
  }

  function showCustody(c) {
    $('custody').hidden = false;
    $('custody').dataset.code = c.code;
    $('custody-kind').textContent = c.kind === 'BOX' ? '箱 Box' : '试管 Tube';
    $('custody-code').textContent = c.code;
    $('custody-now').textContent = EVENTS[c.lastEvent] || c.lastEvent || '—';
    $('custody-now').dataset.event = c.lastEvent || '';
    $('custody-site').textContent = c.siteCode;
    $('custody-where').textContent = c.where || '—';
    $('custody-tubes').hidden = !c.tubeCodes;
    $('custody-tubes').textContent = c.tubeCodes ? `箱内 ${c.tubeCodes.length} 管 tubes: ${c.tubeCodes.join(', ')}` : '';
    $('custody-steps').replaceChildren(...c.steps.map((s) => {
      const li = el('li');
      li.dataset.event = s.event;
      li.append(el('span', 'when', E.hhmm(s.at) + ' '), el('span', 'what', EVENTS[s.event] || s.event));
      const facts = el('div', 'facts', [s.place, s.actor, s.detail].filter(Boolean).join(' · '));
      li.append(facts);
      return li;
    }));
  }

  async function onPerson(ev) {
    ev.preventDefault();
    const idNumber = $('person-number').value.trim().toUpperCase();
    const reason = $('person-reason').value.trim();
    if (!idNumber) { words.problem(E.local('FIELD_REQUIRED', 'idNumber')); $('person-number').focus(); return; }
    if (!reason) { words.problem(E.local('REASON_REQUIRED', 'reason')); $('person-reason').focus(); return; }
    try {
      const r = await api('POST', '/api/v1/persons/history', { idType: $('person-type').value, idNumber, reason });
      if (r.status === 401) { expired(); return; }
      if (!r.ok) { words.problem(E.problem(r)); $('history').hidden = true; return; }
      words.hide();
      // the number is not left on the screen once it has been looked up
      $('person-number').value = '';
      $('person-reason').value = '';
      showHistory(r.data);
    } catch (e) {
      if (!(e instanceof NetworkError)) throw e;
      words.problem(E.local('NETWORK'));
    }
  }

  function showHistory(h) {
    $('history').hidden = false;
    $('history-name').textContent = h.nameMasked;
    $('history-id').textContent = h.idMasked;
    $('history-samplings').replaceChildren(...(h.samplings.length ? h.samplings.map((s) => {
      const li = el('li');
      li.dataset.status = s.status;
      li.dataset.tube = s.tubeCode;
      const head = el('div', 'box-head');
      head.append(el('span', 'who', `${E.hhmm(s.sampledAt)} · ${s.siteCode}`), el('span', 'state', STATUS[s.status] || s.status));
      li.append(head, el('div', 'facts', `${s.pooled ? '混管 Pooled' : '单管 Single'} · 试管 tube ${s.tubeCode}`
        + (s.labCode ? ` · ${s.labCode}` : '') + (s.reportedAt ? ` · 发布 released ${E.hhmm(s.reportedAt)}` : '')));
      return li;
    }) : [el('li', 'empty', '未采样 Never sampled')]));
    $('history-recalls').replaceChildren(...(h.recalls.length ? h.recalls.map((r) => {
      const li = el('li');
      li.dataset.closed = String(!!r.closedAt);
      li.append(el('div', 'who', `${E.hhmm(r.since)} · ${r.reason} · ${r.siteCode}`), el('div', 'facts',
        (r.notifiedAt ? `短信 texted ${E.hhmm(r.notifiedAt)} (${r.notifiedPhones || 0})` : '未通知 not texted')
        + (r.closedAt ? ` · 已完成 closed ${E.hhmm(r.closedAt)} ${r.outcome || ''}` : ' · 未完成 open')));
      return li;
    }) : [el('li', 'empty', '无 None')]));
  }

  function init() {
    login = E.loginForm({
      api, words, store: SESSION,
      accept: (d) => (d.role && d.role !== 'VENUE_MANAGER' ? null : 'NOT_STAFF'),
      onSession: (s) => { state.session = s; start(); },
    });
    $('logout').addEventListener('click', () => { state.session = null; SESSION.clear(); setLoggedIn(false); });
    $('where-form').addEventListener('submit', onWhere);
    $('person-form').addEventListener('submit', onPerson);
    for (const c of document.querySelectorAll('.chip.kind')) c.addEventListener('click', () => setKind(c.dataset.kind));
    state.session = SESSION.load();
    if (state.session) start(); else setLoggedIn(false);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init); else init();
})();
