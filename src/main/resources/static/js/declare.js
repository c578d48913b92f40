/*
 * The resident's declaration page (templates/declare.html). Plain ES2020 on common.js.
 *
 * Why it is shaped this way: the login is the resident page's (the same session store, so a
 * resident who logged in there in this tab is logged in here), and the health code card sits
 * above the form so the resident sees what a declaration does to it: the server marks the code
 * stale when the declaration is handled, a moment after it is stored, so the page reads the code
 * again for a few seconds until it changes. Arrival, symptoms and contact are three optional
 * parts of one form, opened by a tick each, because most people declare one of them. Times typed
 * into the form are the city's (as every time on the pages is), whatever the phone's zone.
 */
'use strict';

(() => {
  const E = window.Epiloop;
  const { $, el, enc } = E;
  const SESSION = E.sessionStore('epiloop.resident.session');
  const POLL_MS = 1500;
  const POLL_TRIES = 12;

  const COLORS = { GREEN: '绿码 GREEN', YELLOW: '黄码 YELLOW', RED: '红码 RED' };
  const SYMPTOMS = {
    FEVER: '发热 Fever', COUGH: '咳嗽 Cough', SORE_THROAT: '咽痛 Sore throat', FATIGUE: '乏力 Fatigue',
    SHORTNESS_OF_BREATH: '气短 Short of breath', LOSS_OF_TASTE_OR_SMELL: '嗅味觉减退 Taste/smell', DIARRHEA: '腹泻 Diarrhoea',
    MUSCLE_ACHE: '肌肉酸痛 Muscle ache',
  };
  const KINDS = { ARRIVAL: '来返 Arrival', SYMPTOMS: '症状 Symptoms', CLOSE_CONTACT: '接触病例 Contact' };
  const words = E.feedback({
    DECLARED: ['已提交申报，社区网格员会联系您', 'Declared. Your community grid worker will contact you.'],
    CHOOSE_GRID: ['请选择社区网格', 'Choose your community grid.'],
    DIARY_SAVED: ['已记录今日体温', "Today's temperature is recorded."],
    TEMP_REQUIRED: ['请输入体温', 'Enter the temperature.'],
  });

  const api = E.client(() => state.session && state.session.accessToken);
  const state = { session: null, persons: [], person: null, code: null };
  let call = null;

  function expired() {
    state.session = null;
    SESSION.clear();
    $('declare-panel').hidden = true;
    $('need-login').hidden = false;
  }

  function option(value, text) {
    const o = el('option', null, text);
    o.value = value;
    return o;
  }

  function checkboxes(container, prefix) {
    for (const [code, text] of Object.entries(SYMPTOMS)) {
      const input = el('input');
      input.type = 'checkbox';
      input.value = code;
      input.id = prefix + code.toLowerCase();
      const label = el('label', 'check');
      label.append(input, document.createTextNode(' ' + text));
      container.append(label);
    }
  }

  function checked(container) {
    return [...container.querySelectorAll('input:checked')].map((i) => i.value);
  }

  /** Today in the city, YYYY-MM-DD. */
  function today() {
    const p = new Intl.DateTimeFormat('en-CA', { timeZone: E.ZONE, year: 'numeric', month: '2-digit', day: '2-digit' })
      .formatToParts(new Date());
    const v = (t) => p.find((x) => x.type === t).value;
    return `${v('year')}-${v('month')}-${v('day')}`;
  }

  /** A datetime-local value read as the city's wall clock, as ISO-8601 in UTC. */
  function cityIso(local) {
    const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(local);
    if (!m) return local || null;
    const asUtc = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]);
    const p = new Intl.DateTimeFormat('en-US', { timeZone: E.ZONE, hourCycle: 'h23', year: 'numeric', month: '2-digit',
      day: '2-digit', hour: '2-digit', minute: '2-digit' }).formatToParts(new Date(asUtc));
    const v = (t) => +p.find((x) => x.type === t).value;
    const zoneWall = Date.UTC(v('year'), v('month') - 1, v('day'), v('hour') % 24, v('minute'));
    return new Date(asUtc - (zoneWall - asUtc)).toISOString();
  }

  async function start() {
    $('need-login').hidden = true;
    $('declare-panel').hidden = false;
    const [p, d] = await Promise.all([call('GET', '/api/v1/resident/persons'), call('GET', '/api/v1/districts')]);
    if (!p || !d) return;
    state.persons = p.data;
    $('person').replaceChildren(...state.persons.map((x) => option(x.personId, `${x.nameMasked} (${x.idMasked})`)));
    $('district').replaceChildren(...d.data.map((x) => option(x.code, `${x.name} (${x.code})`)));
    if (state.persons.length) await selectPerson(state.persons[0].personId);
  }

  async function selectPerson(id) {
    state.person = id;
    $('person').value = id;
    const p = state.persons.find((x) => x.personId === id);
    if (p && p.districtCode) $('district').value = p.districtCode;
    await Promise.all([loadGrids(), loadCode(), loadHistory(), loadObservation()]);
  }

  async function loadGrids() {
    const r = await call('GET', '/api/v1/grids?districtCode=' + enc($('district').value));
    if (!r) return;
    $('grid').replaceChildren(option('', '— 请选择 Choose —'), ...r.data.map((g) => option(g.code, `${g.name} (${g.code})`)));
    if (r.data.length === 1) $('grid').value = r.data[0].code;
  }

  async function loadCode() {
    const person = state.person;
    const r = await call('GET', `/api/v1/resident/persons/${enc(person)}/health-code`);
    if (!r || state.person !== person) return null;
    const v = r.data;
    $('code-card').dataset.color = v.color;
    $('code-color').textContent = COLORS[v.color] || v.color;
    $('code-name').textContent = v.nameMasked || '';
    $('code-reasons').replaceChildren(...(v.reasons || []).map((x) => {
      const li = el('li', null, x.text || x.code);
      li.dataset.code = x.code;
      return li;
    }));
    state.code = v.color + '|' + (v.reasons || []).map((x) => x.code).join(',');
    return state.code;
  }

  async function loadHistory() {
    const r = await call('GET', `/api/v1/resident/persons/${enc(state.person)}/declarations`);
    if (!r) return;
    $('history').replaceChildren(...r.data.map((d) => {
      const parts = [E.when(d.declaredAt), KINDS[d.kind] || d.kind];
      if (d.fromRegion) parts.push(`${d.fromRegion}${d.riskLevel ? ' · ' + d.riskLevel : ''}`);
      if (d.symptoms.length) parts.push(d.symptoms.map((s) => SYMPTOMS[s] || s).join('、'));
      return el('li', null, parts.join(' · '));
    }));
  }

  async function loadObservation() {
    const r = await call('GET', `/api/v1/resident/persons/${enc(state.person)}/observation`);
    if (!r) return;
    renderObservation(r.data);
  }

  function renderObservation(o) {
    $('observation').hidden = !o.taskId;
    $('diary-form').hidden = !o.active;
    $('obs-until').textContent = o.active ? `居家观察至 ${o.observeUntil} Home observation until ${o.observeUntil}` : '居家观察已结束 Home observation is over';
    $('diary-list').replaceChildren(...o.diary.map((e) => el('li', null, `${e.day} · ${e.temperature} °C`
      + (e.fever ? ' ⚠ 发热 fever' : '') + (e.symptoms.length ? ' · ' + e.symptoms.map((s) => SYMPTOMS[s] || s).join('、') : ''))));
  }

  async function declare(ev) {
    ev.preventDefault();
    if (!$('grid').value) { words.show('error', words.text('CHOOSE_GRID'), { code: 'CHOOSE_GRID', field: 'gridCode' }); return; }
    const body = { gridCode: $('grid').value, address: $('address').value.trim() || null };
    if ($('has-arrival').checked) {
      body.fromRegion = $('from-region').value.trim();
      body.arrivedAt = cityIso($('arrived-at').value);
      body.transport = $('transport').value;
    }
    const symptoms = checked($('symptoms'));
    if (symptoms.length) { body.symptoms = symptoms; body.onsetDate = $('onset').value || null; }
    if ($('has-contact').checked) { body.caseContact = true; body.contactDate = $('contact-date').value || null; }
    const before = state.code;
    $('declare').disabled = true;
    try {
      const r = await call('POST', `/api/v1/resident/persons/${enc(state.person)}/declarations`, body);
      if (!r) return;
      words.show('ok', words.text('DECLARED'), { code: 'DECLARED' });
      $('declare-form').reset();
      for (const id of ['arrival-fields', 'onset-row', 'contact-row']) $(id).hidden = true;
      await loadHistory();
      // the code changes once the declaration is handled, a moment after it is stored
      for (let i = 0; i < POLL_TRIES; i++) {
        if ((await loadCode()) !== before) break;
        await new Promise((res) => setTimeout(res, POLL_MS));
      }
    } finally {
      $('declare').disabled = false;
    }
  }

  async function saveDiary(ev) {
    ev.preventDefault();
    const temp = $('diary-temp').value.trim();
    if (!temp) { words.show('error', words.text('TEMP_REQUIRED'), { code: 'TEMP_REQUIRED', field: 'temperature' }); return; }
    const r = await call('POST', `/api/v1/resident/persons/${enc(state.person)}/observation/diary`,
      { temperature: Number(temp), symptoms: checked($('diary-symptoms')) });
    if (!r) return;
    $('diary-form').reset();
    renderObservation(r.data);
    words.show('ok', words.text('DIARY_SAVED'), { code: 'DIARY_SAVED' });
  }

  function init() {
    call = E.shownCall(api, words, expired);
    checkboxes($('symptoms'), 'sym-');
    checkboxes($('diary-symptoms'), 'diary-sym-');
    $('onset').value = today();
    $('contact-date').value = today();
    $('has-arrival').addEventListener('change', () => { $('arrival-fields').hidden = !$('has-arrival').checked; });
    $('has-contact').addEventListener('change', () => {
      $('contact-row').hidden = !$('has-contact').checked;
      if (!$('contact-date').value) $('contact-date').value = today();
    });
    $('symptoms').addEventListener('change', () => {
      $('onset-row').hidden = checked($('symptoms')).length === 0;
      if (!$('onset').value) $('onset').value = today();
    });
    $('person').addEventListener('change', () => selectPerson($('person').value));
    $('district').addEventListener('change', loadGrids);
    $('declare-form').addEventListener('submit', declare);
    $('diary-form').addEventListener('submit', saveDiary);
    $('logout').addEventListener('click', () => { E.revoke(state.session && state.session.accessToken); expired(); });
    state.session = SESSION.load();
    if (state.session) {
      $('who').hidden = false;
      $('logout').hidden = false;
      $('user').textContent = state.session.phone || '';
      start();
    } else {
      expired();
    }
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init); else init();
})();
