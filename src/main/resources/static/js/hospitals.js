/*
 * Designated fever-clinic hospitals (templates/hospitals.html). Plain ES2020 on common.js.
 *
 * Why it is shaped this way: designating a hospital and giving it its first account happen
 * together, often by an official and not the administrator, so each hospital in the list carries
 * its accounts and a short form for a new one (the hospital is never typed: the account is made
 * under it). Ending a designation stops its reporting, so it asks for a reason and a second tap.
 */
'use strict';

(() => {
  const E = window.Epiloop;
  const { $, el, enc } = E;
  const SESSION = E.sessionStore('epiloop.hospitals.session');
  const words = E.feedback({
    NOT_OFFICIAL: ['此页面供卫健官员和管理员使用', 'This page is for health officials and administrators.'],
    DESIGNATED: ['已指定为发热门诊定点医院', 'Designated.'],
    UNDESIGNATED: ['已取消指定，该院账号不能再上报新的就诊', 'Designation ended: its accounts report no new visits.'],
    ACCOUNT_MADE: ['账号已创建，请把用户名和初始密码交给医院', 'Account made: give the username and first password to the hospital.'],
  });

  const session = E.staffPage({ words, store: SESSION, panel: 'hospitals-panel' });
  const { api, state, call, setLoggedIn } = session;

  const start = () => session.begin(async () => {
    const d = await call('GET', '/api/v1/districts');
    if (d) {
      $('h-district').replaceChildren(...d.data.map((x) => { const o = el('option', null, `${x.name} (${x.code})`); o.value = x.code; return o; }));
    }
    await list();
  });

  async function list() {
    const r = await call('GET', '/api/v1/hospitals');
    if (!r) return;
    const items = await Promise.all(r.data.map(async (h) => {
      const a = await call('GET', `/api/v1/hospitals/${enc(h.code)}/accounts`);
      return hospital(h, a ? a.data : []);
    }));
    $('hospital-list').replaceChildren(...items);
  }

  function hospital(h, accounts) {
    const li = el('li', h.designated ? 'admin-item' : 'admin-item hosp-ended');
    li.id = 'hospital-' + h.code;
    li.append(el('p', null, `${h.name} (${h.code}) · ${h.districtCode} · ` + (h.designated ? '定点 designated'
      : `已取消 ended: ${h.undesignationReason || ''}`)));
    li.append(el('p', 'hint', accounts.length ? '账号 Accounts: ' + accounts.map((x) => x.username + (x.enabled ? '' : ' (停用 disabled)')).join(', ')
      : '还没有账号 No accounts yet'));
    if (h.designated) {
      const form = el('form', 'hosp-account');
      form.noValidate = true;
      const user = el('input');
      user.placeholder = '用户名 username';
      user.autocomplete = 'off';
      user.id = 'account-user-' + h.code;
      user.setAttribute('aria-label', '新账号用户名 New account username');
      const pw = el('input');
      pw.placeholder = '初始密码 first password (12+)';
      pw.autocomplete = 'new-password';
      pw.id = 'account-password-' + h.code;
      pw.setAttribute('aria-label', '初始密码 First password');
      const make = el('button', 'btn', '新建账号 New account');
      make.type = 'submit';
      make.id = 'account-create-' + h.code;
      form.append(user, pw, make);
      form.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        const x = await call('POST', `/api/v1/hospitals/${enc(h.code)}/accounts`, { username: user.value.trim(), password: pw.value });
        if (!x) return;
        words.show('ok', words.text('ACCOUNT_MADE'), { code: 'ACCOUNT_MADE' });
        list();
      });
      const reason = el('input');
      reason.placeholder = '取消原因 reason for ending';
      reason.id = 'undesignate-reason-' + h.code;
      reason.setAttribute('aria-label', '取消原因 Reason for ending the designation');
      const end = el('button', 'btn btn-quiet', '取消指定 End designation');
      end.type = 'button';
      end.id = 'undesignate-' + h.code;
      E.twoTap(end, '再点一次确认 Tap again to confirm', async () => {
        const x = await call('POST', `/api/v1/hospitals/${enc(h.code)}/undesignation`, { reason: reason.value.trim() || null });
        if (!x) return;
        words.show('ok', words.text('UNDESIGNATED'), { code: 'UNDESIGNATED' });
        list();
      });
      li.append(form, reason, end);
    } else {
      const again = el('button', 'btn', '重新指定 Designate again');
      again.type = 'button';
      again.id = 'redesignate-' + h.code;
      again.addEventListener('click', async () => {
        const x = await call('POST', `/api/v1/hospitals/${enc(h.code)}/designation`, {});
        if (!x) return;
        words.show('ok', words.text('DESIGNATED'), { code: 'DESIGNATED' });
        list();
      });
      li.append(again);
    }
    return li;
  }

  async function designate(ev) {
    ev.preventDefault();
    const r = await call('POST', '/api/v1/hospitals', { code: $('h-code').value.trim(), name: $('h-name').value.trim(),
      districtCode: $('h-district').value });
    if (!r) return;
    $('designate-form').reset();
    words.show('ok', words.text('DESIGNATED'), { code: 'DESIGNATED' });
    list();
  }

  function init() {
    session.login({
      accept: (d) => (d.role === 'OFFICIAL' || d.role === 'ADMIN' ? null : 'NOT_OFFICIAL'),
      onSession: (s) => { state.session = s; return start(); },
    });
    $('designate-form').addEventListener('submit', designate);
    $('logout').addEventListener('click', session.logout);
    state.session = SESSION.load();
    if (state.session) start(); else setLoggedIn(false);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init); else init();
})();
