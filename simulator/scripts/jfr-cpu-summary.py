#!/usr/bin/env python3
"""Summarise where a JVM spends CPU from a JFR recording's jdk.ExecutionSample events.

Usage: jfr-cpu-summary.py recording.jfr [--top 15] [--from HH:MM:SS] [--to HH:MM:SS]
--from/--to keep only samples whose startTime (as `jfr print` shows it, local time) lies in
[from, to), e.g. the measured phase printed by bind-bench. Runs `jfr print --events jdk.ExecutionSample --stack-depth 64` and counts:
  - top frames (the method on CPU, "self" time),
  - org.epiloop frames: innermost org.epiloop frame per sample, and inclusive (anywhere on the stack),
  - package groups: self (top frame) and inclusive (any frame of the group on the stack),
  - threads.
"""
import collections
import re
import subprocess
import sys

GROUPS = [  # first match wins; matched against the frame's class name
    ("org.postgresql", r"^org\.postgresql\."),
    ("com.zaxxer (Hikari)", r"^com\.zaxxer\."),
    ("org.springframework.security", r"^org\.springframework\.security\."),
    ("com.nimbusds (JWT)", r"^com\.nimbusds\."),
    ("jackson (tools.jackson / com.fasterxml)", r"^(tools\.jackson|com\.fasterxml\.jackson)\."),
    ("tomcat (org.apache.tomcat/catalina/coyote)", r"^org\.apache\.(tomcat|catalina|coyote)\."),
    ("crypto (java.security, javax.crypto, sun.security, com.sun.crypto)",
     r"^(java\.security|javax\.crypto|sun\.security|com\.sun\.crypto)\."),
    ("org.epiloop", r"^org\.epiloop\."),
    ("org.springframework (other)", r"^org\.springframework\."),
    ("io.micrometer (observation/metrics)", r"^io\.micrometer\."),
    ("jakarta.servlet", r"^jakarta\.servlet\."),
    ("logging (ch.qos, org.slf4j, org.apache.logging)", r"^(ch\.qos|org\.slf4j|org\.apache\.logging)\."),
    ("java.lang", r"^java\.lang\."),
    ("java.util (not regex/concurrent)", r"^java\.util\.(?!regex|concurrent)"),
    ("java.util.concurrent", r"^java\.util\.concurrent\."),
    ("java.time", r"^java\.time\."),
    ("java.util.regex", r"^java\.util\.regex\."),
    ("java/jdk/sun (other JDK)", r"^(java|javax|jdk|sun|com\.sun)\."),
]


def group_of(cls):
    for name, rx in GROUPS:
        if re.match(rx, cls):
            return name
    return "other: " + ".".join(cls.split(".")[:2])


SUBSYSTEMS = [  # inclusive: the sample has a frame matching the pattern anywhere on its stack.
    # Only "leaf" subsystems here: a filter or interceptor that wraps the rest of the request would count everything.
    ("JWT decoding and validation (spring oauth2.jwt, nimbus, JwtAuthenticationProvider)",
     r"^(org\.springframework\.security\.oauth2\.jwt|com\.nimbusds|org\.springframework\.security\.oauth2\.server\.resource\.authentication)\."),
    ("JDBC (spring-jdbc, pgjdbc, Hikari)", r"^(org\.springframework\.jdbc|org\.postgresql|com\.zaxxer)\."),
    ("JSON (Jackson)", r"^(tools\.jackson|com\.fasterxml\.jackson)\."),
    ("Handler lookup (request mapping)", r"^org\.springframework\.web\.servlet\.handler\.AbstractHandlerMethodMapping\."),
    ("epiloop PiiCrypto", r"^org\.epiloop\.shared\.PiiCrypto\."),
    ("epiloop Idempotency", r"^org\.epiloop\.shared\.Idempotency\."),
    ("epiloop Persons (incl. its JDBC and crypto)", r"^org\.epiloop\.identity\.Persons"),
    ("JCA crypto (java.security, javax.crypto, sun.security, com.sun.crypto)",
     r"^(java\.security|javax\.crypto|sun\.security|com\.sun\.crypto)\."),
    ("Logging", r"^(ch\.qos|org\.slf4j|org\.apache\.logging)\."),
]

JDK = re.compile(r"^(java|javax|jdk|sun|com\.sun)\.")


FRAME = re.compile(r"^\s+(\S+?)\((.*?)\)\s+line:")


