#!/usr/bin/env bash
# Peer comparison of the PromQL engine with Prometheus 2.42 (Debian's package), in one run, on the
# same generated data, printing ratios (issue 7, "Performance benchmarks").
#
#   scripts/bench/promql-vs-prometheus.sh [--quick] [--skip-build] [--keep] [--repeats N]
#
#   --quick       10x fewer series (a smoke run)
#   --skip-build  use the jar as it is
#   --keep        keep the work folder (data folders, logs) and print its path
#   --repeats N   timed requests per query and server (default 9; the median is reported)
#
# Method. scripts/bench/promql_bench_data.py writes 30 days of OpenMetrics, one file per UTC day;
# each file goes into Prometheus with `promtool tsdb create-blocks-from openmetrics` and into Nines
# with `nines import openmetrics`, so both hold the same samples in 2 h blocks. Neither compacts
# while we measure (Prometheus: min and max block duration 2 h; Nines: compaction_interval 0s).
# Both servers then run side by side on 127.0.0.1, and each query is sent to them alternately:
# 3 warm-up requests each, then N timed rounds of (Prometheus, Nines) or (Nines, Prometheus),
# alternating who goes first. Times are curl's time_total of the whole HTTP answer. The answers are
# compared (series count, points, values within 1e-6 relative) so that the two did the same work.
# Environment: NINES_JAVA_OPTS (JVM flags for Nines after scripts/jvm.options, e.g. a JFR
# recording), WORK_DIR.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
quick=0 build=1 keep=0 repeats=9
while [ $# -gt 0 ]; do
  case "$1" in
  --quick) quick=1 ;;
  --skip-build) build=0 ;;
  --keep) keep=1 ;;
  --repeats)
    repeats=$2
    shift
    ;;
  -h | --help)
    sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'
    exit 0
    ;;
  *)
    echo "unknown argument: $1 (see --help)" >&2
    exit 2
    ;;
  esac
  shift
done
scale=1
[ "$quick" = 1 ] && scale=10
WARMUP=3
# The data ends at 20:00 UTC of a day, so the 6 h 10 min of query b lie inside one file.
END_S=1699992000

. "$root/scripts/find-jdk.sh"
nines_find_jdk || exit 1
export JAVA_HOME
java="$JAVA_HOME/bin/java"
command -v prometheus >/dev/null && command -v promtool >/dev/null || {
  echo "prometheus and promtool not found: apt-get install prometheus" >&2
  exit 2
}
prom_version=$(prometheus --version 2>&1 | head -1)

nines_jar="$root/server/target/nines.jar"
stale() {
  [ -f "$1" ] || return 0
  [ -n "$(find "$root" -path "$root/.git" -prune -o -path '*/target' -prune -o \
    \( -path '*/src/main/*' -o -name pom.xml \) -newer "$1" -print -quit)" ]
}
if [ "$build" = 1 ] && stale "$nines_jar"; then
  echo "building server..." >&2
  (cd "$root" && ./mvnw -q -B -ntp -pl server -am package -DskipTests \
    -Dspotless.check.skip=true) >&2
fi
[ -f "$nines_jar" ] || {
  echo "missing $nines_jar" >&2
  exit 2
}
# after the build: a class-data archive older than a rebuilt jar is deleted
mapfile -t java_options < <(nines_java_options "$nines_jar" server)

