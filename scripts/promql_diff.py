#!/usr/bin/env python3
"""Differential test helper: the same data and queries against Prometheus and Nines.

Subcommands (driven by scripts/promql-diff.sh, usable alone):

  generate OUT.om             writes the data set as OpenMetrics text with timestamps
  remote-write URL            sends the same data to URL (remote-write 1.0, protobuf + snappy)
  compare PROM_URL NINES_URL QUERIES [--experimental] [--verbose]
                              runs every query of the corpus against both HTTP APIs (instant
                              queries at several times, and a range query), compares the results
                              and prints the agreement and every disagreement

Only the Python standard library is used: the remote-write protobuf is encoded by hand and the
snappy block is written with literal elements only (valid snappy that any decoder reads).

Timing design (why Prometheus 2.42 can be compared with 3.x semantics at all): Prometheus 3 made
range selectors and the lookback window left-open, (t - range, t], where 2.42 used [t - range, t].
The two differ only when a sample sits exactly on the left edge. Samples here are at seconds that
are 3 mod 5 (the first at 1700000003, then every 15 s), while every evaluation time, step, range,
offset and subquery step in the corpus is a multiple of 5 s, so no sample ever sits on an edge.
"""

import json
import math
import random
import re
import struct
import sys
import urllib.error
import urllib.parse
import urllib.request

BASE = 1_700_000_003  # first sample, seconds; 3 mod 5 (see the module docstring)
INTERVAL = 15
POINTS = 960  # 4 hours
END = BASE + (POINTS - 1) * INTERVAL
ZERO = 1_700_000_000  # the evaluation grid origin: a multiple of 5 s

# Instant queries run at these times (multiples of 5 s): after 100 minutes of data (so that no
# window of the corpus, 90 minutes at most with offsets, reaches before the data starts), just
# after a counter reset, during a gap, at the end, and after the end (lookback running out).
INSTANT_TIMES = [
    ZERO + 6000,
    ZERO + 7500,
    ZERO + 8100,
    ZERO + 9000,
    ZERO + 10_800,
    ZERO + 14_385,
    ZERO + 14_400 + 120,
    ZERO + 14_400 + 600,
]
RANGE = (ZERO + 6000, ZERO + 14_400 + 300, 60)  # start, end, step (s)

REL_TOL = 1e-9
ABS_TOL = 1e-12

# Known, by-design differences between Prometheus 2.42 and 3.x (which Nines follows). A query
# matching one of these regular expressions is not compared; the reason is printed.
#
# Differences neutralized by the data design rather than excluded (see the module docstring and
# INSTANT_TIMES): left-open range selectors and lookback windows (3.0); the order of the
# threshold and zero-point clamps in rate/increase extrapolation, changed in 2.51
# (prometheus/prometheus#13725), which only matters when a counter starts inside the window (no
# window here reaches before the data starts, and no counter has a gap); `.` matching newlines in
# regex matchers (3.0; no label value here contains a newline).
EXCLUSIONS = [
    (r"[a-z_}\])] atan2 ", "since 2.46 atan2 between vectors drops the metric name like the other "
     "arithmetic operators (prometheus/prometheus#12595); 2.42 keeps it"),
    (r"\[10m:1m\]\)\[30m:5m\]", "nested subquery: the inner one is evaluated at the outer one's "
     "step-aligned times, so its left edge falls exactly on its own step grid; 2.42's closed range "
     "includes that point, 3.x's left-open range does not (the [9m55s:1m] variant in the corpus "
     "avoids the edge and is compared)"),
    (r'label_replace\(up, "1x"', "3.x accepts UTF-8 label names, so \"1x\" is a valid "
     "destination label; 2.42 refuses it"),
    (r"limitk\(", "limitk is new in Prometheus 2.54/3.x (experimental); 2.42 has no such aggregation"),
    (r"limit_ratio\(", "limit_ratio is new in Prometheus 2.54/3.x (experimental)"),
    (r"mad_over_time\(", "mad_over_time is new in Prometheus 2.54/3.x (experimental)"),
    ("sort_by_label", "sort_by_label(_desc) is new in Prometheus 2.49/3.x (experimental)"),
    (r"first_over_time\(", "first_over_time is new in Prometheus 3.x (experimental)"),
    ("ts_of_", "ts_of_*_over_time are new in Prometheus 3.x (experimental)"),
    (r"histogram_fraction\(", "2.42 evaluates histogram_fraction on native histograms only; 3.x "
     "also on classic buckets"),
    (r"histogram_avg\(", "histogram_avg is new in 2.53/3.x"),
    (r"histogram_stddev\(", "histogram_stddev is new in 2.50/3.x"),
    (r"histogram_stdvar\(", "histogram_stdvar is new in 2.50/3.x"),
    (r"\binfo\(", "info() is new in 3.x (experimental) and not supported by Nines yet"),
]