def samples(path):
    out = subprocess.run(["jfr", "print", "--events", "jdk.ExecutionSample", "--stack-depth", "64", path],
                         check=True, capture_output=True, text=True).stdout
    frames, thread, in_stack, at = [], None, False, None
    for line in out.splitlines():
        s = line.strip()
        if s.startswith("jdk.ExecutionSample"):
            frames, thread, in_stack, at = [], None, False, None
        elif s.startswith("startTime = "):
            at = s.split("=", 1)[1].strip()
        elif s.startswith("sampledThread"):
            m = re.search(r'"(.*)"', s)
            thread = m.group(1) if m else s
        elif s.startswith("stackTrace = ["):
            in_stack = True
        elif in_stack and s == "]":
            in_stack = False
        elif in_stack:
            m = FRAME.match(line)
            if m:
                frames.append(m.group(1))
            elif s == "...":
                pass
        elif s == "}" and frames:
            yield at, thread, frames
            frames = []


def cls_of(method):
    return method.rsplit(".", 1)[0]


def main():
    path = sys.argv[1]
    def opt(name, default=None):
        return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default

    top = int(opt("--top", 15))
    since, until = opt("--from"), opt("--to")
    skipped = 0
    n = 0
    self_frames = collections.Counter()
    epi_inner = collections.Counter()
    epi_incl = collections.Counter()
    grp_self = collections.Counter()
    grp_incl = collections.Counter()
    grp_owner = collections.Counter()
    threads = collections.Counter()
    subsystems = collections.Counter()
    for at, thread, frames in samples(path):
        hms = (at or "")[:12]  # "HH:MM:SS.mmm" (jfr prints the time of day only for same-day recordings)
        if (since and hms < since) or (until and hms >= until):
            skipped += 1
            continue
        n += 1
        self_frames[frames[0]] += 1
        grp_self[group_of(cls_of(frames[0]))] += 1
        owner = next((f for f in frames if not JDK.match(f)), frames[0])
        grp_owner[group_of(cls_of(owner))] += 1
        for g in {group_of(cls_of(f)) for f in frames}:
            grp_incl[g] += 1
        epi = [f for f in frames if f.startswith("org.epiloop.")]
        if epi:
            epi_inner[epi[0]] += 1
            for f in set(epi):
                epi_incl[f] += 1
        for name, rx in SUBSYSTEMS:
            if any(re.match(rx, f) for f in frames):
                subsystems[name] += 1
        threads[re.sub(r"-\d+$", "-N", thread or "?")] += 1
    if n == 0:
        print("no jdk.ExecutionSample events")
        return

    def table(title, counter, k, what="frame"):
        print(f"\n## {title}\n")
        print(f"| samples | share | {what} |")
        print("|---:|---:|---|")
        for name, c in counter.most_common(k):
            print(f"| {c} | {100.0 * c / n:.1f}% | `{name}` |")

    window = f", window [{since or 'start'}, {until or 'end'}), {skipped} samples outside it left out" if since or until else ""
    print(f"# JFR CPU summary of {path}\n\n{n} execution samples (jdk.ExecutionSample, stack depth 64{window})")
    table(f"Top {top} frames (self: the method on CPU)", self_frames, top)
    table(f"Top {top} org.epiloop frames, innermost org.epiloop frame of each sample", epi_inner, top)
    table(f"Top {top} org.epiloop frames, inclusive (anywhere on the stack)", epi_incl, top)
    print("\n## Package groups\n")
    print("self = the top frame's group; self+JDK = JDK frames charged to the nearest non-JDK caller;")
    print("inclusive = a frame of the group anywhere on the stack (filters wrap the whole request).\n")
    print("| group | self | self+JDK | inclusive |")
    print("|---|---:|---:|---:|")
    for g, c in sorted(grp_incl.items(), key=lambda kv: (-grp_owner.get(kv[0], 0), -grp_self.get(kv[0], 0))):
        print(f"| {g} | {100.0 * grp_self.get(g, 0) / n:.1f}% | {100.0 * grp_owner.get(g, 0) / n:.1f}% | {100.0 * c / n:.1f}% |")
    print("\n## Subsystems (inclusive: on the stack anywhere)\n")
    print("| subsystem | share |")
    print("|---|---:|")
    for name, _ in SUBSYSTEMS:
        print(f"| {name} | {100.0 * subsystems.get(name, 0) / n:.1f}% |")
    table("Threads", threads, 10, "thread")


if __name__ == "__main__":
    main()
