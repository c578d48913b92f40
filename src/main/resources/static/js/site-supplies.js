/*
 * A site's supplies page (templates/site-supplies.html), phone-size. Plain ES2020 on common.js.
 *
 * Why it is shaped this way: a collector asks and receives between samplings, so the page is a
 * short form and a work queue: what was sent shows a "received" button, nothing is typed twice.
 */
'use strict';

(() => {
  const E = window.Epiloop;
  const { $, el, enc } = E;
  const SESSION = E.sessionStore('epiloop.site-supplies.session');
  const ITEMS = { SWAB: '采样拭子', TUBE_1: '单管 1:1', TUBE_5: '5混1管', TUBE_10: '10混1管', TUBE_20: '20混1管', PPE_SET: '防护用品(套)',
    PCR_REACTION: '检测试剂(人份)' };
  const STATUS = { REQUESTED: '待审批', APPROVED: '已批准', DECLINED: '已拒绝', DISPATCHED: '已发出', PICKED_UP: '运输中', RECEIVED: '已收货' };
  const words = E.feedback({
    NOT_COLLECTOR: ['此页面供采样点人员使用', 'This page is for site staff.'],
    ASKED: ['已提交申请', 'Request sent.'],
    RECEIVED: ['已收货，库存已增加', 'Received: added to our stock.'],
  });

  const api = E.client(() => state.session && state.session.accessToken);
  const state = { session: null };
  const session = E.staffSession({ api, words, store: SESSION, state, panel: 'site-panel' });
  const { call, setLoggedIn } = session;

  async function start() {
    setLoggedIn(true);
    $('user').textContent = state.session.username;
    await Promise.all([mine(), have()]);
  }

  async function mine() {
    const r = await call('GET', '/api/v1/supplies/requests');
    if (!r) return;
    $('mine').replaceChildren(...r.data.map((q) => {
      const li = el('li', 'sup-item');
      li.id = 'mine-' + q.id;
      li.append(el('span', null, `${ITEMS[q.item] || q.item} × ${q.quantity} — ${STATUS[q.status] || q.status}`));
      if (q.status === 'DISPATCHED' || q.status === 'PICKED_UP') {
        const b = el('button', 'btn btn-primary', '收货 Received');
        b.type = 'button';
        b.addEventListener('click', async () => {
          const x = await call('POST', `/api/v1/supplies/requests/${enc(q.id)}/receipt`, {});
          if (!x) return;
          words.show('ok', words.text('RECEIVED'), { code: 'RECEIVED' });
          mine(); have();
        });
        li.append(b);
      }
      return li;
    }));
  }

  async function have() {
    const r = await call('GET', '/api/v1/supplies/stock');
    if (!r) return;
    $('have').replaceChildren(...r.data.map((l) => el('li', l.flag ? 'sup-item sup-warn' : 'sup-item',
      `${ITEMS[l.item] || l.item}: ${l.quantity}${l.flag ? ' — ' + l.flag : ''}`)));
  }

  async function ask(ev) {
    ev.preventDefault();
    const r = await call('POST', '/api/v1/supplies/requests', { item: $('ask-item').value, quantity: Number($('ask-quantity').value) || null,
      note: $('ask-note').value.trim() || null });
    if (!r) return;
    $('ask-form').reset();
    words.show('ok', words.text('ASKED'), { code: 'ASKED' });
    mine();
  }

  function init() {
    $('ask-item').replaceChildren(...Object.entries(ITEMS).filter(([k]) => k !== 'PCR_REACTION')
      .map(([k, v]) => { const o = el('option', null, v); o.value = k; return o; }));
    session.login({
      accept: (d) => (d.role === 'COLLECTOR' ? null : 'NOT_COLLECTOR'),
      onSession: (s) => { state.session = s; return start(); },
    });
    $('ask-form').addEventListener('submit', ask);
    $('logout').addEventListener('click', session.logout);
    state.session = SESSION.load();
    if (state.session) start(); else setLoggedIn(false);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init); else init();
})();
