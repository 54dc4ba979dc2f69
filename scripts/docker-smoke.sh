#!/usr/bin/env bash
# Proves on this machine that the Docker image builds and the compose stack
# answers, with no image registry:
#
#  1. starts a Docker engine if none answers (dockerd --bridge=none
#     --iptables=false: containers share the host's network, so every
#     connection stays on loopback), and stops only an engine it started;
#  2. makes a Debian bookworm base image with debootstrap unless it exists;
#  3. builds the project's images (Dockerfile, and deploy/web/Dockerfile's
#     gateway and web, every stage on that base) and a PostgreSQL image from
#     Debian's package (deploy/smoke/);
#  4. brings up postgres, migrate, comments, gateway and web with
#     docker-compose.yml plus deploy/smoke/docker-compose.host.yml, with
#     fresh secrets from scripts/make-secrets.sh and deploy/smoke/rules.yaml
#     (the compose file's rules, with the gateway and the site at 127.0.0.1);
#  5. waits for every health check, checks the probe and the migrations
#     (the migrate service ran as the owner and exited 0; the service
#     connects as its own role, no superuser, which can neither disable the
#     audit trail's triggers nor delete its rows),
#     creates a moderator (comments_server moderators add), submits a
#     comment through the public service with commentctl in the container,
#     checks it is not public yet and that the moderator's view decrypts its
#     email, approves it, reads it back from the public list (with the
#     host's commentctl when it is built); fetches the example site's
#     article page, submits its form as a reader would (curl: a form POST,
#     answered with a redirect to the held comment's notice), approves that
#     comment and finds it on the page and through the gateway's JSON
#     protocol, checks that ModerationService is 404 there; checks that
#     neither an email nor the token appears in any log or page, stops the
#     site and the gateway (exit 0), then the service with SIGTERM while a
#     WatchQueue stream is open and checks it exited 0 within Docker's stop
#     timeout;
#  6. tears everything down (containers, network, volume, temporary files).
#
# Exits non-zero on the first failure, after printing the containers' logs.
# Run as root (it installs docker.io, docker-compose, debootstrap and jq if
# missing and may start dockerd). Images are kept between runs as a build
# cache; older ones this script built are removed.
#
# Environment: SMOKE_BASE_IMAGE (default comments-local/bookworm:minbase),
# DEBIAN_MIRROR (default http://deb.debian.org/debian), SMOKE_TIMEOUT_S
# (health wait, default 180), SMOKE_HOST_COMMENTCTL (the host's commentctl,
# default build/client/cli/commentctl).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "${ROOT}"

BASE_IMAGE="${SMOKE_BASE_IMAGE:-comments-local/bookworm:minbase}"
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
SECURITY_MIRROR="${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}"
SERVER_IMAGE="comments-server:smoke"
BUILD_STAGE_IMAGE="comments-server-build:smoke"
POSTGRES_IMAGE="comments-postgres:smoke"
PROJECT="comments-smoke"
HEALTH_TIMEOUT_S="${SMOKE_TIMEOUT_S:-180}"
# Images built by this script carry this label, so old ones can be removed
# without touching anyone else's.
IMAGE_LABEL="org.example.comments.smoke"

WORK="$(mktemp -d /tmp/comments-docker-smoke.XXXXXX)"
started_dockerd_pid=""
watch_pid=""
stack_up=0
failed=1

log() { echo "docker-smoke: $*" >&2; }
die() {
  log "FAILED: $*"
  exit 1
}

