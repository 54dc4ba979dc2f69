#!/usr/bin/env bash
# The benchmark of the service's performance targets, in one command:
#
#   bench/run.sh
#
# Builds comments_server and comments_load (Release, in build-bench/), starts
# a throwaway PostgreSQL (default durability: fsync and synchronous_commit
# on), measures a pgbench baseline of the service's INSERT, then the real
# server: CreateComment and ListComments at 32 callers, the health check at
# the same concurrency, and the server's peak RSS. Prints a PASS/FAIL table
# and writes bench/RESULTS.md. Everything it starts is stopped on exit.
#
# Environment: BENCH_SECONDS (measured seconds per phase, default 20),
# BENCH_WARMUP_SECONDS (default 3), BENCH_CONCURRENCY (default 32),
# BENCH_CHANNELS (gRPC channels the callers share; default 0, one each),
# BENCH_SKIP_BUILD=1 (measure the binaries already built; RESULTS.md says so),
# PG_BINDIR (default /usr/lib/postgresql/15/bin).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "${ROOT}"

SECONDS_PER_PHASE="${BENCH_SECONDS:-20}"
WARMUP_SECONDS="${BENCH_WARMUP_SECONDS:-3}"
CONCURRENCY="${BENCH_CONCURRENCY:-32}"
CHANNELS="${BENCH_CHANNELS:-0}"
PG_BINDIR="${PG_BINDIR:-/usr/lib/postgresql/15/bin}"
BUILD_DIR="${ROOT}/build-bench"
SERVER="${BUILD_DIR}/service/comments_server"
LOAD="${BUILD_DIR}/bench/comments_load"
RESULTS="${ROOT}/bench/RESULTS.md"
PG_SUPERUSER="postgres"
# Approved comments of the listed thread: several pages, so a page is full.
APPROVED_ROWS=200
PAGE_SIZE=20

for value in "${SECONDS_PER_PHASE}" "${WARMUP_SECONDS}" "${CONCURRENCY}" \
  "${CHANNELS}"; do
  [[ "${value}" =~ ^[0-9]+$ ]] || {
    echo "bench: BENCH_* values must be whole numbers" >&2
    exit 2
  }
done

log() { echo "bench: $*" >&2; }

