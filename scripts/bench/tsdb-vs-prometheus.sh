#!/usr/bin/env bash
# Peer comparison of the embedded tsdb with Prometheus 2.42 (Debian's package), in one run, on the
# same generated data, printing ratios (issue 3, "Benchmarks"). Method: docs/bench/tsdb-peer.md.
#
#   scripts/bench/tsdb-vs-prometheus.sh [--quick] [--skip-build] [--keep] [--only LIST]
#
#   --quick       10x fewer series everywhere (a smoke run of a few minutes)
#   --skip-build  use the jars as they are
#   --keep        keep the work folder (data folders, logs) instead of deleting it
#   --only LIST   comma-separated subset of: ingest,disk,replay,select (default: all)
#
# Both servers run on 127.0.0.1 only, one at a time (the machine's cores go to the one measured),
# each from an empty data folder. Every child process and the work folder are removed on exit.
# Environment: NINES_JAVA_OPTS (JVM flags for the Nines server, after scripts/jvm.options as in
# ./nines), WORK_DIR (default: a new folder under ${TMPDIR:-/tmp}).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
quick=0
build=1
keep=0
only="ingest,disk,replay,select"
while [ $# -gt 0 ]; do
  case "$1" in
  --quick) quick=1 ;;
  --skip-build) build=0 ;;
  --keep) keep=1 ;;
  --only)
    only=$2
    shift
    ;;
  -h | --help)
    sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'
    exit 0
    ;;
  *)
    echo "unknown argument: $1 (see --help)" >&2
    exit 2
    ;;
  esac
  shift
done
want() { [[ ",$only," == *",$1,"* ]]; }

# ------------------------------------------------------------------------------ sizes
# 100 series per instance (node-exporter-like), 15 s scrapes; 480 scrapes = 2 h.
SENDERS=4
BATCH=1000
ROUNDS_2H=480
if [ "$quick" = 1 ]; then
  INGEST_INSTANCES=100     # 10k active series
  DISK_INSTANCES=10        # 1k series x 2 h
  REPLAY_INSTANCES=1000    # 100k series
  SELECT_INSTANCES=10      # 1k series x 24 h
  SELECT_MATCH=1           # selector matches 100 series
else
  INGEST_INSTANCES=1000    # 100k active series
  DISK_INSTANCES=100       # 10k series x 2 h
  REPLAY_INSTANCES=10000   # 1M series
  SELECT_INSTANCES=100     # 10k series x 24 h
  SELECT_MATCH=10          # selector matches 1,000 series
fi
INGEST_INSTANCES=${RW_INSTANCES:-$INGEST_INSTANCES} # remote-write-vs-prometheus.sh overrides
INGEST_ROUNDS=${RW_ROUNDS:-$ROUNDS_2H}
REPLAY_ROUNDS=2
SELECT_ROUNDS=$((ROUNDS_2H * 12))
QUERY_REPEATS=5
T0_MS=1700006400000 # PeerData.T0, a 2 h boundary

# ------------------------------------------------------------------------------ tools
. "$root/scripts/find-jdk.sh"
nines_find_jdk || exit 1
export JAVA_HOME
java="$JAVA_HOME/bin/java"
jcmd="$JAVA_HOME/bin/jcmd"

if ! command -v prometheus >/dev/null || ! command -v promtool >/dev/null; then
  echo "installing Debian's prometheus package..." >&2
  if [ "$(id -u)" = 0 ]; then
    apt-get install -y prometheus >&2
  else
    sudo apt-get install -y prometheus >&2
  fi
  # The package starts a system service on :9090; it is not what we measure, and is left alone.
fi
prom_version=$(prometheus --version 2>&1 | head -1)

nines_jar="$root/server/target/nines.jar"
bench_jar="$root/bench/target/benchmarks.jar"
stale() {
  [ -f "$1" ] || return 0
  [ -n "$(find "$root" -path "$root/.git" -prune -o -path '*/target' -prune -o \
    \( -path '*/src/main/*' -o -name pom.xml \) -newer "$1" -print -quit)" ]
}
if [ "$build" = 1 ] && { stale "$nines_jar" || stale "$bench_jar"; }; then
  echo "building server and bench..." >&2
  (cd "$root" && ./mvnw -q -B -ntp -pl server,bench -am package -DskipTests \
    -Dspotless.check.skip=true) >&2