# shellcheck disable=SC2317  # called from the EXIT trap
cleanup() {
  local status=$?
  if [[ -n "${watch_pid}" ]]; then
    kill "${watch_pid}" 2>/dev/null || true
  fi
  if ((stack_up)); then
    if ((failed)); then
      log "container logs:"
      compose logs --no-color --timestamps >&2 || true
    fi
    compose down --volumes --remove-orphans --timeout 10 >/dev/null 2>&1 ||
      log "could not remove the stack ${PROJECT}"
  fi
  if [[ -n "${started_dockerd_pid}" ]]; then
    if ((failed)) && ! docker info >/dev/null 2>&1; then
      log "the engine does not answer; dockerd log (last lines):"
      tail -n 20 "${WORK}/dockerd.log" >&2 || true
    fi
    log "stopping the Docker engine this script started (pid ${started_dockerd_pid})"
    kill -TERM "${started_dockerd_pid}" 2>/dev/null || true
    local waited=0
    while kill -0 "${started_dockerd_pid}" 2>/dev/null && ((waited < 60)); do
      sleep 0.5
      waited=$((waited + 1))
    done
    if kill -0 "${started_dockerd_pid}" 2>/dev/null; then
      log "dockerd did not stop in 30 s; its log: ${WORK}/dockerd.log"
      return
    fi
  fi
  rm -rf "${WORK}"
  if ((status == 0 && !failed)); then
    log "PASSED"
  fi
}
trap cleanup EXIT

# Polls `"$@"` once a second until it succeeds or `timeout` seconds pass.
wait_for() {
  local timeout="$1" what="$2"
  shift 2
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || die "timed out after ${timeout} s waiting for ${what}"
    sleep 1
  done
}

# --- 1. tools and engine -----------------------------------------------------

((EUID == 0)) || die "run as root: it may install packages and start dockerd"

