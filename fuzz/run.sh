#!/usr/bin/env bash
# Builds one libFuzzer target (clang, in build-fuzz) and runs it for SECONDS on one core.
#
#   ./fuzz/run.sh lint|config|explain|lsp|cache [SECONDS] [libFuzzer flags…]
#   ./fuzz/run.sh lint FILE…                 replay inputs (a crash, a regression test) once each
#
# The corpus lives in the repository, fuzz/corpus/TARGET/, so that fuzzing time adds up across machines and
# sessions. A run starts from it (plus seeds from fixtures/), writes what it finds into a scratch folder
# ($FUZZ_WORK/TARGET, default /tmp/asynclint-fuzz/TARGET), and at the end merges everything back, minimised
# (libFuzzer -merge=1 into a fresh folder, which keeps the smallest inputs that reach each feature), into
# fuzz/corpus/TARGET/: commit it with the run's line in fuzz/README.md. FUZZ_MERGE=0 skips the merge.
# Crashes, hangs and leaks land in the scratch folder's artifacts/; each run's log is kept in its logs/, and
# the last line printed is the run's summary for the README's table (with the CPU time the fuzzer got).
#
# FUZZ_TIMEOUT (seconds, default 10) is when an input counts as a hang. libFuzzer measures it on the wall
# clock: under `nice -n 19` on a busy machine an input that takes 0.1 s can wait longer than that for the
# CPU, so give such runs FUZZ_TIMEOUT=120 and replay any timeout-* artifact on an idle core before calling
# it a hang.
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
CORPUS=fuzz/corpus/$target

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
  exec "$BUILD_DIR/fuzz/${target}_fuzzer" -timeout="${FUZZ_TIMEOUT:-10}" "${replay[@]}"
fi

# Seeds go to $WORK/seeds (rebuilt each run), new inputs to $WORK/new (the first corpus folder is where
# libFuzzer writes); the repository's corpus is only read until the merge.
rm -rf "$WORK/seeds" "$WORK/new" "$WORK/merged"
mkdir -p "$WORK/seeds" "$WORK/new" "$WORK/artifacts" "$WORK/logs" "$CORPUS"
case "$target" in
  lint)
    find fixtures -type f \( -name '*.js' -o -name '*.mjs' -o -name '*.cjs' -o -name '*.jsx' \
      -o -name '*.ts' -o -name '*.mts' -o -name '*.cts' -o -name '*.tsx' \) -exec cp -n {} "$WORK/seeds/" \; 2>/dev/null || true
    dict=fuzz/javascript.dict ;;
  explain)
    find fixtures -type f -name '*.js' -exec cp -n {} "$WORK/seeds/" \; 2>/dev/null || true
    dict=fuzz/javascript.dict ;;
  config)
    n=0
    for f in $(find fixtures -name asynclint.json | sort); do n=$((n + 1)); cp "$f" "$WORK/seeds/fixture-$n.json"; done
    dict=fuzz/config.dict ;;
  lsp)
    # Whole client sessions around a few fixtures (the smallest, so the fuzzer mutates messages, not code).
    node fuzz/lsp-seeds.mjs "$WORK/seeds" $(find fixtures -type f \( -name '*.ts' -o -name '*.js' \) -size -2k | sort | head -20)
    dict=fuzz/lsp.dict ;;
  cache)
    # The target writes a real cache of its own small project here when it starts (cache_fuzzer.cpp).
    export ASYNCLINT_CACHE_SEEDS="$WORK/seeds"
    dict= ;;
esac

fuzzer="$BUILD_DIR/fuzz/${target}_fuzzer"
count() { find "$1" -type f | wc -l; }
bytes() { du -sb "$1" | cut -f1; }
log="$WORK/logs/$(date -u +%Y%m%dT%H%M%SZ).log"
corpus_start="$(count "$CORPUS") files, $(bytes "$CORPUS") bytes"
# -timeout: one input takes milliseconds; 10 s is a hang. -rss_limit_mb: libFuzzer's default, stated.
# CPU seconds of this script's finished children (`times` must run in this shell, not in a subshell).
cpu_now() { times >"$WORK/times"; cpu=$(tail -1 "$WORK/times" | awk '{ split($1, u, /[ms]/); split($2, s, /[ms]/); printf "%d", u[1] * 60 + u[2] + s[1] * 60 + s[2] }'); }
cpu_now
cpu_before=$cpu
status=0
"$fuzzer" -max_total_time="$seconds" -timeout="${FUZZ_TIMEOUT:-10}" -rss_limit_mb=2048 -print_final_stats=1 \
  ${dict:+-dict="$dict"} -artifact_prefix="$WORK/artifacts/" "$@" "$WORK/new" "$CORPUS" "$WORK/seeds" 2>&1 | tee "$log" \
  || status=$?
cpu_now
cpu_seconds=$((cpu - cpu_before))

if [ "${FUZZ_MERGE:-1}" != 0 ]; then
  # Minimise the union into a fresh folder, then make it the repository's corpus (only when the merge went
  # through). -use_counters=0: an input is kept for an edge it reaches, not for a new hit count, which
  # halves the corpus for the same edges (lint, 2026-12-07: 1,515 files and 2.4 MB with counters, 699 files
  # and 0.99 MB without, 26,112 and 26,107 edges).
  mkdir -p "$WORK/merged"
  if "$fuzzer" -merge=1 -use_counters=0 -timeout="${FUZZ_TIMEOUT:-10}" -rss_limit_mb=2048 -artifact_prefix="$WORK/artifacts/" \
    "$WORK/merged" "$CORPUS" "$WORK/new" "$WORK/seeds" >"$log.merge" 2>&1; then
    rm -rf "$CORPUS"
    mv "$WORK/merged" "$CORPUS"
  else
    echo "fuzz/run.sh: the merge failed (see $log.merge); $CORPUS is unchanged, the new inputs are in $WORK/new" >&2
  fi
fi

# The run's figures: inputs run, coverage when the corpus was loaded and at the end, corpus before and after.
inited=$(grep -a -m1 -E '^#[0-9]+[[:space:]]+INITED' "$log" | grep -oE 'cov: [0-9]+' | cut -d' ' -f2 || true)
last=$(grep -a -E '^#[0-9]+[[:space:]]+(NEW|REDUCE|pulse|DONE|INITED)' "$log" | tail -1)
done_cov=$(echo "$last" | grep -oE 'cov: [0-9]+' | cut -d' ' -f2 || true)
runs=$(grep -a -m1 -E '^stat::number_of_executed_units' "$log" | grep -oE '[0-9]+$' || true)
found=$(find "$WORK/artifacts" -type f -newer "$WORK/seeds" | wc -l)
echo "fuzz/run.sh: $target on $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- analyzer rules 'fuzz/*.cpp' 'fuzz/*.h' || echo '+changes'), $(date -u +%F)," \
  "${seconds} s (${cpu_seconds} s of CPU), ${runs:-?} inputs run, corpus $corpus_start -> $(count "$CORPUS") files, $(bytes "$CORPUS") bytes," \
  "coverage ${inited:-?} -> ${done_cov:-?}, exit $status, $found new artifacts in $WORK/artifacts" | tee -a "$log"
exit "$status"
