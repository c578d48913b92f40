/*
 * The lab bench (templates/lab.html). Plain ES2020 on top of common.js, no build step, no inline
 * script (the Content-Security-Policy is script-src 'self').
 *
 * Why it is shaped this way:
 * - Three tabs, each with one scan field that is kept focused (a keyboard-wedge scanner types
 *   into whatever has focus): receipt (a box, then its tubes), plate (tubes into the next well),
 *   review (a run id).
 * - What a technician builds up by scanning — the open receipts and the plate layout — is kept
 *   in sessionStorage, so a reload does not lose 90 scans; the runs made in this tab are listed
 *   for the review tab. Nothing outlives the tab, as the bench is shared.
 * - The server decides: a plate's tubes are checked when it is loaded, and the instrument file
 *   is read by the server, which names the bad line; the page only shows the answer in words.
 */
'use strict';

(() => {
  const E = window.Epiloop;
  const { $, el, enc, NetworkError } = E;

  const SESSION = E.sessionStore('epiloop.lab.session');
  const RECEIPTS_KEY = 'epiloop.lab.receipts';
  const PLATE_KEY = 'epiloop.lab.plate';
  const RUNS_KEY = 'epiloop.lab.runs';
  const TAB_KEY = 'epiloop.lab.tab';
  const CODE = /^[A-Za-z0-9][A-Za-z0-9-]{3,31}$/;
  const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  const ROWS = 'ABCDEFGH';
  const CONTROLS = { H11: 'POSITIVE', H12: 'NEGATIVE' };
  const SAMPLE_WELLS = [];
  for (const r of ROWS) for (let c = 1; c <= 12; c++) if (!CONTROLS[r + c]) SAMPLE_WELLS.push(r + c);
  const POLL_MS = 2000;
  const POLL_MAX = 90;

  const REASONS = {
    LEAKING: '漏液 Leaking',
    UNREADABLE_LABEL: '标签不清 Unreadable label',
    INSUFFICIENT_VOLUME: '样本量不足 Insufficient volume',
    OTHER: '其他 Other',
  };

  const INTERP = {
    NEGATIVE: ['NEG', '阴性'], POSITIVE: ['POS', '阳性'], INCONCLUSIVE: ['INC', '可疑'], INVALID: ['INV', '无效'],
  };

  const words = E.feedback({
    NOT_LAB_STAFF: ['不是实验室账号', 'This page is for lab technicians and reviewers. Log in with a lab account.'],
    INVALID_CODE: ['条码无效', 'That is not a box or tube barcode (4–32 letters, digits or "-").'],
    BOX_NOT_FOUND: ['没有这个箱子', 'No box with this code. Check the label.'],
    BOX_NOT_SEALED: ['箱子尚未封箱', 'This box is still open at its site; it cannot be received.'],
    BOX_ALREADY_RECEIVED: ['箱子已收样', 'This box was already received (here or by another lab). It cannot be opened twice.'],
    RECEIPT_NOT_FOUND: ['此箱未在本实验室开箱', 'This box is not open at this lab. Scan the box first.'],
    RECEIPT_CLOSED: ['收样已完成', 'The receipt of this box is closed; no more tubes can be checked in.'],
    TUBE_NOT_RECEIVED: ['不能拒收', 'This tube was not checked in from this box, or it is already on a plate.'],
    INVALID_REASON: ['原因太长', 'Keep the reason under 200 characters.'],
    REASON_REQUIRED: ['请选择原因', 'Choose why the tube is rejected (and write a note for "Other").'],
    THIS_BOX: ['这是箱码', 'That is the box itself. Scan the tubes inside it, or tap "Other box".'],
    PLATE_CODE_REQUIRED: ['请输入板号', 'Type or scan the plate code first.'],
    PLATE_FULL: ['板已满', 'All 94 sample wells are used. Load this plate and start another.'],
    TUBE_ON_PLATE: ['试管已在板上', 'This tube is already on the plate.'],
    PLATE_LOADED: ['此板已上机', 'This plate is loaded. Start a new plate for more tubes.'],
    NO_SAMPLES: ['板上没有样本', 'Scan at least one tube onto the plate.'],
    CONTROLS_REQUIRED: ['缺少对照', 'A plate needs a positive and a negative control.'],
    TUBE_NOT_AVAILABLE: ['试管不可上板', 'Some tubes are not received and waiting at this lab (rejected, on another plate, or tested). Take them off the plate.'],
    PLATE_IN_USE: ['板号正在使用', 'This plate code is on a run that is not finished. Use another plate.'],
    DUPLICATE_TUBE: ['试管重复', 'A tube is on the plate twice.'],
    DUPLICATE_WELL: ['孔位重复', 'A well is used twice.'],
    INVALID_WELL: ['孔位无效', 'Wells are A1 to H12.'],
    TOO_MANY_WELLS: ['孔位过多', 'A plate has 96 wells.'],
    INVALID_WELL_CONTENT: ['孔位内容无效', 'A well holds either a tube or a control.'],
    INVALID_INSTRUMENT_FILE: ['仪器文件无法读取', 'The instrument file could not be read. Export it again as CSV (Well, Target, Ct).'],
    MISSING_WELLS: ['文件缺少孔位', 'The file has no results for some wells on this plate. Is it the export of this plate?'],
    INVALID_CT: ['Ct 值无效', 'Ct values lie between 0 and 60.'],
    RESULTS_ALREADY_ENTERED: ['结果已录入', 'This run already has different results. They cannot be replaced.'],
    NO_FILE: ['没有文件内容', 'Choose the instrument file, or paste its text.'],
    RUN_NOT_FOUND: ['没有这个批次', 'No run with this id.'],
    INVALID_RUN_ID: ['批次号无效', 'A run id looks like 0f8fad5b-d9cb-469f-a165-70867728950e.'],
    INVALID_PARAMETER: ['批次号无效', 'A run id looks like 0f8fad5b-d9cb-469f-a165-70867728950e.'],
    SAME_USER: ['不能审核自己录入的结果', 'Results must be approved by someone other than who entered them. Ask another reviewer.'],
    RUN_NOT_REVIEWABLE: ['此批次无需审核', 'This run has no results waiting for approval (not entered yet, controls failed, or already released).'],
    FORBIDDEN: ['无权操作', 'Your account may not do this. Only a lab reviewer approves results.'],
    OUT_OF_SCOPE: ['无权操作', 'This belongs to another lab than yours.'],
    QC_ACTION_REQUIRED: ['请写明纠正措施', 'Write what was checked and done before recording it.'],
  });

  const QC_WORDS = {
    PASS: '质控在控 QC in control',
    WARNING: '⚠ 质控警告 QC warning (1-2s): release allowed, look at the chart',
    REJECTED: '✖ 质控失控 QC rejected: record a corrective action before release',
    CORRECTED: '✓ 已纠正 QC corrected',
  };

  const api = E.client(() => state.session && state.session.accessToken);

  const state = {
    session: null, // {accessToken, role, labCode, username}
    tab: 'receipt',
    receipts: {}, // boxCode → {boxCode, expected, states: {tube: EXPECTED|RECEIVED|REJECTED}, reasons, unexpected, report}
    current: null, // the box being checked in
    rejecting: null, // tube code while the reject panel is open
    reason: null,
    plate: null, // {labCode, plateCode, wells: {well: tube}, history: [well], run: {runId, status, samples} | null}
    review: null, // the RunView shown
    poll: null,
    chain: Promise.resolve(),
    closeArmed: null,
  };

  const refocus = E.keepFocus(primaryInput);
  let login = null;
  let approveTap = null;

  function primaryInput() {
    if (!state.session) return null;
    if (state.tab === 'receipt') return state.rejecting ? $('reject-note') : $('receipt-scan');
    return state.tab === 'plate' ? $('plate-scan') : $('review-scan');
  }

  /** Runs a step after the ones before it (scans arrive faster than answers). */
  function queue(step, label) {
    state.chain = state.chain.then(step).catch((e) => {
      if (!(e instanceof NetworkError)) throw e;
      words.problem(E.local('NETWORK'), label);
    });
    return state.chain;
  }

  /** Common handling of a failed call: false when the caller should stop. */
  function failed(r, prefix) {
    if (r.ok) return false;
    if (r.status === 401) { sessionExpired(); return true; }
    words.problem(E.problem(r), prefix);
    return true;
  }

  // ---------------------------------------------------------------- storage

  function load(key, fallback) {
    try { return JSON.parse(sessionStorage.getItem(key)) || fallback; } catch (e) { return fallback; }
  }

  function save(key, value) {
    sessionStorage.setItem(key, JSON.stringify(value));
  }

  function saveReceipts() {
    save(RECEIPTS_KEY, { labCode: state.session.labCode, current: state.current, receipts: state.receipts });
  }

  function savePlate() {
    save(PLATE_KEY, state.plate);
  }

  function runs() {
    return load(RUNS_KEY, []).filter((r) => r.labCode === state.session.labCode);
  }

  function rememberRun(runId, plateCode) {
    const all = load(RUNS_KEY, []).filter((r) => r.runId !== runId);
    all.unshift({ runId, plateCode, labCode: state.session.labCode, at: new Date().toISOString() });
    save(RUNS_KEY, all.slice(0, 50));
    renderRunList();
  }

  // ---------------------------------------------------------------- session and tabs

  function setLoggedIn(on) {
    $('login-panel').hidden = on;
    $('bench-panel').hidden = !on;
    $('who').hidden = !on;
    $('logout').hidden = !on;
    if (!on) {
      stopPolling();
      clearInterval(queueTimer);
      words.hide();
      $('username').focus();
    }
  }

  function sessionExpired() {
    state.session = null;
    SESSION.clear();
    setLoggedIn(false);
    login.fail(words.text('UNAUTHORIZED') + ' 已扫描的内容已保留。Your scans are kept.');
  }

  function logout() {
    E.revoke(state.session && state.session.accessToken);
    state.session = null;
    state.review = null;
    SESSION.clear();
    $('review-run').hidden = true;
    setLoggedIn(false);
  }

  function start() {
    const s = state.session;
    $('lab-code').textContent = s.labCode;
    $('user').textContent = s.username;
    $('role').textContent = s.role === 'LAB_REVIEWER' ? '审核员 Reviewer' : '检验员 Technician';
    const saved = load(RECEIPTS_KEY, null);
    if (saved && saved.labCode === s.labCode) {
      state.receipts = saved.receipts || {};
      state.current = saved.current || null;
    } else {
      state.receipts = {};
      state.current = null;
    }
    const plate = load(PLATE_KEY, null);
    state.plate = plate && plate.labCode === s.labCode ? plate : newPlate();
    setLoggedIn(true);
    renderReceipt();
    renderPlate();
    renderRunList();
    loadResources();
    setTab(sessionStorage.getItem(TAB_KEY) || 'receipt');
    startQueues();
    $('amend-panel').hidden = s.role !== 'LAB_REVIEWER';
    if (s.role === 'LAB_REVIEWER') loadAmendments();
  }

  // ---------------------------------------------------------------- d. corrections of released results

  const STATUS_WORDS = { NEGATIVE: '阴性 Negative', POSITIVE: '阳性 Positive', RECALLED: '混管阳性 Pool positive', RETEST: '需重采 Sample again' };

  async function loadAmendments() {
    const r = await api('GET', `/api/v1/labs/${enc(state.session.labCode)}/amendments`);
    if (failed(r, '更正 Corrections')) return;
    const items = r.data.map((a) => {
      const li = el('li', 'amend-item');
      li.dataset.id = a.id;
      li.dataset.state = a.state;
      const what = el('div', 'admin-what');
      what.append(el('strong', null, `${a.tubeCode} · ${STATUS_WORDS[a.from]} → ${STATUS_WORDS[a.to]}`
        + (a.kind === 'CORRECTION' ? ' · 差错更正 error corrected' : '')),
        el('span', 'small-print', `${a.reason} · ${a.proposedBy} ${E.when(a.proposedAt)}`
          + (a.state === 'PROPOSED' ? '' : ` · ${a.state === 'APPROVED' ? '已批准 approved' : '已驳回 rejected'} ${a.decidedBy}`)));
      li.append(what);
      if (a.state === 'PROPOSED' && a.proposedBy !== state.session.username) {
        for (const [action, label, cls] of [['approve', '批准 Approve', 'btn btn-danger'], ['reject', '驳回 Reject', 'btn']]) {
          const b = el('button', cls, label);
          b.type = 'button';
          b.dataset.action = action;
          li.append(b);
        }
      } else if (a.state === 'PROPOSED') {
        li.append(el('span', 'small-print', '等待另一位审核员 Waiting for another reviewer'));
      }
      return li;
    });
    $('amend-list').replaceChildren(...(items.length ? items : [el('li', 'empty', '暂无 None')]));
  }

  $('amend-find').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const tube = $('amend-tube').value.trim();
    if (!tube) return;
    const r = await api('GET', `/api/v1/labs/${enc(state.session.labCode)}/released-results?tubeCode=${enc(tube)}`);
    if (failed(r, tube)) return;
    if (!r.data.length) {
      words.show('info', `${tube}：本实验室没有已发布的结果 No released result of this lab for this tube.`);
      $('amend-form').hidden = true;
      return;
    }
    $('amend-person').replaceChildren(...r.data.map((p) => {
      const o = el('option', null, `${p.nameMasked} ${p.idMasked} · ${STATUS_WORDS[p.status]}${p.revision ? ' (已更正 amended)' : ''}`);
      o.value = p.bindingId;
      return o;
    }));
    $('amend-form').hidden = false;
  });

  $('amend-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const r = await api('POST', '/api/v1/amendments', {
      bindingId: $('amend-person').value, status: $('amend-status').value, reason: $('amend-reason').value,
      kind: $('amend-kind').value });
    if (failed(r, '更正 Correction')) return;
    words.show('ok', '✓ 已提出更正，请另一位审核员批准 Proposed: another reviewer of this lab approves it.');
    $('amend-reason').value = '';
    $('amend-form').hidden = true;
    loadAmendments();
  });

  $('amend-list').addEventListener('click', async (ev) => {
    const b = ev.target.closest('button[data-action]');
    if (!b) return;
    const id = b.closest('li').dataset.id;
    const r = await api('POST', `/api/v1/amendments/${enc(id)}/${b.dataset.action}`, {});
    if (failed(r, '更正 Correction')) return;
    words.show('ok', b.dataset.action === 'approve'
      ? '✓ 已批准：结果、健康码、省平台和本人都会更新 Approved: the result, health code, province and the person follow.'
      : '已驳回 Rejected: the result stays as it was.');
    loadAmendments();
  });

  function setTab(tab) {
    state.tab = ['receipt', 'plate', 'review'].includes(tab) ? tab : 'receipt';
    sessionStorage.setItem(TAB_KEY, state.tab);
    for (const t of ['receipt', 'plate', 'review']) {
      $('tab-' + t).setAttribute('aria-selected', String(t === state.tab));
      $(t + '-panel').hidden = t !== state.tab;
    }
    words.hide();
    refocus();
    loadQueues();
  }

  // ---------------------------------------------------------------- a. receipt

  function onReceiptScan(ev) {
    ev.preventDefault();
    const input = $('receipt-scan');
    const code = input.value.trim();
    input.value = '';
    refocus();
    if (!code) return;
    if (!CODE.test(code)) { words.problem(E.local('INVALID_CODE'), code); return; }
    // box or tube is decided when the step runs: a tube scanned right after its box waits for the box to open
    queue(() => (currentReceipt() ? scanTube(code) : openBox(code)), code);
  }

  function currentReceipt() {
    const r = state.current && state.receipts[state.current];
    return r && !r.report ? r : null;
  }

  async function openBox(code) {
    const lab = state.session.labCode;
    const r = await api('POST', `/api/v1/labs/${enc(lab)}/receipts`, { boxCode: code });
    if (r.status === 409 && r.data && r.data.code === 'BOX_ALREADY_RECEIVED') {
      const known = state.receipts[code];
      if (known && !known.report) { // opened in this tab earlier: carry on checking in
        state.current = code;
        saveReceipts();
        renderReceipt();
        words.show('info', `继续收样 ${code}。Carrying on with box ${code}.`, { code: 'RESUMED', beep: false });
        return;
      }
      if ((state.openReceipts || []).includes(code) && await resumeFromServer(code)) return;
      words.problem(E.problem(r), code);
      await showReportOf(code, known);
      return;
    }
    if (failed(r, code)) return;
    const states = {};
    for (const t of r.data.expectedTubes) states[t] = 'EXPECTED';
    state.receipts[code] = { boxCode: code, expected: r.data.expectedTubes, states, reasons: {}, unexpected: [], report: null };
    state.current = code;
    saveReceipts();
    renderReceipt();
    loadQueues();
    const n = r.data.expectedTubes.length;
    words.show('ok', `✓ 已开箱 ${code}：应到 ${n} 管，请逐管扫描。Box opened: ${n} tube${n === 1 ? '' : 's'} expected — scan each tube.`,
      { code: 'BOX_OPENED' });
  }

  /**
   * A receipt still open that another bench (or tab) started: its tubes from the box, what is
   * checked in so far from the receipt's report, and the checking in carries on here.
   */
  async function resumeFromServer(code) {
    const lab = state.session.labCode;
    const [box, report] = await Promise.all([api('GET', `/api/v1/boxes/${enc(code)}`),
      api('GET', `/api/v1/labs/${enc(lab)}/receipts/${enc(code)}`)]);
    if (!box.ok || !report.ok) return false;
    const states = {};
    for (const t of box.data.tubeCodes || []) {
      states[t] = report.data.rejected.includes(t) ? 'REJECTED' : report.data.missing.includes(t) ? 'EXPECTED' : 'RECEIVED';
    }
    state.receipts[code] = { boxCode: code, expected: box.data.tubeCodes || [], states, reasons: {},
      unexpected: report.data.unexpected.slice(), report: null };
    state.current = code;
    saveReceipts();
    renderReceipt();
    words.show('info', `继续收样 ${code}（${report.data.received} / ${report.data.expected}）。Carrying on with box ${code}.`,
      { code: 'RESUMED', beep: false });
    return true;
  }

  /** The report of a box received here before (for a box this tab did not open, from the server). */
  async function showReportOf(code, known) {
    const lab = state.session.labCode;
    const r = await api('GET', `/api/v1/labs/${enc(lab)}/receipts/${enc(code)}`);
    if (!r.ok) return;
    renderReport(r.data, known ? known.reasons : {});
  }

  async function scanTube(code) {
    const rec = currentReceipt();
    if (!rec) { await openBox(code); return; }
    if (code === rec.boxCode) { words.problem(E.local('THIS_BOX'), code); return; }
    const lab = state.session.labCode;
    const r = await api('POST', `/api/v1/labs/${enc(lab)}/receipts/${enc(rec.boxCode)}/tubes`, { tubeCode: code });
    if (failed(r, code)) return;
    if (r.data.status === 'RECEIVED') {
      if (!(code in rec.states)) rec.expected.push(code);
      if (rec.states[code] !== 'REJECTED') rec.states[code] = 'RECEIVED';
      saveReceipts();
      renderReceipt();
      const n = received(rec);
      words.show('ok', `✓ ${code} 已收 RECEIVED — ${n} / ${rec.expected.length}`, { code: 'RECEIVED' });
    } else {
      if (!rec.unexpected.includes(code)) rec.unexpected.push(code);
      saveReceipts();
      renderReceipt();
      words.show('warn', `⚠ ${code} 不在此箱 UNEXPECTED — 请单独放置。Not in this box: put it aside.`, { code: 'UNEXPECTED' });
      E.beep(false);
    }
  }

  function received(rec) {
    return Object.values(rec.states).filter((s) => s !== 'EXPECTED').length;
  }

  function renderReceipt() {
    const rec = currentReceipt();
    $('receipt-box').hidden = !rec;
    $('receipt-step').textContent = '';
    if (!rec) {
      $('receipt-step').append('扫描箱码 ', el('span', 'en', 'Scan a box to open it'));
      closeReject();
      return;
    }
    $('receipt-step').append(`扫描 ${rec.boxCode} 中的试管 `, el('span', 'en', `Scan the tubes of box ${rec.boxCode}`));
    $('receipt-box-code').textContent = rec.boxCode;
    $('receipt-count').textContent = `${received(rec)} / ${rec.expected.length} 已收 received`;
    const list = $('expected');
    list.textContent = '';
    for (const t of rec.expected) {
      const s = rec.states[t];
      const li = el('li');
      li.dataset.tube = t;
      li.dataset.state = s;
      const mark = el('span', 'mark', s === 'RECEIVED' ? '✓' : s === 'REJECTED' ? '✗' : '');
      const code = el('span', 'code', t);
      const what = el('span', 'what', s === 'RECEIVED' ? 'RECEIVED 已收' : s === 'REJECTED' ? `REJECTED 拒收 · ${rec.reasons[t] || ''}` : '待扫 waiting');
      li.append(mark, code, what);
      if (s === 'RECEIVED') {
        const b = el('button', 'btn btn-small btn-quiet reject', '拒收 Reject');
        b.type = 'button';
        b.addEventListener('click', () => openReject(t));
        li.append(b);
      }
      list.append(li);
    }
    $('unexpected-block').hidden = !rec.unexpected.length;
    const un = $('unexpected');
    un.textContent = '';
    for (const t of rec.unexpected) {
      const li = el('li');
      li.dataset.tube = t;
      li.dataset.state = 'UNEXPECTED';
      li.append(el('span', 'mark', '!'), el('span', 'code', t), el('span', 'what', 'UNEXPECTED 不在此箱'));
      un.append(li);
    }
    disarmClose();
  }

  function openReject(tube) {
    state.rejecting = tube;
    state.reason = null;
    $('reject-what').textContent = `拒收试管 ${tube}？为什么？ Reject tube ${tube}? Why?`;
    $('reject-note').value = '';
    for (const c of document.querySelectorAll('#reject-panel .chip')) c.setAttribute('aria-checked', 'false');
    $('reject-panel').hidden = false;
    $('reject-panel').scrollIntoView({ block: 'center' });
    $('reject-note').focus();
  }

  function closeReject() {
    state.rejecting = null;
    state.reason = null;
    $('reject-panel').hidden = true;
  }

  function chooseReason(chip) {
    state.reason = chip.dataset.reason;
    for (const c of document.querySelectorAll('#reject-panel .chip')) c.setAttribute('aria-checked', String(c === chip));
    $('reject-note').focus();
  }

  function confirmReject() {
    const rec = currentReceipt();
    const tube = state.rejecting;
    if (!rec || !tube) { closeReject(); refocus(); return; }
    const note = $('reject-note').value.trim();
    if (!state.reason || (state.reason === 'OTHER' && !note)) {
      words.problem(E.local('REASON_REQUIRED', 'reason'));
      $('reject-note').focus();
      return;
    }
    const reason = REASONS[state.reason] + (note ? ': ' + note : '');
    closeReject();
    refocus();
    queue(async () => {
      const lab = state.session.labCode;
      const r = await api('POST', `/api/v1/labs/${enc(lab)}/receipts/${enc(rec.boxCode)}/tubes/${enc(tube)}/rejection`, { reason });
      if (failed(r, tube)) return;
      rec.states[tube] = 'REJECTED';
      rec.reasons[tube] = reason;
      saveReceipts();
      renderReceipt();
      words.show('warn', `✗ ${tube} 已拒收 REJECTED — ${reason}`, { code: 'REJECTED' });
    }, tube);
  }

  function disarmClose() {
    if (state.closeArmed) clearTimeout(state.closeArmed);
    state.closeArmed = null;
    $('receipt-close').textContent = '完成收样 Close receipt';
    $('receipt-close').classList.remove('armed');
  }

  /** Closing with tubes missing takes two taps: the missing tubes are then reported lost. */
  function closeReceipt() {
    const rec = currentReceipt();
    if (!rec) return;
    const missing = rec.expected.filter((t) => rec.states[t] === 'EXPECTED').length;
    if (missing && !state.closeArmed) {
      $('receipt-close').textContent = `再按一次：${missing} 管缺失 Tap again to close with ${missing} missing`;
      $('receipt-close').classList.add('armed');
      state.closeArmed = setTimeout(disarmClose, 4000);
      return;
    }
    disarmClose();
    queue(async () => {
      const lab = state.session.labCode;
      const r = await api('POST', `/api/v1/labs/${enc(lab)}/receipts/${enc(rec.boxCode)}/close`);
      if (failed(r, rec.boxCode)) return;
      rec.report = r.data;
      saveReceipts();
      renderReceipt();
      renderReport(r.data, rec.reasons);
      loadQueues();
      const d = r.data;
      const clean = !d.missing.length && !d.unexpected.length && !d.rejected.length;
      words.show(clean ? 'ok' : 'warn', clean
        ? `✓ ${rec.boxCode} 收样完成，无差异。Receipt closed: all ${d.received} tubes received.`
        : `${rec.boxCode} 收样完成，有差异（见下方报告）。Receipt closed with discrepancies — see the report below.`,
      { code: 'CLOSED' });
    }, rec.boxCode);
  }

  function renderReport(d, reasons) {
    $('report').hidden = false;
    $('report-box').textContent = d.boxCode;
    $('report-received').textContent = String(d.received);
    const lists = $('report-lists');
    lists.textContent = '';
    const parts = [['missing', '缺失 Missing', d.missing], ['unexpected', '意外 Unexpected', d.unexpected],
      ['rejected', '拒收 Rejected', d.rejected]];
    for (const [key, label, codes] of parts) {
      $('report-' + key).textContent = String(codes.length);
      $('report-' + key + '-fig').classList.toggle('bad', codes.length > 0);
      if (!codes.length) continue;
      const dt = el('dt', null, label);
      const dd = el('dd');
      dd.id = 'report-' + key + '-list';
      for (const t of codes) {
        const why = key === 'rejected' && reasons && reasons[t] ? ` (${reasons[t]})` : '';
        dd.append(el('span', 'code-chip', t + why));
      }
      lists.append(dt, dd);
    }
    $('report').scrollIntoView({ block: 'nearest' });
  }

  function otherBox() {
    state.current = null;
    saveReceipts();
    renderReceipt();
    words.hide();
    refocus();
  }

  // ---------------------------------------------------------------- b. plate

  function newPlate() {
    return { labCode: state.session.labCode, plateCode: '', wells: {}, history: [], run: null };
  }

  function nextWell() {
    return SAMPLE_WELLS.find((w) => !state.plate.wells[w]) || null;
  }

  function onPlateScan(ev) {
    ev.preventDefault();
    const input = $('plate-scan');
    const code = input.value.trim();
    input.value = '';
    refocus();
    if (!code) return;
    placeTube(code);
  }

  /** A tube into the next free well (by scan, or by a tap on the waiting list). */
  function placeTube(code, quiet) {
    const p = state.plate;
    if (p.run) { words.problem(E.local('PLATE_LOADED'), code); return; }
    if (!CODE.test(code)) { words.problem(E.local('INVALID_CODE'), code); return; }
    const at = Object.keys(p.wells).find((w) => p.wells[w] === code);
    if (at) { if (!quiet) words.problem(E.local('TUBE_ON_PLATE'), `${code} @ ${at}`); return; }
    const well = nextWell();
    if (!well) { words.problem(E.local('PLATE_FULL'), code); return; }
    p.wells[well] = code;
    p.history.push(well);
    savePlate();
    renderPlate(well);
    words.show('ok', `✓ ${code} → ${well}`, { code: 'PLACED' });
  }

  function undo() {
    const p = state.plate;
    if (p.run || !p.history.length) return;
    const well = p.history.pop();
    const tube = p.wells[well];
    delete p.wells[well];
    savePlate();
    renderPlate();
    words.show('info', `已撤销 ${tube} (${well})。Removed from the plate.`, { code: 'UNDONE', beep: false });
  }

  const clearTap = { armed: null };

  function clearPlate() {
    const p = state.plate;
    if (p.run || !p.history.length) { startNewPlate(); return; }
    if (!clearTap.armed) {
      $('plate-clear').textContent = `再按一次清空 ${p.history.length} 管 Tap again to clear`;
      $('plate-clear').classList.add('armed');
      clearTap.armed = setTimeout(disarmClear, 4000);
      return;
    }
    disarmClear();
    startNewPlate();
  }

  function disarmClear() {
    if (clearTap.armed) clearTimeout(clearTap.armed);
    clearTap.armed = null;
    $('plate-clear').textContent = '清空 Clear';
    $('plate-clear').classList.remove('armed');
  }

  function startNewPlate(tubes) {
    state.plate = newPlate();
    for (const t of tubes || []) {
      const w = nextWell();
      if (!w) break;
      state.plate.wells[w] = t;
      state.plate.history.push(w);
    }
    $('plate-code').value = '';
    savePlate();
    renderPlate();
    words.hide();
    refocus();
  }

  function loadPlate() {
    const p = state.plate;
    if (p.run) { words.problem(E.local('PLATE_LOADED')); return; }
    p.plateCode = $('plate-code').value.trim();
    savePlate();
    if (!p.plateCode) { words.problem(E.local('PLATE_CODE_REQUIRED', 'plateCode')); $('plate-code').focus(); return; }
    const samples = SAMPLE_WELLS.filter((w) => p.wells[w]).map((w) => ({ well: w, tubeCode: p.wells[w] }));
    if (!samples.length) { words.problem(E.local('NO_SAMPLES')); return; }
    const wells = samples.concat(Object.entries(CONTROLS).map(([well, control]) => ({ well, control })));
    const reagentLot = $('plate-lot').value || null;
    const cycler = $('plate-cycler').value || null;
    $('plate-load').disabled = true;
    queue(async () => {
      try {
        const lab = state.session.labCode;
        const r = await api('POST', `/api/v1/labs/${enc(lab)}/runs`, { plateCode: p.plateCode, wells, reagentLot, cycler });
        if (failed(r, p.plateCode)) return;
        p.run = { runId: r.data.runId, status: r.data.status, samples: null, reagentLot, cycler, qc: null };
        loadResources();
        savePlate();
        rememberRun(r.data.runId, p.plateCode);
        renderPlate();
        loadQueues();
        words.show('ok', `✓ 已上机 LOADED：${samples.length} 管 + 2 对照。Plate ${p.plateCode} loaded — upload the instrument export when the run ends.`,
          { code: 'LOADED' });
      } finally {
        $('plate-load').disabled = false;
      }
    }, p.plateCode);
  }

  async function uploadResults(text) {
    const p = state.plate;
    if (!p.run) return;
    if (!text || !text.trim()) { words.problem(E.local('NO_FILE', 'file')); return; }
    const r = await api('POST', `/api/v1/runs/${enc(p.run.runId)}/results`, text, { contentType: 'text/csv', timeout: 60000 });
    if (failed(r, p.plateCode)) return;
    p.run.status = r.data.status;
    p.run.samples = r.data.samples;
    const view = await api('GET', `/api/v1/runs/${enc(p.run.runId)}`);
    if (view.ok) p.run.qc = view.data.qc;
    savePlate();
    renderPlate();
    $('results-text').value = '';
    $('paste').open = false;
    loadQueues();
    const counts = summary(r.data.samples);
    if (r.data.status === 'CONTROLS_FAILED') {
      words.show('error', `⚠ 对照失败，本板无效 CONTROLS_FAILED — 请重新检测这些试管。Run invalid: re-run these tubes.`, { code: 'CONTROLS_FAILED' });
    } else if (r.data.status === 'RELEASED') {
      words.show('ok', `✓ 全部阴性，已自动发布 RELEASED (${counts})。All negative: released automatically.`, { code: 'RELEASED' });
    } else {
      words.show('ok', `✓ 结果已录入 RESULTS_ENTERED (${counts}) — 请另一位审核员批准。Another person (a reviewer) must approve.`,
        { code: 'RESULTS_ENTERED' });
    }
  }

  function onFile() {
    const f = $('results-file').files[0];
    if (!f) return;
    queue(async () => {
      const text = await f.text();
      $('results-file').value = '';
      await uploadResults(text);
    }, f.name);
    refocus();
  }

  function summary(samples) {
    const n = {};
    for (const s of samples || []) n[s.interpretation] = (n[s.interpretation] || 0) + 1;
    return ['POSITIVE', 'INCONCLUSIVE', 'INVALID', 'NEGATIVE'].filter((k) => n[k]).map((k) => `${n[k]} ${k}`).join(' · ') || '—';
  }

  function badge(elm, status) {
    elm.textContent = status || '';
    elm.className = 'badge status-' + (status || 'NONE').toLowerCase().replace(/_/g, '-');
  }

  function renderPlate(last) {
    const p = state.plate;
    $('plate-code').value = p.plateCode || $('plate-code').value;
    $('plate-code').disabled = !!p.run;
    const next = nextWell();
    $('next-well').textContent = p.run ? '—' : next || 'FULL';
    const cells = {};
    for (const [w, t] of Object.entries(p.wells)) cells[w] = { tubeCode: t };
    for (const [w, c] of Object.entries(CONTROLS)) cells[w] = { control: c };
    if (p.run && p.run.samples) {
      for (const s of p.run.samples) cells[s.well] = { tubeCode: s.tubeCode, interpretation: s.interpretation, rule: s.rule };
    }
    grid($('plate-grid'), cells, { next: p.run ? null : next, last });
    $('plate-undo').disabled = !!p.run || !p.history.length;
    $('plate-load').hidden = !!p.run;
    $('plate-undo').hidden = !!p.run;
    $('plate-clear').hidden = !!p.run;
    const run = p.run;
    $('run-panel').hidden = !run;
    if (!run) return;
    $('run-id').textContent = run.runId;
    badge($('run-status'), run.status);
    $('upload').hidden = run.status !== 'LOADED';
    $('run-summary').textContent = run.samples ? '结果 Results: ' + summary(run.samples) : '等待仪器结果 Waiting for the instrument export';
    const failedRun = run.status === 'CONTROLS_FAILED';
    $('controls-failed').hidden = !failedRun;
    const rerun = $('rerun-list');
    rerun.textContent = '';
    if (failedRun) for (const s of run.samples || []) rerun.append(el('li', 'code-chip', `${s.tubeCode} (${s.well})`));
    $('plate-review').hidden = !(run.status === 'RESULTS_ENTERED' || run.status === 'RELEASED');
    $('run-resources').textContent = resources(run);
    qcLine($('run-qc'), run.qc);
  }

  /** "Kit lot … · Cycler …" of a run, or what is missing. */
  function resources(run) {
    return `试剂批号 Kit lot ${run.reagentLot || '—'} · 扩增仪 Cycler ${run.cycler || '—'}`;
  }

  function qcLine(elm, qc) {
    elm.hidden = !qc;
    if (!qc) return;
    elm.textContent = QC_WORDS[qc.status] || qc.status;
    elm.className = 'qc-line qc-' + qc.status.toLowerCase();
    elm.dataset.status = qc.status;
  }

  /** The lab's kit lots in date with stock, and its cyclers, for the plate's two selects. */
  async function loadResources() {
    if (!state.session) return;
    const lab = enc(state.session.labCode);
    const [lots, instruments] = await Promise.all([api('GET', `/api/v1/labs/${lab}/reagent-lots`), api('GET', `/api/v1/labs/${lab}/instruments`)]);
    if (lots.ok) {
      fillSelect($('plate-lot'), lots.data.filter((l) => l.kind === 'KIT' && !l.expired && l.remaining > 0)
        .map((l) => [l.lotNumber, `${l.lotNumber} · ${l.item} · ${l.remaining} 剩余 left · 有效期 exp. ${l.expiresOn}`]));
    }
    if (instruments.ok) {
      fillSelect($('plate-cycler'), instruments.data.filter((i) => i.kind === 'PCR_CYCLER')
        .map((i) => [i.code, `${i.code} · ${i.name}${i.calibrationOverdue ? ' · ⚠ 校准过期 calibration overdue' : ''}`]));
    }
  }

  function fillSelect(select, options) {
    const chosen = select.value;
    select.textContent = '';
    select.append(new Option('—', ''));
    for (const [value, text] of options) select.append(new Option(text, value));
    // one choice only: take it, as the bench would anyway
    select.value = options.some(([v]) => v === chosen) ? chosen : options.length === 1 ? options[0][0] : '';
  }

  function ct(v) {
    return v == null ? '—' : Number(v).toFixed(1);
  }

  /** An 8×12 plate: what is in each well, coloured by interpretation once results are in. */
  function grid(container, cells, opts) {
    const o = opts || {};
    container.textContent = '';
    container.append(el('div', 'corner'));
    for (let c = 1; c <= 12; c++) container.append(el('div', 'col-head', String(c)));
    for (const r of ROWS) {
      container.append(el('div', 'row-head', r));
      for (let c = 1; c <= 12; c++) {
        const w = r + c;
        const cell = cells[w] || {};
        const d = el('div', 'well');
        d.dataset.well = w;
        d.setAttribute('role', 'gridcell');
        d.append(el('span', 'w', w));
        let title = w;
        if (cell.control) {
          d.dataset.kind = 'control';
          d.append(el('span', 't', cell.control === 'POSITIVE' ? 'PC (+)' : 'NC (−)'));
          title += ` ${cell.control} control 对照`;
        } else if (cell.tubeCode) {
          d.dataset.kind = 'tube';
          d.append(el('span', 't', cell.tubeCode));
          title += ' ' + cell.tubeCode;
        } else {
          d.dataset.kind = 'empty';
        }
        if (cell.interpretation) {
          d.dataset.interp = cell.interpretation;
          d.append(el('span', 'i', INTERP[cell.interpretation] ? INTERP[cell.interpretation][0] : cell.interpretation));
          title += ` → ${cell.interpretation}` + (cell.rule ? ` (${cell.rule})` : '');
        }
        if (cell.ct) title += ` · ORF1ab ${ct(cell.ct.orf1ab)} N ${ct(cell.ct.n)} IC ${ct(cell.ct.ic)}`;
        if (o.next === w) d.classList.add('next');
        if (o.last === w) d.classList.add('last');
        d.title = title;
        container.append(d);
      }
    }
  }

  // ---------------------------------------------------------------- c. review

  function renderRunList() {
    const select = $('review-runs');
    const chosen = select.value;
    select.textContent = '';
    const none = el('option', null, runs().length ? '— 选择 Choose —' : '— 无 None —');
    none.value = '';
    select.append(none);
    for (const r of runs()) {
      const o = el('option', null, `${r.plateCode} · ${E.hhmm(r.at)} · ${r.runId.slice(0, 8)}…`);
      o.value = r.runId;
      select.append(o);
    }
    select.value = runs().some((r) => r.runId === chosen) ? chosen : '';
  }

  function onReviewScan(ev) {
    ev.preventDefault();
    const input = $('review-scan');
    const id = input.value.trim();
    input.value = '';
    refocus();
    if (!id) return;
    if (!UUID.test(id)) { words.problem(E.local('INVALID_RUN_ID'), id); return; }
    queue(() => showRun(id), id);
  }

  async function showRun(id) {
    stopPolling();
    if (approveTap) approveTap.disarm();
    const r = await api('GET', `/api/v1/runs/${enc(id)}`);
    if (failed(r, id.slice(0, 8))) return;
    state.review = r.data;
    renderReview();
    words.hide();
    if (r.data.status === 'RELEASED') startPolling(id);
  }

  function renderReview() {
    const v = state.review;
    $('review-run').hidden = !v;
    if (!v) return;
    $('review-plate').textContent = v.plateCode;
    $('review-id').textContent = v.runId;
    $('review-by').textContent = v.resultsBy || '—';
    badge($('review-status'), v.status);
    const samples = v.wells.filter((w) => w.tubeCode && w.interpretation);
    $('review-summary').textContent = v.status === 'LOADED' ? '等待仪器结果 Waiting for results'
      : '结果 Results: ' + summary(samples) + positives(samples);
    $('review-failed').hidden = v.status !== 'CONTROLS_FAILED';
    const cells = {};
    for (const w of v.wells) {
      cells[w.well] = { tubeCode: w.tubeCode, control: w.control, interpretation: w.interpretation, rule: w.rule,
        ct: w.ctOrf1ab == null && w.ctN == null && w.ctIc == null ? null : { orf1ab: w.ctOrf1ab, n: w.ctN, ic: w.ctIc } };
    }
    grid($('review-grid'), cells);
    const reviewer = state.session.role === 'LAB_REVIEWER';
    const waiting = v.status === 'RESULTS_ENTERED';
    $('review-resources').textContent = resources(v);
    $('review-qc').hidden = !v.qc;
    if (v.qc) {
      qcLine($('review-qc-status'), v.qc);
      const list = $('review-qc-list');
      list.textContent = '';
      for (const x of v.qc.violations) {
        list.append(el('li', 'qc-' + x.severity.toLowerCase(),
          `${x.rule} · ${x.target} · ${x.well} · 批号 lot ${x.lotNumber} (L${x.level}) · Ct ${x.ct} (${x.z > 0 ? '+' : ''}${x.z} SD)`));
      }
      if (v.qc.correctiveAction) {
        list.append(el('li', 'qc-corrected', `纠正措施 Corrective action (${v.qc.correctedBy}): ${v.qc.correctiveAction}`));
      }
      $('qc-correct-block').hidden = !(reviewer && v.qc.status === 'REJECTED');
    }
    $('approve').hidden = !(reviewer && waiting);
    const note = $('review-note');
    note.hidden = !waiting || (reviewer && v.resultsBy !== state.session.username);
    note.textContent = !reviewer
      ? '需由审核员（非录入人）批准发布。A lab reviewer other than who entered the results approves and releases.'
      : words.text('SAME_USER');
    if (v.status !== 'RELEASED') $('published').hidden = true;
  }

  async function correct() {
    const v = state.review;
    const action = $('qc-action').value.trim();
    if (!v) return;
    if (!action) { words.problem(E.local('QC_ACTION_REQUIRED', 'action')); $('qc-action').focus(); return; }
    await queue(async () => {
      const r = await api('POST', `/api/v1/runs/${enc(v.runId)}/qc/corrective-action`, { action });
      if (failed(r, v.plateCode)) return;
      $('qc-action').value = '';
      await showRun(v.runId);
      words.show('ok', `✓ 纠正措施已记录 Corrective action recorded — ${v.plateCode} 可以发布 may now be released.`, { code: 'CORRECTED' });
    }, v.plateCode);
  }

  function positives(samples) {
    const odd = samples.filter((s) => s.interpretation !== 'NEGATIVE');
    return odd.length ? ' — ' + odd.map((s) => `${s.interpretation}: ${s.tubeCode} (${s.well})`).join(', ') : '';
  }

  async function approve() {
    const v = state.review;
    if (!v) return;
    await queue(async () => {
      const r = await api('POST', `/api/v1/runs/${enc(v.runId)}/approval`);
      if (failed(r, v.plateCode)) return;
      words.show('ok', `✓ 已批准并发布 RELEASED — ${v.plateCode}。Results released; people are being told.`, { code: 'RELEASED' });
      const fresh = await api('GET', `/api/v1/runs/${enc(v.runId)}`);
      if (fresh.ok) state.review = fresh.data; else state.review = Object.assign({}, v, { status: r.data.status });
      renderReview();
      startPolling(v.runId);
      loadQueues();
    }, v.plateCode);
  }

  function stopPolling() {
    if (state.poll) clearTimeout(state.poll.timer);
    state.poll = null;
  }

  /** After release, results reach people in the background: show how many are out so far. */
  function startPolling(runId) {
    stopPolling();
    const out = $('published');
    out.hidden = false;
    out.className = 'published pending';
    out.textContent = '正在发布… Publishing results…';
    const poll = { runId, tries: 0, last: -1, timer: null };
    state.poll = poll;
    const tick = async () => {
      if (state.poll !== poll) return;
      poll.tries++;
      try {
        const r = await api('GET', `/api/v1/results/runs/${enc(runId)}`);
        if (state.poll !== poll) return;
        if (r.status === 401) { sessionExpired(); return; }
        if (r.ok && r.data.persons > 0) {
          const d = r.data;
          out.className = 'published done';
          out.dataset.persons = String(d.persons);
          out.textContent = `${d.persons} 人结果已发布 · ${d.persons} persons' results published`;
          out.append(el('small', null, `NEGATIVE ${d.negative} · RECALLED ${d.recalled} 复检 · POSITIVE ${d.positive} · RETEST ${d.retest}`));
          if (d.persons === poll.last) { stopPolling(); return; } // settled
          poll.last = d.persons;
        }
      } catch (e) {
        if (!(e instanceof NetworkError)) throw e;
      }
      if (poll.tries < POLL_MAX) poll.timer = setTimeout(tick, POLL_MS); else stopPolling();
    };
    tick();
  }

  // ---------------------------------------------------------------- work queues (nothing to type)

  const QUEUE_MS = 30000;
  let queueTimer = null;

  function worklistItem(text, sub, onTap, data) {
    const li = el('li');
    Object.assign(li.dataset, data || {});
    const b = el('button', 'btn work-item');
    b.type = 'button';
    b.append(el('strong', null, text), el('span', null, sub));
    b.addEventListener('click', onTap);
    li.append(b);
    return li;
  }

  function fill(listId, countId, items, empty) {
    $(countId).textContent = String(items.length);
    $(listId).replaceChildren(...(items.length ? items : [el('li', 'empty', empty)]));
  }

  /** Re-reads what waits for this lab: boxes coming, open receipts, tubes for a plate, runs for review. */
  async function loadQueues() {
    if (!state.session) return;
    const lab = enc(state.session.labCode);
    try {
      const [incoming, receipts, waiting, review] = await Promise.all([
        api('GET', `/api/v1/labs/${lab}/incoming`), api('GET', `/api/v1/labs/${lab}/receipts`),
        api('GET', `/api/v1/labs/${lab}/tubes?state=WAITING`), api('GET', `/api/v1/labs/${lab}/runs?status=RESULTS_ENTERED`)]);
      if ([incoming, receipts, waiting, review].some((r) => r.status === 401)) { sessionExpired(); return; }
      if (incoming.ok) {
        fill('incoming', 'incoming-count', incoming.data.map((b) => worklistItem(b.boxCode,
          `${b.status === 'ARRIVED' ? '已到门口 ARRIVED' : '运输中 IN_TRANSIT'} · ${b.tubeCount} 管 tubes · ${b.siteCode} · 首采 first ${E.hhmm(b.firstSampledAt)}`,
          () => queue(() => openBox(b.boxCode).then(loadQueues), b.boxCode), { box: b.boxCode, status: b.status })),
        '暂无 None');
      }
      if (receipts.ok) {
        state.openReceipts = receipts.data.map((r) => r.boxCode);
        fill('open-receipts', 'open-receipts-count', receipts.data.map((r) => worklistItem(r.boxCode,
          `${r.received} / ${r.expected} 已收 received · ${r.openedBy} ${E.hhmm(r.openedAt)}`,
          () => queue(() => openBox(r.boxCode), r.boxCode), { box: r.boxCode })), '暂无 None');
      }
      if (waiting.ok) {
        state.waiting = waiting.data.map((t) => t.tubeCode);
        fill('waiting', 'waiting-count', waiting.data.map((t) => worklistItem(t.tubeCode, `箱 box ${t.boxCode} · ${E.hhmm(t.receivedAt)}`,
          () => { placeTube(t.tubeCode); refocus(); }, { tube: t.tubeCode })), '暂无 None');
        $('waiting-all').hidden = !waiting.data.length;
      }
      if (review.ok) {
        fill('review-queue', 'review-queue-count', review.data.map((r) => worklistItem(`${r.plateCode}`,
          `${r.samples} 管 tubes · ${r.positives ? r.positives + ' POSITIVE · ' : ''}${r.retests ? r.retests + ' RETEST · ' : ''}录入 by ${r.resultsBy} ${E.hhmm(r.resultsAt)}`,
          () => queue(() => showRun(r.runId), r.plateCode), { run: r.runId })), '暂无 None');
      }
    } catch (e) {
      if (!(e instanceof NetworkError)) throw e;
    }
  }

  /** Keeps the queues fresh (setTab has just loaded them). */
  function startQueues() {
    clearInterval(queueTimer);
    queueTimer = setInterval(loadQueues, QUEUE_MS);
  }

  /** Puts every waiting tube that is not on the plate yet into the next wells. */
  function placeAllWaiting() {
    for (const t of state.waiting || []) {
      if (!Object.values(state.plate.wells).includes(t) && nextWell()) placeTube(t, true);
    }
    refocus();
  }

  // ---------------------------------------------------------------- wiring

  function init() {
    login = E.loginForm({
      api, words, store: SESSION,
      accept: (d) => ((d.role === 'LAB_TECH' || d.role === 'LAB_REVIEWER') && d.labCode ? null : 'NOT_LAB_STAFF'),
      onSession: (s) => { state.session = s; start(); },
    });
    $('logout').addEventListener('click', logout);
    for (const t of ['receipt', 'plate', 'review']) $('tab-' + t).addEventListener('click', () => setTab(t));

    $('receipt-form').addEventListener('submit', onReceiptScan);
    $('receipt-close').addEventListener('click', closeReceipt);
    $('receipt-other').addEventListener('click', otherBox);
    for (const chip of document.querySelectorAll('#reject-panel .chip')) chip.addEventListener('click', () => chooseReason(chip));
    $('reject-confirm').addEventListener('click', confirmReject);
    $('reject-cancel').addEventListener('click', () => { closeReject(); refocus(); });
    $('reject-note').addEventListener('keydown', (e) => {
      if (e.key === 'Enter') { e.preventDefault(); confirmReject(); }
      if (e.key === 'Escape') { closeReject(); refocus(); }
    });

    $('plate-form').addEventListener('submit', onPlateScan);
    $('plate-code').addEventListener('keydown', (e) => {
      if (e.key === 'Enter') { e.preventDefault(); $('plate-scan').focus(); }
    });
    $('plate-code').addEventListener('change', () => {
      if (!state.plate.run) { state.plate.plateCode = $('plate-code').value.trim(); savePlate(); }
    });
    $('plate-undo').addEventListener('click', undo);
    $('plate-clear').addEventListener('click', clearPlate);
    $('plate-load').addEventListener('click', loadPlate);
    $('plate-new').addEventListener('click', () => startNewPlate());
    $('plate-rerun').addEventListener('click', () => {
      const tubes = (state.plate.run && state.plate.run.samples || []).map((s) => s.tubeCode);
      startNewPlate(tubes);
      words.show('info', `${tubes.length} 管已放到新板，请输入新板号。Tubes placed on a new plate: enter its plate code and load it.`,
        { code: 'RERUN', beep: false });
    });
    $('plate-review').addEventListener('click', () => {
      const run = state.plate.run;
      setTab('review');
      if (run) { $('review-runs').value = run.runId; queue(() => showRun(run.runId), run.runId); }
    });
    $('results-file').addEventListener('change', onFile);
    $('results-submit').addEventListener('click', () => {
      queue(() => uploadResults($('results-text').value), 'upload');
      refocus();
    });

    $('review-form').addEventListener('submit', onReviewScan);
    $('qc-correct').addEventListener('click', correct);
    $('queues-refresh').addEventListener('click', loadQueues);
    $('waiting-all').addEventListener('click', placeAllWaiting);
    $('review-runs').addEventListener('change', () => {
      const id = $('review-runs').value;
      refocus();
      if (id) queue(() => showRun(id), id);
    });
    approveTap = E.twoTap($('approve'), () => {
      const n = state.review ? state.review.wells.filter((w) => w.tubeCode).length : 0;
      return `再按一次发布 ${n} 管结果 Tap again to release ${n} tube${n === 1 ? '' : 's'}`;
    }, approve);

    state.session = SESSION.load();
    if (state.session) start(); else setLoggedIn(false);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init); else init();
})();