fi
[ -f "$nines_jar" ] && [ -f "$bench_jar" ] || {
  echo "missing $nines_jar or $bench_jar" >&2
  exit 1
}
# after the build: a class-data archive older than a rebuilt jar is deleted
mapfile -t java_options < <(nines_java_options "$nines_jar" server)
clk_tck=$(getconf CLK_TCK)

# ------------------------------------------------------------------------------ work folder, cleanup
work=${WORK_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/nines-peer.XXXXXX")}
mkdir -p "$work"
pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do
    if kill -0 "$p" 2>/dev/null; then
      kill -TERM "$p" 2>/dev/null || true
    fi
  done
  sleep 1
  for p in "${pids[@]}"; do
    if kill -0 "$p" 2>/dev/null; then
      kill -KILL "$p" 2>/dev/null || true
    fi
  done
  if [ "$keep" = 1 ]; then
    echo "work folder kept: $work" >&2
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
NINES_PORT=$(free_port)
PROM_PORT=$(free_port)
while [ "$PROM_PORT" = "$NINES_PORT" ]; do PROM_PORT=$(free_port); done
nines_url="http://127.0.0.1:$NINES_PORT"
prom_url="http://127.0.0.1:$PROM_PORT"
printf 'global:\n  scrape_interval: 15s\n' >"$work/prometheus.yml"

# Results: rows of "metric|nines|prometheus|better" for the table at the end.
results=()
add_row() { results+=("$1|$2|$3|$4"); }

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
calc() { awk "BEGIN { printf \"$1\", $2 }"; }

# wait_ready URL PID TIMEOUT: waits for /-/ready to answer 200; fails if the process died.
wait_ready() {
  local url=$1 pid=$2 timeout=$3 start code
  start=$(date +%s)
  while true; do
    code=$(curl -s -o /dev/null -m 2 -w '%{http_code}' "$url/-/ready" || true)
    [ "$code" = 200 ] && return 0
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "process $pid exited before it was ready" >&2
      return 1
    fi
    if [ $(($(date +%s) - start)) -ge "$timeout" ]; then
      echo "$url not ready after ${timeout}s" >&2
      return 1
    fi
    sleep 0.05
  done
}

# start_nines DATA_DIR [CONFIG]: starts Nines in the background; sets server_pid. Without CONFIG,
# a config with no scrape_configs: Nines would otherwise scrape itself at the wall clock, which puts
# the head's newest sample years after the generated data and refuses all of it as too old.
start_nines() {
  local dir=$1 config=${2:-$work/nines-noscrape.yml}
  mkdir -p "$dir"
  [ -f "$work/nines-noscrape.yml" ] || printf 'scrape_configs: []\n' >"$work/nines-noscrape.yml"
  local args=(server --listen "127.0.0.1:$NINES_PORT" --data "$dir" --log.level warn)
  args+=(--config "$config")
  "$java" "${java_options[@]}" -jar "$nines_jar" "${args[@]}" \
    >>"$dir.log" 2>&1 &
  server_pid=$!
  pids+=("$server_pid")
}

# start_prom DATA_DIR [EXTRA FLAGS...]: starts Prometheus in the background; sets server_pid.
start_prom() {
  local dir=$1
  shift
  mkdir -p "$dir"
  prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$dir" \
    --web.listen-address="127.0.0.1:$PROM_PORT" --web.enable-remote-write-receiver \
    --log.level=warn "$@" >>"$dir.log" 2>&1 &
  server_pid=$!
  pids+=("$server_pid")
}

stop_server() {
  local pid=$1 i
  kill -TERM "$pid" 2>/dev/null || return 0
  for i in $(seq 1 600); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

kill9() {
  kill -KILL "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

# push URL PID FIRST_INSTANCE INSTANCES ROUNDS: remote-write; prints the helper's key=value line.
push() {
  timeout 3600 "$java" --enable-native-access=ALL-UNNAMED -Xmx4g -cp "$bench_jar" dev.nines.bench.peer.PeerBench push \
    --url "$1/api/v1/write" --pid "$2" --first-instance "$3" --instances "$4" --rounds "$5" \
    --senders "$SENDERS" --batch "$BATCH" --clk-tck "$clk_tck"
}
kv() { tr ' ' '\n' <<<"$1" | sed -n "s/^$2=//p"; }

metric_value() { # URL NAME: the first sample of a metric on /metrics
  curl -s -m 10 "$1/metrics" | awk -v n="$2" \
    '!found && ($1 == n || index($1, n "{") == 1) { print $2; found = 1 }' || true
}
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
rss_anon_kb() { awk '/^RssAnon:/ { print $2 }' "/proc/$1/status"; }

# ------------------------------------------------------------------------------ 1 + 2: ingest, memory
live_heap() { # ENGINE URL PID: live heap bytes after a full GC (JVM: used after GC.run; Go: heap_alloc)
  local heap
  if [ "$1" = nines ]; then
    "$jcmd" "$3" GC.run >/dev/null 2>&1 || true
    heap=$("$jcmd" "$3" GC.heap_info 2>/dev/null |
      sed -n 's/.*heap.*, used \([0-9]*\)K.*/\1/p' | head -1 || true)
    echo $((${heap:-0} * 1024))
  else
    # A heap profile with gc=1 runs a GC first; the live heap is then heap_alloc.
    curl -s -m 60 -o /dev/null "$2/debug/pprof/heap?gc=1" || true
    metric_value "$2" go_memstats_heap_alloc_bytes
  fi
}

ingest_one() { # ENGINE: pushes the ingest data, measures memory; sets ingest_* variables
  local engine=$1 dir="$work/ingest-$1" url out series heap heap0 rss anon
  if [ "$engine" = nines ]; then
    start_nines "$dir"
    url=$nines_url
  else
    start_prom "$dir"
    url=$prom_url
  fi
  wait_ready "$url" "$server_pid" 120
  sleep 5
  heap0=$(live_heap "$engine" "$url" "$server_pid")
  log "$engine: pushing $((INGEST_INSTANCES * 100)) series x $INGEST_ROUNDS scrapes"
  out=$(push "$url" "$server_pid" 0 "$INGEST_INSTANCES" "$INGEST_ROUNDS")
  log "$engine: $out"
  sleep 5
  rss=$(rss_kb "$server_pid")
  anon=$(rss_anon_kb "$server_pid")
  if [ "$engine" = nines ]; then
    series=$(metric_value "$url" nines_tsdb_head_series)
  else
    series=$(metric_value "$url" prometheus_tsdb_head_series)
  fi
  heap=$(live_heap "$engine" "$url" "$server_pid")
  printf -v "ingest_${engine}_heap0" '%s' "$(calc %.0f "${heap0:-0}")"
  printf -v "ingest_${engine}_out" '%s' "$out"
  printf -v "ingest_${engine}_rss" '%s' "$((rss * 1024))"
  printf -v "ingest_${engine}_anon" '%s' "$((anon * 1024))"
  printf -v "ingest_${engine}_heap" '%s' "$(calc %.0f "${heap:-0}")"
  printf -v "ingest_${engine}_series" '%s' "$(calc %.0f "${series:-0}")"
  stop_server "$server_pid"
  [ "$keep" = 1 ] || rm -rf "$dir"
}

if want ingest; then
  ingest_one nines
  ingest_one prometheus
  n_samples=$(kv "$ingest_nines_out" samples)
  p_samples=$(kv "$ingest_prometheus_out" samples)
  n_rate=$(calc %.0f "$n_samples / $(kv "$ingest_nines_out" seconds)")
  p_rate=$(calc %.0f "$p_samples / $(kv "$ingest_prometheus_out" seconds)")
  n_core=$(calc %.0f "$n_samples / $(kv "$ingest_nines_out" server_cpu_seconds)")
  p_core=$(calc %.0f "$p_samples / $(kv "$ingest_prometheus_out" server_cpu_seconds)")
  n_err=$(kv "$ingest_nines_out" errors)
  p_err=$(kv "$ingest_prometheus_out" errors)
  add_row "ingest, samples/s (wall, $SENDERS senders, client on the same cores)" \
    "$n_rate" "$p_rate" higher
  add_row "ingest, samples per server CPU-second (= samples/s per core)" \
    "$n_core" "$p_core" higher
  add_row "ingest, server CPU seconds for $n_samples samples" \
    "$(kv "$ingest_nines_out" server_cpu_seconds)" \
    "$(kv "$ingest_prometheus_out" server_cpu_seconds)" lower
  add_row "ingest, failed requests" "$n_err" "$p_err" lower
  add_row "head series after ingest" "$ingest_nines_series" "$ingest_prometheus_series" equal
  add_row "memory: RSS per active series, bytes" \
    "$(calc %.0f "$ingest_nines_rss / $ingest_nines_series")" \
    "$(calc %.0f "$ingest_prometheus_rss / $ingest_prometheus_series")" lower
  add_row "memory: anonymous RSS per active series, bytes" \
    "$(calc %.0f "$ingest_nines_anon / $ingest_nines_series")" \
    "$(calc %.0f "$ingest_prometheus_anon / $ingest_prometheus_series")" lower
  add_row "memory: live heap after GC per active series, bytes (JVM / Go)" \
    "$(calc %.0f "$ingest_nines_heap / $ingest_nines_series")" \
    "$(calc %.0f "$ingest_prometheus_heap / $ingest_prometheus_series")" lower
  add_row "memory: live heap of the idle server before the push, MiB" \
    "$(calc %.1f "$ingest_nines_heap0 / 1048576")" \
    "$(calc %.1f "$ingest_prometheus_heap0 / 1048576")" lower
  add_row "memory: live heap per active series above the idle server's, bytes" \
    "$(calc %.0f "($ingest_nines_heap - $ingest_nines_heap0) / $ingest_nines_series")" \
    "$(calc %.0f "($ingest_prometheus_heap - $ingest_prometheus_heap0) / $ingest_prometheus_series")" lower
fi

# ------------------------------------------------------------------------------ 3: bytes per sample
block_bytes() { # DIR: bytes of every file in block folders (chunks, index, meta, tombstones)
  find "$1" -type f \( -path '*/chunks/*' -o -name index -o -name meta.json -o -name tombstones \) \
    -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }'
}
part_bytes() { # DIR WHAT: bytes of the chunks or index files
  if [ "$2" = chunks ]; then
    find "$1" -type f -path '*/chunks/*' -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }'
  else
    find "$1" -type f -name index -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }'
  fi
}

