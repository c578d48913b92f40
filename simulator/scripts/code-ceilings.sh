#!/usr/bin/env bash
# What this machine gives at most, measured with a C client (ApacheBench, `apt-get install -y
# apache2-utils`) so that the load generator costs little CPU: a static file (Tomcat and the
# security filter chain, no application work), one person's health code read again and again
# (warm: stored code, token reused), and one token verified again and again.
#
# usage: code-ceilings.sh <state.json from code-bench-setup.py> [base url] [clients] [seconds]
# Each request is first run 10 s to warm up, then measured for <seconds> (default 30).
set -euo pipefail
state=$1
url=${2:-$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['url'])" "$state")}
clients=${3:-64}
seconds=${4:-30}
command -v ab >/dev/null || { echo "ab not found: apt-get install -y apache2-utils" >&2; exit 2; }
read -r person resident staff < <(python3 -c "
import json, sys
s = json.load(open(sys.argv[1])); a = s['accounts'][0]
print(a['personId'], a['token'], s['staff']['OFFICIAL']['token'])" "$state")
token=$(curl -sf -H "Authorization: Bearer $resident" "$url/api/v1/resident/persons/$person/health-code" \
  | python3 -c "import json, sys; print(json.load(sys.stdin)['token'])")
body=$(mktemp)
trap 'rm -f "$body"' EXIT
printf '{"token":"%s"}' "$token" > "$body"

measure() { # name, ab arguments...
  local name=$1; shift
  ab -q -k -c "$clients" -t 10 -n 100000000 "$@" > /dev/null 2>&1 || true
  echo "=== $name ($clients clients, ${seconds} s)"
  ab -q -k -c "$clients" -t "$seconds" -n 100000000 "$@" 2>&1 \
    | grep -E "Complete requests|Failed requests|Non-2xx|Requests per second|  50%|  90%|  99%| 100%"
}
measure "static file" "$url/js/resident.js"
measure "health-code read, one person (warm)" -H "Authorization: Bearer $resident" "$url/api/v1/resident/persons/$person/health-code"
measure "verification, one token" -H "Authorization: Bearer $staff" -p "$body" -T application/json "$url/api/v1/health-codes/verification"
