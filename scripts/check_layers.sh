#!/usr/bin/env bash
# Fails when a dependency crosses a layer the wrong way:
# - the client library (client/lib) ships to other programs: it includes no
#   code under service/ and links no service library;
# - the domain (service/domain) is pure logic: it includes no gRPC, libpqxx
#   or generated protobuf header, and neither it nor comments_common links
#   protobuf, gRPC or libpqxx, directly or not;
# - the use cases (service/app) know no transport: no gRPC or protobuf
#   header;
# - only the API layer builds google.rpc details: storage and security
#   include no google/rpc/ header;
# - only service/metrics and main.cc know Prometheus: no other code under
#   service/ includes a prometheus/ header, so every layer reports through
#   its own observer interface.
# Reads the includes of the sources, and the link graph that CMake writes
# for the configured tree in build/ (configure first: scripts/build.sh).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "${ROOT}"
failed=0

# forbid_includes FOLDER PATTERN WHY: no source under FOLDER includes a
# header matching PATTERN (an extended regular expression on the path).
forbid_includes() {
  local found
  found="$(grep -rnE "^[[:space:]]*#[[:space:]]*include[[:space:]]*[<\"]($2)" \
    "$1" --include='*.h' --include='*.cc' || true)"
  if [[ -n "${found}" ]]; then
    echo "layer check: $3:" >&2
    echo "${found}" >&2
    failed=1
  fi
}

forbid_includes client/lib 'service/' \
  'the client library includes code under service/'
forbid_includes service/domain 'grpc|grpcpp/|pqxx|google/protobuf/|google/rpc/|comments/v1/' \
  'the domain includes a gRPC, libpqxx or protobuf header'
forbid_includes service/app 'grpc|grpcpp/|google/protobuf/|google/rpc/|comments/v1/|prometheus/' \
  'a use case includes a gRPC, protobuf or Prometheus header'
forbid_includes service/storage 'google/rpc/' \
  'storage builds google.rpc details (the API layer does)'
forbid_includes service/security 'google/rpc/' \
  'security builds google.rpc details (the API layer does)'
for folder in service/*/; do
  if [[ "${folder}" != service/metrics/ ]]; then
    forbid_includes "${folder%/}" 'prometheus/' \
      'only service/metrics and main.cc include prometheus-cpp'
  fi
done

# Every target that `target` links, directly or not, from CMake's graph.
graph_dir="$(mktemp -d)"
trap 'rm -rf "${graph_dir}"' EXIT
cmake -S . -B build --graphviz="${graph_dir}/deps.dot" >/dev/null
linked_by() {
  awk -v root="$1" '
    /\[ *label *=/ {
      match($0, /"node[0-9]+"/); id = substr($0, RSTART, RLENGTH)
      match($0, /label *= *"[^"]*"/); label = substr($0, RSTART, RLENGTH)
      sub(/label *= *"/, "", label); sub(/"$/, "", label)
      name[id] = label; if (label == root) start = id
    }
    / -> / { split($0, parts, " -> "); from = parts[1]; to = parts[2]
      sub(/^[ \t]*/, "", from); sub(/[ \t;].*$/, "", to)
      edges[from] = edges[from] " " to }
    END {
      queue[1] = start; seen[start] = 1; n = 1
      for (i = 1; i <= n; i++) {
        count = split(edges[queue[i]], next_ids, " ")
        for (j = 1; j <= count; j++) if (!(next_ids[j] in seen)) {
          seen[next_ids[j]] = 1; queue[++n] = next_ids[j]; print name[next_ids[j]]
        }
      }
    }' "${graph_dir}/deps.dot"
}

# The service's libraries are every comments_* target but the contract's.
service_libs="$(linked_by comments_client |
  grep -E '^comments_' | grep -vE '^comments_proto$' || true)"
if [[ -n "${service_libs}" ]]; then
  echo "layer check: the client library links service code:" ${service_libs} >&2
  failed=1
fi

# Pure layers: nothing they link, directly or not, is protobuf, gRPC or
# libpqxx (the contract's generated code is protobuf).
for pure in comments_common comments_domain; do
  transport="$(linked_by "${pure}" |
    grep -iE '^comments_proto$|protobuf|grpc|pqxx|^PkgConfig::PQ$' || true)"
  if [[ -n "${transport}" ]]; then
    echo "layer check: ${pure} links" ${transport} >&2
    failed=1
  fi
done

# Nothing but the metrics library (and the binaries) links prometheus-cpp.
for layer in comments_common comments_domain comments_storage comments_app \
  comments_api comments_security; do
  metrics_libs="$(linked_by "${layer}" | grep -iE 'prometheus' || true)"
  if [[ -n "${metrics_libs}" ]]; then
    echo "layer check: ${layer} links" ${metrics_libs} >&2
    failed=1
  fi
done

if [[ "${failed}" -ne 0 ]]; then exit 1; fi
echo "layer check: clean"
