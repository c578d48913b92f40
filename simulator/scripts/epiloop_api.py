"""HTTP helpers shared by the setup scripts in this directory (stdlib only): JSON calls to the
Epiloop API, a hard stop on a failed step, and valid synthetic mainland ID numbers (GB 11643)."""
import base64
import hashlib
import hmac
import json
import os
import re
import struct
import sys
import time
import urllib.error
import urllib.request

W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
C = "10X98765432"


def id_number(rnd):
    """A valid 18-character ID number (region 321302, birth 1950–2005, check character computed)."""
    region = "321302"
    birth = "%04d%02d%02d" % (rnd.randint(1950, 2005), rnd.randint(1, 12), rnd.randint(1, 28))
    body = region + birth + "%03d" % rnd.randint(0, 999)
    return body + C[sum(int(d) * w for d, w in zip(body, W)) % 11]


def call(url, method, path, token=None, body=None, timeout=60):
    """(status, parsed JSON body or text) of one request; HTTP errors are answers, not exceptions."""
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url + path, data=data, method=method)
    req.add_header("Accept", "application/json")
    if data is not None:
        req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            raw = r.read()
            return r.status, (json.loads(raw) if raw else None)
    except urllib.error.HTTPError as e:
        raw = e.read()
        try:
            return e.code, json.loads(raw)
        except Exception:
            return e.code, raw.decode(errors="replace")


def need(res, what):
    """The body of a 2xx answer; anything else ends the script with the step's name."""
    if res[0] // 100 != 2:
        sys.exit("%s failed: %s %s" % (what, res[0], res[1]))
    return res[1]


def add_person(url, admin, token, phone, body):
    """Adds a person to a resident's account the way the resident page does (ADR 0014): the
    request (202), the code texted to the account's phone (a person new to Epiloop), read from the
    development SMS outbox once it has gone out, and its confirmation. The confirmation's body."""
    link = need(call(url, "POST", "/api/v1/resident/persons", token, body), "person")["linkId"]
    ref = "(ref %s)" % link[:6].upper()
    for _ in range(100):
        out = need(call(url, "GET", "/api/v1/admin/sms-outbox?phone=%s&limit=10" % phone, admin), "outbox")
        for m in out:
            found = re.search(r"code:? (\d{6})", m.get("text", ""))
            if ref in m.get("text", "") and found:
                return need(call(url, "POST", "/api/v1/resident/persons/links/%s/confirmation" % link, token,
                                 {"code": found.group(1)}), "confirm person")
        time.sleep(0.1)
    sys.exit("no code for the person's link reached %s****" % phone[:3])


def totp(secret, at=None):
    """The one-time code (RFC 6238: HMAC-SHA1, 6 digits, 30 s steps) of a Base32 secret."""
    key = base64.b32decode(secret.strip().upper() + "=" * (-len(secret.strip()) % 8))
    counter = struct.pack(">Q", int(time.time() if at is None else at) // 30)
    mac = hmac.new(key, counter, hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    return "%06d" % ((struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF) % 1000000)


def admin_login(url, password, secret=None):
    """A token for the server's 'admin': its password and a code of its second factor, from
    secret or $EPILOOP_ADMIN_TOTP_SECRET."""
    secret = secret or os.environ.get("EPILOOP_ADMIN_TOTP_SECRET")
    if not secret:
        sys.exit("admin login needs the admin's TOTP secret: --admin-totp-secret or EPILOOP_ADMIN_TOTP_SECRET")
    return need(call(url, "POST", "/api/v1/auth/token",
                     body={"username": "admin", "password": password, "totp": totp(secret)}), "admin login")["accessToken"]
