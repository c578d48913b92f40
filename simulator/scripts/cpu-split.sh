#!/usr/bin/env bash
# Samples CPU time of the server JVM and of all postgres processes from /proc for N seconds
# and prints each one's average cores busy and share.
# Usage: cpu-split.sh <jvm-pid> <postmaster-pid> <seconds>
# (postmaster pid: e.g. the postgres process listening on the port of the app's JDBC URL, or
#  `ps -eo pid,ppid,args | grep '[b]in/postgres -D'`)
set -euo pipefail
jvm=$1; pm=$2; secs=${3:-30}
tck=$(getconf CLK_TCK)
ticks() { awk '{ s=$0; sub(/^.*\) /, "", s); split(s, f, " "); print f[12] + f[13] }' "/proc/$1/stat" 2>/dev/null || echo 0; }
pg_pids() { echo "$pm"; pgrep -P "$pm" || true; }
sum_pg() { local t=0; for p in $(pg_pids); do t=$((t + $(ticks "$p"))); done; echo $t; }
busy() { awk '/^cpu /{ print $2+$3+$4+$7+$8+$9, $2+$3+$4+$5+$6+$7+$8+$9 }' /proc/stat; }
j0=$(ticks "$jvm"); p0=$(sum_pg); read -r b0 t0 < <(busy); c0=$(date +%s.%N)
sleep "$secs"
j1=$(ticks "$jvm"); p1=$(sum_pg); read -r b1 t1 < <(busy); c1=$(date +%s.%N)
PM=$pm python3 - "$j0" "$j1" "$p0" "$p1" "$b0" "$b1" "$t0" "$t1" "$c0" "$c1" "$tck" "$(nproc)" <<'PY'
import os, sys
pm = os.environ["PM"]
j0,j1,p0,p1,b0,b1,t0,t1 = map(int, sys.argv[1:9]); c0,c1 = map(float, sys.argv[9:11]); tck,n = map(int, sys.argv[11:13])
wall = c1 - c0
jvm = (j1 - j0) / tck / wall; pg = (p1 - p0) / tck / wall; machine = (b1 - b0) / (t1 - t0) * n
print(f"window {wall:.1f} s: server JVM {jvm:.2f} cores, postgres (postmaster {pm} + children) {pg:.2f} cores, "
      f"split {100*jvm/(jvm+pg):.0f}% / {100*pg/(jvm+pg):.0f}%; whole machine {machine:.2f} of {n} cores busy")
PY
