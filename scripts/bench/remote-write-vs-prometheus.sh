#!/usr/bin/env bash
# Remote-write ingest, end to end through HTTP, Nines vs Prometheus 2.42's own receiver
# (--web.enable-remote-write-receiver), on the same payloads, in one run, with ratios printed
# (issue 4, "Benchmarks"). It is the "ingest" part of tsdb-vs-prometheus.sh, run alone:
#
#   scripts/bench/remote-write-vs-prometheus.sh [--quick] [--skip-build] [--keep]
#
#   --quick       10k active series instead of 100k (480 scrape rounds either way)
#   --skip-build  use the jars as they are
#   --keep        keep the work folder (data folders, logs)
#
# Environment: RW_INSTANCES (100 series each) and RW_ROUNDS override the size; NINES_JAVA_OPTS,
# WORK_DIR as for tsdb-vs-prometheus.sh.
#
# Each server starts alone on 127.0.0.1 from an empty data folder; PeerBench (bench module) then
# sends the same generated node-exporter-like series, round after round (one sample per series per
# round, 15 s apart), as snappy-compressed remote-write 1.0 requests of 1,000 series from 4
# senders. Figures: samples/s on the wall clock (client on the same cores), and samples per
# server CPU-second (utime + stime of the server process from /proc), which is samples/s per core
# and the figure to quote on a shared machine.
set -euo pipefail
case "${1:-}" in
-h | --help)
  sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'
  exit 0
  ;;
esac
exec "$(dirname "${BASH_SOURCE[0]}")/tsdb-vs-prometheus.sh" --only ingest "$@"
