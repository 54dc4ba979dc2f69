#!/usr/bin/env bash
# The benchmark of the service's performance targets, in one command:
#
#   bench/run.sh                 # full run, about 15 minutes
#   BENCH_QUICK=1 bench/run.sh   # every phase, short windows, small big table
#
# Builds comments_server and comments_load (Release, in build-bench/), starts
# a throwaway PostgreSQL (default durability: fsync and synchronous_commit
# on), measures a pgbench baseline of the service's INSERT, then the real
# server, twice: on a small table (1,000 read threads of 100 comments) and
# on a big one (the same plus bulk-loaded comments, 1,000,000 in all over
# 10,000 threads, then VACUUM ANALYZE). Each time: CreateComment with flood
# control off, CreateComment with flood control on (callers spread over
# distinct reader addresses through a trusted proxy's x-forwarded-for),
# ListComments pages of 20 and 50, CountComments of 100 threads, the health
# check; after each create phase the stored rows must equal the
# acknowledged calls. Then the server's RSS, CPU per phase, EXPLAIN of the
# public queries on the big table. Prints the verdicts and writes
# bench/RESULTS.md. Everything it starts is stopped on exit. Exits non-zero
# when the harness fails or an acknowledged comment is missing.
#
# Environment: BENCH_QUICK=1 (1 s warm-up, 3 s windows, a 100,000-row big
# table over 1,000 threads with 100 read threads; RESULTS.md says so),
# BENCH_SECONDS (measured seconds per phase, default 20),
# BENCH_WARMUP_SECONDS (default 3), BENCH_CONCURRENCY (default 32),
# BENCH_CHANNELS (gRPC channels the callers share; default 0, one each),
# BENCH_SKIP_BUILD=1 (measure the binaries already built; RESULTS.md says so),
# PG_BINDIR (default /usr/lib/postgresql/15/bin).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "${ROOT}"

QUICK="${BENCH_QUICK:-0}"
if [[ "${QUICK}" == 1 ]]; then
  SECONDS_PER_PHASE="${BENCH_SECONDS:-3}"
  WARMUP_SECONDS="${BENCH_WARMUP_SECONDS:-1}"
  BIG_ROWS=100000
  READ_THREADS=100
else
  SECONDS_PER_PHASE="${BENCH_SECONDS:-20}"
  WARMUP_SECONDS="${BENCH_WARMUP_SECONDS:-3}"
  BIG_ROWS=1000000
  READ_THREADS=1000
fi
CONCURRENCY="${BENCH_CONCURRENCY:-32}"
CHANNELS="${BENCH_CHANNELS:-0}"
PG_BINDIR="${PG_BINDIR:-/usr/lib/postgresql/15/bin}"
BUILD_DIR="${ROOT}/build-bench"
SERVER="${BUILD_DIR}/service/comments_server"
LOAD="${BUILD_DIR}/bench/comments_load"
RESULTS="${ROOT}/bench/RESULTS.md"
PG_SUPERUSER="postgres"

# The workload's shape, the same on the small and the big table.
# Seeded threads have 100 comments each, 85 of them approved
# (bench/seed_comments.sql), so every page of up to 50 is full.
COMMENTS_PER_THREAD=100
BIG_THREADS=$((BIG_ROWS / COMMENTS_PER_THREAD))
READ_PREFIX="bench-read-"
# Reads pick their threads at random from the read set; counts ask for
# 100 of them per call, the most the API takes.
COUNT_PARENTS=100
# A listed or counted thread with fewer approved comments is an error.
MIN_APPROVED=50
# Creates spread over this many threads of a prefix of their own per
# phase, by which their rows are counted afterwards.
CREATE_THREADS=100

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

# The source measured: what is checked out when the run starts.
COMMIT="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
DIRTY=""
# RESULTS.md is this script's output, not source.
[[ -z "$(git status --porcelain -- . ':!bench/RESULTS.md' 2>/dev/null)" ]] ||
  DIRTY=" plus uncommitted changes"

# --- build ---
if [[ "${BENCH_SKIP_BUILD:-0}" == 1 ]]; then
  log "BENCH_SKIP_BUILD=1: using the binaries already in build-bench/"
  [[ -x "${SERVER}" && -x "${LOAD}" ]] || {
    log "no binaries in build-bench/ yet"
    exit 1
  }
