# Sourced by scripts/sanitize.sh and scripts/fuzz.sh: configures one
# instrumented build directory the way both expect it.
#
#   configure_instrumented DIR SANITIZERS [cmake options...]
#
# clang, -O1 with line tables only (enough for the sanitizers' stack traces,
# quicker to compile and link than full debug information); ccache when it
# is installed.

configure_instrumented() {
  local dir="$1" sanitizers="$2"
  shift 2
  local launcher=()
  if command -v ccache >/dev/null 2>&1; then
    export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$(dirname "${ROOT}")}"
    launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  fi
  CXX=clang++ cmake -S . -B "${dir}" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only -DNDEBUG" \
    -DCOMMENTS_SANITIZE="${sanitizers}" \
    "${launcher[@]}" "$@"
}
