/*
 * The public certificate check (templates/verify.html). Plain ES2020 on top of common.js.
 *
 * A certificate's QR code holds a compact JWS signed EdDSA (Ed25519) with the certificate key
 * (ADR 0025), published at /api/v1/certificates/keys. Online, the server answers VALID, REVOKED
 * (the result was corrected, or a later result differs) or INVALID. When the server cannot be
 * reached, the signature is checked here with the key kept from the last visit, by the same
 * Ed25519 engine the gate uses offline (EpiloopOfflineCodes.ready(): WebCrypto or tweetnacl, each
 * tested against RFC 8032 first); that proves the certificate genuine but cannot know whether it
 * was revoked since, and the page says so.
 */
'use strict';

(() => {
  const E = window.Epiloop;
  const { $, NetworkError } = E;
  const KEYS_URL = '/api/v1/certificates/keys';
  const KEYS_STORE = 'epiloop.verify.jwks';
  const ISSUER = 'epiloop-certificate';
  const PURPOSE = 'RESULT_CERTIFICATE';

  const words = E.feedback({});
  const api = E.client(() => null);

  const RESULT = { NEGATIVE: ['阴性', 'Negative'], POSITIVE: ['阳性', 'Positive'] };
  const BECAUSE = {
    AMENDED: ['结果已更正', 'The result was corrected after this certificate was issued.'],
    SUPERSEDED: ['已有更新的不同结果', 'A later test of this person gave another result.'],
    WITHDRAWN: ['结果已撤回', 'The result no longer exists.'],
  };

  function b64url(s) {
    if (typeof s !== 'string' || !/^[A-Za-z0-9_-]*$/.test(s)) return null;
    try {
      const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((s.length + 3) % 4));
      return Uint8Array.from(bin, (c) => c.charCodeAt(0));
    } catch (e) {
      return null;
    }
  }

  function json(bytes) {
    try {
      const v = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
      return v && typeof v === 'object' ? v : null;
    } catch (e) {
      return null;
    }
  }

  function keptKeys() {
    try {
      const k = JSON.parse(localStorage.getItem(KEYS_STORE));
      return k && Array.isArray(k.keys) ? k.keys : [];
    } catch (e) {
      return [];
    }
  }

  async function refreshKeys() {
    try {
      const res = await fetch(KEYS_URL, { cache: 'no-store', headers: { Accept: 'application/json' } });
      if (!res.ok) return;
      const body = await res.json();
      if (body && Array.isArray(body.keys)) localStorage.setItem(KEYS_STORE, JSON.stringify({ keys: body.keys }));
    } catch (e) { /* offline: keep what we have */ }
  }

  /** The signature check alone, with the kept key: {ok, claims} or {ok: false, reason}. */
  async function offlineCheck(token) {
    const parts = String(token).trim().split('.');
    if (parts.length !== 3) return { ok: false, reason: 'MALFORMED' };
    const header = json(b64url(parts[0]) || new Uint8Array(0));
    if (!header || header.alg !== 'EdDSA') return { ok: false, reason: 'MALFORMED' };
    const jwk = keptKeys().find((k) => k && k.kid === header.kid && k.kty === 'OKP' && k.crv === 'Ed25519');
    if (!jwk) return { ok: false, reason: keptKeys().length ? 'UNKNOWN_KEY' : 'NO_KEYS' };
    const key = b64url(jwk.x);
    const sig = b64url(parts[2]);
    if (!key || key.length !== 32 || !sig || sig.length !== 64) return { ok: false, reason: 'BAD_SIGNATURE' };
    const engine = await window.EpiloopOfflineCodes.ready();
    if (!engine) return { ok: false, reason: 'NO_ENGINE' };
    let genuine = false;
    try {
      genuine = await engine.verify(key, sig, new TextEncoder().encode(parts[0] + '.' + parts[1]));
    } catch (e) {
      genuine = false;
    }
    if (!genuine) return { ok: false, reason: 'BAD_SIGNATURE' };
    const claims = json(b64url(parts[1]) || new Uint8Array(0));
    if (!claims || claims.iss !== ISSUER || claims.pur !== PURPOSE || !claims.sub || !RESULT[claims.res]) {
      return { ok: false, reason: 'NOT_A_CERTIFICATE' };
    }
    return { ok: true, claims };
  }

  function show(state, word, sub, name, note, mode) {
    const v = $('verdict');
    v.dataset.state = state;
    v.dataset.mode = mode || '';
    $('verdict-word').textContent = word;
    $('verdict-sub').textContent = sub;
    $('verdict-name').textContent = name || '';
    $('verdict-note').textContent = note || '';
  }

  function facts(result, sampledAt, lab) {
    const r = RESULT[result] || [result, result];
    return [`${r[0]} ${r[1]}`, `采样 Sampled ${E.cityTime(sampledAt, { year: 'numeric', month: '2-digit', day: '2-digit' })}`
      + (lab ? ` · 实验室 Lab ${lab}` : '')];
  }

  async function check(token) {
    words.hide();
    token = String(token || '').trim();
    if (!token) {
      words.show('error', '请先扫描或粘贴证明上的二维码内容。 Scan or paste the certificate\'s code first.', { field: 'token' });
      return;
    }
    $('check').disabled = true;
    let r;
    try {
      r = await api('POST', '/api/v1/certificates/verify', { token });
    } catch (e) {
      if (!(e instanceof NetworkError)) throw e;
      r = null;
    } finally {
      $('check').disabled = false;
    }
    if (r && r.status === 429) {
      words.show('warn', `核验太频繁，请在 ${r.retryAfter || 60} 秒后再试。 Too many checks: try again in ${r.retryAfter || 60} s.`,
        { code: 'RATE_LIMITED' });
      return;
    }
    if (r && r.ok) {
      const d = r.data;
      if (d.state === 'VALID') {
        const [res, when] = facts(d.result, d.sampledAt, d.labCode);
        show('VALID', '有效 VALID', res, d.nameMasked, when);
      } else if (d.state === 'REVOKED') {
        const b = BECAUSE[d.revokedBecause] || ['已撤销', 'Revoked.'];
        const [res, when] = facts(d.result, d.sampledAt, d.labCode);
        show('REVOKED', '已撤销 REVOKED', `${b[0]} ${b[1]}`, d.nameMasked, `证明所载 Certified: ${res} · ${when}`);
      } else {
        show('INVALID', '无效 INVALID', '不是本市签发的证明，或内容被改动。 Not a certificate of this city, or it was altered.');
      }
      return;
    }
    if (r && !r.ok) {
      words.problem(E.problem(r));
      return;
    }
    // no network: the signature alone, said plainly
    const o = await offlineCheck(token);
    if (o.ok) {
      const [res, when] = facts(o.claims.res, o.claims.smp * 1000, o.claims.lab);
      show('GENUINE', '签名有效 GENUINE', res, o.claims.nm,
        `${when}\n离线核验，无法确认是否已撤销 Offline: cannot tell whether it was revoked since`, 'OFFLINE');
    } else if (o.reason === 'NO_KEYS' || o.reason === 'NO_ENGINE') {
      show('', '无法核验', 'No network and no kept key: connect once to check certificates offline.', '', '', 'OFFLINE');
    } else {
      show('INVALID', '无效 INVALID', '签名不符 The signature does not match: not a genuine certificate.', '', '', 'OFFLINE');
    }
  }

  $('verify-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    check($('token').value);
  });

  if (window.EpiloopCamera && window.EpiloopCamera.available()) {
    const button = $('camera');
    button.hidden = false;
    button.addEventListener('click', () => {
      window.EpiloopCamera.scan($('camera-view'), (text) => {
        $('token').value = text;
        check(text);
      }, () => words.show('warn', '无法使用摄像头，请粘贴二维码内容。 The camera cannot be used: paste the code instead.'));
    });
  }

  refreshKeys().then(() => {
    // a link such as /verify#t=<token> (a QR code read by a phone's own camera app) is checked at once
    const m = /[#&]t=([A-Za-z0-9_.-]+)/.exec(location.hash);
    if (m) {
      $('token').value = m[1];
      check(m[1]);
    }
  });
})();
