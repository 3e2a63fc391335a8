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
# Output must not depend on the thread count: compare the last repetition's reports byte for byte.
build/asynclint --threads 1 --format json -o /tmp/asynclint-bench-t1.json "$corpus" || true
build/asynclint --threads 2 --format json -o /tmp/asynclint-bench-t2.json "$corpus" || true
if cmp -s /tmp/asynclint-bench-t1.json /tmp/asynclint-bench-t2.json; then identical=yes; else identical=NO; fi
# --cache: a cold run that writes it, a warm run with nothing changed, and one with one file edited (a
# comment appended to a file other files import, then the original put back).
cache=/tmp/asynclint-bench-cache
edited=$(grep -E '/src/.*\.ts$' "$corpus.files" | sed -n 10p)
[ -n "$edited" ] || edited=$(sed -n 100p "$corpus.files")
cp "$edited" /tmp/asynclint-bench-edited.orig
for ((i = 0; i < reps; i++)); do
  rm -rf "$cache"
  measure "cache-cold-t2" build/asynclint --threads 2 --cache --cache-location "$cache" --format json -o /dev/null "$corpus"
  measure "cache-warm-t2" build/asynclint --threads 2 --cache --cache-location "$cache" --format json -o /dev/null "$corpus"
  measure "cache-warm-t1" build/asynclint --threads 1 --cache --cache-location "$cache" --format json -o /dev/null "$corpus"
  printf '\n// edited %s\n' "$i" >> "$edited"
  measure "cache-one-edit-t2" build/asynclint --threads 2 --cache --cache-location "$cache" --format json -o /dev/null "$corpus"
  cp /tmp/asynclint-bench-edited.orig "$edited"
done
# The large-file case: one 10 MB file, the corpus's JavaScript files concatenated (top-level code stays
# top-level, so it parses like the originals). Raises --max-file-size, which skips it by default.
large=/tmp/asynclint-bench-large.js
if [ ! -f "$large" ]; then
  : > "$large"
  grep -E '\.m?js$' "$corpus.files" | while read -r f; do
    cat "$f" >> "$large"; printf '\n;\n' >> "$large"
    [ "$(stat -c %s "$large")" -ge 10000000 ] && break
  done || true  # grep is cut off by the break
fi
echo "$large" > "$large.files"
for ((i = 0; i < reps; i++)); do
  measure "baseline-large" build/parse_baseline --threads 1 "$large.files"
  measure "asynclint-large" build/asynclint --threads 1 --max-file-size 20000000 --format json -o /dev/null "$large"
done
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
field() { grep "^$1 " /tmp/asynclint-bench.$$ | awk -v f="$2" '{ print (f == "cpu" ? $3 + $4 : (f == "rss" ? $5 : $2)) }'; }
# The median of run-by-run ratios: repetition i of one label against repetition i of the other, measured
# moments apart. This machine's speed drifts by a third over minutes; a ratio of medians would carry it.
paired() { paste <(field "$1" wall) <(field "$2" wall) | awk '{ print $1 / $2 }' | median; }
row() {  # label baseline-label: medians of wall and CPU time, the highest peak RSS, the paired wall-time ratio
  local wall cpu rss ratio
  wall=$(field "$1" wall | median)
  cpu=$(field "$1" cpu | median)
  rss=$(field "$1" rss | sort -n | tail -1)
  ratio=$(paired "$1" "$2")
  awk -v l="$1" -v w="$wall" -v c="$cpu" -v r="$rss" -v q="$ratio" \
    'BEGIN { printf "%-18s %9.2f %9.2f %10.1f %8.2f\n", l, w, c, r / 1024, q }'
}
printf "%-18s %9s %9s %10s %8s\n" program "wall s" "cpu s" "peak MB" ratio
for t in 1 2; do
  for program in baseline asynclint; do row "$program-t$t" "baseline-t$t"; done
done
for row_label in cache-cold-t2 cache-warm-t2 cache-one-edit-t2; do row "$row_label" baseline-t2; done
row cache-warm-t1 baseline-t1
for program in baseline asynclint; do row "$program-large" baseline-large; done
echo "(large: one $(($(stat -c %s "$large") / 1000000)) MB file, 1 thread)"
echo "(ratio: median over repetitions of this run's wall time / the baseline's at the same thread count; edited file: ${edited#"$corpus"/})"
awk -v s="$(paired asynclint-t1 asynclint-t2)" -v w="$(paired cache-warm-t2 cache-cold-t2)" -v i="$identical" \
  'BEGIN { printf "2 threads are %.2fx faster than 1; warm cache = %.1f%% of the cold --cache run; 1- and 2-thread output identical: %s\n", s, 100 * w, i }'
rm -f /tmp/asynclint-bench-t1.json /tmp/asynclint-bench-t2.json /tmp/asynclint-bench-edited.orig
rm -f /tmp/asynclint-bench.$$
