#!/usr/bin/env python3
"""Setup for the dashboard load (dashboard-load.sql) over the HTTP API (stdlib only).

Creates, under a random 6-letter run prefix <run>:
  districts  dl-<run>-dNN           (--districts, 10)
  sites      dl-<run>-sNNNN         (--sites, 1000), spread over the districts, around Suqian
  labs       dl-<run>-labNN         (--labs, 10), lab i in district i mod districts
  staff      dl-<run>-cNNNN         one COLLECTOR per site
             dl-<run>-labNN-tK      --techs LAB_TECH per lab (2), dl-<run>-labNN-r one LAB_REVIEWER
             dl-<run>-kNN           --couriers COURIER (20)
             dl-<run>-official      an OFFICIAL (for dash-bench --user)
  persons    --accounts resident accounts (4; OTP read from the admin SMS outbox) with one person each,
             whose ciphertexts the bulk persons copy (so they decrypt)
and writes a JSON state file. Then run the bulk load with -v run=<run> (printed at the end):

  python3 simulator/scripts/dashboard-setup.py --url http://localhost:8097 \
      --admin-password "$EPILOOP_ADMIN_PASSWORD" --out /tmp/dash-state.json
"""
import argparse, json, random, re, string, sys

from epiloop_api import add_person, admin_login, call, id_number, need
from concurrent.futures import ThreadPoolExecutor

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--url", default="http://localhost:8097")
    ap.add_argument("--admin-password", required=True)
    ap.add_argument("--admin-totp-secret", help="Base32 secret of admin's second factor (default: $EPILOOP_ADMIN_TOTP_SECRET)")
    ap.add_argument("--districts", type=int, default=10)
    ap.add_argument("--sites", type=int, default=1000)
    ap.add_argument("--labs", type=int, default=10)
    ap.add_argument("--techs", type=int, default=2, help="LAB_TECH users per lab")
    ap.add_argument("--couriers", type=int, default=20)
    ap.add_argument("--accounts", type=int, default=4, help="resident accounts with one real person each")
    ap.add_argument("--password", default="dash-staff-pw-1", help="password of every staff user created")
    ap.add_argument("--threads", type=int, default=4, help="parallel requests for sites and users")
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    if not (1 <= a.districts <= 99 and 1 <= a.sites <= 9999 and 1 <= a.labs <= 99 and 1 <= a.couriers <= 99 and a.accounts >= 1):
        sys.exit("--districts 1..99, --sites 1..9999, --labs 1..99, --couriers 1..99, --accounts >= 1")
    rnd = random.Random()
    run = "".join(rnd.choice(string.ascii_lowercase) for _ in range(6))
    url = a.url.rstrip("/")
    p = "dl-" + run
    admin = admin_login(url, a.admin_password, a.admin_totp_secret)

    districts = ["%s-d%02d" % (p, i + 1) for i in range(a.districts)]
    for i, d in enumerate(districts):
        need(call(url, "POST", "/api/v1/districts", admin, {"code": d, "name": "Dashboard load %s district %d" % (run, i + 1)}), "district " + d)
    print("%d districts" % len(districts), file=sys.stderr)

    sites = [{"code": "%s-s%04d" % (p, i + 1), "district": districts[i % a.districts]} for i in range(a.sites)]
    labs = [{"code": "%s-lab%02d" % (p, i + 1), "district": districts[i % a.districts]} for i in range(a.labs)]

    def site(s):
        i = int(s["code"][-4:])
        need(call(url, "POST", "/api/v1/sites", admin, {
            "code": s["code"], "name": "Sampling site %d (%s)" % (i, run), "districtCode": s["district"],
            "latitude": round(33.80 + rnd.random() * 0.35, 6), "longitude": round(118.10 + rnd.random() * 0.40, 6)}), "site " + s["code"])

    with ThreadPoolExecutor(a.threads) as ex:
        list(ex.map(site, sites))
    print("%d sites" % len(sites), file=sys.stderr)
    for l in labs:
        # a placeholder capacity: dashboard-load.sql sets each lab's daily_capacity from the load it gets
        need(call(url, "POST", "/api/v1/labs", admin, {"code": l["code"], "name": "PCR lab %s (%s)" % (l["code"][-2:], run),
                                                       "districtCode": l["district"], "dailyCapacity": 50000}), "lab " + l["code"])
    print("%d labs" % len(labs), file=sys.stderr)

    users = [{"username": "%s-c%04d" % (p, i + 1), "role": "COLLECTOR", "siteCode": s["code"]} for i, s in enumerate(sites)]
    for l in labs:
        users += [{"username": "%s-t%d" % (l["code"], k + 1), "role": "LAB_TECH", "labCode": l["code"]} for k in range(a.techs)]
        users.append({"username": "%s-r" % l["code"], "role": "LAB_REVIEWER", "labCode": l["code"]})
    users += [{"username": "%s-k%02d" % (p, i + 1), "role": "COURIER"} for i in range(a.couriers)]
    official = "%s-official" % p
    users.append({"username": official, "role": "OFFICIAL"})

    def user(u):
        need(call(url, "POST", "/api/v1/admin/users", admin, dict(u, password=a.password)), "user " + u["username"])

    with ThreadPoolExecutor(a.threads) as ex:
        list(ex.map(user, users))
    print("%d staff users" % len(users), file=sys.stderr)

    prefix = "13%d" % rnd.randint(1, 9)
    base = rnd.randint(0, 10 ** 7)
    persons = []
    for i in range(a.accounts):
        phone = prefix + "%08d" % ((base + i * 7919) % 10 ** 8)
        need(call(url, "POST", "/api/v1/resident/otp", body={"phone": phone}), "otp")
        out = need(call(url, "GET", "/api/v1/admin/sms-outbox?phone=%s&limit=5" % phone, admin), "outbox")
        code = next(m.group(1) for m in (re.search(r"login code: (\d{6})", x.get("text", "")) for x in out) if m)
        tok = need(call(url, "POST", "/api/v1/resident/session", body={"phone": phone, "code": code}), "session")["accessToken"]
        r = add_person(url, admin, tok, phone, {"idType": "CN_ID", "idNumber": id_number(rnd),
                                                                        "name": "张三" if i % 2 else "李四",
                                                                        "districtCode": districts[i % len(districts)]})
        persons.append(r["personId"])
    print("%d resident persons" % len(persons), file=sys.stderr)

    state = {"run": run, "url": url, "districts": districts, "sites": [s["code"] for s in sites], "labs": [l["code"] for l in labs],
             "official": {"username": official, "password": a.password}, "staffPassword": a.password, "persons": persons}
    with open(a.out, "w") as f:
        json.dump(state, f, indent=1)
    print("wrote %s; now load with: psql ... -v run=%s -f simulator/scripts/dashboard-load.sql" % (a.out, run), file=sys.stderr)
    print(run)


if __name__ == "__main__":
    main()
