/*
 * The officials' supplies page (templates/supplies.html). Plain ES2020 on common.js.
 *
 * Why it is shaped this way: the request queue comes first, as it is the work; approving names
 * the warehouse chosen at the top, and dispatching is a second tap because it moves stock. Stock
 * never shows a negative number: what the loop used beyond what was received is a note in words.
 */
'use strict';

(() => {
  const E = window.Epiloop;
  const { $, el, enc } = E;
  const SESSION = E.sessionStore('epiloop.supplies.session');
  const ITEMS = { SWAB: '采样拭子', TUBE_1: '单管 1:1', TUBE_5: '5混1管', TUBE_10: '10混1管', TUBE_20: '20混1管', PPE_SET: '防护用品(套)',
    PCR_REACTION: '检测试剂(人份)' };
  const KINDS = { WAREHOUSE: '仓库', SITE: '采样点', LAB: '实验室' };
  const STATUS = { REQUESTED: '待审批', APPROVED: '已批准', DECLINED: '已拒绝', DISPATCHED: '已发出', PICKED_UP: '运输中', RECEIVED: '已收货' };
  const words = E.feedback({
    NOT_OFFICIAL: ['此页面供卫健官员使用', 'This page is for health officials.'],
    DONE: ['已完成', 'Done.'],
    SETTLED: ['已结算用量', 'Use settled.'],
  });

  const session = E.staffPage({ words, store: SESSION, panel: 'supplies-panel' });
  const { api, state, call, setLoggedIn } = session;

  const start = () => session.begin(() => Promise.all([warehouses(), requests(), stock(), flows()]));

  async function warehouses() {
    const w = await call('GET', '/api/v1/supplies/warehouses');
    if (w) $('warehouse').replaceChildren(...w.data.map((x) => { const o = el('option', null, `${x.code} ${x.name}`); o.value = x.code; return o; }));
  }

  async function addWarehouse(ev) {
    ev.preventDefault();
    const r = await call('POST', '/api/v1/supplies/warehouses', { code: $('wh-code').value.trim(), name: $('wh-name').value.trim(),
      districtCode: $('wh-district').value.trim() });
    if (!r) return;
    $('warehouse-form').reset();
    words.show('ok', words.text('DONE'), { code: 'DONE' });
    warehouses();
  }

  async function requests() {
    const r = await call('GET', '/api/v1/supplies/requests');
    if (!r) return;
    const open = r.data.filter((q) => q.status === 'REQUESTED' || q.status === 'APPROVED' || q.status === 'DISPATCHED' || q.status === 'PICKED_UP');
    $('request-rows').replaceChildren(...open.map(requestRow));
  }

  function requestRow(q) {
    const tr = el('tr');
    tr.id = 'request-' + q.id;
    tr.append(el('td', null, q.siteCode), el('td', null, ITEMS[q.item] || q.item), el('td', 'num', String(q.quantity)),
      el('td', null, STATUS[q.status] || q.status), el('td', null, `${q.requestedBy} ${E.when(q.requestedAt)}`));
    const cell = el('td');
    const act = (label, path, body, confirm) => {
      const b = el('button', 'btn btn-small', label);
      b.type = 'button';
      const go = async () => {
        const r = await call('POST', `/api/v1/supplies/requests/${enc(q.id)}/${path}`, body ? body() : {});
        if (!r) return;
        words.show('ok', words.text('DONE'), { code: 'DONE' });
        requests(); stock();
      };
      if (confirm) E.twoTap(b, confirm, go); else b.addEventListener('click', go);
      cell.append(b);
    };
    if (q.status === 'REQUESTED') {
      act('批准 Approve', 'approval', () => ({ warehouseCode: $('warehouse').value }));
      act('拒绝 Decline', 'decline', () => ({ reason: '暂不发放 not now' }), '确认拒绝? Confirm');
    }
    if (q.status === 'APPROVED') act(`发货 Dispatch (${q.warehouseCode})`, 'dispatch', null, '确认发货? Confirm');
    tr.append(cell);
    return tr;
  }

  async function stock() {
    const r = await call('GET', '/api/v1/supplies/stock');
    if (!r) return;
    $('stock-rows').replaceChildren(...r.data.map((l) => {
      const tr = el('tr', l.flag ? 'flagged' : null);
      tr.append(el('td', null, KINDS[l.holderKind]), el('td', null, l.holderCode), el('td', null, ITEMS[l.item] || l.item),
        el('td', 'num', String(l.quantity)), el('td', l.flag ? 'warn' : null, l.flag || ''));
      return tr;
    }));
  }

  async function flows() {
    const r = await call('GET', '/api/v1/population-flow');
    if (!r) return;
    $('flow-rows').replaceChildren(...r.data.flows.map((f) => {
      const tr = el('tr');
      tr.append(el('td', null, f.day), el('td', null, f.districtCode), el('td', null, f.origin), el('td', 'num', String(f.declared)),
        el('td', 'num', String(f.checkedIn)), el('td', 'num', String(f.total)));
      return tr;
    }));
  }

  function lasts(hours) {
    if (hours === null || hours === undefined) return '—';
    return hours >= 48 ? `${(hours / 24).toFixed(1)} 天 days` : `${hours.toFixed(1)} 小时 h`;
  }

  async function forecast(ev) {
    ev.preventDefault();
    const list = (id) => $(id).value.split(/[,，\s]+/).map((s) => s.trim()).filter(Boolean);
    const body = { persons: Number($('fc-persons').value) || null, pool: Number($('fc-pool').value), singleShare: Number($('fc-single').value),
      siteCodes: list('fc-sites'), labCodes: list('fc-labs') };
    const r = await call('POST', '/api/v1/supplies/forecast', body);
    if (!r) return;
    $('forecast-rows').replaceChildren(...r.data.rows.map((x) => {
      const tr = el('tr', x.shortfall > 0 ? 'flagged' : null);
      tr.append(el('td', null, `${KINDS[x.holderKind]} ${x.holderCode}`), el('td', null, ITEMS[x.item] || x.item), el('td', 'num', String(x.needed)),
        el('td', 'num', String(x.onHand)), el('td', x.shortfall > 0 ? 'num warn' : 'num', String(x.shortfall)), el('td', null, lasts(x.hoursUntilOut)));
      return tr;
    }));
    $('total-rows').replaceChildren(...r.data.totals.map((t) => {
      const tr = el('tr', t.uncovered > 0 ? 'flagged' : null);
      tr.append(el('td', null, ITEMS[t.item] || t.item), el('td', 'num', String(t.shortfall)), el('td', 'num', String(t.inWarehouses)),
        el('td', t.uncovered > 0 ? 'num warn' : 'num', String(t.uncovered)));
      return tr;
    }));
  }

  async function receipt(ev) {
    ev.preventDefault();
    const r = await call('POST', '/api/v1/supplies/stock/receipts', { holderKind: $('receipt-kind').value, holderCode: $('receipt-code').value.trim(),
      item: $('receipt-item').value, quantity: Number($('receipt-quantity').value) || null });
    if (!r) return;
    $('receipt-form').reset();
    words.show('ok', words.text('DONE'), { code: 'DONE' });
    stock();
  }

  function init() {
    for (const s of document.querySelectorAll('.item-select')) {
      s.replaceChildren(...Object.entries(ITEMS).map(([k, v]) => { const o = el('option', null, v); o.value = k; return o; }));
    }
    session.login({
      accept: (d) => (d.role === 'OFFICIAL' ? null : 'NOT_OFFICIAL'),
      onSession: (s) => { state.session = s; return start(); },
    });
    $('forecast-form').addEventListener('submit', forecast);
    $('receipt-form').addEventListener('submit', receipt);
    $('warehouse-form').addEventListener('submit', addWarehouse);
    $('settle').addEventListener('click', async () => {
      const r = await call('POST', '/api/v1/supplies/settlement', {});
      if (r) { words.show('ok', words.text('SETTLED'), { code: 'SETTLED' }); stock(); }
    });
    $('logout').addEventListener('click', session.logout);
    state.session = SESSION.load();
    if (state.session) start(); else setLoggedIn(false);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init); else init();
})();