else
  bash scripts/install-deps.sh >&2
  launcher=()
  # As scripts/build.sh: ccache makes a rebuild of unchanged sources cheap.
  if command -v ccache >/dev/null 2>&1; then
    export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$(dirname "${ROOT}")}"
    launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  fi
  cmake -S . -B "${BUILD_DIR}" -DCMAKE_BUILD_TYPE=Release "${launcher[@]}" \
    >/dev/null
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
PG_PID="$(head -n1 "${PG_DATA}/postmaster.pid")"
log "PostgreSQL on 127.0.0.1:${PG_PORT} (postmaster ${PG_PID})"

psql_db() {
  local database=$1
  shift
  "${PG_BINDIR}/psql" -h 127.0.0.1 -p "${PG_PORT}" -U "${PG_SUPERUSER}" -X -q \
    -A -t -v ON_ERROR_STOP=1 -d "${database}" "$@"
}
psql_db postgres -c "CREATE DATABASE baseline" -c "CREATE DATABASE service"
DURABILITY="$(psql_db postgres -c "SELECT 'fsync=' || current_setting('fsync')
  || ', synchronous_commit=' || current_setting('synchronous_commit')
  || ', full_page_writes=' || current_setting('full_page_writes')")"
[[ "${DURABILITY}" == "fsync=on, synchronous_commit=on, full_page_writes=on" ]] || {
  log "PostgreSQL is not at full durability: ${DURABILITY}"
  exit 1
}

# User + system CPU seconds of a process and its children, from /proc:
# PostgreSQL's postmaster and its backends, live or exited (those count in
# the postmaster's reaped-children times).
process_tree_cpu_seconds() {
  # Fields after the command's closing parenthesis: 2 is the parent, 12 and
  # 13 user and system ticks, 14 and 15 those of reaped children. cat skips
  # processes that exited meanwhile.
  { cat /proc/[0-9]*/stat 2>/dev/null || true; } | awk -v root="$1" \
    -v hz="$(getconf CLK_TCK)" '{
      pid = $1; rest = $0; sub(/^.*\) /, "", rest); split(rest, f, " ")
      if (pid == root) total += f[12] + f[13] + f[14] + f[15]
      else if (f[2] == root) total += f[12] + f[13]
    } END { printf "%.3f", total / hz }'
}

# --- baseline: pgbench doing the service's INSERT ---
# The baseline database gets every migration the server applies to its own,
# in order (0001 creates the table and its indexes; later ones add triggers
# and indexes on it), so both INSERTs do the same work.
MIGRATION_FILES=(service/storage/migrations/*.sql)
for migration in "${MIGRATION_FILES[@]}"; do
  psql_db baseline -1 -f "${migration}" >/dev/null
done
pgbench_for() {
  "${PG_BINDIR}/pgbench" -h 127.0.0.1 -p "${PG_PORT}" -U "${PG_SUPERUSER}" \
    -n -c "${CONCURRENCY}" -j 2 -T "$1" -f bench/pgbench_insert.sql baseline 2>&1
}
PGBENCH_COMMAND="pgbench -n -c ${CONCURRENCY} -j 2 -T ${SECONDS_PER_PHASE} -f bench/pgbench_insert.sql"
# The baseline is taken right before each table's phases, so that each
# create figure has one of its own from minutes, not a quarter of an hour,
# away on a machine whose other work comes and goes.
declare -A PGBENCH_TPS=() PGBENCH_LATENCY=() PGBENCH_FAILED=() PGBENCH_PG_CPU=()
run_pgbench() {
  local table=$1 output pg_cpu_start tps
  log "pgbench-${table}: ${CONCURRENCY} clients, ${SECONDS_PER_PHASE} s after ${WARMUP_SECONDS} s warm-up"
  if ((WARMUP_SECONDS > 0)); then
    pgbench_for "${WARMUP_SECONDS}" >/dev/null || {
      log "pgbench warm-up failed"
      exit 1
    }
  fi
  pg_cpu_start="$(process_tree_cpu_seconds "${PG_PID}")"
  output="$(pgbench_for "${SECONDS_PER_PHASE}")" || {
    echo "${output}" >&2
    log "pgbench failed"
    exit 1
  }
  PGBENCH_PG_CPU[${table}]="$(awk -v a="${pg_cpu_start}" \
    -v b="$(process_tree_cpu_seconds "${PG_PID}")" 'BEGIN {printf "%.3f", b - a}')"
  tps="$(sed -n 's/^tps = \([0-9.]*\) .*/\1/p' <<<"${output}" | head -n1)"
  [[ -n "${tps}" ]] || {
    echo "${output}" >&2
    log "no tps in pgbench's output"
    exit 1
  }
  PGBENCH_TPS[${table}]="$(printf '%.2f' "${tps}")"
  PGBENCH_LATENCY[${table}]="$(sed -n 's/^latency average = \([0-9.]*\) ms.*/\1/p' <<<"${output}")"
  PGBENCH_FAILED[${table}]="$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' <<<"${output}")"
  log "pgbench-${table}: ${PGBENCH_TPS[${table}]} tps"
}