install_missing() {
  local missing=() package status
  for package in "$@"; do
    status="$(dpkg-query -W -f='${db:Status-Status}' "${package}" 2>/dev/null || true)"
    [[ "${status}" == "installed" ]] || missing+=("${package}")
  done
  ((${#missing[@]} == 0)) && return 0
  log "installing ${missing[*]}"
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    "${missing[@]}" >/dev/null
}
# docker.io brings dockerd (Debian bookworm's 20.10); docker-compose is
# Debian's Compose (v1.29), since bookworm has no compose plugin package;
# jq reads commentctl's --json output; curl plays the reader's browser.
install_missing docker.io docker-compose debootstrap jq curl

# The legacy builder: Debian's engine has no buildx, and it honours
# --network host for RUN steps.
export DOCKER_BUILDKIT=0 COMPOSE_DOCKER_CLI_BUILD=0

if docker info >/dev/null 2>&1; then
  log "using the running Docker engine"
else
  log "starting dockerd --bridge=none --iptables=false"
  # Its own pid file, so a stale /var/run/docker.pid left by an engine that
  # was killed cannot stop it from starting.
  dockerd --bridge=none --iptables=false --pidfile="${WORK}/dockerd.pid" \
    >"${WORK}/dockerd.log" 2>&1 &
  started_dockerd_pid=$!
  wait_for 60 "the Docker engine" docker info
fi

if docker-compose version >/dev/null 2>&1; then
  COMPOSE=(docker-compose)
elif docker compose version >/dev/null 2>&1; then
  COMPOSE=(docker compose)
else
  die "neither docker-compose nor the docker compose plugin works"
fi

# The stack's configuration for this machine, written by write_config below.
STACK_FILE="${WORK}/stack.yml"
compose() {
  "${COMPOSE[@]}" --project-name "${PROJECT}" --project-directory "${ROOT}" \
    -f "${STACK_FILE}" "$@"
}

# docker-compose.yml minus every published port and fixed address, with
# deploy/smoke/docker-compose.host.yml merged in (see that file; an override
# can add to a compose file but not remove from it). Debian's
# docker-compose depends on python3-yaml, so Debian's python3 can edit it.
write_config() {
  # Compose refuses host networking beside fixed addresses even while
  # merging, so those (and the ports) go before the override is merged in.
  "${COMPOSE[@]}" --project-name "${PROJECT}" --project-directory "${ROOT}" \
    -f "${ROOT}/docker-compose.yml" config >"${WORK}/base.yml"
  /usr/bin/python3 - "${WORK}/base.yml" "${WORK}/base-stripped.yml" <<'PY'
import sys
import yaml

with open(sys.argv[1]) as base:
    config = yaml.safe_load(base)
for service in config["services"].values():
    service.pop("ports", None)
    service.pop("networks", None)
with open(sys.argv[2], "w") as out:
    yaml.safe_dump(config, out, default_flow_style=False)
PY
  "${COMPOSE[@]}" --project-name "${PROJECT}" --project-directory "${ROOT}" \
    -f "${WORK}/base-stripped.yml" \
    -f "${ROOT}/deploy/smoke/docker-compose.host.yml" config >"${STACK_FILE}"
}

# --- 2. base image -----------------------------------------------------------

if docker image inspect "${BASE_IMAGE}" >/dev/null 2>&1; then
  log "base image ${BASE_IMAGE} exists"
else
  log "making base image ${BASE_IMAGE} with debootstrap (about a minute)"
  rootfs="${WORK}/rootfs"
  debootstrap --variant=minbase bookworm "${rootfs}" "${MIRROR}" \
    >"${WORK}/debootstrap.log" 2>&1 ||
    {
      tail -n 30 "${WORK}/debootstrap.log" >&2
      die "debootstrap failed"
    }
  # The suites of the official image, so security updates are installable.
  cat >"${rootfs}/etc/apt/sources.list" <<EOF
deb ${MIRROR} bookworm main
deb ${MIRROR} bookworm-updates main
deb ${SECURITY_MIRROR} bookworm-security main
EOF
  rm -rf "${rootfs}"/var/lib/apt/lists/* "${rootfs}"/var/cache/apt/archives/*.deb
  tar -C "${rootfs}" -c . | docker import - "${BASE_IMAGE}" >/dev/null
  rm -rf "${rootfs}"
fi

# --- 3. images ---------------------------------------------------------------

# build_image TAG WHAT CONTEXT [docker build options...]
build_image() {
  local tag="$1" what="$2" context="$3"
  shift 3
  log "building ${what} (${tag})"
  local started=${SECONDS}
  if ! docker build --network host --label "${IMAGE_LABEL}=1" \
    --build-arg "BUILD_IMAGE=${BASE_IMAGE}" --build-arg "BASE_IMAGE=${BASE_IMAGE}" \
    -t "${tag}" "$@" "${context}" >"${WORK}/build.log" 2>&1; then
    tail -n 60 "${WORK}/build.log" >&2
    die "docker build of ${what} failed"
  fi
  log "built ${tag} in $((SECONDS - started)) s"
}
# The builds of one image read one copy of the sources, so the second
# reuses every layer of the first even if the tree is edited meanwhile. The
# service's copy leaves out the web frontends and theirs has only what they
# build from, so an edit to one never invalidates the other's cache.
SOURCES="${WORK}/src"
WEB_SOURCES="${WORK}/web-src"
mkdir -p "${SOURCES}" "${WEB_SOURCES}"
tar -C "${ROOT}" --exclude=./.git --exclude='./build*' --exclude=./.local \
  --exclude=./secrets --exclude=./gateway --exclude=./examples/web \
  --exclude=./deploy/web -c . |
  tar -C "${SOURCES}" -x
tar -C "${ROOT}" --exclude=node_modules --exclude=./gateway/src/gen \
  --exclude=./examples/web/gen --exclude=./examples/web/test-results \
  --exclude=./examples/web/public/comment-form.js \
  -c ./.dockerignore ./proto ./gateway ./examples/web ./deploy/web |
  tar -C "${WEB_SOURCES}" -x
# Build stages get tags of their own so the next run reuses their layers
# (installed packages) after older images are removed below.
build_image "${BUILD_STAGE_IMAGE}" "the build stage" "${SOURCES}" --target build
build_image "${SERVER_IMAGE}" "the service image" "${SOURCES}"
# npm in those builds trusts what this machine trusts beyond Debian's
# certificates (its local CAs, e.g. a TLS-inspecting proxy's).
extra_ca="$(cat /usr/local/share/ca-certificates/*.crt 2>/dev/null || true)"
for web_image in gateway web; do
  build_image "comments-${web_image}-build:smoke" "the ${web_image} build stage" \
    "${WEB_SOURCES}" -f "${WEB_SOURCES}/deploy/web/Dockerfile" --target "${web_image}-build" \
    --build-arg "EXTRA_CA_CERTS=${extra_ca}"
  build_image "comments-${web_image}:smoke" "the ${web_image} image" \
    "${WEB_SOURCES}" -f "${WEB_SOURCES}/deploy/web/Dockerfile" --target "${web_image}" \
    --build-arg "EXTRA_CA_CERTS=${extra_ca}"
done
build_image "${POSTGRES_IMAGE}" "PostgreSQL from Debian's package" \
  "${ROOT}/deploy/smoke" -f "${ROOT}/deploy/smoke/postgres.Dockerfile"
docker image prune --force --filter "label=${IMAGE_LABEL}" >/dev/null

for image in "${SERVER_IMAGE}" comments-gateway:smoke comments-web:smoke; do
  [[ "$(docker run --rm --entrypoint id "${image}" -u)" != "0" ]] ||
    die "the image ${image} runs as root"
done

# --- 4. the stack ------------------------------------------------------------

# A free port on 127.0.0.1: nothing accepts a connection there.
free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 30000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/${port}") 2>/dev/null; then
      echo "${port}"
      return
    fi
  done
}

bash "${ROOT}/scripts/make-secrets.sh" "${WORK}/secrets" >/dev/null
export COMMENTS_SECRETS_DIR="${WORK}/secrets"
export COMMENTS_IMAGE="${SERVER_IMAGE}" SMOKE_POSTGRES_IMAGE="${POSTGRES_IMAGE}"
export GATEWAY_IMAGE=comments-gateway:smoke WEB_IMAGE=comments-web:smoke
export COMMENTS_RULES_PATH="${ROOT}/deploy/smoke/rules.yaml"
# The site believes X-Forwarded-For from loopback, where curl, playing a
# reader behind the site's load balancer, names its reader.
export WEB_TRUST_PROXY=loopback
export POSTGRES_DB=comments POSTGRES_USER=comments
# Four distinct free ports.
ports=()
while ((${#ports[@]} < 4)); do
  port="$(free_port)"
  [[ " ${ports[*]} " == *" ${port} "* ]] || ports+=("${port}")
done
SMOKE_PG_PORT="${ports[0]}" SMOKE_GRPC_PORT="${ports[1]}"
SMOKE_GATEWAY_PORT="${ports[2]}" SMOKE_WEB_PORT="${ports[3]}"
export SMOKE_PG_PORT SMOKE_GRPC_PORT SMOKE_GATEWAY_PORT SMOKE_WEB_PORT
ADDRESS="127.0.0.1:${SMOKE_GRPC_PORT}"

write_config
# A stack left behind by an interrupted run would hold the names.
compose down --volumes --remove-orphans >/dev/null 2>&1 || true
log "starting postgres (port ${SMOKE_PG_PORT}), comments (${ADDRESS})," \
  "gateway (port ${SMOKE_GATEWAY_PORT}) and web (port ${SMOKE_WEB_PORT})"
stack_up=1
compose up -d --no-build postgres comments gateway web >"${WORK}/up.log" 2>&1 ||
  {
    cat "${WORK}/up.log" >&2
    die "docker-compose up failed"
  }

container_of() { compose ps -q "$1"; }
health_of() {
  docker inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{end}}' \
    "$(container_of "$1")"
}
is_healthy() { [[ "$(health_of "$1")" == "healthy" ]]; }

wait_for "${HEALTH_TIMEOUT_S}" "postgres to be healthy" is_healthy postgres
wait_for "${HEALTH_TIMEOUT_S}" "comments to be healthy" is_healthy comments
wait_for "${HEALTH_TIMEOUT_S}" "gateway to be healthy" is_healthy gateway
wait_for "${HEALTH_TIMEOUT_S}" "web to be healthy" is_healthy web
log "all four containers are healthy"

# The health check itself, run as Docker runs it.
probe_output="$(compose exec -T comments comments_probe)" ||
  die "comments_probe in the container failed: ${probe_output}"
[[ "${probe_output}" == "status: SERVING" ]] ||
  die "comments_probe said '${probe_output}'"

# psql in the database container as role $1 (local connections are trusted).
sql_as() {
  compose exec -T postgres psql -U "$1" -d comments -X -A -t \
    -v ON_ERROR_STOP=1 -c "$2"
}

# The migrate service ran before the service: every migration file is
# recorded as applied.
migrate_exit="$(docker inspect -f '{{.State.ExitCode}}' "$(container_of migrate)")"
[[ "${migrate_exit}" == "0" ]] || die "migrate exited with ${migrate_exit}"
expected="$(find "${SOURCES}/service/storage/migrations" -name '*.sql' | wc -l)"
applied="$(sql_as comments "SELECT count(*) FROM schema_migrations")"
[[ "${applied}" == "${expected}" ]] ||
  die "${applied} migrations applied, expected ${expected}"
log "all ${applied} migrations applied"

# The service connects as comments_service, which is no superuser and owns
# nothing: the audit trail's triggers and rows are out of its reach.
[[ "$(sql_as comments "SELECT count(*) > 0 FROM pg_stat_activity
  WHERE usename = 'comments_service'")" == "t" ]] ||
  die "the service does not connect as comments_service"
[[ "$(sql_as comments "SELECT rolsuper FROM pg_roles
  WHERE rolname = 'comments_service'")" == "f" ]] ||
  die "comments_service is a superuser"
if refused="$(sql_as comments_service \
  "ALTER TABLE moderation_events DISABLE TRIGGER ALL" 2>&1)"; then
  die "the service role disabled the audit trail's triggers"
fi
grep -q "must be owner" <<<"${refused}" || die "unexpected answer: ${refused}"
if refused="$(sql_as comments_service "DELETE FROM moderation_events" 2>&1)"; then
  die "the service role deleted audit rows"
fi
grep -q "permission denied" <<<"${refused}" || die "unexpected answer: ${refused}"
log "the service runs as comments_service, which cannot touch the audit trail"

# --- 5. the public service and the moderator CLI -----------------------------

SMOKE_EMAIL="smoke-reader-$$@example.org"
SMOKE_THREAD="docker-smoke-$$"

# commentctl inside the service's container, as an operator would use it.
commentctl() {
  compose exec -T -e COMMENTS_SERVER="${ADDRESS}" \
    -e COMMENTS_TOKEN="${MODERATOR_TOKEN:-}" comments commentctl "$@"
}

# A moderator, created as an operator would: the token is printed once.
# (Not with `docker-compose run`: Compose v1 links a one-off container to
# the service's running one, which host networking forbids.)
MODERATOR_TOKEN="$(compose exec -T comments comments_server moderators add \
  smoke-moderator 2>"${WORK}/moderator.log")" ||
  die "comments_server moderators add failed: $(cat "${WORK}/moderator.log")"
[[ "${MODERATOR_TOKEN}" =~ ^[^[:space:]]{16,}$ ]] ||
  die "moderators add printed no token"
log "created moderator smoke-moderator"

# A reader's comment through the public CommentService.
created="$(commentctl --json submit --thread "${SMOKE_THREAD}" \
  --name "Smoke Reader" --email "${SMOKE_EMAIL}" \
  --body "Checking that the container stack answers.")" ||
  die "commentctl submit failed"
COMMENT="$(jq -r '.name' <<<"${created}")"
[[ "${COMMENT}" == "threads/${SMOKE_THREAD}/comments/"* ]] ||
  die "submit returned no comment name: ${COMMENT}"
[[ "$(jq -r '.state' <<<"${created}")" == "PENDING" ]] ||
  die "a new comment is not PENDING: $(jq -c '.state' <<<"${created}")"
[[ "$(jq 'has("author_email")' <<<"${created}")" == "false" ]] ||
  die "the public response carries an email field"
log "submitted ${COMMENT} (PENDING)"

# Pending comments are not public.
listed="$(commentctl --json list "${SMOKE_THREAD}")" || die "commentctl list failed"
[[ "$(jq '[.comments[]?] | length' <<<"${listed}")" == "0" ]] ||
  die "a pending comment is listed publicly"

# The moderator's view decrypts the email with the keys from the secrets.
shown="$(commentctl --json show "${COMMENT}")" || die "commentctl show failed"
[[ "$(jq -r '.author_email' <<<"${shown}")" == "${SMOKE_EMAIL}" ]] ||
  die "the moderator's view does not show the submitted email"

commentctl approve "${COMMENT}" >/dev/null || die "commentctl approve failed"
log "approved ${COMMENT}"

# Read back through the public service: listed, APPROVED, same body. From
# the host with the host's commentctl when it is built (scripts/test.sh
# builds it before CI runs this), else in the container.
HOST_COMMENTCTL="${SMOKE_HOST_COMMENTCTL:-${ROOT}/build/client/cli/commentctl}"
if [[ -x "${HOST_COMMENTCTL}" ]]; then
  listed="$(COMMENTS_SERVER="${ADDRESS}" "${HOST_COMMENTCTL}" --json \
    list "${SMOKE_THREAD}")" || die "the host's commentctl list failed"
  log "listed the thread with the host's commentctl"
else
  listed="$(commentctl --json list "${SMOKE_THREAD}")" ||
    die "commentctl list failed"
fi
[[ "$(jq -r --arg name "${COMMENT}" \
  '[.comments[]? | select(.name == $name) | .state] | join(",")' \
  <<<"${listed}")" == "APPROVED" ]] ||
  die "the approved comment is not listed publicly: $(jq -c . <<<"${listed}")"
[[ "$(jq -r '.comments[0].body' <<<"${listed}")" == \
  "Checking that the container stack answers." ]] ||
  die "the listed body differs from the submitted one"
log "read ${COMMENT} back from the public list"

# --- the web frontends --------------------------------------------------------

SITE="http://127.0.0.1:${SMOKE_WEB_PORT}"
GATEWAY="http://127.0.0.1:${SMOKE_GATEWAY_PORT}"
ARTICLE="harbour-ferry-returns"
WEB_EMAIL="smoke-site-reader-$$@example.org"
# No character that HTML escaping changes, so the page can be grepped.
WEB_BODY="Sent with the form of the example site, in the container stack."
# A documentation address: the reader curl plays, named by the site's
# (pretended) load balancer.
WEB_READER_IP="192.0.2.44"

page="$(curl -fsS "${SITE}/articles/${ARTICLE}")" || die "the article page did not load"
grep -q '>Submit a Comment<' <<<"${page}" || die "the article page has no comment form"
grep -q 'Your email address will not be published.' <<<"${page}" ||
  die "the form does not say the email stays private"
request_id="$(sed -n 's/.*name="request_id" id="request_id" value="\([0-9a-f-]\{36\}\)".*/\1/p' \
  <<<"${page}")"
[[ -n "${request_id}" ]] || die "the form has no request_id"

# The form as a browser without JavaScript posts it: the answer is a
# redirect (Post/Redirect/Get) to the page with the held comment's notice.
answer="$(curl -sS -o /dev/null -w '%{http_code} %{redirect_url}' \
  -H "X-Forwarded-For: ${WEB_READER_IP}" \
  --data-urlencode "author_name=Site Reader" --data-urlencode "author_email=${WEB_EMAIL}" \
  --data-urlencode "body=${WEB_BODY}" --data-urlencode "request_id=${request_id}" \
  "${SITE}/articles/${ARTICLE}/comments")" || die "the form POST failed"
[[ "${answer}" == "303 ${SITE}/articles/${ARTICLE}?notice="* ]] ||
  die "the form POST was answered with '${answer}', not a redirect to a notice"
notice_page="$(curl -fsS "${answer#303 }")" || die "the notice page did not load"
grep -q 'Your comment is awaiting moderation.' <<<"${notice_page}" ||
  die "the answer does not say the comment awaits moderation"
grep -qF "${WEB_BODY}" <<<"${notice_page}" || die "the answer does not show the held comment"
log "submitted the site's form: held, with its notice"

held="$(commentctl --json queue --thread "${ARTICLE}" |
  jq -c --arg body "${WEB_BODY}" '[.comments[]? | select(.comment.body == $body)]')"
[[ "$(jq length <<<"${held}")" == "1" ]] || die "the site's comment is not queued once: ${held}"
[[ "$(jq -r '.[0].client_ip' <<<"${held}")" == "${WEB_READER_IP}" ]] ||
  die "the service did not get the reader's address from the site"
[[ "$(jq -r '.[0].user_agent' <<<"${held}")" == curl/* ]] ||
  die "the service did not get the reader's user agent from the site"
commentctl approve "$(jq -r '.[0].comment.name' <<<"${held}")" >/dev/null ||
  die "commentctl approve of the site's comment failed"

page="$(curl -fsS "${SITE}/articles/${ARTICLE}")" || die "the article page did not load"
grep -qF "${WEB_BODY}" <<<"${page}" || die "the approved comment is not on the page"
! grep -qF -e "${WEB_EMAIL}" -e "${SMOKE_EMAIL}" <<<"${page}${notice_page}" ||
  die "an email address appears in a page"
log "the approved comment is on the article page"

# Browsers' way in: CommentService through the gateway, here in Connect's
# JSON protocol as curl users call it; ModerationService is not there.
listed="$(curl -fsS -X POST -H 'content-type: application/json' \
  -d "{\"parent\": \"threads/${ARTICLE}\"}" \
  "${GATEWAY}/comments.v1.CommentService/ListComments")" || die "ListComments through the gateway failed"
[[ "$(jq --arg body "${WEB_BODY}" '[.comments[]? | select(.body == $body)] | length' \
  <<<"${listed}")" == "1" ]] || die "the gateway does not list the approved comment: ${listed}"
status="$(curl -sS -o /dev/null -w '%{http_code}' -X POST -H 'content-type: application/json' \
  -d '{}' "${GATEWAY}/comments.v1.ModerationService/ListQueue")"
[[ "${status}" == "404" ]] || die "ModerationService answered ${status} through the gateway"
log "the gateway lists the comment and has no ModerationService"

# No email and no token in any log line of the stack.
stack_logs="$(compose logs --no-color 2>&1)"
if grep -F -q -e "${SMOKE_EMAIL}" -e "${WEB_EMAIL}" -e "${MODERATOR_TOKEN}" <<<"${stack_logs}"; then
  die "an email address or a token appears in the container logs"
fi

# --- 6. SIGTERM --------------------------------------------------------------

# The site and the gateway end cleanly on docker stop.
for service in web gateway; do
  docker stop --time 10 "$(container_of "${service}")" >/dev/null
  code="$(docker inspect -f '{{.State.ExitCode}}' "$(container_of "${service}")")"
  [[ "${code}" == "0" ]] || die "${service} exited with ${code} after SIGTERM"
done
log "web and gateway exited 0 after SIGTERM"

container="$(container_of comments)"

# A moderator's open WatchQueue stream must not hold the shutdown past
# Docker's stop timeout.
commentctl watch >"${WORK}/watch.out" 2>&1 &
watch_pid=$!
watch_started() {
  docker logs "${container}" 2>&1 | grep -q '"msg":"queue watch started"'
}
wait_for 30 "commentctl watch to open its stream" watch_started

stop_started=${SECONDS}
# docker stop sends the image's STOPSIGNAL (SIGTERM) and kills after 10 s:
# exit code 0 means the server drained and exited by itself in time.
docker stop --time 10 "${container}" >/dev/null
exit_code="$(docker inspect -f '{{.State.ExitCode}}' "${container}")"
[[ "${exit_code}" == "0" ]] ||
  die "comments exited with ${exit_code} after SIGTERM (137 means killed)"
docker logs "${container}" 2>&1 | grep -q '"msg":"stopped"' ||
  die "comments did not log its clean stop"
log "comments exited 0 $((SECONDS - stop_started)) s after SIGTERM, with a watch open"
watch_ended() { ! kill -0 "${watch_pid}" 2>/dev/null; }
wait_for 15 "commentctl watch to end with the server" watch_ended
watch_pid=""

failed=0