work=${WORK_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/nines-promql-peer.XXXXXX")}
mkdir -p "$work"
pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do
    for _ in $(seq 1 100); do
      kill -0 "$p" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$p" 2>/dev/null || true
  done
  if [ "$keep" = 1 ]; then echo "work folder kept: $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

wait_ready() { # URL PID
  for _ in $(seq 1 1200); do
    [ "$(curl -s -o /dev/null -m 2 -w '%{http_code}' "$1/-/ready" || true)" = 200 ] && return 0
    kill -0 "$2" 2>/dev/null || {
      echo "process $2 exited before it was ready" >&2
      return 1
    }
    sleep 0.25
  done
  echo "$1 not ready after 300 s" >&2
  return 1
}

# ------------------------------------------------------------------------------ data
log "writing OpenMetrics (scale 1/$scale)"
python3 "$root/scripts/bench/promql_bench_data.py" "$work/om" "$END_S" --scale "$scale" \
  >"$work/files"
log "importing $(wc -l <"$work/files") day files into both"
mkdir -p "$work/prom" "$work/nines"
p_import=0 n_import=0
while read -r f; do
  t=$(date +%s.%N)
  promtool tsdb create-blocks-from openmetrics -q "$f" "$work/prom" >>"$work/promtool.log" 2>&1
  t2=$(date +%s.%N)
  "$java" -jar "$nines_jar" import openmetrics "$f" --data "$work/nines" \
    >>"$work/nines-import.log" 2>&1
  t3=$(date +%s.%N)
  p_import=$(awk -v a="$p_import" -v s="$t" -v e="$t2" 'BEGIN { print a + e - s }')
  n_import=$(awk -v a="$n_import" -v s="$t2" -v e="$t3" 'BEGIN { print a + e - s }')
  [ "$keep" = 1 ] || rm -f "$f"
done <"$work/files"
log "imported: promtool ${p_import}s, nines import ${n_import}s"

# ------------------------------------------------------------------------------ servers
PROM_PORT=$(free_port)
NINES_PORT=$(free_port)
while [ "$PROM_PORT" = "$NINES_PORT" ]; do NINES_PORT=$(free_port); done
prom_url="http://127.0.0.1:$PROM_PORT"
nines_url="http://127.0.0.1:$NINES_PORT"
printf 'global:\n  scrape_interval: 15s\nscrape_configs: []\n' >"$work/prometheus.yml"
cat >"$work/nines.yml" <<'YAML'
storage:
  retention: 3650d
  compaction_interval: 0s
query:
  max_samples: 50000000
scrape_configs: []
YAML
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/prom" \
  --storage.tsdb.min-block-duration=2h --storage.tsdb.max-block-duration=2h \
  --storage.tsdb.retention.time=3650d --web.listen-address="127.0.0.1:$PROM_PORT" \
  --log.level=warn >"$work/prometheus.log" 2>&1 &
prom_pid=$!
pids+=("$prom_pid")
"$java" "${java_options[@]}" -jar "$nines_jar" server \
  --config "$work/nines.yml" --data "$work/nines" --listen "127.0.0.1:$NINES_PORT" \
  --log.level warn >"$work/nines.log" 2>&1 &
nines_pid=$!
pids+=("$nines_pid")
wait_ready "$prom_url" "$prom_pid"
wait_ready "$nines_url" "$nines_pid"

# ------------------------------------------------------------------------------ queries
# name|path|query|extra parameters (space-separated name=value)
queries=(
  "a: sum by (job) (rate(...[5m])), $((10000 / scale)) series, 1 h range, step 15 s|/api/v1/query_range|sum by (job) (rate(http_requests_total[5m]))|start=$((END_S - 3600)) end=$END_S step=15"
  "b: histogram_quantile(0.99, ...), $((2000 / scale)) bucket series, 6 h range, step 15 s|/api/v1/query_range|histogram_quantile(0.99, sum by (le) (rate(request_duration_seconds_bucket[5m])))|start=$((END_S - 21600)) end=$END_S step=15"
  "c: avg_over_time(...[30d]), $((100 / scale)) series, instant|/api/v1/query|avg_over_time(room_temperature_celsius[30d])|time=$END_S"
)

curl_args() { # URL PATH QUERY PARAMS: prints nothing; fills the array args
  args=(-s -m 600 -G "$1$2" --data-urlencode "query=$3")
  local p
  for p in $4; do args+=(--data-urlencode "$p"); done
}
time_one() { # URL PATH QUERY PARAMS: seconds, or "error"
  curl_args "$@"
  curl "${args[@]}" -o /dev/null -w '%{http_code} %{time_total}\n' |
    awk '$1 != 200 { print "error"; next } { print $2 }'
}
median() { sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

rows=()
for q in "${queries[@]}"; do
  IFS='|' read -r name path query params <<<"$q"
  log "$name"
  curl_args "$prom_url" "$path" "$query" "$params"
  curl "${args[@]}" >"$work/answer-prom.json"
  curl_args "$nines_url" "$path" "$query" "$params"
  curl "${args[@]}" >"$work/answer-nines.json"
  same=$(python3 - "$work/answer-prom.json" "$work/answer-nines.json" <<'PY'
import json, math, sys
def load(p):
    d = json.load(open(p))
    if d.get("status") != "success":
        return None, d.get("error")
    out = {}
    for s in d["data"]["result"]:
        key = tuple(sorted(s["metric"].items()))
        out[key] = s.get("values") or [s["value"]]
    return out, None
p, pe = load(sys.argv[1])
n, ne = load(sys.argv[2])
if p is None or n is None:
    print("error: prometheus=%s nines=%s" % (pe, ne)); sys.exit()
points = sum(len(v) for v in p.values())
bad = 0
if set(p) != set(n):
    bad = 1
else:
    for k in p:
        a, b = p[k], n[k]
        if len(a) != len(b):
            bad += 1; continue
        for (ta, va), (tb, vb) in zip(a, b):
            fa, fb = float(va), float(vb)
            if ta != tb or not (fa == fb or (math.isnan(fa) and math.isnan(fb)) or
                                abs(fa - fb) <= 1e-6 * max(abs(fa), abs(fb))):
                bad += 1
print("%s (%d series, %d points)" % ("same answer" if not bad else "DIFFERENT answers", len(p), points))
PY
  )
  log "  $same"
  for _ in $(seq 1 "$WARMUP"); do
    time_one "$prom_url" "$path" "$query" "$params" >/dev/null
    time_one "$nines_url" "$path" "$query" "$params" >/dev/null
  done
  : >"$work/t-prom"
  : >"$work/t-nines"
  for i in $(seq 1 "$repeats"); do
    if [ $((i % 2)) = 1 ]; then
      time_one "$prom_url" "$path" "$query" "$params" >>"$work/t-prom"
      time_one "$nines_url" "$path" "$query" "$params" >>"$work/t-nines"
    else
      time_one "$nines_url" "$path" "$query" "$params" >>"$work/t-nines"
      time_one "$prom_url" "$path" "$query" "$params" >>"$work/t-prom"
    fi
  done
  if grep -q error "$work/t-prom" "$work/t-nines"; then
    pm=error nm=error ratio="-"
  else
    pm=$(median <"$work/t-prom")
    nm=$(median <"$work/t-nines")
    ratio=$(awk -v n="$nm" -v p="$pm" 'BEGIN { printf "%.2fx", n / p }')
  fi
  log "  prometheus $pm s, nines $nm s, ratio $ratio (all: prom $(tr '\n' ' ' <"$work/t-prom")| nines $(tr '\n' ' ' <"$work/t-nines"))"
  rows+=("$name|$nm|$pm|$ratio|$same")
done

echo
echo "Nines $(cd "$root" && git rev-parse --short HEAD 2>/dev/null || echo '?') vs $prom_version"
echo "$(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ)," \
  "$([ "$quick" = 1 ] && echo '--quick' || echo 'full sizes'), median of $repeats interleaved requests"
echo
printf '| %s | %s | %s | %s | %s |\n' query "Nines, s" "Prometheus 2.42, s" \
  "Nines/Prometheus (goal ≤ 0.70x)" answers
printf '|---|---|---|---|---|\n'
for row in "${rows[@]}"; do
  IFS='|' read -r name nv pv ratio same <<<"$row"
  printf '| %s | %s | %s | %s | %s |\n' "$name" "$nv" "$pv" "$ratio" "$same"
done
printf '| import, s (nines import / promtool, all day files) | %.1f | %.1f | %s | |\n' \
  "$n_import" "$p_import" "$(awk -v n="$n_import" -v p="$p_import" 'BEGIN { printf "%.2fx", n / p }')"
