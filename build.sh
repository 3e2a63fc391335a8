#!/usr/bin/env bash
# One entry point for a fresh Debian machine: installs what is missing, builds, then runs a job.
#
#   ./build.sh demo      lint the bundled example project (examples/order-service)
#   ./build.sh test      run the whole test suite (ctest)
#   ./build.sh build     only build (build/asynclint)
#   ./build.sh install   build, then install asynclint on PATH (/usr/local/bin by default) and its schema
#                        (share/asynclint/asynclint.schema.json under the same prefix)
#   ./build.sh dist      the release binary for this platform (libstdc++/libgcc inside, stripped, no tests)
#                        and the npm tarballs in dist/ (npm/README.md)
#   ./build.sh test-sanitized   the whole test suite built with AddressSanitizer and UBSan (in build-asan)
set -euo pipefail
cd "$(dirname "$0")"
job=${1:-build}
cmake_options=(-DCMAKE_BUILD_TYPE=Release)
if [ "$job" = test-sanitized ]; then
  # A build directory of its own: the sanitizers go into every object, tree-sitter's included.
  BUILD_DIR=${BUILD_DIR:-build-asan}
  # -O1 -g1 (line tables: every report still has file:line) instead of RelWithDebInfo's -O2 -g: the
  # instrumented compile takes 40–60% less CPU (lsp/server.cpp: 23 s instead of 54 s), which matters more
  # to CI (.ci/run) than the tests running a little slower.
  cmake_options=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DASYNCLINT_SANITIZE=ON
                 "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1 -DNDEBUG" "-DCMAKE_C_FLAGS_RELWITHDEBINFO=-O1 -g1 -DNDEBUG")
fi
if [ "$job" = dist ]; then
  # Its own build directory, without the tests: a release machine needs neither Catch2 nor Neovim.
  BUILD_DIR=${BUILD_DIR:-build-dist}
  cmake_options=(-DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF)
fi
BUILD_DIR=${BUILD_DIR:-build}

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# Debian packages: the toolchain, the C++ libraries, Node (for tree-sitter's pinned sources and the tests),
# Neovim (a real client for the language server's tests), pre-commit (runs the hook in the tests).
missing=()
command -v cmake >/dev/null || missing+=(cmake)
command -v g++ >/dev/null || missing+=(g++)
command -v make >/dev/null || missing+=(make)
command -v git >/dev/null || missing+=(git)
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
[ -f /usr/include/nlohmann/json.hpp ] || missing+=(nlohmann-json3-dev)
[ -f /usr/include/CLI/CLI.hpp ] || missing+=(libcli11-dev)
if [ "$job" != dist ]; then
  # Catch2 v2 (catch.hpp: Debian 12) or v3 (catch_all.hpp: Ubuntu 24.04); CMake takes either.
  [ -f /usr/include/catch2/catch.hpp ] || [ -f /usr/include/catch2/catch_all.hpp ] || missing+=(catch2)
  command -v nvim >/dev/null || missing+=(neovim)  # a real LSP client for the language server's tests
  command -v pre-commit >/dev/null || missing+=(pre-commit)  # runs .pre-commit-hooks.yaml in the tests
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "build.sh: installing ${missing[*]}" >&2
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# tree-sitter's core library and grammars: pinned npm packages, C sources only (no install scripts).
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
fi

cmake -S . -B "$BUILD_DIR" "${cmake_options[@]}" >/dev/null
if [ "$job" = dist ]; then
  cmake --build "$BUILD_DIR" -j"$(nproc)" --target asynclint_dist
else
  cmake --build "$BUILD_DIR" -j"$(nproc)"
fi

case "$job" in
  build) ;;
  demo)
    echo
    echo "\$ build/asynclint examples/order-service --code-frame"
    status=0
    "$BUILD_DIR/asynclint" examples/order-service --code-frame || status=$?
    # Exit code 1 means "found bugs": exactly what the demo is for.
    if [ "$status" -gt 1 ]; then exit "$status"; fi
    echo
    echo "The example project has 8 real findings (see examples/README.md); everything else in it is correct code."
    ;;
  test)
    ctest --test-dir "$BUILD_DIR" --output-on-failure -j"$(nproc)"
    ;;
  test-sanitized)
    # Any report fails the test that triggered it (UBSan would otherwise print and go on), by SIGABRT:
    # a sanitizer's default exit code 1 would look like asynclint's "found errors" to the CLI tests.
    ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1} \
      UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:abort_on_error=1:print_stacktrace=1} \
      ctest --test-dir "$BUILD_DIR" --output-on-failure -j"$(nproc)"
    ;;
  install)
    as_root cmake --install "$BUILD_DIR" --prefix "${PREFIX:-/usr/local}"
    ;;
  dist)
    binary="$BUILD_DIR/dist-bin/asynclint"
    # Only glibc's own libraries may remain (libstdc++ and libgcc are linked in): anything else would have
    # to be installed on the user's machine.
    needed=$(readelf -d "$binary" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
    if echo "$needed" | grep -vqE '^(libc|libm|libpthread|libdl|librt|ld-linux[^ ]*)\.so\.[0-9.]+$'; then
      echo "build.sh: $binary needs more than glibc:" $needed >&2
      exit 1
    fi
    rm -rf dist
    node npm/pack.mjs --binary "$binary" --out dist
    ;;
  *)
    echo "usage: ./build.sh demo|test|test-sanitized|build|install|dist" >&2
    exit 2
    ;;
esac