# --- the service's database, fresh keys ---
for name in email email_hash; do
  (umask 077 && "${SERVER}" --generate_key_line=k1 >"${WORK_DIR}/keys/${name}.key")
done
# The superuser owns the schema and migrates it; the server connects as the
# service role, as deployed.
SERVICE_URL="postgresql://${PG_SUPERUSER}@127.0.0.1:${PG_PORT}/service"
"${SERVER}" --database_url="${SERVICE_URL}" migrate >&2
SERVICE_URL="postgresql://comments_service@127.0.0.1:${PG_PORT}/service"

# Seeds threads :prefix<first> .. with 100 comments each, then refreshes
# statistics and the visibility map as autovacuum would on a live site, and
# checkpoints so that no checkpoint of the load lands in a measured window.
seed_threads() {
  local first=$1 count=$2
  psql_db service -v prefix="${READ_PREFIX}" -v first_thread="${first}" \
    -v threads="${count}" -v per_thread="${COMMENTS_PER_THREAD}" \
    -f bench/seed_comments.sql
  psql_db service -c "VACUUM ANALYZE" -c "CHECKPOINT"
}

# --- the server ---
# Flood control keys on the client network, and every call comes from
# 127.0.0.1: with flood control on, the load generator stands in for a
# trusted proxy (bench/rules-flood-on.yaml) and names a distinct public
# reader address per call. Flood-off phases use bench/rules-no-flood.yaml.
# Every other flag and rule is the server's default.
SERVERS_STARTED=0
start_server() {
  local rules=$1
  SERVERS_STARTED=$((SERVERS_STARTED + 1))
  local server_log="${WORK_DIR}/server-${SERVERS_STARTED}.log"
  "${SERVER}" --listen=127.0.0.1:0 --database_url="${SERVICE_URL}" \
    --email_key_file="${WORK_DIR}/keys/email.key" \
    --email_hash_key_file="${WORK_DIR}/keys/email_hash.key" \
    --rules_file="${ROOT}/bench/${rules}" 2>"${server_log}" &
  SERVER_PID=$!
  ADDRESS=""
  for _ in $(seq 600); do
    # Log lines are JSON objects with sorted keys; "address" precedes "msg".
    ADDRESS="$(grep -F '"msg":"listening"' "${server_log}" |
      sed -n 's/.*"address":"\([^"]*\)".*/\1/p' | head -n1 || true)"
    [[ -n "${ADDRESS}" ]] && break
    kill -0 "${SERVER_PID}" 2>/dev/null || break
    sleep 0.1
  done
  [[ -n "${ADDRESS}" ]] || {
    tail -n 20 "${server_log}" >&2 || true
    log "the server did not start"
    exit 1
  }
  log "comments_server (pid ${SERVER_PID}, ${rules}) on ${ADDRESS}"
}

status_kb() { awk -v key="$2:" '$1 == key {print $2}' "/proc/$1/status"; }
# Resident memory once the server has been quiet for a second: after start-up
# (before any call), and after its last phase.
idle_rss_kb() {
  sleep 1
  status_kb "${SERVER_PID}" VmRSS
}

declare -A SERVER_NOTES=()
PEAK_RSS_KB=0
IDLE_BEFORE_KB=0
IDLE_AFTER_KB=0
SERVER_EXITS=""
max_into() {
  local -n target=$1
  ((target > $2)) || target=$2
}
# Records one server's memory, then stops it.
stop_server() {
  local label=$1 idle_after peak exit_status=0
  idle_after="$(idle_rss_kb)"
  peak="$(status_kb "${SERVER_PID}" VmHWM)"
  kill -TERM "${SERVER_PID}"
  wait "${SERVER_PID}" || exit_status=$?
  SERVER_PID=""
  max_into IDLE_AFTER_KB "${idle_after}"
  max_into PEAK_RSS_KB "${peak}"
  SERVER_NOTES[${label}]="idle after start-up ${SERVER_IDLE_BEFORE} KiB, idle after load ${idle_after} KiB, peak ${peak} KiB, exit ${exit_status} on SIGTERM"
  SERVER_EXITS="${SERVER_EXITS} ${exit_status}"
}
start_measured_server() {
  start_server "$1"
  SERVER_IDLE_BEFORE="$(idle_rss_kb)"
  max_into IDLE_BEFORE_KB "${SERVER_IDLE_BEFORE}"
}

