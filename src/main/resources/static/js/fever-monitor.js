/*
 * The officials' fever-clinic monitoring screen (templates/fever-monitor.html). Plain ES2020 on
 * common.js.
 *
 * Why it is shaped this way: it hangs on a wall of the command centre, so it asks for nothing and
 * polls the monitor every few seconds (a visit is a row in one table; counting the last 24 hours
 * is cheap) — near real time without a stream of its own. Names are masked by the server.
 */
'use strict';

(() => {
  const E = window.Epiloop;
  const { $, el } = E;
  const SESSION = E.sessionStore('epiloop.fevermon.session');
  const REFRESH_MS = 5000;
  const LEVELS = { HIGH: '高风险 HIGH', MEDIUM: '中风险 MEDIUM', LOW: '低风险 LOW' };
  const RULES = {
    POSITIVE_CLUSTER: '阳性聚集 Positive cluster', FEVER_VISIT_SURGE: '发热门诊激增 Visit surge',
    DECLARED_FEVER_CLUSTER: '申报发热聚集 Declared fevers',
  };
  const words = E.feedback({
    NOT_OFFICIAL: ['此页面供卫健官员使用', 'This page is for health officials.'],
  });

  const session = E.staffPage({ words, store: SESSION, panel: 'monitor-panel', every: REFRESH_MS });
  const { api, state, call, setLoggedIn } = session;

  const start = () => session.begin(load);

  const time = (iso) => new Date(iso).toLocaleTimeString('zh-CN', { hour: '2-digit', minute: '2-digit' });

  async function load() {
    const [m, w] = await Promise.all([call('GET', '/api/v1/fever-clinic/monitor?hours=24'), call('GET', '/api/v1/early-warnings')]);
    if (!m) return;
    const d = m.data;
    $('visit-total').textContent = String(d.visits);
    $('as-of').textContent = time(d.asOf);
    $('hospital-rows').replaceChildren(...d.hospitals.map((h) => {
      const tr = el('tr');
      tr.id = 'hospital-' + h.code;
      const hours = d.perHour.filter((x) => x.hospitalCode === h.code).map((x) => `${time(x.hour)} × ${x.visits}`).join(' · ');
      tr.append(el('td', null, `${h.name} (${h.code})`), el('td', 'visits', String(h.visits)), el('td', null, String(h.febrile)),
        el('td', h.flagged ? 'level-HIGH' : null, String(h.flagged)), el('td', h.untested ? 'level-HIGH' : null, String(h.untested)),
        el('td', 'hint', hours));
      return tr;
    }));
    $('flag-count').textContent = String(d.flagged.length);
    $('flagged').replaceChildren(...d.flagged.map((v) => {
      const li = el('li', 'task');
      const why = [v.riskLevel ? `${LEVELS[v.riskLevel]} ${v.riskRegion || ''}` : null, v.caseContact ? '密接 case contact' : null]
        .filter(Boolean).join(' · ');
      li.append(el('p', 'task-who', `${v.nameMasked || ''} · ${v.hospitalCode} · ${time(v.visitedAt)}`),
        el('p', 'task-detail', `${v.temperature} °C · ${why}` + (v.result ? ` · ${v.result}` : '')));
      return li;
    }));
    $('untested-count').textContent = String(d.untested.length);
    $('untested').replaceChildren(...d.untested.map((v) => {
      const li = el('li', 'task overdue');
      li.append(el('p', 'task-who', `${v.nameMasked || ''} · ${v.hospitalCode} · ${time(v.visitedAt)}`),
        el('p', 'task-detail', `${v.temperature} °C · 超过 ${Math.round(d.untestedAfterMinutes / 60)} 小时未检测 not tested`));
      return li;
    }));
    if (w) {
      $('warn-count').textContent = String(w.data.length);
      $('warnings').replaceChildren(...w.data.map((x) => {
        const li = el('li', 'task overdue');
        li.append(el('p', 'task-who', `${RULES[x.rule] || x.rule} · ${x.scopeCode} · ${time(x.startedAt)}`), el('p', 'task-detail', x.reason));
        return li;
      }));
    }
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