# --- teardown: only what this script started, by PID or by its data dir ---
WORK_DIR=""
PG_DATA=""
PG_STARTED=0
SERVER_PID=""
TMP_RESULTS=""
# shellcheck disable=SC2317  # called from the EXIT trap
cleanup() {
  local status=$?
  trap - EXIT INT TERM HUP
  if [[ -n "${SERVER_PID}" ]] && kill -0 "${SERVER_PID}" 2>/dev/null; then
    kill -TERM "${SERVER_PID}" 2>/dev/null || true
    wait "${SERVER_PID}" 2>/dev/null || true
  fi
  if ((PG_STARTED)); then
    as_pg "${PG_BINDIR}/pg_ctl" -D "${PG_DATA}" -w -t 60 stop -m fast \
      >/dev/null 2>&1 || true
  fi
  if [[ -n "${WORK_DIR}" ]]; then
    rm -rf "${WORK_DIR}"
  fi
  if [[ -n "${TMP_RESULTS}" ]]; then
    rm -f "${TMP_RESULTS}"
  fi
  exit "${status}"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# PostgreSQL refuses to run as root: as root, its programs run as "postgres".
as_pg() {
  if ((EUID == 0)); then
    (cd / && runuser -u "${PG_SUPERUSER}" -- "$@")
  else
    "$@"
  fi
}

# --- build ---
if [[ "${BENCH_SKIP_BUILD:-0}" == 1 ]]; then
  log "BENCH_SKIP_BUILD=1: using the binaries already in build-bench/"
  [[ -x "${SERVER}" && -x "${LOAD}" ]] || {
    log "no binaries in build-bench/ yet"
    exit 1
  }
else
  bash scripts/install-deps.sh >&2
  cmake -S . -B "${BUILD_DIR}" -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "${BUILD_DIR}" --target comments_server comments_load -j2 >&2
fi

# Share of the CPUs busy over two seconds, from /proc/stat: what other work
# is taking right now (the load average still remembers the last minutes).
cpu_busy_percent() {
  local user nice system idle iowait irq softirq steal
  read -r _ user nice system idle iowait irq softirq steal _ </proc/stat
  local busy1=$((user + nice + system + irq + softirq + steal))
  local total1=$((busy1 + idle + iowait))
  sleep 2
  read -r _ user nice system idle iowait irq softirq steal _ </proc/stat
  local busy2=$((user + nice + system + irq + softirq + steal))
  local total2=$((busy2 + idle + iowait))
  echo $((100 * (busy2 - busy1) / (total2 - total1 > 0 ? total2 - total1 : 1)))
}
CPU_BUSY_BEFORE="$(cpu_busy_percent)"
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
if ((CHANNELS == 0)); then
  CHANNELS_TEXT="a gRPC channel (connection) each"
else
  CHANNELS_TEXT="${CHANNELS} gRPC channel(s) shared"
fi

# --- a throwaway PostgreSQL on a free port of 127.0.0.1 ---
WORK_DIR="$(mktemp -d /tmp/comments-bench.XXXXXX)"
PG_DATA="${WORK_DIR}/pg/data"
mkdir -p "${WORK_DIR}/pg"
mkdir -m 0700 "${WORK_DIR}/keys"
if ((EUID == 0)); then
  chown "${PG_SUPERUSER}:" "${WORK_DIR}/pg"
  chmod o+x "${WORK_DIR}"
fi
as_pg "${PG_BINDIR}/initdb" -D "${PG_DATA}" --auth=trust \
  -U "${PG_SUPERUSER}" --encoding=UTF8 --locale=C >/dev/null

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

PG_PORT=""
for _ in 1 2 3 4 5 6 7 8; do
  candidate=$((20000 + RANDOM % 40000))
  port_in_use "${candidate}" && continue
  # A start that times out may leave a server behind: stop it on exit too.
  PG_STARTED=1
  # Durability stays at PostgreSQL's defaults, stated explicitly: the
  # comparison with pgbench is only honest with every commit flushed.
  if as_pg "${PG_BINDIR}/pg_ctl" -D "${PG_DATA}" -w -t 60 \
    -l "${WORK_DIR}/pg/server.log" \
    -o "-p ${candidate} -c listen_addresses=127.0.0.1 -k ${WORK_DIR}/pg -c fsync=on -c synchronous_commit=on" \
    start >/dev/null; then
    PG_PORT="${candidate}"
    break
  fi
done
[[ -n "${PG_PORT}" ]] || {
  tail -n 20 "${WORK_DIR}/pg/server.log" >&2 || true
  log "could not start PostgreSQL"
  exit 1
}
log "PostgreSQL on 127.0.0.1:${PG_PORT}"

psql_db() {
  local database=$1
  shift
  "${PG_BINDIR}/psql" -h 127.0.0.1 -p "${PG_PORT}" -U "${PG_SUPERUSER}" -X -q \
    -A -t -v ON_ERROR_STOP=1 -d "${database}" "$@"
}
psql_db postgres -c "CREATE DATABASE baseline" -c "CREATE DATABASE service"

# --- baseline: pgbench doing the service's INSERT ---
# The baseline database gets every migration the server applies to its own
# (0001 creates the table and its indexes; later ones add triggers on it),
# so both INSERTs do the same work.
for migration in service/storage/migrations/*.sql; do
  psql_db baseline -1 -f "${migration}" >/dev/null
done
log "pgbench: ${CONCURRENCY} clients, ${SECONDS_PER_PHASE} s"
PGBENCH_COMMAND="pgbench -n -c ${CONCURRENCY} -j 2 -T ${SECONDS_PER_PHASE} -f bench/pgbench_insert.sql"
PGBENCH_OUTPUT="$("${PG_BINDIR}/pgbench" -h 127.0.0.1 -p "${PG_PORT}" \
  -U "${PG_SUPERUSER}" -n -c "${CONCURRENCY}" -j 2 -T "${SECONDS_PER_PHASE}" \
  -f bench/pgbench_insert.sql baseline 2>&1)" || {
  echo "${PGBENCH_OUTPUT}" >&2
  log "pgbench failed"
  exit 1
}
PGBENCH_TPS="$(sed -n 's/^tps = \([0-9.]*\) .*/\1/p' <<<"${PGBENCH_OUTPUT}" | head -n1)"
PGBENCH_LATENCY="$(sed -n 's/^latency average = \([0-9.]*\) ms.*/\1/p' <<<"${PGBENCH_OUTPUT}")"
PGBENCH_FAILED="$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' <<<"${PGBENCH_OUTPUT}")"
[[ -n "${PGBENCH_TPS}" ]] || {
  echo "${PGBENCH_OUTPUT}" >&2
  log "no tps in pgbench's output"
  exit 1
}
PGBENCH_TPS="$(printf '%.2f' "${PGBENCH_TPS}")"
log "pgbench: ${PGBENCH_TPS} tps"

# --- the real server, Release build, fresh keys ---
for name in email email_hash; do
  (umask 077 && "${SERVER}" --generate_key_line=k1 >"${WORK_DIR}/keys/${name}.key")
done
# The superuser owns the schema and migrates it; the server connects as the
# service role, as deployed (servers without the migrate command still
# migrate at start-up as the superuser).
SERVICE_URL="postgresql://${PG_SUPERUSER}@127.0.0.1:${PG_PORT}/service"
if "${SERVER}" --database_url="${SERVICE_URL}" migrate >&2; then
  SERVICE_URL="postgresql://comments_service@127.0.0.1:${PG_PORT}/service"
fi
SERVER_ARGS=(
  "--listen=127.0.0.1:0"
  "--database_url=${SERVICE_URL}"
  "--email_key_file=${WORK_DIR}/keys/email.key"
  "--email_hash_key_file=${WORK_DIR}/keys/email_hash.key"
)
# Every call comes from 127.0.0.1, so per-IP flood control would throttle
# the benchmark rather than measure it. Servers that have rules get a rules
# file without flood control (bench/rules-no-flood.yaml).
RULES_NOTE="The server has no --rules_file flag, so no flood control to disable."
SERVER_HELP="$("${SERVER}" --helpfull 2>&1 || true)"
if grep -q -- '--rules_file' <<<"${SERVER_HELP}"; then
  SERVER_ARGS+=("--rules_file=${ROOT}/bench/rules-no-flood.yaml")
  RULES_NOTE="Flood control is off (--rules_file=bench/rules-no-flood.yaml), since every call comes from 127.0.0.1; every other rule is at its default."
fi
"${SERVER}" "${SERVER_ARGS[@]}" 2>"${WORK_DIR}/server.log" &
SERVER_PID=$!

ADDRESS=""
for _ in $(seq 600); do
  # Log lines are JSON objects with sorted keys; "address" precedes "msg".
  ADDRESS="$(grep -F '"msg":"listening"' "${WORK_DIR}/server.log" |
    sed -n 's/.*"address":"\([^"]*\)".*/\1/p' | head -n1 || true)"
  [[ -n "${ADDRESS}" ]] && break
  kill -0 "${SERVER_PID}" 2>/dev/null || break
  sleep 0.1