declare -A PHASE=()
PHASE_ORDER=()
run_phase() {
  local name=$1 mode=$2 json
  shift 2
  log "${name}: ${CONCURRENCY} callers, ${SECONDS_PER_PHASE} s after ${WARMUP_SECONDS} s warm-up"
  json="$("${LOAD}" --server="${ADDRESS}" --mode="${mode}" \
    --concurrency="${CONCURRENCY}" --channels="${CHANNELS}" \
    --duration_s="${SECONDS_PER_PHASE}" --warmup_s="${WARMUP_SECONDS}" \
    --server_pid="${SERVER_PID}" --postgres_pid="${PG_PID}" "$@")" || {
    log "${name}: the load generator failed"
    exit 1
  }
  PHASE[${name}]="${json}"
  PHASE_ORDER+=("${name}")
  log "${name}: ${json}"
}

# Rows a create phase stored must be exactly the calls it got an answer
# for: one missing is a lost acknowledged comment, one extra a comment
# stored for a call reported as failed.
VERIFY_LINES=""
VERIFY_FAILED=0
MISSING=0
verify_creates() {
  local name=$1 prefix=$2 stored acknowledged
  # psql substitutes variables in a script, not in -c.
  stored="$(psql_db service -v prefix="${prefix}" <<<"SELECT count(*)
    FROM comments WHERE left(thread, length(:'prefix')) = :'prefix'")"
  acknowledged="$(jq -r .acknowledged <<<"${PHASE[${name}]}")"
  if ((stored == acknowledged)); then
    VERIFY_LINES+="- PASS ${name}: ${acknowledged} acknowledged, ${stored} stored (threads ${prefix}*)"$'\n'
  else
    VERIFY_FAILED=1
    ((stored >= acknowledged)) || MISSING=$((MISSING + acknowledged - stored))
    VERIFY_LINES+="- **FAIL ${name}: ${acknowledged} acknowledged, ${stored} stored** (threads ${prefix}*)"$'\n'
    log "FAIL ${name}: ${acknowledged} acknowledged, ${stored} stored"
  fi
}

declare -A FLOOD_KEYS=()
# Every phase against the table as it is now; `table` is small or big.
run_table_phases() {
  local table=$1
  run_pgbench "${table}"
  start_measured_server rules-no-flood.yaml
  run_phase "create-${table}" create --threads="${CREATE_THREADS}" \
    --thread_prefix="bench-create-${table}-"
  verify_creates "create-${table}" "bench-create-${table}-"
  for page in 20 50; do
    run_phase "list${page}-${table}" list --threads="${READ_THREADS}" \
      --thread_prefix="${READ_PREFIX}" --page_size="${page}"
  done
  run_phase "count-${table}" count --threads="${READ_THREADS}" \
    --thread_prefix="${READ_PREFIX}" --parents="${COUNT_PARENTS}" \
    --min_approved="${MIN_APPROVED}"
  run_phase "health-${table}" health
  stop_server "${table} table, flood control off"

  start_measured_server rules-flood-on.yaml
  run_phase "flood-${table}" create --threads="${CREATE_THREADS}" \
    --thread_prefix="bench-flood-${table}-" --distinct_client_ips
  verify_creates "flood-${table}" "bench-flood-${table}-"
  # Evidence that flood control was at work: the state rows it keeps, one
  # per client network and per mailbox it has seen (idle ones are pruned).
  FLOOD_KEYS[${table}]="$(psql_db service -c "SELECT count(*) FROM submission_limits")"
  stop_server "${table} table, flood control on"
}

# EXPLAIN (ANALYZE, BUFFERS) of the public queries with real parameters: a
# read thread, 100 of them for the count, a comment from the middle of the
# table.
explain_public_queries() {
  local thread threads_json comment_id
  thread="${READ_PREFIX}$((RANDOM % READ_THREADS))"
  threads_json="$(shuf -i "0-$((READ_THREADS - 1))" -n "${COUNT_PARENTS}" |
    jq -R -s -c --arg prefix "${READ_PREFIX}" \
      'split("\n") | map(select(. != "") | $prefix + .)')"
  comment_id="$(psql_db service -c "SELECT id FROM comments
    WHERE seq = (SELECT (min(seq) + max(seq)) / 2 FROM comments)")"
  echo "Thread ${thread}; for the count ${COUNT_PARENTS} random read threads; comment ${comment_id}."
  echo
  echo '```'
  psql_db service -v thread="${thread}" -v threads_json="${threads_json}" \
    -v comment_id="${comment_id}" -f bench/public_queries.sql
  echo '```'
}