if want disk; then
  d="$work/disk"
  mkdir -p "$d"
  log "disk: writing OpenMetrics, $((DISK_INSTANCES * 100)) series x $ROUNDS_2H scrapes"
  timeout 600 "$java" -cp "$bench_jar" dev.nines.bench.peer.PeerBench openmetrics --out "$d/data" \
    --instances "$DISK_INSTANCES" --rounds "$ROUNDS_2H" >/dev/null
  samples=$((DISK_INSTANCES * 100 * ROUNDS_2H))
  log "disk: promtool tsdb create-blocks-from openmetrics"
  t=$(now)
  timeout 1200 promtool tsdb create-blocks-from openmetrics "$d/data-000.om" "$d/prom" >"$d/prom.log"
  p_import=$(elapsed "$t" "$(now)")
  log "disk: nines import openmetrics"
  t=$(now)
  timeout 1200 "$java" -jar "$nines_jar" import openmetrics "$d/data-000.om" --data "$d/nines" \
    >"$d/nines.log" 2>&1
  n_import=$(elapsed "$t" "$(now)")
  nb=$(block_bytes "$d/nines/tsdb/blocks")
  pb=$(block_bytes "$d/prom")
  add_row "disk: bytes/sample after compaction ($samples samples, one 2 h block)" \
    "$(calc %.3f "$nb / $samples")" "$(calc %.3f "$pb / $samples")" lower
  add_row "disk: chunk bytes/sample" \
    "$(calc %.3f "$(part_bytes "$d/nines/tsdb/blocks" chunks) / $samples")" \
    "$(calc %.3f "$(part_bytes "$d/prom" chunks) / $samples")" lower
  add_row "disk: index bytes per series" \
    "$(calc %.1f "$(part_bytes "$d/nines/tsdb/blocks" index) / ($DISK_INSTANCES * 100)")" \
    "$(calc %.1f "$(part_bytes "$d/prom" index) / ($DISK_INSTANCES * 100)")" lower
  add_row "OpenMetrics import of that file, s (nines import / promtool)" \
    "$n_import" "$p_import" lower
  [ "$keep" = 1 ] || rm -rf "$d"
