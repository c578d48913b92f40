/*
 * The list of unresolved alerts, as the officials' workbench (official.js) and the command
 * centre (command.js) both show it: one item per alert — its kind in words, what it is about,
 * its state, since when, the server's detail, who took it — with the same data attributes
 * (data-kind, data-subject, data-state, data-id) the pages' scripts and tests look for. Each page
 * adds what only it does to an item (the workbench its acknowledge/resolve form, the wall a
 * click that drills down). Plain ES2020 on top of common.js. Exposes window.EpiloopAlerts.
 */
'use strict';

(() => {
  const E = window.Epiloop;
  const { el } = E;

  const WORDS = Object.freeze({
    CRITICAL_RESULT: '危急值 Critical result', BOX_OVERDUE: '转运超时 Box overdue', LAB_BACKLOG: '实验室积压 Lab backlog',
    SITE_SLOW: '采样点缓慢 Slow site', RECALL_OVERDUE: '复采超时 Recall overdue',
  });
  /** What each kind of alert asks of an official, in Chinese (the server's detail is in English). */
  const HINTS = Object.freeze({
    CRITICAL_RESULT: '单管阳性，请立即组织流调并转运', BOX_OVERDUE: '转运箱超过 3 小时未送达，请联系转运员',
    LAB_BACKLOG: '实验室积压，今日可能无法完成，请调度', SITE_SLOW: '采样点明显慢于其他点位，请查看现场',
    RECALL_OVERDUE: '召回人员超时未复采，请联系本人',
  });
  const STATES = Object.freeze({ OPEN: '待处理 Open', ACKNOWLEDGED: '已接手 Acknowledged', RESOLVED: '已解决 Resolved' });

  const word = (kind) => WORDS[kind] || kind;

  /**
   * One alert as a list item. opts: {className (the page's own item class), when(iso) (how the
   * page writes a time), hint (true: add what the kind asks of an official)}.
   */
  function item(a, opts) {
    const state = a.state || 'OPEN';
    const li = el('li', 'alert-item alert-' + a.kind + (opts.className ? ' ' + opts.className : ''));
    li.dataset.kind = a.kind;
    li.dataset.subject = a.subject;
    li.dataset.state = state;
    if (a.id !== undefined && a.id !== null) li.dataset.id = String(a.id);
    const head = el('div', 'alert-head');
    head.append(el('strong', null, word(a.kind)), el('span', 'alert-subject mono', a.subject),
      el('span', 'alert-state state-' + state.toLowerCase(), STATES[state] || state), el('span', 'alert-when', opts.when(a.since)));
    li.append(head);
    if (opts.hint && HINTS[a.kind]) li.append(el('p', 'alert-hint', HINTS[a.kind]));
    li.append(el('p', 'alert-detail', a.detail));
    if (a.acknowledgedBy) {
      li.append(el('p', 'alert-taken small-print', '接手 Acknowledged · ' + a.acknowledgedBy
        + (a.acknowledgedAt ? ' · ' + opts.when(a.acknowledgedAt) : '') + (a.acknowledgeNote ? ' · ' + a.acknowledgeNote : '')));
    }
    return li;
  }

  /**
   * Fills a list (and its count badge) with the alerts, at most opts.limit of them, each made by
   * opts.item(alert); opts.empty is what an empty list says.
   */
  function draw(list, count, alerts, opts) {
    count.textContent = String(alerts.length);
    count.dataset.value = String(alerts.length);
    list.replaceChildren(...(alerts.length ? alerts.slice(0, opts.limit).map(opts.item) : [el('li', 'empty', opts.empty)]));
  }

  /** Keeps the count badge equal to the items in the list (after one was added or removed live). */
  function recount(list, count) {
    const n = list.querySelectorAll('li[data-kind]').length;
    count.textContent = String(n);
    count.dataset.value = String(n);
  }

  window.EpiloopAlerts = Object.freeze({ WORDS, word, item, draw, recount });
})();