log "small table: ${READ_THREADS} threads of ${COMMENTS_PER_THREAD} comments"
seed_threads 0 "${READ_THREADS}"
SMALL_ROWS="$(psql_db service -c "SELECT count(*) FROM comments")"
run_table_phases small
EXPLAIN_SMALL="$(explain_public_queries)"
SMALL_ROWS_AFTER="$(psql_db service -c "SELECT count(*) FROM comments")"

BULK_THREADS=$((BIG_THREADS - READ_THREADS))
log "big table: bulk-loading ${BULK_THREADS} more threads of ${COMMENTS_PER_THREAD} comments"
BULK_START="$(date +%s.%N)"
seed_threads "${READ_THREADS}" "${BULK_THREADS}"
BULK_SECONDS="$(awk -v a="${BULK_START}" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}')"
SEEDED_STATES="$(psql_db service -v prefix="${READ_PREFIX}" <<'END_OF_SQL'
SELECT string_agg(round(100.0 * n / total, 1) || ' % ' || state, ', '
  ORDER BY state)
FROM (SELECT state, count(*) AS n, sum(count(*)) OVER () AS total
      FROM comments WHERE left(thread, length(:'prefix')) = :'prefix'
      GROUP BY state) s;
END_OF_SQL
)"
BIG_ROWS_BEFORE="$(psql_db service -c "SELECT count(*) FROM comments")"
TABLE_SIZE="$(psql_db service -c "SELECT pg_size_pretty(pg_table_size('comments'))
  || ' table, ' || pg_size_pretty(pg_indexes_size('comments')) || ' indexes'")"
log "big table: ${BIG_ROWS_BEFORE} rows after ${BULK_SECONDS} s (${TABLE_SIZE})"
run_table_phases big
EXPLAIN_BIG="$(explain_public_queries)"
BIG_ROWS_AFTER="$(psql_db service -c "SELECT count(*) FROM comments")"

# --- verdicts ---
field() { jq -r ".$2" <<<"${PHASE[$1]}"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}'; }
verdict() { awk -v v="$1" -v op="$2" -v t="$3" \
  'BEGIN {ok = (op == ">=") ? v >= t : v <= t; print ok ? "PASS" : "FAIL"}'; }
failed_calls() { jq -r '([.errors[]] | add // 0) + .unmeasured_errors' <<<"${PHASE[$1]}"; }
mib() { awk -v kb="$1" 'BEGIN {printf "%.1f", kb / 1024}'; }

ERRORS=$((${PGBENCH_FAILED[small]:-0} + ${PGBENCH_FAILED[big]:-0}))
for name in "${PHASE_ORDER[@]}"; do
  ERRORS=$((ERRORS + $(failed_calls "${name}")))
done

# The targets, on either table: label, the figure's numerator and its
# denominator (a phase's rps, or pgbench), the comparison and the target.
declare -A FIGURE=()
compute_figures() {
  local table=$1
  FIGURE[create-${table}]="$(ratio "$(field "create-${table}" rps)" "${PGBENCH_TPS[${table}]}")"
  FIGURE[flood-${table}]="$(ratio "$(field "flood-${table}" rps)" "${PGBENCH_TPS[${table}]}")"
  for page in 20 50; do
    FIGURE[list${page}-${table}]="$(ratio "$(field "list${page}-${table}" rps)" \
      "$(field "health-${table}" rps)")"
  done
  FIGURE[count-${table}]="$(ratio "$(field "count-${table}" rps)" "$(field "health-${table}" rps)")"
  for phase in create flood list20 list50; do
    FIGURE[p99-${phase}-${table}]="$(field "${phase}-${table}" p99_ms)"
  done
}
compute_figures small
compute_figures big

TARGETS=(
  "create|CreateComment / pgbench INSERT|x|>=|2.0"
  "flood|CreateComment, flood control on / pgbench INSERT|x|>=|1.5"
  "list20|ListComments page of 20 / health check|x|>=|0.6"
  "list50|ListComments page of 50 / health check|x|>=|0.6"
  "count|CountComments of ${COUNT_PARENTS} threads / health check|x|>=|0.3"
  "p99-create|CreateComment p99|ms|<=|25"
  "p99-flood|CreateComment p99, flood control on|ms|<=|25"
  "p99-list20|ListComments p99, page of 20|ms|<=|10"
  "p99-list50|ListComments p99, page of 50|ms|<=|10"
)
numerator_text() {
  local key=$1 table=$2
  case "${key}" in
    create | flood) echo "$(field "${key}-${table}" rps) / ${PGBENCH_TPS[${table}]} = " ;;
    list20 | list50 | count)
      echo "$(field "${key}-${table}" rps) / $(field "health-${table}" rps) = " ;;
    *) echo "" ;;
  esac
}

