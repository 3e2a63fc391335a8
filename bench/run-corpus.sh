#!/usr/bin/env bash
# Lints the real-world benchmark corpus (../shared/bench/make-corpus.sh, ~5,300 files, 64 MB) and compares
# with tree-sitter's own parse+walk time on the same files, in one sitting, alternating the programs.
#
#   bench/run-corpus.sh [REPETITIONS]      (default 3; needs ./build.sh build first)
set -euo pipefail
cd "$(dirname "$0")/.."
reps=${1:-3}
corpus=${CORPUS:-/tmp/bench/corpus}
if [ ! -f "$corpus.files" ]; then
  bash ../shared/bench/make-corpus.sh "$corpus" >/dev/null
fi
[ -x build/parse_baseline ] || cmake --build build --target parse_baseline >/dev/null
measure() {  # label command...  → "label wall user+sys maxrss_kb"
  local label=$1; shift
  /usr/bin/time -f "$label %e %U %S %M" "$@" >/dev/null 2>>/tmp/asynclint-bench.$$ || true
}
: > /tmp/asynclint-bench.$$
for ((i = 0; i < reps; i++)); do
  for t in 1 2; do
    measure "baseline-t$t" build/parse_baseline --threads "$t" "$corpus.files"
    measure "asynclint-t$t" build/asynclint --threads "$t" --format json -o /dev/null "$corpus"
  done
done
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
field() { grep "^$1 " /tmp/asynclint-bench.$$ | awk -v f="$2" '{ print (f == "cpu" ? $3 + $4 : (f == "rss" ? $5 : $2)) }'; }
printf "%-14s %9s %9s %10s %8s\n" program "wall s" "cpu s" "peak MB" ratio
for t in 1 2; do
  base_wall=$(field "baseline-t$t" wall | median)
  for program in baseline asynclint; do
    label="$program-t$t"
    wall=$(field "$label" wall | median)
    cpu=$(field "$label" cpu | median)
    rss=$(field "$label" rss | sort -n | tail -1)
    awk -v l="$label" -v w="$wall" -v c="$cpu" -v r="$rss" -v b="$base_wall" \
      'BEGIN { printf "%-14s %9.2f %9.2f %10.1f %8.2f\n", l, w, c, r / 1024, w / b }'
  done
done
rm -f /tmp/asynclint-bench.$$
