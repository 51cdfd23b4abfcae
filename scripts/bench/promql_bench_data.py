#!/usr/bin/env python3
"""Data of scripts/bench/promql-vs-prometheus.sh: OpenMetrics files, one per UTC day.

    promql_bench_data.py OUT_DIR END_SECONDS [--scale S]

Three metric families, all sampled at times that are 3 s past a multiple of their interval (so no
sample sits exactly on a window edge of the queries, which are on whole multiples of 15 s):

  http_requests_total{job, instance}       10,000 counters (10 jobs x 1,000 instances), 15 s,
                                           over the last 1 h 10 min (query a: 1 h range + [5m])
  request_duration_seconds_bucket{instance, le}
                                           2,000 bucket counters (200 instances x 10 le), 15 s,
                                           over the last 6 h 10 min (query b)
  room_temperature_celsius{sensor}         100 gauges, 60 s, over the last 30 days + 1 h (query c)

--scale divides the series counts (a smoke run). Values come from a seeded generator, so every run
writes the same bytes. Files are written series after series inside a day, as both `promtool tsdb
create-blocks-from openmetrics` and `nines import openmetrics` read them; their names are printed.
"""

import os
import random
import sys

DAY = 86400
LES = ["0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "+Inf"]


def main():
    args = sys.argv[1:]
    scale = 1
    if "--scale" in args:
        i = args.index("--scale")
        scale = int(args[i + 1])
        del args[i : i + 2]
    out, end = args[0], int(args[1])
    os.makedirs(out, exist_ok=True)
    rnd = random.Random(42)
    first_day = (end - 30 * DAY - 3600) // DAY * DAY
    names = []
    day = first_day
    while day < end:
        path = os.path.join(out, "day-%d.om" % day)
        with open(path, "w", buffering=1 << 20) as f:
            write_day(f, rnd, day, min(day + DAY, end), end, scale)
            f.write("# EOF\n")
        names.append(path)
        day += DAY
    print("\n".join(names))


def times(lo, hi, interval, since):
    """Sample times in [lo, hi) and at or after since, 3 s past multiples of interval."""
    start = max(lo, since)
    t = (start - 3 + interval - 1) // interval * interval + 3
    if t < start:
        t += interval
    return range(t, hi, interval)


def write_day(f, rnd, lo, hi, end, scale):
    w = f.write
    # c: gauges over 30 days and one hour, 60 s.
    ts = times(lo, hi, 60, end - 30 * DAY - 3600)
    for s in range(100 // scale):
        v = 20.0 + s % 7
        r = random.Random(1000 + s * 100003 + lo)
        for t in ts:
            v = round(v + r.randint(-10, 10) / 100.0, 2)
            w('room_temperature_celsius{sensor="s-%03d"} %r %d\n' % (s, v, t))
    # a: counters, 15 s, the last 1 h 10 min.
    ts = times(lo, hi, 15, end - 4200)
    if len(ts):
        for j in range(10):
            for i in range(1000 // scale):
                v = float(rnd.randint(0, 100000))
                step = 1 + (i * 7 + j) % 40
                lbl = 'http_requests_total{job="job-%d",instance="host-%04d:8080"} ' % (j, i)
                for t in ts:
                    v += rnd.randint(0, step)
                    w("%s%d %d\n" % (lbl, v, t))
    # b: cumulative bucket counters, 15 s, the last 6 h 10 min.
    ts = times(lo, hi, 15, end - 22200)
    if len(ts):
        for i in range(200 // scale):
            incs = []
            for _ in ts:
                n = rnd.randint(0, 30)
                # cumulative counts per le: a share of the n observations falls below each bound
                c = [0] * len(LES)
                acc = 0
                for k in range(len(LES) - 1):
                    acc += rnd.randint(0, max(0, (n - acc) // 3))
                    c[k] = acc
                c[-1] = n
                incs.append(c)
            for k, le in enumerate(LES):
                v = 0
                lbl = 'request_duration_seconds_bucket{instance="host-%04d:8080",le="%s"} ' % (i, le)
                for t, c in zip(ts, incs):
                    v += c[k]
                    w("%s%d %d\n" % (lbl, v, t))


if __name__ == "__main__":
    main()