TABLE="$(
  printf '| measure | figure (small table) | target | verdict |\n'
  printf '| --- | --- | --- | --- |\n'
  for target in "${TARGETS[@]}"; do
    IFS='|' read -r key label unit op limit <<<"${target}"
    printf '| %s | %s**%s %s** | %s %s %s | %s |\n' "${label}" \
      "$(numerator_text "${key}" small)" "${FIGURE[${key}-small]}" "${unit}" \
      "${op}" "${limit}" "${unit}" \
      "$(verdict "${FIGURE[${key}-small]}" "${op}" "${limit}")"
  done
  printf '| every figure on the big table (%s rows) | see below | within 20 %% of the small table | %s |\n' \
    "${BIG_ROWS_BEFORE}" "BIG_VERDICT"
  printf '| server peak RSS (VmHWM), all phases, both tables | %s MiB | <= 150 MiB | %s |\n' \
    "$(mib "${PEAK_RSS_KB}")" "$(verdict "$(mib "${PEAK_RSS_KB}")" "<=" 150)"
  printf '| server idle RSS after start-up (largest of the servers) | %s MiB | <= 40 MiB | %s |\n' \
    "$(mib "${IDLE_BEFORE_KB}")" "$(verdict "$(mib "${IDLE_BEFORE_KB}")" "<=" 40)"
  printf '| server idle RSS after the load stopped (largest) | %s MiB | <= 40 MiB | %s |\n' \
    "$(mib "${IDLE_AFTER_KB}")" "$(verdict "$(mib "${IDLE_AFTER_KB}")" "<=" 40)"
  printf '| failed calls, all phases (refusals included) | %s | 0 | %s |\n' \
    "${ERRORS}" "$(verdict "${ERRORS}" "<=" 0)"
  printf '| acknowledged comments missing afterwards | %s | 0 | %s |\n' \
    "${MISSING}" "$(verdict "${MISSING}" "<=" 0)"
)"

# Big against small: throughput may be at most 20 % lower, latency at most
# 20 % higher (a big table that is faster is noise, not a failure).
BIG_ALL_PASS=1
BIG_TABLE="$(
  printf '| measure | small table | big table | big / small | verdict |\n'
  printf '| --- | --- | --- | --- | --- |\n'
  for target in "${TARGETS[@]}"; do
    IFS='|' read -r key label unit op limit <<<"${target}"
    small_figure="${FIGURE[${key}-small]}"
    big_figure="${FIGURE[${key}-big]}"
    change="$(ratio "${big_figure}" "${small_figure}")"
    if [[ "${op}" == ">=" ]]; then
      result="$(verdict "${change}" ">=" 0.8)"
    else
      result="$(verdict "${change}" "<=" 1.2)"
    fi
    printf '| %s | %s %s | %s %s | %s | %s |\n' "${label}" "${small_figure}" \
      "${unit}" "${big_figure}" "${unit}" "${change}" "${result}"
  done
  for phase in create flood list20 list50 count health; do
    small_figure="$(field "${phase}-small" rps)"
    big_figure="$(field "${phase}-big" rps)"
    printf '| %s rps (raw) | %s | %s | %s | |\n' "${phase}" "${small_figure}" \
      "${big_figure}" "$(ratio "${big_figure}" "${small_figure}")"
  done
)"
grep -q '| FAIL |$' <<<"$(grep -v 'rps (raw)' <<<"${BIG_TABLE}")" && BIG_ALL_PASS=0
if ((BIG_ALL_PASS)); then BIG_VERDICT=PASS; else BIG_VERDICT=FAIL; fi
TABLE="${TABLE//BIG_VERDICT/${BIG_VERDICT}}"

CPU_TABLE="$(
  printf '| phase | rps | p99 ms | load generator CPU s | server CPU s | PostgreSQL CPU s |\n'
  printf '| --- | --- | --- | --- | --- | --- |\n'
  for name in "${PHASE_ORDER[@]}"; do
    if [[ "${name}" == create-* ]]; then
      table="${name#create-}"
      printf '| pgbench-%s | %s | | (pgbench) | | %s |\n' "${table}" \
        "${PGBENCH_TPS[${table}]}" "${PGBENCH_PG_CPU[${table}]}"
    fi
    printf '| %s | %s | %s | %s | %s | %s |\n' "${name}" "$(field "${name}" rps)" \
      "$(field "${name}" p99_ms)" "$(field "${name}" cpu_s)" \
      "$(field "${name}" server_cpu_s)" "$(field "${name}" postgres_cpu_s)"
  done
)"

