/*
 * The fever clinic's reporting page (templates/fever-clinic.html). Plain ES2020 on common.js.
 *
 * Why it is shaped this way: the triage nurse has a queue in front of them and a scanner in
 * hand. A scanner types the document number and presses Enter, so Enter moves to the next field
 * instead of sending a half-filled form; after a report the form clears and the number field has
 * the focus again. The queue below is the work: visitors still without a test, oldest first,
 * red when they are past the hours after which the district is alerted.
 */
'use strict';

(() => {
  const E = window.Epiloop;
  const { $, el, enc } = E;
  const SESSION = E.sessionStore('epiloop.fever.session');
  const REFRESH_MS = 30000;
  const SYMPTOMS = {
    FEVER: '发热 Fever', COUGH: '咳嗽 Cough', SORE_THROAT: '咽痛 Sore throat', FATIGUE: '乏力 Fatigue',
    SHORTNESS_OF_BREATH: '气短 Short of breath', LOSS_OF_TASTE_OR_SMELL: '嗅味觉减退 Taste/smell', DIARRHEA: '腹泻 Diarrhoea',
    MUSCLE_ACHE: '肌肉酸痛 Muscle ache',
  };
  const words = E.feedback({
    NOT_HOSPITAL: ['此页面供定点医院发热门诊使用', 'This page is for designated hospitals\' fever clinics.'],
    REPORTED: ['已登记', 'Visit reported.'],
    TESTED: ['已记录采样', 'Test recorded.'],
    TEMP_REQUIRED: ['请输入体温', 'Enter the temperature.'],
  });

  const session = E.staffPage({ words, store: SESSION, panel: 'fever-panel', every: REFRESH_MS });
  const { api, state, call, setLoggedIn } = session;

  async function start() {
    await session.begin(load);
    $('v-idnumber').focus();
  }

  async function load() {
    const r = await call('GET', '/api/v1/fever-clinic/visits?untested=true&hours=48');
    if (!r) return;
    const rows = r.data.slice().reverse();
    $('queue-count').textContent = String(rows.length);
    $('queue-empty').hidden = rows.length > 0;
    $('queue').replaceChildren(...rows.map(item));
  }

  function item(v) {
    const li = el('li', 'task' + (v.overdue ? ' overdue' : ''));
    li.id = 'visit-' + v.visitId;
    const t = new Date(v.visitedAt);
    li.append(el('p', 'task-who', `${v.nameMasked || ''} · ${v.idMasked || ''}`),
      el('p', 'task-detail', `${v.temperature} °C ${(v.symptoms || []).map((s) => SYMPTOMS[s] || s).join('、')}`),
      el('p', 'task-due', `${t.toLocaleTimeString('zh-CN', { hour: '2-digit', minute: '2-digit' })}`
        + (v.overdue ? ' · 已超时未检测 overdue' : '')));
    const row = el('div', 'action-grid');
    for (const [label, result] of [['已采样 Tested', null], ['阴性 Negative', 'NEGATIVE'], ['阳性 Positive', 'POSITIVE']]) {
      const b = el('button', 'btn' + (result ? '' : ' btn-primary'), label);
      b.type = 'button';
      b.addEventListener('click', async () => {
        const r = await call('POST', `/api/v1/fever-clinic/visits/${enc(v.visitId)}/test`, result ? { result } : {});
        if (!r) return;
        words.show('ok', words.text('TESTED'), { code: 'TESTED' });
        load();
      });
      row.append(b);
    }
    li.append(row);
    return li;
  }

  async function report(ev) {
    ev.preventDefault();
    const temp = $('v-temp').value.trim();
    if (!temp) {
      words.show('error', words.text('TEMP_REQUIRED'), { code: 'TEMP_REQUIRED', field: 'v-temp' });
      $('v-temp').focus();
      return;
    }
    const symptoms = [...document.querySelectorAll('#v-symptoms input:checked')].map((i) => i.value);
    const body = {
      idType: $('v-idtype').value, idNumber: $('v-idnumber').value.trim(), name: $('v-name').value.trim(),
      temperature: Number(temp), symptoms, tested: $('v-tested').checked,
    };
    const r = await call('POST', '/api/v1/fever-clinic/visits', body);
    if (!r) return;
    $('visit-form').reset();
    words.show('ok', words.text('REPORTED') + ` ${r.data.nameMasked} ${r.data.temperature} °C`, { code: 'REPORTED' });
    $('v-idnumber').focus();
    load();
  }

  /** Enter in a field moves on (a scanner ends with Enter); only the last field submits. */
  function enterMovesOn(id, next) {
    $(id).addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        e.preventDefault();
        $(next).focus();
      }
    });
  }

  function init() {
    for (const [value, label] of Object.entries(SYMPTOMS)) {
      const l = el('label', 'check');
      const i = el('input');
      i.type = 'checkbox';
      i.value = value;
      i.id = 'sym-' + value;
      l.append(i, ' ' + label);
      $('v-symptoms').append(l);
    }
    enterMovesOn('v-idnumber', 'v-name');
    enterMovesOn('v-name', 'v-temp');
    session.login({
      accept: (d) => (d.role === 'HOSPITAL' ? null : 'NOT_HOSPITAL'),
      onSession: (s) => { state.session = s; return start(); },
    });
    $('visit-form').addEventListener('submit', report);
    $('refresh').addEventListener('click', load);
    $('logout').addEventListener('click', session.logout);
    state.session = SESSION.load();
    if (state.session) start(); else setLoggedIn(false);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init); else init();
})();
