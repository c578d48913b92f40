/*
 * The grid worker's page (templates/grid.html). Plain ES2020 on common.js, no build step.
 *
 * Why it is shaped this way: a grid worker walks their streets with a phone in one hand, so the
 * page is one column of big cards — the tasks by due time, overdue ones first and red — and one
 * tap opens a task with the number to call (a tel: link) and three buttons for what happened.
 * Reaching the person closes the task; the worker may place them under home observation at the
 * same tap. A home-observation task takes today's temperature and symptoms instead. The list
 * refreshes itself every minute, so a declaration made a moment ago shows up on its own.
 */
'use strict';

(() => {
  const E = window.Epiloop;
  const { $, el, enc } = E;
  const SESSION = E.sessionStore('epiloop.grid.session');
  const REFRESH_MS = 60000;

  const KINDS = {
    ARRIVAL: ['来返人员', 'Arrival'], CLOSE_CONTACT: ['密切接触', 'Contact with a case'],
    DECLARATION: ['健康申报', 'Declaration'], HOME_OBSERVATION: ['居家观察', 'Home observation'],
    OVERDUE_RECALL: ['复检逾期', 'Recall overdue'],
  };
  const SYMPTOMS = {
    FEVER: '发热 Fever', COUGH: '咳嗽 Cough', SORE_THROAT: '咽痛 Sore throat', FATIGUE: '乏力 Fatigue',
    SHORTNESS_OF_BREATH: '气短 Short of breath', LOSS_OF_TASTE_OR_SMELL: '嗅味觉减退 Taste/smell', DIARRHEA: '腹泻 Diarrhoea',
    MUSCLE_ACHE: '肌肉酸痛 Muscle ache',
  };
  const words = E.feedback({
    NOT_GRID_WORKER: ['此页面供网格员使用', 'This page is for grid workers.'],
    RECORDED: ['已记录', 'Recorded.'],
    DONE: ['任务完成', 'Task done.'],
    UPLOADED: ['已上报，已生成随访任务', 'Reported; a follow-up task was made.'],
    TEMP_REQUIRED: ['请输入体温', 'Enter the temperature.'],
  });

  const api = E.client(() => state.session && state.session.accessToken);
  const state = { session: null, tasks: [], task: null, timer: null, grids: [] };
  const session = E.staffSession({ api, words, store: SESSION, state, panel: 'grid-panel',
    onLoggedOut: () => clearInterval(state.timer) });
  const { call, setLoggedIn } = session;

  function show(view) {
    for (const v of ['list-view', 'task-view', 'upload-view']) $(v).hidden = v !== view;
    window.scrollTo(0, 0);
  }

  async function start() {
    setLoggedIn(true);
    $('user').textContent = state.session.username;
    const g = await call('GET', '/api/v1/grid/grids');
    state.grids = g ? g.data : [];
    $('grids-label').textContent = '网格 Grids: ' + state.grids.map((x) => `${x.name} (${x.code})`).join('、');
    $('up-grid').replaceChildren(...state.grids.map((x) => option(x.code, `${x.name} (${x.code})`)));
    await load();
    clearInterval(state.timer);
    state.timer = setInterval(() => { if (!$('list-view').hidden) load(); }, REFRESH_MS);
  }

  function option(value, text) {
    const o = el('option', null, text);
    o.value = value;
    return o;
  }

  async function load() {
    const r = await call('GET', '/api/v1/grid/tasks');
    if (!r) return;
    // overdue first, then by due time
    state.tasks = r.data.slice().sort((a, b) => (b.overdue - a.overdue) || (Date.parse(a.dueAt) - Date.parse(b.dueAt)));
    $('task-count').textContent = String(state.tasks.length);
    $('no-tasks').hidden = state.tasks.length > 0;
    $('task-list').replaceChildren(...state.tasks.map(taskItem));
  }

  function kindWords(kind) {
    const k = KINDS[kind];
    return k ? `${k[0]} ${k[1]}` : kind;
  }

  function dueWords(t) {
    return (t.overdue ? '⚠ 已逾期 OVERDUE · ' : '') + '截止 due ' + E.when(t.dueAt);
  }

  function taskItem(t) {
    const li = el('li');
    li.id = 'task-' + t.taskId;
    li.dataset.kind = t.kind;
    li.dataset.declaration = t.declarationId || '';
    li.tabIndex = 0;
    li.setAttribute('role', 'button');
    if (t.overdue) li.classList.add('overdue');
    li.append(el('div', 'kind', `${kindWords(t.kind)} · ${t.nameMasked || ''}`), el('div', 'due', dueWords(t)),
      el('p', 'detail', t.detail));
    li.addEventListener('click', () => openTask(t.taskId));
    li.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') openTask(t.taskId); });
    return li;
  }

  async function openTask(id) {
    const r = await call('GET', '/api/v1/grid/tasks/' + enc(id));
    if (!r) return;
    words.hide();
    renderTask(r.data);
    show('task-view');
  }

  function renderTask(d) {
    const t = d.task;
    state.task = d;
    $('task-title').textContent = kindWords(t.kind);
    $('task-name').textContent = t.nameMasked || '';
    const phone = $('task-phone');
    const number = d.phone || state.phone;
    phone.hidden = !number;
    if (number) { phone.href = 'tel:' + number; phone.textContent = '☎ ' + number; }
    $('task-detail').textContent = t.detail;
    const due = $('task-due');
    due.textContent = t.status === 'DONE' ? '已完成 Done ' + E.when(t.doneAt) : dueWords(t);
    due.classList.toggle('overdue', t.overdue);
    const observation = t.kind === 'HOME_OBSERVATION';
    $('follow-form').hidden = t.status !== 'OPEN' || observation;
    $('observe-row').hidden = observation;
    $('diary-form').hidden = t.status !== 'OPEN' || !observation;
    $('contact-list').replaceChildren(...d.contacts.map((c) => el('li', null,
      `${E.when(c.at)} · ${c.method === 'VISIT' ? '上门 Visit' : '电话 Call'} · ${c.reached ? '已联系 reached' : '未联系上 not reached'}`
        + (c.note ? ' · ' + c.note : '') + ' · ' + c.by)));
    $('diary-heading').hidden = !observation;
    $('diary-list').replaceChildren(...d.diary.map((e) => {
      const li = el('li', null, `${e.day} · ${e.temperature} °C` + (e.fever ? ' ⚠ 发热 fever' : '')
        + (e.symptoms.length ? ' · ' + e.symptoms.map((s) => SYMPTOMS[s] || s).join('、') : '') + ' · ' + (e.enteredBy === 'RESIDENT' ? '居民 resident' : e.enteredBy));
      if (e.fever) li.classList.add('overdue');
      return li;
    }));
  }

  async function followUp(method, reached) {
    const t = state.task.task;
    const days = $('observe-days').value;
    const body = { method, reached, note: $('follow-note').value.trim() || null };
    if (reached && days) body.observeDays = Number(days);
    const r = await call('POST', `/api/v1/grid/tasks/${enc(t.taskId)}/follow-ups`, body);
    if (!r) return;
    $('follow-note').value = '';
    $('observe-days').value = '';
    state.phone = state.task.phone;
    renderTask(r.data);
    state.phone = null;
    words.show('ok', words.text(r.data.task.status === 'DONE' ? 'DONE' : 'RECORDED'), { code: r.data.task.status });
    load();
  }

  async function saveDiary(ev) {
    ev.preventDefault();
    const temp = $('diary-temp').value.trim();
    if (!temp) { words.show('error', words.text('TEMP_REQUIRED'), { code: 'TEMP_REQUIRED', field: 'temperature' }); return; }
    const symptoms = [...$('diary-symptoms').querySelectorAll('input:checked')].map((i) => i.value);
    const r = await call('POST', `/api/v1/grid/tasks/${enc(state.task.task.taskId)}/diary`, { temperature: Number(temp), symptoms });
    if (!r) return;
    $('diary-temp').value = '';
    state.phone = state.task.phone;
    renderTask(r.data);
    state.phone = null;
    words.show('ok', words.text(r.data.task.status === 'DONE' ? 'DONE' : 'RECORDED'), { code: 'RECORDED' });
  }

  async function upload(ev) {
    ev.preventDefault();
    const arrived = $('up-arrived').value;
    const region = $('up-region').value.trim();
    const today = E.cityTime(new Date(), { year: 'numeric', month: '2-digit', day: '2-digit' }).replace(/\//g, '-');
    const body = {
      idType: 'CN_ID', idNumber: $('up-id').value.trim(), name: $('up-name').value.trim(), gridCode: $('up-grid').value,
      note: $('up-note').value.trim() || null,
    };
    if (region) {
      body.fromRegion = region;
      body.arrivedAt = arrived ? new Date(arrived).toISOString() : null;
      body.transport = $('up-transport').value;
    }
    if ($('up-contact').checked) { body.caseContact = true; body.contactDate = isoDay(today); }
    if ($('up-fever').checked) { body.symptoms = ['FEVER']; body.onsetDate = isoDay(today); }
    const r = await call('POST', '/api/v1/grid/uploads', body);
    if (!r) return;
    $('upload-form').reset();
    show('list-view');
    words.show('ok', words.text('UPLOADED'), { code: 'UPLOADED' });
    setTimeout(load, 1500);
  }

  /** "2026/12/07" or "2026-12-07" in the city's calendar as YYYY-MM-DD. */
  function isoDay(text) {
    const m = /(\d{4})\D(\d{1,2})\D(\d{1,2})/.exec(text);
    return m ? `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}` : text;
  }

  function init() {
    session.login({
      accept: (d) => (d.role === 'GRID_WORKER' ? null : 'NOT_GRID_WORKER'),
      onSession: (s) => { state.session = s; return start(); },
    });
    for (const [code, text] of Object.entries(SYMPTOMS)) {
      const input = el('input');
      input.type = 'checkbox';
      input.value = code;
      const label = el('label', 'check');
      label.append(input, document.createTextNode(' ' + text));
      $('diary-symptoms').append(label);
    }
    $('logout').addEventListener('click', session.logout);
    $('refresh').addEventListener('click', load);
    $('back').addEventListener('click', () => { show('list-view'); load(); });
    $('upload-back').addEventListener('click', () => show('list-view'));
    $('open-upload').addEventListener('click', () => { words.hide(); show('upload-view'); });
    $('call-missed').addEventListener('click', () => followUp('CALL', false));
    $('call-reached').addEventListener('click', () => followUp('CALL', true));
    $('visit-reached').addEventListener('click', () => followUp('VISIT', true));
    $('diary-form').addEventListener('submit', saveDiary);
    $('upload-form').addEventListener('submit', upload);
    state.session = SESSION.load();
    if (state.session) start(); else setLoggedIn(false);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init); else init();
})();