echo
echo "${TABLE}"
echo
echo "${BIG_TABLE}"
echo
echo "${VERIFY_LINES}"

# --- bench/RESULTS.md ---
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"
CPU_MODEL="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)"
MEMORY="$(awk '/^MemTotal:/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
DATA_FS="$(df -T "${WORK_DIR}" | awk 'NR == 2 {print $2}')"
PG_VERSION="$("${PG_BINDIR}/postgres" --version)"
MIGRATIONS="$(for m in "${MIGRATION_FILES[@]}"; do basename "${m}"; done | paste -sd' ')"
COMMAND="bench/run.sh"
for variable in BENCH_QUICK BENCH_SECONDS BENCH_WARMUP_SECONDS \
  BENCH_CONCURRENCY BENCH_CHANNELS BENCH_SKIP_BUILD; do
  [[ -n "${!variable:-}" ]] && COMMAND="${variable}=${!variable} ${COMMAND}"
done
QUICK_NOTE=""
if [[ "${QUICK}" == 1 ]]; then
  QUICK_NOTE="
**A quick run (BENCH_QUICK=1): ${WARMUP_SECONDS} s warm-ups, ${SECONDS_PER_PHASE} s windows and a
big table of ${BIG_ROWS} rows. It shows the harness works end to end; its
figures are not the targets' measurements.**
"
fi
# Figures from a busy machine are worth little on their own; say so.
BUSY_NOTE=""
if ((CPU_BUSY_BEFORE > 25)); then
  BUSY_NOTE="
**Other work was using ${CPU_BUSY_BEFORE} % of the CPUs when this run
started: the figures understate an idle machine, and the baseline and the
server phases, taken minutes apart, may have met different loads.**
"
fi
BUILD_NOTE="Release build in build-bench/"
if [[ "${BENCH_SKIP_BUILD:-0}" == 1 ]]; then
  BUILD_NOTE="binaries already in build-bench/ (BENCH_SKIP_BUILD=1: not rebuilt)"
fi
RAW_PHASES="$(for name in "${PHASE_ORDER[@]}"; do
  if [[ "${name}" == create-* ]]; then
    table="${name#create-}"
    echo "pgbench-${table}: tps=${PGBENCH_TPS[${table}]} latency_avg_ms=${PGBENCH_LATENCY[${table}]} postgres_cpu_s=${PGBENCH_PG_CPU[${table}]}"
  fi
  echo "${name}: ${PHASE[${name}]}"
done)"
SERVER_LINES="$(for label in "${!SERVER_NOTES[@]}"; do
  echo "  - ${label}: ${SERVER_NOTES[${label}]}"
done | sort)"

TMP_RESULTS="$(mktemp "${ROOT}/bench/.RESULTS.XXXXXX")"
chmod 0644 "${TMP_RESULTS}"
cat >"${TMP_RESULTS}" <<END_OF_RESULTS
# Benchmark results

