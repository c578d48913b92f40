/*
 * Health codes checked without a network (H3), for the venue gate (gate.js). Plain ES2020, no
 * build step. Exposes window.EpiloopOfflineCodes.
 *
 * A health code is a compact JWS signed EdDSA (Ed25519) by the server (ADR 0009); its public keys
 * are published as a JWKS at /api/v1/health-codes/keys. keys() keeps the last JWKS fetched in
 * localStorage, so a gate whose network drops can still tell a genuine code from a forged,
 * edited or expired one. What it cannot know offline is the person's colour NOW: only the colour
 * the code was signed with, at most three minutes ago.
 *
 * The signature is checked by the browser's WebCrypto Ed25519 where it has it (Chromium 137+,
 * Firefox 129+, Safari 17+), else by tweetnacl served from the jar (WebJar): WebCrypto exists
 * only on https or localhost, and a gate phone may be old. Each engine must first pass an RFC 8032
 * test vector, so an engine that is present but wrong is never used.
 */
'use strict';

(() => {
  const KEYS_STORE = 'epiloop.gate.jwks';
  const KEYS_URL = '/api/v1/health-codes/keys';
  const NACL_URL = '/webjars/tweetnacl/0.14.5/nacl-fast.min.js';
  const ISSUER = 'epiloop-health-code';
  const COLORS = ['GREEN', 'YELLOW', 'RED'];

  // RFC 8032 section 7.1, test 1: the empty message, its public key and signature
  const VECTOR = {
    key: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    sig: 'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
  };

  function hex(s) {
    const out = new Uint8Array(s.length / 2);
    for (let i = 0; i < out.length; i++) out[i] = parseInt(s.substr(i * 2, 2), 16);
    return out;
  }

  /** base64url (no padding) to bytes; null when it is not base64url. */
  function b64url(s) {
    if (typeof s !== 'string' || !/^[A-Za-z0-9_-]*$/.test(s)) return null;
    try {
      const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((s.length + 3) % 4));
      const out = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
      return out;
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

  // ---------------------------------------------------------------- signature engines

  /** WebCrypto's Ed25519: verify(publicKeyBytes, signature, data) → Promise<boolean>. */
  const webCrypto = {
    name: 'webcrypto',
    async verify(key, sig, data) {
      const k = await crypto.subtle.importKey('raw', key, { name: 'Ed25519' }, false, ['verify']);
      return crypto.subtle.verify({ name: 'Ed25519' }, k, sig, data);
    },
  };

  /** tweetnacl (window.nacl), loaded from the jar on demand. */
  const tweetnacl = {
    name: 'tweetnacl',
    async verify(key, sig, data) {
      return window.nacl.sign.detached.verify(data, sig, key);
    },
  };

  function loadScript(src) {
    return new Promise((resolve, reject) => {
      const s = document.createElement('script');
      s.src = src;
      s.onload = resolve;
      s.onerror = () => reject(new Error('cannot load ' + src));
      document.head.appendChild(s);
    });
  }

  /** Whether an engine accepts the RFC 8032 vector and refuses it with one bit changed. */
  async function passes(engine) {
    try {
      const key = hex(VECTOR.key);
      const sig = hex(VECTOR.sig);
      const bad = sig.slice();
      bad[0] ^= 1;
      return (await engine.verify(key, sig, new Uint8Array(0))) === true
        && (await engine.verify(key, bad, new Uint8Array(0))) === false;
    } catch (e) {
      return false;
    }
  }

  let engine = null;

  /**
   * The engine that checks signatures: WebCrypto when it passes the test vector, else tweetnacl
   * (its script loaded now, while there is network). Resolves to null when neither works.
   */
  function ready() {
    if (!engine) {
      engine = (async () => {
        if (window.crypto && crypto.subtle && await passes(webCrypto)) return webCrypto;
        try {
          if (!window.nacl) await loadScript(NACL_URL);
        } catch (e) {
          return null;
        }
        return (await passes(tweetnacl)) ? tweetnacl : null;
      })();
    }
    return engine;
  }

  // ---------------------------------------------------------------- the kept keys

  /** The kept JWKS: {keys: [...], fetchedAt (ms), skewMs (server clock − this clock)}, or null. */
  function keys() {
    try {
      const k = JSON.parse(localStorage.getItem(KEYS_STORE));
      return k && Array.isArray(k.keys) ? k : null;
    } catch (e) {
      return null;
    }
  }

  /**
   * Fetches the JWKS and keeps it; resolves to the kept keys, old or new. The server's Date header
   * gives how far this device's clock is off, so expiry is judged by the server's time even
   * when the device's clock is wrong (to within a second).
   */
  async function refresh() {
    try {
      const res = await fetch(KEYS_URL, { cache: 'no-store', headers: { Accept: 'application/json' } });
      if (!res.ok) return keys();
      const body = await res.json();
      if (!body || !Array.isArray(body.keys)) return keys();
      const date = Date.parse(res.headers.get('Date') || '');
      const kept = { keys: body.keys, fetchedAt: Date.now(), skewMs: isNaN(date) ? 0 : date - Date.now() };
      localStorage.setItem(KEYS_STORE, JSON.stringify(kept));
      return kept;
    } catch (e) {
      return keys();
    }
  }

  /** Now by the server's clock as last seen, in ms. */
  function now() {
    const k = keys();
    const skew = k && Math.abs(k.skewMs) > 1500 ? k.skewMs : 0;
    return Date.now() + skew;
  }

  // ---------------------------------------------------------------- verification

  /**
   * Checks a scanned token with the kept keys. Resolves to {ok: true, color, nameMasked,
   * issuedAt, expiresAt} (times in ms) or {ok: false, reason} with reason one of NO_KEYS,
   * NO_ENGINE, MALFORMED, BAD_ALGORITHM, UNKNOWN_KEY, BAD_SIGNATURE, NOT_A_HEALTH_CODE, EXPIRED.
   */
  async function verify(token) {
    const kept = keys();
    if (!kept || !kept.keys.length) return { ok: false, reason: 'NO_KEYS' };
    const parts = String(token || '').trim().split('.');
    if (parts.length !== 3) return { ok: false, reason: 'MALFORMED' };
    const headerBytes = b64url(parts[0]);
    const header = headerBytes && json(headerBytes);
    if (!header) return { ok: false, reason: 'MALFORMED' };
    // only EdDSA: a token may not choose a weaker algorithm by naming it (nor "none")
    if (header.alg !== 'EdDSA') return { ok: false, reason: 'BAD_ALGORITHM' };
    const jwk = kept.keys.find((k) => k && k.kid === header.kid);
    if (!jwk) return { ok: false, reason: 'UNKNOWN_KEY' };
    if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519') return { ok: false, reason: 'BAD_ALGORITHM' };
    const key = b64url(jwk.x);
    const sig = b64url(parts[2]);
    if (!key || key.length !== 32) return { ok: false, reason: 'UNKNOWN_KEY' };
    if (!sig || sig.length !== 64) return { ok: false, reason: 'BAD_SIGNATURE' };
    const e = await ready();
    if (!e) return { ok: false, reason: 'NO_ENGINE' };
    let genuine = false;
    try {
      genuine = await e.verify(key, sig, new TextEncoder().encode(parts[0] + '.' + parts[1]));
    } catch (err) {
      genuine = false;
    }
    if (!genuine) return { ok: false, reason: 'BAD_SIGNATURE' };
    const payloadBytes = b64url(parts[1]);
    const claims = payloadBytes && json(payloadBytes);
    if (!claims || claims.iss !== ISSUER || !claims.sub || !COLORS.includes(claims.col)
      || typeof claims.exp !== 'number' || typeof claims.iat !== 'number') {
      return { ok: false, reason: 'NOT_A_HEALTH_CODE' };
    }
    const t = now();
    if (claims.exp * 1000 <= t) return { ok: false, reason: 'EXPIRED', expiresAt: claims.exp * 1000 };
    return { ok: true, color: claims.col, nameMasked: claims.nm || '', issuedAt: claims.iat * 1000, expiresAt: claims.exp * 1000,
      ageSeconds: Math.max(0, Math.round((t - claims.iat * 1000) / 1000)) };
  }

  /** The name of the engine in use ('webcrypto', 'tweetnacl'), or null when none works. */
  async function engineName() {
    const e = await ready();
    return e ? e.name : null;
  }

  window.EpiloopOfflineCodes = Object.freeze({ keys, refresh, verify, ready, engineName, now });
})();