# Renamed functions: the Nines (3.x) spelling is rewritten to 2.42's before asking Prometheus.
RENAMES = [
    ("double_exponential_smoothing(", "holt_winters("),
]


# ---- data ----

def series_set():
    """Yields (name, labels dict, [values]) for the whole data set, deterministically."""
    rnd = random.Random(42)
    out = []

    def counter(step_lo, step_hi, reset_at=None, decimals=0):
        v, vals = 0.0, []
        for i in range(POINTS):
            if reset_at is not None and i == reset_at:
                v = 0.0
            inc = rnd.uniform(step_lo, step_hi)
            v += round(inc, decimals) if decimals else float(int(inc))
            vals.append(v)
        return vals

    for job in ("api", "web"):
        for inst in ("a", "b"):
            for method in ("GET", "POST"):
                for code in ("200", "500"):
                    hi = 20 if code == "200" else 3
                    reset = 480 if (job, inst, method, code) == ("api", "a", "GET", "200") else None
                    out.append(("http_requests_total",
                                {"job": job, "instance": inst, "method": method, "code": code},
                                counter(0, hi, reset)))
    bounds = ["0.05", "0.1", "0.25", "0.5", "1", "2.5", "+Inf"]
    for job in ("api", "web"):
        cum = [0.0] * len(bounds)
        series = [[] for _ in bounds]
        total, sums = 0.0, []
        for i in range(POINTS):
            n = rnd.randint(0, 30)
            for _ in range(n):
                obs = rnd.expovariate(3.0 if job == "api" else 1.5)
                total += obs
                for k, b in enumerate(bounds):
                    if b == "+Inf" or obs <= float(b):
                        cum[k] += 1
            for k in range(len(bounds)):
                series[k].append(cum[k])
            sums.append(total)
        for k, b in enumerate(bounds):
            out.append(("http_request_duration_seconds_bucket", {"job": job, "le": b}, series[k]))
        out.append(("http_request_duration_seconds_sum", {"job": job}, sums))
        out.append(("http_request_duration_seconds_count", {"job": job}, list(series[-1])))
    for cpu in ("0", "1", "2", "3"):
        for mode in ("idle", "user", "system"):
            scale = {"idle": 14.0, "user": 0.8, "system": 0.2}[mode]
            out.append(("node_cpu_seconds_total", {"cpu": cpu, "mode": mode},
                        counter(0, scale, decimals=3)))
    for inst in ("a", "b"):
        base = 8e9 if inst == "a" else 3.2e9
        out.append(("node_memory_MemAvailable_bytes", {"instance": inst},
                    [float(int(base + rnd.uniform(-5e8, 5e8))) for _ in range(POINTS)]))
    for room in ("a", "b", "c"):
        mid = {"a": 21.0, "b": -4.5, "c": 0.0}[room]
        out.append(("temperature_celsius", {"room": room},
                    [round(mid + rnd.uniform(-3, 3), 2) for _ in range(POINTS)]))
    # q2 has a 20-minute gap (points 560..639), longer than the 5m lookback.
    out.append(("queue_depth", {"queue": "q1"}, [float(rnd.randint(0, 50)) for _ in range(POINTS)]))
    out.append(("queue_depth", {"queue": "q2"},
                [float(rnd.randint(0, 5)) if not 560 <= i < 640 else None for i in range(POINTS)]))
    out.append(("special_values", {"kind": "nan"},
                [math.nan if i % 7 == 0 else float(i % 5) for i in range(POINTS)]))
    out.append(("special_values", {"kind": "inf"},
                [math.inf if i % 11 == 0 else (-math.inf if i % 13 == 0 else 1.5)
                 for i in range(POINTS)]))
    out.append(("short_lived", {"id": "early"}, [1.0 if i < 520 else None for i in range(POINTS)]))
    out.append(("short_lived", {"id": "late"},
                [2.0 if i >= 840 else None for i in range(POINTS)]))
    for job, inst in (("api", "a"), ("api", "b"), ("web", "a")):
        out.append(("up", {"job": job, "instance": inst},
                    [0.0 if (inst == "b" and 600 <= i < 660) else 1.0 for i in range(POINTS)]))
    out.append(("version_info", {"version": "1.2.3", "commit": "abc-def"}, [1.0] * POINTS))
    out.append(("deploys", {"service": "checkout"},
                [float(i // 100) for i in range(POINTS)]))
    return out


def fmt_value(v):
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "+Inf" if v > 0 else "-Inf"
    return repr(v)


def escape(v):
    return v.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def generate(path):
    by_name = {}
    for name, labels, values in series_set():
        by_name.setdefault(name, []).append((labels, values))
    with open(path, "w") as f:
        for name, group in by_name.items():
            f.write(f"# TYPE {name} unknown\n")
            for labels, values in group:
                lbl = ",".join(f'{k}="{escape(v)}"' for k, v in labels.items())
                for i, v in enumerate(values):
                    if v is not None:
                        f.write(f"{name}{{{lbl}}} {fmt_value(v)} {BASE + i * INTERVAL}\n")
        f.write("# EOF\n")


# ---- remote-write 1.0 ----

def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def field_bytes(num, payload):
    return varint(num << 3 | 2) + varint(len(payload)) + payload


def encode_series(name, labels, values, lo, hi):
    """One TimeSeries message with the samples of points lo..hi-1 (None when it has none)."""
    pairs = sorted([("__name__", name)] + list(labels.items()))
    msg = bytearray()
    for k, v in pairs:
        msg += field_bytes(1, field_bytes(1, k.encode()) + field_bytes(2, v.encode()))
    n = 0
    for i in range(lo, hi):
        v = values[i]
        if v is None:
            continue
        ts = (BASE + i * INTERVAL) * 1000
        sample = b"\x09" + struct.pack("<d", v) + varint(2 << 3 | 0) + varint(ts)
        msg += field_bytes(2, sample)
        n += 1
    return field_bytes(1, bytes(msg)) if n else None


def snappy_literal(data):
    """A valid snappy block made of literal elements only (no compression)."""
    out = bytearray(varint(len(data)))
    pos = 0
    while pos < len(data):
        chunk = data[pos:pos + 65536]
        n = len(chunk) - 1
        if n < 60:
            out.append(n << 2)
        elif n < 256:
            out += bytes([60 << 2, n])
        else:
            out += bytes([61 << 2]) + struct.pack("<H", n)
        out += chunk
        pos += len(chunk)
    return bytes(out)


def remote_write(url):
    """Sends the data in time order, 10 minutes of every series per request: a TSDB head (Nines's
    as Prometheus's) refuses samples far behind the newest one it holds, so the whole history of
    one series must not go in before the next series starts."""
    series = series_set()
    window = 600 // INTERVAL
    requests = 0
    for lo in range(0, POINTS, window):
        hi = min(POINTS, lo + window)
        batch = bytearray()
        for name, labels, values in series:
            ts = encode_series(name, labels, values, lo, hi)
            if ts:
                batch += ts
        req = urllib.request.Request(url, data=snappy_literal(bytes(batch)), method="POST")
        req.add_header("Content-Type", "application/x-protobuf")
        req.add_header("Content-Encoding", "snappy")
        req.add_header("X-Prometheus-Remote-Write-Version", "0.1.0")
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                if r.status // 100 != 2:
                    sys.exit(f"remote-write to {url}: HTTP {r.status}")
        except urllib.error.HTTPError as e:
            sys.exit(f"remote-write to {url}: HTTP {e.code}: {e.read().decode(errors='replace')}")
        requests += 1
    print(f"remote-write: {len(series)} series in {requests} requests to {url}")


# ---- queries ----

def load_queries(path):
    """Corpus lines: a query per line; '#' comments; '@experimental ' prefix for queries that
    need Nines's experimental functions switched on."""
    out = []
    with open(path) as f:
        for lineno, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            experimental = line.startswith("@experimental ")
            if experimental:
                line = line[len("@experimental "):].strip()
            out.append((lineno, line, experimental))
    return out


def api(base, path, params):
    data = urllib.parse.urlencode(params).encode()
    req = urllib.request.Request(base + path, data=data, method="POST")
    req.add_header("Content-Type", "application/x-www-form-urlencoded")
    try:
        with urllib.request.urlopen(req, timeout=120) as r:
            return json.loads(r.read())
    except urllib.error.HTTPError as e:
        body = e.read()
        try:
            return json.loads(body)
        except ValueError:
            return {"status": "error", "errorType": f"http_{e.code}", "error": body[:200].decode(
                errors="replace")}


def to_float(s):
    return float(s)  # Python reads "NaN", "+Inf", "-Inf" and Go's shortest forms


def close(a, b):
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    if math.isinf(a) or math.isinf(b):
        return a == b
    diff = abs(a - b)
    return diff <= ABS_TOL or diff <= REL_TOL * max(abs(a), abs(b))


def key(metric):
    return tuple(sorted(metric.items()))


def normalize(resp):
    """A comparable form of a response: ('error', type) or (resultType, data)."""
    if resp.get("status") != "success":
        return ("error", resp.get("errorType"), resp.get("error"))
    d = resp["data"]
    t, r = d["resultType"], d["result"]
    if t in ("scalar", "string"):
        return (t, r)
    if t == "vector":
        return (t, [(key(s["metric"]), s["value"]) for s in r])
    return (t, [(key(s["metric"]), s.get("values", [])) for s in r])


def compare(p, n, ordered):
    """None when the answers agree, else a short description of the first difference."""
    if p[0] == "error" or n[0] == "error":
        if p[0] == n[0] and p[1] == n[1]:
            return None
        return f"prometheus {describe(p)} / nines {describe(n)}"
    if p[0] != n[0]:
        return f"resultType prometheus={p[0]} nines={n[0]}"
    t = p[0]
    if t == "string":
        return None if p[1] == n[1] else f"string {p[1]} != {n[1]}"
    if t == "scalar":
        return point_diff(p[1], n[1], "scalar")
    ps, ns = p[1], n[1]
    if ordered:
        # sort() and sort_desc() order by value; ties may come in any order (Go's sort is not
        # stable), so the values must agree in order and the series as a set.
        for a, b in zip(ps, ns):
            if not close(to_float(a[1][1]), to_float(b[1][1])):
                return f"order: prometheus has {a[1][1]} where nines has {b[1][1]}"
    ps, ns = sorted(ps, key=lambda x: x[0]), sorted(ns, key=lambda x: x[0])
    pk, nk = [x[0] for x in ps], [x[0] for x in ns]
    if pk != nk:
        if sorted(pk) == sorted(nk):
            return "same series, different order"
        only_p = [dict(k) for k in set(pk) - set(nk)][:2]
        only_n = [dict(k) for k in set(nk) - set(pk)][:2]
        return (f"series differ: {len(pk)} vs {len(nk)}; only in prometheus {only_p}; "
                f"only in nines {only_n}")
    for (k, pv), (_, nv) in zip(ps, ns):
        if t == "vector":
            d = point_diff(pv, nv, dict(k))
        else:
            if len(pv) != len(nv):
                ptimes = {x[0] for x in pv}
                ntimes = {x[0] for x in nv}
                return (f"{dict(k)}: {len(pv)} vs {len(nv)} points; times only in prometheus "
                        f"{sorted(ptimes - ntimes)[:3]}, only in nines {sorted(ntimes - ptimes)[:3]}")
            d = None
            for a, b in zip(pv, nv):
                d = point_diff(a, b, dict(k))
                if d:
                    break
        if d:
            return d
    return None


def point_diff(a, b, what):
    if abs(float(a[0]) - float(b[0])) > 1e-6:
        return f"{what}: time {a[0]} != {b[0]}"
    if not close(to_float(a[1]), to_float(b[1])):
        return f"{what}: value prometheus={a[1]} nines={b[1]} at {a[0]}"
    return None


def describe(x):
    if x[0] == "error":
        return f"error {x[1]} ({(x[2] or '')[:120]})"
    return f"success {x[0]}"


def excluded(query):
    for pattern, reason in EXCLUSIONS:
        if re.search(pattern, query):
            return reason
    return None


def for_prometheus(query):
    for new, old in RENAMES:
        query = query.replace(new, old)
    return query


def run_compare(prom, nines, path, experimental, verbose):
    queries = load_queries(path)
    checks = agree = both_error = both_empty = 0
    disagreements, exclusions, skipped = [], {}, 0
    for lineno, q, needs_exp in queries:
        reason = excluded(q)
        if reason:
            exclusions.setdefault(reason, []).append(q)
            continue
        if needs_exp and not experimental:
            skipped += 1
            continue
        ordered = q.startswith("sort(") or q.startswith("sort_desc(")
        pq = for_prometheus(q)
        cases = [("instant", t, {"time": str(t)}) for t in INSTANT_TIMES]
        cases.append(("range", RANGE[0], {"start": str(RANGE[0]), "end": str(RANGE[1]),
                                          "step": str(RANGE[2])}))
        for kind, t, params in cases:
            path_ = "/api/v1/query" if kind == "instant" else "/api/v1/query_range"
            p = normalize(api(prom, path_, dict(params, query=pq)))
            n = normalize(api(nines, path_, dict(params, query=q)))
            checks += 1
            d = compare(p, n, ordered and kind == "instant")
            if d is None:
                agree += 1
                if p[0] == "error":
                    both_error += 1
                elif p[0] in ("vector", "matrix") and not p[1]:
                    both_empty += 1
            else:
                disagreements.append((lineno, q, kind, t, d))
    print()
    print(f"queries in corpus: {len(queries)}; compared: "
          f"{len(queries) - sum(len(v) for v in exclusions.values()) - skipped}; "
          f"excluded by design: {sum(len(v) for v in exclusions.values())}; "
          f"skipped (need --experimental): {skipped}")
    pct = 100.0 * agree / checks if checks else 0.0
    print(f"checks (instant at {len(INSTANT_TIMES)} times + 1 range each): {checks}; "
          f"agree: {agree}; agreement: {pct:.2f}%")
    print(f"of the agreeing checks: {both_error} are the same error type on both sides, "
          f"{both_empty} are empty results on both sides, the rest carry data")
    if exclusions:
        print("\nexcluded (known by-design differences between Prometheus 2.42 and 3.x):")
        for reason, qs in exclusions.items():
            print(f"  - {reason}: {len(qs)} quer{'y' if len(qs) == 1 else 'ies'}")
    if disagreements:
        print(f"\ndisagreements ({len(disagreements)}):")
        shown = set()
        for lineno, q, kind, t, d in disagreements:
            if not verbose and (lineno, kind == "range") in shown:
                continue
            shown.add((lineno, kind == "range"))
            print(f"  line {lineno}: {q}\n      {kind} @{t}: {d}")
    return 0 if not disagreements else 1


def main(argv):
    if len(argv) >= 2 and argv[0] == "generate":
        generate(argv[1])
        return 0
    if len(argv) >= 2 and argv[0] == "remote-write":
        remote_write(argv[1])
        return 0
    if len(argv) >= 4 and argv[0] == "compare":
        return run_compare(argv[1], argv[2], argv[3], "--experimental" in argv,
                           "--verbose" in argv)
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