fi

# ------------------------------------------------------------------------------ 5: select
# query_time URL PATH QUERY PARAMS...: median seconds of QUERY_REPEATS requests after one warm-up.
query_times() {
  local url=$1 path=$2 query=$3
  shift 3
  local args=(-s -m 300 -o /dev/null -w '%{http_code} %{time_total}\n' -G "$url$path"
    --data-urlencode "query=$query")
  local p
  for p in "$@"; do args+=(--data-urlencode "$p"); done
  curl "${args[@]}" >/dev/null
  local i
  for i in $(seq 1 "$QUERY_REPEATS"); do curl "${args[@]}"; done |
    awk '$1 != 200 { bad = 1 } { print $2 } END { if (bad) print "http-error" }' |
    sort -g | awk '/http-error/ { bad = 1 } { a[NR] = $1 }
      END { if (bad) print "error"; else print a[int((NR + 1) / 2)] }' || true
}
query_summary() { # URL PATH QUERY PARAMS...: "series points" of one answer
  local url=$1 path=$2 query=$3
  shift 3
  local args=(-s -m 300 -G "$url$path" --data-urlencode "query=$query")
  local p
  for p in "$@"; do args+=(--data-urlencode "$p"); done
  curl "${args[@]}" | python3 -c '
import json, sys
try:
    d = json.load(sys.stdin)
except ValueError:
    print("? ?"); sys.exit()
r = d.get("data", {}).get("result", [])
print(len(r), sum(len(s.get("values", [])) or 1 for s in r))'
}