Written by \`bench/run.sh\`; the targets are the service's
performance targets in the tables below. Each run replaces this file.
${QUICK_NOTE}
- Date: $(date -u '+%Y-%m-%d %H:%M UTC')
- Command: \`${COMMAND}\`, from the repository root
- Source: commit ${COMMIT}${DIRTY}; ${BUILD_NOTE}
- Machine: $(nproc) CPUs (${CPU_MODEL}), ${MEMORY} RAM, $(uname -sr).
  Before the run ${CPU_BUSY_BEFORE} % of the CPUs were busy with other work;
  load average (1, 5, 15 min) before: ${LOAD_BEFORE}; after: ${LOAD_AFTER}.
  The load generator, the server and PostgreSQL share these CPUs with
  other work, so the figures move from run to run.
- PostgreSQL: ${PG_VERSION}; data on ${DATA_FS}; ${DURABILITY}
  (the defaults); one cluster for the baseline and the server; loopback
  only.
- Load: ${CONCURRENCY} callers, ${CHANNELS_TEXT}; each phase ${WARMUP_SECONDS} s of
  warm-up, then ${SECONDS_PER_PHASE} s measured.
- Server: default flags (pool of 8 database connections, log level info)
  except \`--rules_file\`: bench/rules-no-flood.yaml (flood control off)
  for the flood-off phases, bench/rules-flood-on.yaml (every flood limit at
  its default; 127.0.0.1 trusted as a proxy) for the flood-on phases. A
  fresh server for each, started after the table was prepared.

## Verdicts
${BUSY_NOTE}
${TABLE}

## The big table against the small one

Small table: ${SMALL_ROWS} seeded comments (${READ_THREADS} threads of
${COMMENTS_PER_THREAD}), ${SMALL_ROWS_AFTER} rows after its phases. Big table:
${BULK_THREADS} more threads bulk-loaded by SQL (bench/seed_comments.sql,
INSERT ... SELECT generate_series) in ${BULK_SECONDS} s including VACUUM
ANALYZE and a CHECKPOINT, ${BIG_ROWS_BEFORE} rows in all (${BIG_ROWS} seeded
over ${BIG_THREADS} threads, plus the small table's created comments;
${TABLE_SIZE}), ${BIG_ROWS_AFTER} after its phases. The seeded comments
are ${SEEDED_STATES}, in the same proportions in every thread. After
each load the script runs VACUUM ANALYZE, as autovacuum would on a live
site, so the planner has statistics and count can use the visibility map.
The read phases pick threads from the same ${READ_THREADS} read threads on
both tables, so only the table's size differs.

${BIG_TABLE}

## Acknowledged creates stored

${VERIFY_LINES}
## CPU per phase (over the measured window)

${CPU_TABLE}

The load generator's is its own getrusage; the server's and PostgreSQL's
(the postmaster and its backends) are from /proc at the window's edges.
pgbench's own CPU is not measured.

## How each figure is made

- **pgbench baseline**: \`${PGBENCH_COMMAND}\`
  after a ${WARMUP_SECONDS} s warm-up run, right before each table's
  phases (the create figures of a table are over its own baseline), on its
  own database with every migration of the server applied in order
  (${MIGRATIONS}): the service's INSERT with random values, one
  transaction each. Average latency ${PGBENCH_LATENCY[small]} ms (small),
  ${PGBENCH_LATENCY[big]} ms (big); failed transactions:
  ${PGBENCH_FAILED[small]:-0}, ${PGBENCH_FAILED[big]:-0}.
- **CreateComment** (\`comments_load --mode=create\`): every call a new email
  and body, so no duplicate rule fires, on one of ${CREATE_THREADS} threads of
  the phase's own prefix. rps counts successful calls that completed in the
  measured window.
- **CreateComment, flood control on** (\`--distinct_client_ips\`): the same,
  each call naming in x-forwarded-for a public IPv4 address that no other
  call of the run names, scattered over the address space; the server keys
  flood limits on the client network (/32 for IPv4 by default), so none is
  reached, and a refusal counts as a failed call. Flood-control state rows
  (submission_limits) after the phase: ${FLOOD_KEYS[small]} (small table),
  ${FLOOD_KEYS[big]} (big table).
- **After each create phase** the rows of its threads must equal the calls
  the load generator had answered (\`acknowledged\`, warm-up included).
- **ListComments** (\`--mode=list\`): the first page of 20, and of 50,
  comments of a thread picked at random per call from ${READ_THREADS} threads
  with 85 approved comments each; a shorter page counts as a failed call.
- **CountComments** (\`--mode=count\`): ${COUNT_PARENTS} distinct threads of the
  same set per call; a missing count, or one below ${MIN_APPROVED}, counts as a
  failed call.
- **Health check**: \`grpc.health.v1.Health/Check\` at the same concurrency.
- **RSS**: VmRSS of each server a second after start-up (before any call)
  and a second after its last phase; VmHWM before it stops. Servers:
${SERVER_LINES}
- Latency percentiles include failed calls; the load generator does not retry.

## EXPLAIN (ANALYZE, BUFFERS) of the public queries

The public reads of service/storage/comment_sql.h (bench/public_queries.sql:
ListComments' first page of 20 and of 50, CountComments of 100 threads,
GetComment), each table after its phases.

### Big table

${EXPLAIN_BIG}

### Small table

${EXPLAIN_SMALL}

## Raw output

\`\`\`
${RAW_PHASES}
\`\`\`
END_OF_RESULTS
mv "${TMP_RESULTS}" "${RESULTS}"
TMP_RESULTS=""
log "wrote ${RESULTS#"${ROOT}"/}"
if ((VERIFY_FAILED)); then
  log "FAIL: stored comments differ from acknowledged creates"
  exit 1
fi
