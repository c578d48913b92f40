#!/usr/bin/env python3
"""Setup for code-bench over the HTTP API (stdlib only).

Creates a district, an OFFICIAL, a VENUE_MANAGER with one venue, and N resident accounts
(OTP read from the admin SMS outbox) each adding 1 person, plus one "case" person with a known,
valid ID number on account 0. Writes a JSON state file for the bulk load and for code-bench:

  python3 simulator/scripts/code-bench-setup.py --url http://localhost:8098 \
      --admin-password "$EPILOOP_ADMIN_PASSWORD" --accounts 64 --out /tmp/hc-state.json
"""
import argparse, json, random, re, string, sys

from epiloop_api import add_person, admin_login, call, id_number, need

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", default="http://localhost:8098")
    ap.add_argument("--admin-password", required=True)
    ap.add_argument("--admin-totp-secret", help="Base32 secret of admin's second factor (default: $EPILOOP_ADMIN_TOTP_SECRET)")
    ap.add_argument("--accounts", type=int, default=64)
    ap.add_argument("--password", default="bench-staff-pw-1")
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    rnd = random.Random()
    run = "".join(rnd.choice(string.ascii_lowercase) for _ in range(6))
    url = a.url.rstrip("/")
    admin = admin_login(url, a.admin_password, a.admin_totp_secret)
    district = "cb-" + run
    need(call(url, "POST", "/api/v1/districts", admin, {"code": district, "name": "Code bench " + run}), "district")
    staff = {}
    for role in ("OFFICIAL", "VENUE_MANAGER"):
        user = "cb-%s-%s" % (run, role.lower().replace("_", ""))
        need(call(url, "POST", "/api/v1/admin/users", admin, {"username": user, "password": a.password, "role": role}), "user " + role)
        staff[role] = {"username": user, "token": need(call(url, "POST", "/api/v1/auth/token", body={"username": user, "password": a.password}), "login")["accessToken"]}
    venue = need(call(url, "POST", "/api/v1/venues", staff["VENUE_MANAGER"]["token"], {
        "name": "Code bench venue " + run, "districtCode": district, "kind": "RESTAURANT",
        "latitude": 33.96, "longitude": 118.28}), "venue")
    accounts = []
    prefix = "13%d" % rnd.randint(1, 9)
    base = rnd.randint(0, 10 ** 7)
    case = None
    for i in range(a.accounts):
        phone = prefix + "%08d" % ((base + i * 7919) % 10 ** 8)
        need(call(url, "POST", "/api/v1/resident/otp", body={"phone": phone}), "otp")
        out = need(call(url, "GET", "/api/v1/admin/sms-outbox?phone=%s&limit=5" % phone, admin), "outbox")
        code = next(m.group(1) for m in (re.search(r"login code: (\d{6})", x.get("text", "")) for x in out) if m)
        tok = need(call(url, "POST", "/api/v1/resident/session", body={"phone": phone, "code": code}), "session")["accessToken"]
        p = add_person(url, admin, tok, phone, {"idType": "CN_ID", "idNumber": id_number(rnd),
                                                                        "name": "张三" if i % 2 else "李四", "districtCode": district})
        acc = {"phone": phone, "token": tok, "personId": p["personId"]}
        if i == 0:
            cid = id_number(rnd)
            c = add_person(url, admin, tok, phone, {"idType": "CN_ID", "idNumber": cid, "name": "王五",
                                                                            "districtCode": district})
            case = {"personId": c["personId"], "idType": "CN_ID", "idNumber": cid}
        accounts.append(acc)
        print("account %d/%d" % (i + 1, a.accounts), file=sys.stderr)
    state = {"run": run, "url": url, "district": district, "staff": staff, "venueCode": venue["venueCode"],
             "accounts": accounts, "case": case}
    with open(a.out, "w") as f:
        json.dump(state, f, indent=1)
    print("wrote " + a.out, file=sys.stderr)


if __name__ == "__main__":
    main()