if want select; then
  d="$work/select"
  mkdir -p "$d"
  log "select: writing OpenMetrics, $((SELECT_INSTANCES * 100)) series x $SELECT_ROUNDS scrapes (24 h)"
  timeout 1200 "$java" -cp "$bench_jar" dev.nines.bench.peer.PeerBench openmetrics --out "$d/data" \
    --instances "$SELECT_INSTANCES" --rounds "$SELECT_ROUNDS" --rounds-per-file "$ROUNDS_2H" \
    >"$d/files"
  log "select: importing $(wc -l <"$d/files") files of 2 h into both"
  mkdir -p "$d/prom" "$d/nines"
  while read -r f; do
    timeout 1200 promtool tsdb create-blocks-from openmetrics "$f" "$d/prom" >>"$d/prom-import.log"
    timeout 1200 "$java" -jar "$nines_jar" import openmetrics "$f" --data "$d/nines" \
      >>"$d/nines-import.log" 2>&1
    rm -f "$f"
  done <"$d/files"
  # 12 blocks of 2 h in both; neither compacts them while we measure (Prometheus: block
  # durations fixed at 2 h; Nines: a 26 h retention makes 2 h its only compaction range).
  printf 'storage:\n  retention: 26h\nscrape_configs: []\n' >"$d/nines.yml"
  sel_re=$(for i in $(seq 0 $((SELECT_MATCH - 1))); do printf 'host-%05d:9100|' "$i"; done)
  selector="{job=\"node\",instance=~\"${sel_re%|}\"}"
  match_series=$((SELECT_MATCH * 100))
  start_s=$((T0_MS / 1000))
  end_s=$((start_s + 24 * 3600))

  start_prom "$d/prom" --storage.tsdb.min-block-duration=2h --storage.tsdb.max-block-duration=2h \
    --storage.tsdb.retention.time=3650d
  wait_ready "$prom_url" "$server_pid" 300
  p_range=$(query_times "$prom_url" /api/v1/query_range "$selector" "start=$start_s" \
    "end=$end_s" step=60)
  p_range_sum=$(query_summary "$prom_url" /api/v1/query_range "$selector" "start=$start_s" \
    "end=$end_s" step=60)
  p_count=$(query_times "$prom_url" /api/v1/query "last_over_time(${selector}[24h])" \
    "time=$end_s")
  p_count_sum=$(query_summary "$prom_url" /api/v1/query "last_over_time(${selector}[24h])" \
    "time=$end_s")
  log "prometheus: query_range ${p_range}s ($p_range_sum), last_over_time ${p_count}s"
  stop_server "$server_pid"

  start_nines "$d/nines" "$d/nines.yml"
  wait_ready "$nines_url" "$server_pid" 300
  code=$(curl -s -m 10 -o /dev/null -w '%{http_code}' -G "$nines_url/api/v1/query" \
    --data-urlencode 'query=1' || true)
  if [ "$code" = 200 ]; then
    n_range=$(query_times "$nines_url" /api/v1/query_range "$selector" "start=$start_s" \
      "end=$end_s" step=60)
    n_range_sum=$(query_summary "$nines_url" /api/v1/query_range "$selector" "start=$start_s" \
      "end=$end_s" step=60)
    n_count=$(query_times "$nines_url" /api/v1/query "last_over_time(${selector}[24h])" \
      "time=$end_s")
    n_count_sum=$(query_summary "$nines_url" /api/v1/query "last_over_time(${selector}[24h])" \
      "time=$end_s")
    log "nines: query_range ${n_range}s ($n_range_sum), last_over_time ${n_count}s"
  else
    n_range="skipped: Nines query API not available (HTTP $code)"
    n_count=$n_range
    n_range_sum="-"
    n_count_sum="-"
    log "nines: $n_range"
  fi
  stop_server "$server_pid"
  add_row "select $match_series series over 24 h: query_range step 60s, median s" \
    "$n_range" "$p_range" lower
  add_row "  answer: series, points" "$n_range_sum" "$p_range_sum" equal
  add_row "select $match_series series over 24 h: last_over_time(sel[24h]) instant, median s" \
    "$n_count" "$p_count" lower
  add_row "  answer: series" "${n_count_sum%% *}" "${p_count_sum%% *}" equal
  [ "$keep" = 1 ] || rm -rf "$d"
