/*
 * The officials' workbench (templates/official.html). Plain ES2020 on top of common.js, no build
 * step, no inline script (CSP script-src 'self').
 *
 * Why it is shaped this way:
 * - Four tabs for the four jobs of a health official's day — a person, cases and their tracing
 *   lists, the colour rules, the alerts — each one API call away, in 中文 with English beneath.
 * - Looking a person up asks for a reason first: the server audits every lookup with it.
 * - A tracing list can hold thousands of contacts: it is read a page at a time through the
 *   API's Link header (rel=next), and exported as a masked CSV for the tracers' phones.
 * - Alerts arrive on a live stream (server-sent events); the list also refreshes every 30 s in
 *   case the stream is down.
 * - Times are shown in the city's time zone, 24-hour, whatever the desk's own zone is.
 */
'use strict';

(() => {
  const E = window.Epiloop;
  const { $, el, enc, NetworkError } = E;

  const SESSION = E.sessionStore('epiloop.official.session');
  const TAB_KEY = 'epiloop.official.tab';
  const TABS = ['person', 'cases', 'rules', 'alerts'];
  const PAGE = 10;

  const words = E.feedback({
    NOT_OFFICIAL: ['仅限防疫官员', 'The workbench is for health officials. Log in with an official account.'],
    PERSON_NOT_FOUND: ['查无此人', 'Nobody is registered with this document.'],
    INVALID_ID_NUMBER: ['证件号码有误', 'The ID number is not valid. Check the digits and the last character.'],
    INVALID_ID_TYPE: ['证件类型有误', 'Choose the type of document.'],
    INVALID_REASON: ['请填写原因', 'Type a reason of at least two characters.'],
    CASE_EXISTS: ['已是确诊病例', 'This person is already a confirmed case.'],
    CASE_NOT_FOUND: ['找不到病例', 'No such case.'],
    CONTACT_NOT_FOUND: ['不在密接名单上', 'This person is not on the tracing list.'],
    CONFIRMED_AT_IN_FUTURE: ['确诊时间不能晚于现在', 'The confirmation time lies in the future.'],
    INVALID_TIMESTAMP: ['时间有误', 'The time is not valid.'],
    INVALID_COLOR: ['颜色有误', 'Choose green, yellow or red.'],
    INVALID_DURATION: ['时长有误', 'The duration must be 1 to 720 hours.'],
    INVALID_SETTING: ['规则值有误', 'That value is not allowed for this rule.'],
    UNKNOWN_SETTING: ['没有这条规则', 'No such rule.'],
    INVALID_NOTE: ['备注太长', 'The note may have at most 500 characters.'],
    ALERT_NOT_FOUND: ['找不到预警', 'No such alert.'],
    ALERT_NOT_ACKNOWLEDGED: ['请先接手', 'Acknowledge the alert before resolving it.'],
    ALERT_ALREADY_ACKNOWLEDGED: ['已有人接手', 'Someone has already acknowledged this alert.'],
    ALERT_ALREADY_RESOLVED: ['已经解决', 'This alert is already resolved.'],
    INVALID_LIMIT: ['分页有误', 'The page size is not valid.'],
    INVALID_CURSOR: ['分页有误', 'The page link is no longer valid. Open the list again.'],
  });
  const api = E.client(() => state.session && state.session.accessToken);

  const state = {
    session: null, zone: 'Asia/Shanghai', person: null, casesNext: null, cases: {},
    tracing: null, // {caseId, cursors: [null, …], index, next}
    stream: null, alertTimer: null,
  };

  const COLOR_WORDS = { GREEN: '绿码 Green', YELLOW: '黄码 Yellow', RED: '红码 Red' };
  const STATUS_WORDS = {
    PENDING: '待出结果 Pending', NEGATIVE: '阴性 Negative', POSITIVE: '阳性 Positive',
    RECALLED: '混检阳性待复采 Recalled', RETEST: '需重采 Retest',
  };
  const LEVEL_WORDS = { CLOSE: '密接 Close', SECONDARY: '次密接 Secondary' };
  const RULE_WORDS = {
    closeContactDays: '密接管控天数 Close contacts: days',
    closeContactColor: '密接码色 Close contacts: colour',
    secondaryContactDays: '次密接管控天数 Secondary contacts: days',
    secondaryContactColor: '次密接码色 Secondary contacts: colour',
    retestColor: '待复采码色 Awaiting a retest: colour',
    highRiskArrivalDays: '高风险地区来返管控天数 From a high-risk area: days',
    highRiskArrivalColor: '高风险地区来返码色 From a high-risk area: colour',
    mediumRiskArrivalDays: '中风险地区来返管控天数 From a medium-risk area: days',
    mediumRiskArrivalColor: '中风险地区来返码色 From a medium-risk area: colour',
    declaredFeverColor: '申报发热码色 Declared fever: colour',
    gridReportColor: '网格上报码色 Reported by a grid worker: colour',
  };

  // ---------------------------------------------------------------- time, in the city's zone

  function parts(iso) {
    const d = iso ? new Date(iso) : null;
    if (!d || isNaN(d)) return null;
    const out = {};
    new Intl.DateTimeFormat('en-GB', { timeZone: state.zone, year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(d).forEach((p) => { out[p.type] = p.value; });
    return out;
  }

  /** "12-07 18:30" in the city's zone. */
  function when(iso) {
    const p = parts(iso);
    return p ? p.month + '-' + p.day + ' ' + p.hour + ':' + p.minute : '—';
  }

  /** The city's UTC offset at an instant, as "+08:00". */
  function offsetAt(date) {
    const name = new Intl.DateTimeFormat('en-US', { timeZone: state.zone, timeZoneName: 'longOffset' })
      .formatToParts(date).find((p) => p.type === 'timeZoneName');
    const m = name && /GMT([+-]\d{2}:\d{2})/.exec(name.value);
    return m ? m[1] : '+00:00';
  }

  // ---------------------------------------------------------------- calls

  /** A call whose failure is shown in plain words; resolves to the response, or null when it failed. */
  async function call(method, path, body, prefix) {
    let r;
    try {
      r = await api(method, path, body);
    } catch (e) {
      if (!(e instanceof NetworkError)) throw e;
      words.problem(E.local('NETWORK'), prefix);
      return null;
    }
    if (r.status === 401) { logout(); return null; }
    if (!r.ok) { words.problem(E.problem(r), prefix); return null; }
    return r;
  }

  /** The target of a Link header's rel="next", or null. */
  function nextLink(r) {
    const link = r.headers && r.headers.get('Link');
    const m = link && /<([^>]+)>;\s*rel="next"/.exec(link);
    return m ? m[1] : null;
  }

  function busy(button, on) {
    button.disabled = on;
  }

  // ---------------------------------------------------------------- tabs

  function setTab(tab) {
    const t = TABS.includes(tab) ? tab : 'person';
    sessionStorage.setItem(TAB_KEY, t);
    TABS.forEach((x) => {
      $('tab-' + x).setAttribute('aria-selected', String(x === t));
      $('panel-' + x).hidden = x !== t;
    });
    document.body.dataset.tab = t;
    if (t === 'cases') loadCases();
    if (t === 'rules') loadRules();
    if (t === 'alerts') loadAlerts();
  }

  // ---------------------------------------------------------------- 1. person

  async function lookup(ev) {
    ev.preventDefault();
    const idNumber = $('lookup-idnumber').value.trim();
    const reason = $('lookup-reason').value.trim();
    if (!idNumber) { words.problem(E.local('FIELD_REQUIRED', 'idNumber')); $('lookup-idnumber').focus(); return; }
    if (reason.length < 2) { words.problem(E.local('INVALID_REASON', 'reason')); $('lookup-reason').focus(); return; }
    busy($('lookup-submit'), true);
    try {
      const r = await call('POST', '/api/v1/officials/person-lookups', { idType: $('lookup-idtype').value, idNumber, reason });
      if (!r) { $('person-card').hidden = true; return; }
      words.hide();
      // the number is not left on the screen (or for the next person at this desk)
      $('lookup-idnumber').value = '';
      showPerson(r.data);
    } finally {
      busy($('lookup-submit'), false);
    }
  }

  function codeBadge(node, color) {
    node.textContent = COLOR_WORDS[color] || color;
    node.dataset.color = color;
  }

  function showPerson(p) {
    state.person = p;
    const card = $('person-card');
    card.hidden = false;
    card.dataset.personId = p.personId;
    card.dataset.color = p.healthCode.color;
    $('person-name').textContent = p.nameMasked;
    $('person-id').textContent = p.idMasked;
    $('person-phone').textContent = p.phoneMasked ? '☎ ' + p.phoneMasked : '无手机号 No phone';
    $('person-district').textContent = '区 District ' + (p.districtCode || '—');
    codeBadge($('person-code'), p.healthCode.color);
    $('person-reasons').replaceChildren(...p.healthCode.reasons.map((x) => el('li', null, x.text)));
    $('person-recall').textContent = p.openRecall ? '⚠ 待复采（有未完成的召回） Recalled: a retest is outstanding' : '无待复采 No open recall';
    $('person-recall').dataset.open = String(p.openRecall);
    $('person-samplings').textContent = String(p.samplings);
    const list = $('person-results');
    if (!p.results.length) {
      list.replaceChildren(el('li', 'empty', '没有采样记录 No samplings'));
    } else {
      list.replaceChildren(...p.results.map((x) => {
        const li = el('li', 'result');
        li.dataset.status = x.status;
        const head = el('div', 'result-head');
        head.append(el('span', 'status-word status-' + x.status.toLowerCase(), STATUS_WORDS[x.status] || x.status),
          el('span', 'result-when', '采样 Sampled ' + when(x.sampledAt)));
        li.append(head, el('p', 'small-print', (x.pooled ? '混检 Pooled' : '单检 Single tube') + (x.labCode ? ' · ' + x.labCode : '')
          + (x.reportedAt ? ' · 报告 Reported ' + when(x.reportedAt) : '')));
        return li;
      }));
    }
    $('override-result').hidden = true;
  }

  async function override(ev) {
    ev.preventDefault();
    const p = state.person;
    if (!p) return;
    const reason = $('override-reason').value.trim();
    if (!reason) { words.problem(E.local('FIELD_REQUIRED', 'reason')); $('override-reason').focus(); return; }
    const hours = Number($('override-hours').value);
    const before = p.healthCode.color;
    busy($('override-submit'), true);
    try {
      const r = await call('POST', '/api/v1/health-codes/overrides',
        { personId: p.personId, color: $('override-color').value, reason, hours: Number.isFinite(hours) ? hours : null });
      if (!r) return;
      const after = r.data.color;
      p.healthCode = { color: after, reasons: r.data.reasons };
      codeBadge($('person-code'), after);
      $('person-card').dataset.color = after;
      $('person-reasons').replaceChildren(...r.data.reasons.map((x) => el('li', null, x.text)));
      const out = $('override-result');
      out.hidden = false;
      out.dataset.before = before;
      out.dataset.after = after;
      out.replaceChildren(el('span', null, '改判前 Before: '), badge(before), el('span', null, ' → 改判后 After: '), badge(after),
        el('span', null, ' · ' + hours + ' 小时 hours'));
      $('override-reason').value = '';
      words.show('ok', '健康码已改判 Code overridden: ' + (COLOR_WORDS[before] || before) + ' → ' + (COLOR_WORDS[after] || after));
    } finally {
      busy($('override-submit'), false);
    }
  }

  function badge(color) {
    const b = el('span', 'ow-code');
    codeBadge(b, color);
    return b;
  }

  // ---------------------------------------------------------------- 2. cases

  async function confirmCase(ev) {
    ev.preventDefault();
    const idNumber = $('confirm-idnumber').value.trim();
    if (!idNumber) { words.problem(E.local('FIELD_REQUIRED', 'idNumber')); $('confirm-idnumber').focus(); return; }
    const at = $('confirm-at').value;
    let confirmedAt = new Date().toISOString();
    if (at) {
      const guess = new Date(at + ':00Z');
      confirmedAt = at + ':00' + offsetAt(guess);
    }
    busy($('confirm-submit'), true);
    try {
      const r = await call('POST', '/api/v1/cases', { idType: $('confirm-idtype').value, idNumber, confirmedAt }, '确诊 Confirm');
      if (!r) return;
      words.show('ok', '已确诊，找到密接 ' + r.data.contacts + ' 人（密接 ' + r.data.closeContacts + '，次密接 '
        + r.data.secondaryContacts + '） Case confirmed: ' + r.data.contacts + ' contacts found');
      $('confirm-idnumber').value = '';
      await loadCases();
      await openTracing(r.data.caseId);
    } finally {
      busy($('confirm-submit'), false);
    }
  }

  async function loadCases(more) {
    const path = more && state.casesNext ? state.casesNext : '/api/v1/cases?limit=20';
    const r = await call('GET', path);
    if (!r) return;
    state.casesNext = nextLink(r);
    $('cases-more').hidden = !state.casesNext;
    r.data.forEach((c) => { state.cases[c.caseId] = c; });
    const items = r.data.map(caseItem);
    if (more) $('cases').append(...items);
    else $('cases').replaceChildren(...(items.length ? items : [el('li', 'empty', '暂无病例 No cases yet')]));
    markOpenCase();
  }

  function caseItem(c) {
    const li = el('li', 'ow-case');
    li.dataset.caseId = c.caseId;
    li.tabIndex = 0;
    const head = el('div', 'ow-case-head');
    head.append(el('strong', null, c.nameMasked), el('span', 'mono', c.idMasked));
    li.append(head, el('p', 'small-print', '确诊 Confirmed ' + when(c.confirmedAt) + ' · 密接 ' + c.closeContacts + ' · 次密接 '
      + c.secondaryContacts + ' · 已联系 Reached ' + c.reached + '/' + c.contacts));
    li.addEventListener('click', () => openTracing(c.caseId));
    li.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') openTracing(c.caseId); });
    return li;
  }

  function markOpenCase() {
    const open = state.tracing && state.tracing.caseId;
    document.querySelectorAll('#cases li[data-case-id]').forEach((li) => li.classList.toggle('open', li.dataset.caseId === open));
  }

  async function openTracing(caseId) {
    state.tracing = { caseId, cursors: [null], index: 0, next: null };
    markOpenCase();
    const r = await call('GET', '/api/v1/cases/' + enc(caseId));
    if (r) {
      const known = state.cases[caseId];
      $('tracing-title').textContent = known ? known.nameMasked + ' ' + known.idMasked : caseId.slice(0, 8);
      $('tracing-summary').textContent = '确诊 Confirmed ' + when(r.data.confirmedAt) + ' · 密接 Close ' + r.data.closeContacts
        + ' · 次密接 Secondary ' + r.data.secondaryContacts;
    }
    await showContactsPage();
    // on a phone the list is below the case list: bring it into view; on a desk it is beside it
    if (window.matchMedia('(max-width: 899px)').matches) $('tracing').scrollIntoView({ block: 'start' });
  }

  async function showContactsPage() {
    const t = state.tracing;
    const cursor = t.cursors[t.index];
    const r = await call('GET', '/api/v1/cases/' + enc(t.caseId) + '/contacts?limit=' + PAGE + (cursor ? '&after=' + enc(cursor) : ''));
    if (!r) return;
    const link = nextLink(r);
    const m = link && /[?&]after=([^&]+)/.exec(link);
    t.next = m ? decodeURIComponent(m[1]) : null;
    const box = $('tracing');
    box.hidden = false;
    box.dataset.caseId = t.caseId;
    box.dataset.page = String(t.index + 1);
    $('contacts-page').textContent = '第 ' + (t.index + 1) + ' 页 · Page ' + (t.index + 1);
    $('contacts-prev').disabled = t.index === 0;
    $('contacts-next').disabled = !t.next;
    const list = $('contacts');
    if (!r.data.length) {
      list.replaceChildren(el('li', 'empty', '没有密接 No contacts'));
      return;
    }
    list.replaceChildren(...r.data.map((c, i) => contactItem(c, t.index * PAGE + i + 1)));
  }

  function contactItem(c, n) {
    const li = el('li', 'ow-contact');
    li.dataset.personId = c.personId;
    li.dataset.level = c.level;
    const info = el('div', 'ow-contact-info');
    const head = el('div', 'ow-contact-head');
    head.append(el('span', 'ow-n', String(n)), el('span', 'level level-' + c.level.toLowerCase(), LEVEL_WORDS[c.level] || c.level),
      el('strong', null, c.nameMasked), el('span', 'mono', c.phoneMasked || '—'));
    info.append(head, el('p', 'small-print', c.venueName + ' · ' + when(c.at)));
    const foot = el('div', 'ow-contact-foot');
    li.append(info, foot);
    showReach(li, foot, c);
    return li;
  }

  function showReach(li, foot, c) {
    li.dataset.reached = String(!!c.reachedAt);
    if (c.reachedAt) {
      foot.replaceChildren(el('span', 'ow-reached', '✓ 已联系 Reached · ' + c.reachedBy + ' · ' + when(c.reachedAt)));
      return;
    }
    const b = el('button', 'btn btn-small btn-primary reach', '标记已联系 Mark reached');
    b.type = 'button';
    b.addEventListener('click', async () => {
      busy(b, true);
      const r = await call('POST', '/api/v1/cases/' + enc(state.tracing.caseId) + '/contacts/' + enc(c.personId) + '/reached', {});
      busy(b, false);
      if (!r) return;
      showReach(li, foot, { reachedAt: r.data.reachedAt, reachedBy: r.data.reachedBy });
      countReach(state.tracing.caseId);
      words.show('ok', '已记录联系 ' + c.nameMasked + ' Reached', { beep: false });
    });
    foot.replaceChildren(b);
  }

  /** The case list's "reached n/m" goes up by one without reading the list again. */
  function countReach(caseId) {
    const c = state.cases[caseId];
    const li = document.querySelector('#cases li[data-case-id="' + caseId + '"]');
    if (!c || !li) return;
    c.reached += 1;
    const fresh = caseItem(c);
    li.replaceWith(fresh);
    markOpenCase();
  }

  function pageBy(step) {
    const t = state.tracing;
    if (!t) return;
    if (step > 0) {
      if (!t.next) return;
      t.cursors[t.index + 1] = t.next;
      t.index += 1;
    } else {
      if (t.index === 0) return;
      t.index -= 1;
    }
    showContactsPage();
  }

  async function exportContacts() {
    const t = state.tracing;
    if (!t) return;
    let r;
    try {
      r = await fetch('/api/v1/cases/' + enc(t.caseId) + '/contacts.csv',
        { headers: { Authorization: 'Bearer ' + state.session.accessToken }, cache: 'no-store' });
    } catch (e) {
      words.problem(E.local('NETWORK'));
      return;
    }
    if (!r.ok) {
      let data = null;
      try { data = await r.json(); } catch (e) { data = null; }
      words.problem(E.problem({ status: r.status, data }));
      return;
    }
    const name = (r.headers.get('Content-Disposition') || '').replace(/.*filename="([^"]+)".*/, '$1') || 'contacts.csv';
    const url = URL.createObjectURL(await r.blob());
    const a = el('a');
    a.href = url;
    a.download = name;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
    $('contacts-export').dataset.exported = name;
    words.show('ok', '已导出（已脱敏） Exported, masked: ' + name, { beep: false });
  }

  // ---------------------------------------------------------------- 3. rules

  async function loadRules() {
    const r = await call('GET', '/api/v1/health-codes/rules');
    if (r) drawRules(r.data);
  }

  function drawRules(data) {
    const body = $('rules-table').querySelector('tbody');
    body.replaceChildren(...Object.entries(data.settings).map(([name, value]) => {
      const tr = el('tr');
      tr.dataset.setting = name;
      tr.dataset.value = value;
      let input;
      if (/Color$/.test(name)) {
        input = el('select', 'rule-value');
        ['GREEN', 'YELLOW', 'RED'].forEach((c) => {
          const o = el('option', null, COLOR_WORDS[c]);
          o.value = c;
          input.append(o);
        });
      } else {
        input = el('input', 'rule-value');
        input.type = 'number';
        input.min = '1';
        input.max = '60';
        input.inputMode = 'numeric';
      }
      input.value = value;
      input.setAttribute('aria-label', (RULE_WORDS[name] || name) + ' — 新值 New value');
      const save = el('button', 'btn btn-small btn-primary rule-save', '保存 Save');
      save.type = 'button';
      save.addEventListener('click', () => changeRule(name, input.value, save));
      const cells = [el('td', 'rule-name', RULE_WORDS[name] || name), el('td', 'rule-now', ruleValue(name, value)), el('td'), el('td')];
      cells[2].append(input);
      cells[3].append(save);
      tr.append(...cells);
      return tr;
    }));
    const history = $('rule-history').querySelector('tbody');
    history.replaceChildren(...(data.changes.length ? data.changes.map((c) => {
      const tr = el('tr');
      tr.dataset.setting = c.name;
      [when(c.at), c.changedBy, RULE_WORDS[c.name] || c.name,
        ruleValue(c.name, c.oldValue) + ' → ' + ruleValue(c.name, c.newValue)].forEach((v) => tr.append(el('td', null, v)));
      return tr;
    }) : [(() => { const tr = el('tr'); const td = el('td', 'empty', '尚无修改 No changes yet'); td.colSpan = 4; tr.append(td); return tr; })()]));
  }

  function ruleValue(name, value) {
    if (value === null || value === undefined) return '—';
    return /Color$/.test(name) ? (COLOR_WORDS[value] || value) : value + ' 天 days';
  }

  async function changeRule(name, value, button) {
    busy(button, true);
    try {
      const r = await call('PUT', '/api/v1/health-codes/rules/' + enc(name), { value }, RULE_WORDS[name] || name);
      if (!r) return;
      const last = r.data.changes[0];
      drawRules(r.data);
      words.show('ok', '规则已修改 Rule changed: ' + (RULE_WORDS[name] || name) + ' '
        + (last ? ruleValue(name, last.oldValue) + ' → ' + ruleValue(name, last.newValue) : ''));
    } finally {
      busy(button, false);
    }
  }

  // ---------------------------------------------------------------- 4. alerts

  async function loadAlerts() {
    clearTimeout(state.alertTimer);
    try {
      const r = await call('GET', '/api/v1/dashboard/alerts');
      if (r) drawAlerts(r.data);
    } finally {
      if (state.session) state.alertTimer = setTimeout(loadAlerts, 30000);
    }
  }

  function drawAlerts(alerts) {
    window.EpiloopAlerts.draw($('alerts'), $('alert-count'), alerts,
      { limit: 200, empty: '暂无未解决的预警 No unresolved alerts', item: alertItem });
  }

  /** The shared alert item, with what the workbench adds: acknowledge, then resolve, each with a note. */
  function alertItem(a) {
    const li = window.EpiloopAlerts.item(a, { className: 'ow-alert', when, hint: true });
    if (a.id === undefined || a.id === null) {
      li.append(el('p', 'small-print', '自动预警：原因消除后自动关闭 Computed: it clears itself when its cause goes away'));
      return li;
    }
    const form = el('form', 'ow-alert-act');
    form.noValidate = true;
    const note = el('input', 'alert-note');
    note.type = 'text';
    note.maxLength = 500;
    note.placeholder = a.state === 'ACKNOWLEDGED' ? '处置结果 How it was resolved' : '接手说明 Who takes it, what next';
    note.setAttribute('aria-label', '备注 Note');
    const ack = a.state !== 'ACKNOWLEDGED';
    const button = el('button', 'btn btn-small ' + (ack ? 'btn-primary alert-ack' : 'btn-warn alert-resolve'),
      ack ? '接手 Acknowledge' : '解决 Resolve');
    button.type = 'submit';
    form.append(note, button);
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const text = note.value.trim();
      if (!text) { words.problem(E.local('FIELD_REQUIRED', 'note')); note.focus(); return; }
      busy(button, true);
      const r = await call('POST', '/api/v1/dashboard/alerts/' + a.id + (ack ? '/acknowledgement' : '/resolution'), { note: text });
      busy(button, false);
      if (!r) return;
      words.show('ok', (ack ? '已接手 Acknowledged: ' : '已解决 Resolved: ') + window.EpiloopAlerts.word(a.kind) + ' ' + a.subject, { beep: false });
      await loadAlerts();
    });
    li.append(form);
    return li;
  }

  // ---------------------------------------------------------------- session

  async function start(session) {
    state.session = session;
    $('login-panel').hidden = true;
    $('desk').hidden = false;
    $('who').hidden = false;
    $('logout').hidden = false;
    $('user').textContent = session.username;
    const s = await call('GET', '/api/v1/dashboard/settings');
    if (s && s.data.zone) state.zone = s.data.zone;
    setTab(sessionStorage.getItem(TAB_KEY) || 'person');
    loadAlerts();
    state.stream = E.ticketedStream(api, '/api/v1/dashboard/alerts/stream-tickets', '/api/v1/dashboard/alerts/stream',
      { alert: () => loadAlerts() }, (st) => { document.body.dataset.stream = st; });
    document.body.dataset.ready = 'true';
  }

  function logout() {
    clearTimeout(state.alertTimer);
    if (state.stream) state.stream.close();
    state.stream = null;
    state.session = null;
    SESSION.clear();
    $('desk').hidden = true;
    $('who').hidden = true;
    $('logout').hidden = true;
    $('login-panel').hidden = false;
  }

  document.addEventListener('DOMContentLoaded', () => {
    E.loginForm({
      api, words, store: SESSION,
      accept: (t) => (t.role === 'OFFICIAL' ? null : 'NOT_OFFICIAL'),
      onSession: start,
    });
    $('logout').addEventListener('click', logout);
    TABS.forEach((t) => $('tab-' + t).addEventListener('click', () => setTab(t)));
    $('lookup-form').addEventListener('submit', lookup);
    $('override-form').addEventListener('submit', override);
    $('confirm-form').addEventListener('submit', confirmCase);
    $('cases-refresh').addEventListener('click', () => loadCases());
    $('cases-more').addEventListener('click', () => loadCases(true));
    $('contacts-prev').addEventListener('click', () => pageBy(-1));
    $('contacts-next').addEventListener('click', () => pageBy(1));
    $('contacts-export').addEventListener('click', exportContacts);
    $('alerts-refresh').addEventListener('click', loadAlerts);
    const saved = SESSION.load();
    if (saved && saved.role === 'OFFICIAL') start(saved);
  });
})();
