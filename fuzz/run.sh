#!/usr/bin/env bash
# Builds one libFuzzer target (clang, in build-fuzz) and runs it for SECONDS on one core.
#
#   ./fuzz/run.sh lint|config|explain|lsp|cache [SECONDS] [libFuzzer flags…]
#   ./fuzz/run.sh lint FILE…                 replay inputs (a crash, a regression test) once each
#
# Seeds are copied from fixtures/ into a scratch folder ($FUZZ_WORK, default /tmp/asynclint-fuzz), which
# keeps the corpus a run grows for the next run; crashes, hangs and leaks land in its artifacts/ folder.
set -euo pipefail
usage() { echo "usage: ./fuzz/run.sh lint|config|explain|lsp|cache [SECONDS] [libFuzzer flags…]" >&2; exit 2; }
[ $# -ge 1 ] || usage
target=$1
shift
case "$target" in lint|config|explain|lsp|cache) ;; *) usage ;; esac
replay=()
seconds=600
if [ $# -ge 1 ] && [[ "$1" =~ ^[0-9]+$ ]]; then seconds=$1; shift; fi
if [ $# -ge 1 ] && [ -f "$1" ]; then
  for file in "$@"; do replay+=("$(realpath "$file")"); done
fi
cd "$(dirname "$0")/.."

BUILD_DIR=${BUILD_DIR:-build-fuzz}
WORK=${FUZZ_WORK:-/tmp/asynclint-fuzz}/$target

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
# libFuzzer ships with clang, not with g++: the normal build does not need it, so only this script installs it.
if ! command -v clang++ >/dev/null; then
  echo "fuzz/run.sh: installing clang" >&2
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clang >/dev/null
fi
if [ ! -f node_modules/tree-sitter/vendor/tree-sitter/lib/src/lib.c ]; then
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
fi

CC=clang CXX=clang++ cmake -S . -B "$BUILD_DIR" -DASYNCLINT_FUZZ=ON -DBUILD_TESTING=OFF \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$BUILD_DIR" --target "${target}_fuzzer" -j"$(nproc)"

if [ ${#replay[@]} -gt 0 ]; then
  exec "$BUILD_DIR/fuzz/${target}_fuzzer" -timeout=10 "${replay[@]}"
fi

mkdir -p "$WORK/corpus" "$WORK/artifacts"
case "$target" in
  lint)
    find fixtures -type f \( -name '*.js' -o -name '*.mjs' -o -name '*.cjs' -o -name '*.jsx' \
      -o -name '*.ts' -o -name '*.mts' -o -name '*.cts' -o -name '*.tsx' \) -exec cp -n {} "$WORK/corpus/" \; 2>/dev/null || true
    dict=fuzz/javascript.dict ;;
  explain)
    find fixtures -type f -name '*.js' -exec cp -n {} "$WORK/corpus/" \; 2>/dev/null || true
    dict=fuzz/javascript.dict ;;
  config)
    n=0
    for f in $(find fixtures -name asynclint.json | sort); do n=$((n + 1)); cp "$f" "$WORK/corpus/fixture-$n.json"; done
    dict=fuzz/config.dict ;;
  lsp)
    # Whole client sessions around a few fixtures (the smallest, so the fuzzer mutates messages, not code).
    node fuzz/lsp-seeds.mjs "$WORK/corpus" $(find fixtures -type f \( -name '*.ts' -o -name '*.js' \) -size -2k | sort | head -20)
    dict=fuzz/lsp.dict ;;
  cache)
    # The target writes a real cache of its own small project here when it starts (cache_fuzzer.cpp).
    export ASYNCLINT_CACHE_SEEDS="$WORK/corpus"
    dict= ;;
esac

# -timeout: one input takes milliseconds; 10 s is a hang. -rss_limit_mb: libFuzzer's default, stated.
exec "$BUILD_DIR/fuzz/${target}_fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
  ${dict:+-dict="$dict"} -artifact_prefix="$WORK/artifacts/" "$@" "$WORK/corpus"