fi

# ------------------------------------------------------------------------------ 4: WAL replay
replay_one() { # ENGINE: sets replay_<engine>_push, replay_<engine>_ready, replay_<engine>_series
  local engine=$1 dir="$work/replay-$1" url out t ready series
  if [ "$engine" = nines ]; then
    start_nines "$dir"
    url=$nines_url
  else
    start_prom "$dir"
    url=$prom_url
  fi
  wait_ready "$url" "$server_pid" 120
  log "$engine: pushing $((REPLAY_INSTANCES * 100)) series x $REPLAY_ROUNDS samples"
  out=$(push "$url" "$server_pid" 0 "$REPLAY_INSTANCES" "$REPLAY_ROUNDS")
  log "$engine: $out"
  kill9 "$server_pid"
  log "$engine: killed -9; restarting"
  t=$(now)
  if [ "$engine" = nines ]; then start_nines "$dir"; else start_prom "$dir"; fi
  if wait_ready "$url" "$server_pid" 900; then
    ready=$(elapsed "$t" "$(now)")
  else
    ready="not ready after 900 s"
  fi
  if [ "$engine" = nines ]; then
    series=$(metric_value "$url" nines_tsdb_head_series)
  else
    series=$(metric_value "$url" prometheus_tsdb_head_series)
  fi
  log "$engine: ready after ${ready}s with $series series"
  printf -v "replay_${engine}_push" '%s' "$(kv "$out" seconds)"
  printf -v "replay_${engine}_errors" '%s' "$(kv "$out" errors)"
  printf -v "replay_${engine}_ready" '%s' "$ready"
  printf -v "replay_${engine}_series" '%s' "$(calc %.0f "${series:-0}")"
  stop_server "$server_pid"
  [ "$keep" = 1 ] || rm -rf "$dir"
}

if want replay; then
  replay_one nines
  replay_one prometheus
  add_row "WAL replay after kill -9: start to /-/ready, s ($((REPLAY_INSTANCES * 100)) series)" \
    "$replay_nines_ready" "$replay_prometheus_ready" lower
  add_row "series after replay" "$replay_nines_series" "$replay_prometheus_series" equal
  add_row "creating those series: first push of $REPLAY_ROUNDS samples each, s" \
    "$replay_nines_push" "$replay_prometheus_push" lower
  add_row "  failed requests during that push" "$replay_nines_errors" \
    "$replay_prometheus_errors" lower
fi

# ------------------------------------------------------------------------------ table
echo
echo "Nines $(cd "$root" && git rev-parse --short HEAD 2>/dev/null || echo '?') vs $prom_version"
echo "$(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ), $([ "$quick" = 1 ] && echo '--quick' || echo 'full sizes')"
echo
printf '| %s | %s | %s | %s |\n' metric Nines "Prometheus 2.42" "ratio Nines/Prometheus"
printf '|---|---|---|---|\n'
for row in "${results[@]}"; do
  IFS='|' read -r metric nv pv better <<<"$row"
  ratio=""
  if [[ "$nv" =~ ^[0-9.]+$ && "$pv" =~ ^[0-9.]+$ ]] && awk -v p="$pv" 'BEGIN { exit !(p > 0) }'; then
    ratio=$(calc %.2f "$nv / $pv")x
    case "$better" in
    lower) ratio="$ratio (lower is better)" ;;
    higher) ratio="$ratio (higher is better)" ;;
    *) ratio="$ratio (should be 1)" ;;
    esac
  fi
  printf '| %s | %s | %s | %s |\n' "$metric" "$nv" "$pv" "$ratio"
done
