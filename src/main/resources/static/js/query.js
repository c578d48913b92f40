/*
 * The public result query (templates/query.html). Plain ES2020 on top of common.js.
 *
 * The server answers a wrong name exactly as it answers an unknown document (no results), so
 * the page says "nothing found for this document and name" in both cases and never hints which
 * was wrong. When the address has asked too often, the server says when to try again
 * (Retry-After) and the page says it in seconds, with the button held until then.
 */
'use strict';

(() => {
  const E = window.Epiloop;
  const { $, NetworkError } = E;

  const words = E.feedback({
    NO_RESULTS: ['没有找到', 'Nothing was found for this document and name. Check both and try again.'],
    INVALID_ID_NUMBER: ['证件号码不正确', 'The document number is not valid. Check it and try again.'],
    INVALID_ID_TYPE: ['证件类型不正确', 'Choose the kind of document.'],
    INVALID_NAME: ['姓名不正确', 'Enter the name as on the document.'],
  });
  const api = E.client(() => null);
  let holdUntil = 0;

  function hold(seconds) {
    holdUntil = Date.now() + seconds * 1000;
    const button = $('query');
    button.disabled = true;
    const tick = () => {
      const left = Math.ceil((holdUntil - Date.now()) / 1000);
      if (left <= 0) {
        button.disabled = false;
        button.textContent = '查询 Look up';
        return;
      }
      button.textContent = `${left} 秒后可再查 Try again in ${left} s`;
      setTimeout(tick, 1000);
    };
    tick();
  }

  $('query-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (Date.now() < holdUntil) return;
    words.hide();
    $('answer').hidden = true;
    const body = { idType: $('id-type').value, idNumber: $('id-number').value.trim(), name: $('name').value.trim() };
    $('query').disabled = true;
    let r;
    try {
      r = await api('POST', '/api/v1/results/query', body);
    } catch (e) {
      if (!(e instanceof NetworkError)) throw e;
      words.show('error', words.text('NETWORK'), { code: 'NETWORK' });
      $('query').disabled = false;
      return;
    }
    $('query').disabled = false;
    if (r.status === 429) {
      const seconds = r.retryAfter || 60;
      words.show('warn', `查询太频繁，请在 ${seconds} 秒后再试。 Too many queries from here: try again in ${seconds} seconds.`,
        { code: 'RATE_LIMITED' });
      hold(seconds);
      return;
    }
    if (!r.ok) {
      words.problem(E.problem(r));
      return;
    }
    $('answer').hidden = false;
    $('answer-name').textContent = r.data.nameMasked;
    $('answer-id').textContent = r.data.idMasked;
    $('answer-none').hidden = E.renderResults($('results'), r.data.results) > 0;
  });
})();
