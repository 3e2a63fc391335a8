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
grep -E '^(baseline|asynclint)-t[12] ' /tmp/asynclint-bench.$$ | awk '
  { wall[$1] = wall[$1] " " $2; cpu[$1] = cpu[$1] " " ($3 + $4); rss[$1] = ($5 > rss[$1] ? $5 : rss[$1]) }
  function median(list,   a, n) { n = split(list, a, " "); asort(a); return a[int((n + 1) / 2)] }
  END {
    printf "%-14s %9s %9s %10s %8s\n", "program", "wall s", "cpu s", "peak MB", "ratio"
    for (t = 1; t <= 2; t++) {
      b = "baseline-t" t; l = "asynclint-t" t
      printf "%-14s %9.2f %9.2f %10.1f %8s\n", b, median(wall[b]), median(cpu[b]), rss[b] / 1024, "1.00"
      printf "%-14s %9.2f %9.2f %10.1f %8.2f\n", l, median(wall[l]), median(cpu[l]), rss[l] / 1024, median(wall[l]) / median(wall[b])
    }
  }'
rm -f /tmp/asynclint-bench.$$