done
[[ -n "${ADDRESS}" ]] || {
  tail -n 20 "${WORK_DIR}/server.log" >&2 || true
  log "the server did not start"
  exit 1
}
log "comments_server (pid ${SERVER_PID}) on ${ADDRESS}"

run_load() {
  local mode=$1
  shift
  log "${mode}: ${CONCURRENCY} callers, ${SECONDS_PER_PHASE} s after ${WARMUP_SECONDS} s warm-up"
  "${LOAD}" --server="${ADDRESS}" --mode="${mode}" \
    --concurrency="${CONCURRENCY}" --channels="${CHANNELS}" \
    --duration_s="${SECONDS_PER_PHASE}" --warmup_s="${WARMUP_SECONDS}" "$@"
}

CREATE_JSON="$(run_load create --thread=bench-create)"
log "create: ${CREATE_JSON}"

# The listed thread: the oldest created comments, approved by SQL as a
# moderator would, and statistics refreshed as autovacuum would.
psql_db service -c "UPDATE comments SET state = 'APPROVED', version = version + 1
  WHERE id IN (SELECT id FROM comments WHERE thread = 'bench-create'
               ORDER BY seq LIMIT ${APPROVED_ROWS})" -c "ANALYZE comments"
APPROVED="$(psql_db service -c "SELECT count(*) FROM comments
  WHERE thread = 'bench-create' AND state = 'APPROVED'")"
