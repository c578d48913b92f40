/*
 * The officials' early-warning page (templates/early-warning.html). Plain ES2020 on common.js.
 *
 * Why it is shaped this way: a threshold is changed rarely and on purpose, so each rule is a small
 * form of its own settings with the default and the last change beside each value; only the values
 * that differ from those in force are sent (one PUT each, stopping at the first refusal, whose
 * field is named in words), and every change is read back from the server's record.
 */
'use strict';

(() => {
  const E = window.Epiloop;
  const { $, el, enc } = E;
  const SESSION = E.sessionStore('epiloop.early-warning.session');
  const RULES = {
    POSITIVE_CLUSTER: '阳性聚集 Cluster of positives', FEVER_VISIT_SURGE: '发热门诊就诊激增 Surge of fever-clinic visits',
    DECLARED_FEVER_CLUSTER: '申报发热聚集 Several declared fevers in one grid',
  };
  const words = E.feedback({
    NOT_OFFICIAL: ['此页面供卫健官员使用', 'This page is for health officials.'],
    SAVED: ['阈值已保存，下一次评估起生效', 'Saved: the rules use it from their next run.'],
    UNCHANGED: ['没有改动', 'Nothing changed.'],
  });

  const session = E.staffPage({ words, store: SESSION, panel: 'warning-panel' });
  const { api, state, call, setLoggedIn } = session;

  const time = (iso) => new Date(iso).toLocaleString('zh-CN', { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });

  const start = () => session.begin(() => Promise.all([load(), warnings()]));

  async function load() {
    const [rules, view] = await Promise.all([call('GET', '/api/v1/early-warnings/rules'), call('GET', '/api/v1/early-warnings/settings')]);
    if (!rules || !view) return;
    draw(rules.data, view.data);
  }

  function draw(rules, view) {
    const byRule = {};
    for (const s of view.settings) (byRule[s.rule] = byRule[s.rule] || []).push(s);
    $('rules').replaceChildren(...rules.map((r) => ruleForm(r, byRule[r.rule] || [])));
    $('changes').replaceChildren(...view.changes.map((c) => el('li', 'sup-item',
      `${time(c.at)} · ${c.changedBy} · ${RULES[c.rule] || c.rule} · ${c.name}: ${c.oldValue} → ${c.newValue}`)));
  }

  function ruleForm(rule, settings) {
    const form = el('form', 'ew-rule');
    form.id = 'rule-' + rule.rule;
    form.noValidate = true;
    form.append(el('h3', null, `${rule.order}. ${RULES[rule.rule] || rule.rule}`));
    for (const s of settings) {
      const id = 'set-' + s.name;
      const label = el('label', null, `${s.zh} `);
      label.htmlFor = id;
      label.append(el('span', 'en', s.en));
      const input = el('input');
      input.id = id;
      input.name = s.name;
      input.type = 'text';
      input.inputMode = s.kind === 'RATIO' ? 'decimal' : 'numeric';
      input.autocomplete = 'off';
      input.value = s.value;
      input.dataset.current = s.value;
      const note = el('p', 'hint', `默认 default ${s.defaultValue} · 范围 range ${s.kind === 'RATIO' ? '>' : ''}${s.min}–${s.max}` +
        (s.changedBy ? ` · ${s.changedBy} 于 ${time(s.changedAt)} 修改 changed` : ' · 未修改 never changed'));
      note.id = 'note-' + s.name;
      form.append(label, input, note);
      if (s.changedBy) {
        const back = el('button', 'btn btn-small btn-quiet', '恢复默认 Back to default');
        back.type = 'button';
        back.id = 'reset-' + s.name;
        back.addEventListener('click', async () => {
          const x = await call('DELETE', `/api/v1/early-warnings/settings/${enc(s.name)}`);
          if (!x) return;
          words.show('ok', words.text('SAVED'), { code: 'SAVED' });
          load();
        });
        form.append(back);
      }
    }
    const save = el('button', 'btn btn-primary btn-wide', '保存 Save');
    save.type = 'submit';
    save.id = 'save-' + rule.rule;
    form.append(save);
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const changed = [...form.querySelectorAll('input')].filter((i) => i.value.trim() !== i.dataset.current);
      if (!changed.length) {
        words.show('info', words.text('UNCHANGED'), { code: 'UNCHANGED' });
        return;
      }
      save.disabled = true;
      try {
        for (const input of changed) {
          const x = await call('PUT', `/api/v1/early-warnings/settings/${enc(input.name)}`, { value: input.value.trim() });
          if (!x) {
            input.focus();
            return;
          }
        }
        words.show('ok', words.text('SAVED'), { code: 'SAVED' });
        await load();
      } finally {
        save.disabled = false;
      }
    });
    return form;
  }

  async function warnings() {
    const w = await call('GET', '/api/v1/early-warnings?open=false&days=7');
    if (!w) return;
    $('warn-count').textContent = String(w.data.length);
    $('warnings').replaceChildren(...w.data.map((x) => {
      const li = el('li', x.endedAt ? 'task' : 'task overdue');
      li.append(el('p', 'task-who', `${RULES[x.rule] || x.rule} · ${x.districtCode}${x.scopeCode !== x.districtCode ? ' / ' + x.scopeCode : ''}`
        + ` · ${time(x.startedAt)}${x.endedAt ? ' – ' + time(x.endedAt) : ' 进行中 open'}`), el('p', 'task-detail', x.reason));
      return li;
    }));
  }

  function init() {
    session.login({
      accept: (d) => (d.role === 'OFFICIAL' || d.role === 'ADMIN' ? null : 'NOT_OFFICIAL'),
      onSession: (s) => { state.session = s; return start(); },
    });
    $('logout').addEventListener('click', session.logout);
    state.session = SESSION.load();
    if (state.session) start(); else setLoggedIn(false);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init); else init();
})();
