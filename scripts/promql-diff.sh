#!/usr/bin/env bash
# Differential PromQL test: the same generated data in Prometheus 2.42 (Debian's package) and in
# Nines, the same query corpus against both HTTP APIs, and the agreement printed.
#
#   scripts/promql-diff.sh [--experimental] [--verbose] [--keep]
#
#   --experimental  also run the corpus lines marked @experimental (start Nines with its
#                   experimental PromQL functions on: set NINES_CONFIG to a config that does so)
#   --verbose       print every disagreeing check, not only the first per query and mode
#   --keep          keep the work folder (data, logs) and print its path
#
# Environment: NINES_JAR (default server/target/nines.jar; build it with
# `./mvnw -q -pl server -am package -DskipTests`), NINES_CONFIG (optional config file for Nines),
# NINES_LOAD (remote-write, the default, or import), PROMETHEUS (default prometheus),
# PROMTOOL (default promtool).
#
# How the data gets in:
#   Prometheus: promtool tsdb create-blocks-from openmetrics data.om <prometheus data dir>
#   Nines:      NINES_LOAD=remote-write: remote-write 1.0 (POST /api/v1/write), encoded by
#               scripts/promql_diff.py from the same generator (same float64 bits, same
#               millisecond timestamps as the OpenMetrics file), sent in time order;
#               NINES_LOAD=import: `nines import openmetrics data.om --data DIR` before the server
#               starts, as promtool does for Prometheus.
#
# Not a CI test: it needs the Debian prometheus package and a built jar. Exit status 0 when every
# compared check agrees, 1 when some disagree, 2 when the setup failed.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
here="$root/scripts"

experimental=() verbose=() keep=0
for arg in "$@"; do
  case "$arg" in
    --experimental) experimental=(--experimental) ;;
    --verbose) verbose=(--verbose) ;;
    --keep) keep=1 ;;
    -h | --help) sed -n '2,30p' "$0"; exit 0 ;;
    *) echo "unknown argument: $arg" >&2; exit 2 ;;
  esac
done

prometheus=${PROMETHEUS:-prometheus}
promtool=${PROMTOOL:-promtool}
jar=${NINES_JAR:-$root/server/target/nines.jar}
command -v "$prometheus" >/dev/null || { echo "prometheus not found (apt-get install prometheus)" >&2; exit 2; }
command -v "$promtool" >/dev/null || { echo "promtool not found (apt-get install prometheus)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "python3 not found" >&2; exit 2; }
[ -f "$jar" ] || { echo "no Nines jar at $jar: ./mvnw -q -pl server -am package -DskipTests" >&2; exit 2; }
# shellcheck source=scripts/find-jdk.sh
. "$here/find-jdk.sh"
nines_find_jdk || exit 2

work=$(mktemp -d "${TMPDIR:-/tmp}/promql-diff.XXXXXX")
prom_pid="" nines_pid=""
cleanup() {
  [ -n "$prom_pid" ] && kill "$prom_pid" 2>/dev/null && wait "$prom_pid" 2>/dev/null || true
  [ -n "$nines_pid" ] && kill "$nines_pid" 2>/dev/null && wait "$nines_pid" 2>/dev/null || true
  if [ "$keep" = 1 ]; then echo "work folder kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

wait_ready() { # url name pid log
  for _ in $(seq 1 120); do
    if curl -fs -o /dev/null "$1"; then return 0; fi
    if ! kill -0 "$3" 2>/dev/null; then
      echo "$2 exited during start; its log:" >&2; tail -n 30 "$4" >&2; exit 2
    fi
    sleep 0.5
  done
  echo "$2 did not become ready at $1; its log:" >&2; tail -n 30 "$4" >&2; exit 2
}

echo "== generating data"
python3 "$here/promql_diff.py" generate "$work/data.om"
echo "   $(grep -vc '^#' "$work/data.om") samples in $work/data.om"

echo "== Prometheus: $("$prometheus" --version 2>&1 | head -n 1)"
mkdir -p "$work/prometheus"
"$promtool" tsdb create-blocks-from openmetrics "$work/data.om" "$work/prometheus" >"$work/promtool.log" 2>&1 ||
  { echo "promtool failed:" >&2; tail -n 20 "$work/promtool.log" >&2; exit 2; }
cat >"$work/prometheus.yml" <<'YAML'
global:
  evaluation_interval: 1m
scrape_configs: []
YAML
prom_port=$(free_port)
"$prometheus" --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/prometheus" \
  --storage.tsdb.retention.time=10y --web.listen-address="127.0.0.1:$prom_port" \
  >"$work/prometheus.log" 2>&1 &
prom_pid=$!
wait_ready "http://127.0.0.1:$prom_port/-/ready" prometheus "$prom_pid" "$work/prometheus.log"

echo "== Nines: $jar"
nines_port=$(free_port)
nines_args=(server --data "$work/nines" --listen "127.0.0.1:$nines_port")
load=${NINES_LOAD:-remote-write}
if [ "$load" = import ]; then
  "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -jar "$jar" import openmetrics \
    "$work/data.om" --data "$work/nines" >"$work/nines-import.log" 2>&1 ||
    { echo "nines import failed:" >&2; tail -n 20 "$work/nines-import.log" >&2; exit 2; }
elif [ "$load" != remote-write ]; then
  echo "NINES_LOAD must be remote-write or import, not $load" >&2; exit 2
fi
# Without scrape_configs Nines scrapes itself, and its head would then refuse the generated
# (older) samples as too old; the default config scrapes nothing.
if [ -z "${NINES_CONFIG:-}" ]; then
  printf 'scrape_configs: []\n' >"$work/nines.yml"
  NINES_CONFIG="$work/nines.yml"
fi
nines_args+=(--config "$NINES_CONFIG")
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -jar "$jar" "${nines_args[@]}" \
  >"$work/nines.log" 2>&1 &
nines_pid=$!
wait_ready "http://127.0.0.1:$nines_port/-/ready" nines "$nines_pid" "$work/nines.log"

if [ "$load" = remote-write ]; then
  python3 "$here/promql_diff.py" remote-write "http://127.0.0.1:$nines_port/api/v1/write" || {
    echo "loading Nines by remote-write failed; its log:" >&2; tail -n 20 "$work/nines.log" >&2; exit 2; }
fi
probe=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$nines_port/api/v1/query?query=1")
if [ "$probe" != 200 ]; then
  echo "Nines does not answer /api/v1/query (HTTP $probe): this build does not wire the query" \
    "API route set (dev.nines.server.api.PromApiRoutes) into NinesServer yet." >&2
  exit 2
fi

echo "== comparing"
set +e
python3 "$here/promql_diff.py" compare "http://127.0.0.1:$prom_port" "http://127.0.0.1:$nines_port" \
  "$here/promql-diff-queries.txt" "${experimental[@]}" "${verbose[@]}"
status=$?
set -e
exit "$status"