LIST_JSON="$(run_load list --thread=bench-create --page_size="${PAGE_SIZE}")"
log "list: ${LIST_JSON}"

HEALTH_JSON="$(run_load health)"
log "health: ${HEALTH_JSON}"

PEAK_RSS_KB="$(awk '/^VmHWM:/ {print $2}' "/proc/${SERVER_PID}/status")"
kill -TERM "${SERVER_PID}"
SERVER_EXIT=0
wait "${SERVER_PID}" || SERVER_EXIT=$?
SERVER_PID=""
STORED="$(psql_db service -c "SELECT count(*) FROM comments")"

# --- verdicts ---
field() { jq -r ".$2" <<<"$1"; }
errors_of() { jq -r '[.errors[]] | add // 0' <<<"$1"; }
CREATE_RPS="$(field "${CREATE_JSON}" rps)"
CREATE_P99="$(field "${CREATE_JSON}" p99_ms)"
LIST_RPS="$(field "${LIST_JSON}" rps)"
LIST_P99="$(field "${LIST_JSON}" p99_ms)"
HEALTH_RPS="$(field "${HEALTH_JSON}" rps)"
ERRORS=$(($(errors_of "${CREATE_JSON}") + $(errors_of "${LIST_JSON}") + $(errors_of "${HEALTH_JSON}") + ${PGBENCH_FAILED:-0}))
PEAK_RSS_MIB="$(awk -v kb="${PEAK_RSS_KB}" 'BEGIN {printf "%.1f", kb / 1024}')"
CREATE_RATIO="$(awk -v a="${CREATE_RPS}" -v b="${PGBENCH_TPS}" 'BEGIN {printf "%.2f", a / b}')"
LIST_RATIO="$(awk -v a="${LIST_RPS}" -v b="${HEALTH_RPS}" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}')"

verdict() { awk -v v="$1" -v op="$2" -v t="$3" \
  'BEGIN {ok = (op == ">=") ? v >= t : v <= t; print ok ? "PASS" : "FAIL"}'; }

TABLE="$(
  printf '| measure | figure | target | verdict |\n'
  printf '| --- | --- | --- | --- |\n'
  printf '| CreateComment / pgbench INSERT | %s / %s = **%s x** | >= 1.5 x | %s |\n' \
    "${CREATE_RPS}" "${PGBENCH_TPS}" "${CREATE_RATIO}" "$(verdict "${CREATE_RATIO}" ">=" 1.5)"
  printf '| ListComments (page of %s) / health check | %s / %s = **%s x** | >= 0.5 x | %s |\n' \
    "${PAGE_SIZE}" "${LIST_RPS}" "${HEALTH_RPS}" "${LIST_RATIO}" "$(verdict "${LIST_RATIO}" ">=" 0.5)"
  printf '| CreateComment p99 | %s ms | <= 25 ms | %s |\n' \
    "${CREATE_P99}" "$(verdict "${CREATE_P99}" "<=" 25)"
  printf '| ListComments p99 | %s ms | <= 10 ms | %s |\n' \
    "${LIST_P99}" "$(verdict "${LIST_P99}" "<=" 10)"
  printf '| server peak RSS (VmHWM) | %s MiB | <= 150 MiB | %s |\n' \
    "${PEAK_RSS_MIB}" "$(verdict "${PEAK_RSS_MIB}" "<=" 150)"
  printf '| failed calls, all phases | %s | 0 | %s |\n' \
    "${ERRORS}" "$(verdict "${ERRORS}" "<=" 0)"
)"

echo
echo "${TABLE}"
echo

