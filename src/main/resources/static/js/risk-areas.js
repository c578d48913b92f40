/*
 * The officials' risk-area page (templates/risk-areas.html). Plain ES2020 on common.js.
 *
 * Why it is shaped this way: a risk area is never edited, only set and ended, so that the level
 * in force at any past moment stays on record (the colour rules read the level at the arrival
 * time). The page therefore offers "set" and "end" only; ending asks for a second tap, as it
 * changes codes.
 */
'use strict';

(() => {
  const E = window.Epiloop;
  const { $, el, enc } = E;
  const SESSION = E.sessionStore('epiloop.risk.session');
  const LEVELS = { HIGH: '高 HIGH', MEDIUM: '中 MEDIUM', LOW: '低 LOW' };
  const words = E.feedback({
    NOT_OFFICIAL: ['此页面供卫健官员使用', 'This page is for health officials.'],
    AREA_SET: ['已设定风险地区', 'Risk area set.'],
    AREA_ENDED: ['已结束风险地区', 'Risk area ended.'],
  });

  const session = E.staffPage({ words, store: SESSION, panel: 'areas-panel' });
  const { api, state, call, setLoggedIn } = session;

  const start = () => session.begin(load);

  async function load() {
    const r = await call('GET', '/api/v1/risk-areas' + ($('show-all').checked ? '?all=true' : ''));
    if (!r) return;
    $('area-rows').replaceChildren(...r.data.map(row));
  }

  function row(a) {
    const tr = el('tr');
    tr.id = 'area-' + a.id;
    const level = el('td', 'level-' + a.level, LEVELS[a.level] || a.level);
    tr.append(el('td', null, a.regionCode), el('td', null, a.name), level, el('td', null, `${a.from} — ${a.to || '…'}`),
      el('td', null, a.endedBy ? `${a.setBy} / 结束 ended ${a.endedBy}` : a.setBy));
    const cell = el('td');
    if (!a.endedBy) {
      const b = el('button', 'btn btn-small', '结束 End');
      b.type = 'button';
      E.twoTap(b, '确认结束? Confirm', async () => {
        const r = await call('POST', `/api/v1/risk-areas/${enc(a.id)}/end`, {});
        if (!r) return;
        words.show('ok', words.text('AREA_ENDED'), { code: 'AREA_ENDED' });
        load();
      });
      cell.append(b);
    }
    tr.append(cell);
    return tr;
  }

  async function add(ev) {
    ev.preventDefault();
    const body = {
      regionCode: $('area-code').value.trim(), name: $('area-name').value.trim(), level: $('area-level').value,
      from: $('area-from').value || null, to: $('area-to').value || null,
    };
    const r = await call('POST', '/api/v1/risk-areas', body);
    if (!r) return;
    $('area-form').reset();
    words.show('ok', words.text('AREA_SET') + ` ${r.data.regionCode} ${r.data.name}`, { code: 'AREA_SET' });
    load();
  }

  function init() {
    session.login({
      accept: (d) => (d.role === 'OFFICIAL' ? null : 'NOT_OFFICIAL'),
      onSession: (s) => { state.session = s; return start(); },
    });
    $('area-form').addEventListener('submit', add);
    $('show-all').addEventListener('change', load);
    $('logout').addEventListener('click', session.logout);
    state.session = SESSION.load();
    if (state.session) start(); else setLoggedIn(false);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init); else init();
})();