# --- bench/RESULTS.md ---
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"
CPU_MODEL="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)"
MEMORY="$(awk '/^MemTotal:/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
DATA_FS="$(df -T "${WORK_DIR}" | awk 'NR == 2 {print $2}')"
PG_VERSION="$("${PG_BINDIR}/postgres" --version)"
COMMIT="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
DIRTY=""
[[ -z "$(git status --porcelain 2>/dev/null)" ]] || DIRTY=" plus uncommitted changes"
MIGRATIONS="$(cd service/storage/migrations && echo *.sql)"
COMMAND="bench/run.sh"
for variable in BENCH_SECONDS BENCH_WARMUP_SECONDS BENCH_CONCURRENCY \
  BENCH_CHANNELS BENCH_SKIP_BUILD; do
  [[ -n "${!variable:-}" ]] && COMMAND="${variable}=${!variable} ${COMMAND}"
done
# Figures from a busy machine are worth little on their own; say so.
BUSY_NOTE=""
if ((CPU_BUSY_BEFORE > 25)); then
  BUSY_NOTE="
**Other work was using ${CPU_BUSY_BEFORE} % of the CPUs when this run
started: the figures understate an idle machine, and the baseline and the
server phases, taken a minute apart, may have met different loads.**
"
fi
BUILD_NOTE="Release build in build-bench/"
if [[ "${BENCH_SKIP_BUILD:-0}" == 1 ]]; then
  BUILD_NOTE="binaries already in build-bench/ (BENCH_SKIP_BUILD=1: not rebuilt)"
fi

TMP_RESULTS="$(mktemp "${ROOT}/bench/.RESULTS.XXXXXX")"
chmod 0644 "${TMP_RESULTS}"
cat >"${TMP_RESULTS}" <<END_OF_RESULTS
# Benchmark results

Written by \`bench/run.sh\`; the targets are the service's
performance targets in the table below. Each run replaces this file.

- Date: $(date -u '+%Y-%m-%d %H:%M UTC')
- Command: \`${COMMAND}\`, from the repository root
- Source: commit ${COMMIT}${DIRTY}; ${BUILD_NOTE}
- Machine: $(nproc) CPUs (${CPU_MODEL}), ${MEMORY} RAM, $(uname -sr).
  Before the run ${CPU_BUSY_BEFORE} % of the CPUs were busy with other work;
  load average (1, 5, 15 min) before: ${LOAD_BEFORE}; after: ${LOAD_AFTER}.
  The load generator, the server and PostgreSQL share these CPUs.
- PostgreSQL: ${PG_VERSION}; data on ${DATA_FS}; fsync=on and
  synchronous_commit=on (the defaults); one cluster for the baseline and
  the server.
- Load: ${CONCURRENCY} callers, ${CHANNELS_TEXT}; each phase ${WARMUP_SECONDS} s of
  warm-up, then ${SECONDS_PER_PHASE} s measured.
- Server: default flags (pool of 8 database connections, log level info).
  ${RULES_NOTE}

## Verdicts
${BUSY_NOTE}
${TABLE}

## How each figure is made

- **pgbench baseline**: \`${PGBENCH_COMMAND}\`
  on its own database with the server's migrations applied
  (${MIGRATIONS}): the service's INSERT with random values, one
  transaction each. Average latency ${PGBENCH_LATENCY} ms; failed
  transactions: ${PGBENCH_FAILED:-0}.
- **CreateComment**: \`comments_load --mode=create\`; every call sends a new
  email and body, so no duplicate rule fires. rps counts successful calls
  that completed in the measured window.
- **ListComments**: the first page (${PAGE_SIZE}) of a thread with ${APPROVED}
  approved comments (approved by SQL after the create phase, then ANALYZE).
  A page with fewer comments would count as a failed call.
- **Health check**: \`grpc.health.v1.Health/Check\` at the same concurrency.
- **Peak RSS**: VmHWM of the server process after all phases. The server then
  exited with status ${SERVER_EXIT} on SIGTERM; it stored ${STORED} comments.
- Latency percentiles include failed calls; the load generator does not retry.

## Raw output

\`\`\`
pgbench: tps=${PGBENCH_TPS} latency_avg_ms=${PGBENCH_LATENCY}
${CREATE_JSON}
${LIST_JSON}
${HEALTH_JSON}
\`\`\`
END_OF_RESULTS
mv "${TMP_RESULTS}" "${RESULTS}"
TMP_RESULTS=""
log "wrote ${RESULTS#"${ROOT}"/}"
