#!/usr/bin/env bash
# Counts the instructions asynclint and tree-sitter's own parse+walk (parse_baseline) execute on the same
# part of the benchmark corpus, under valgrind's callgrind, and prints their ratio. This machine's speed
# drifts by a third over minutes, so wall-time ratios (bench/run-corpus.sh) move by ±0.05 between runs;
# instruction counts do not move at all, which makes them the figure to compare two versions of the code by.
# They are not wall time: asynclint's own work touches the syntax tree after parsing, and cache misses make
# its wall-time ratio higher than its instruction ratio (1.19 here against about 1.3 wall, 2026-12-08).
#
#   bench/instructions.sh [PACKAGE...]     (default: five packages of the corpus, about 1,500 files, 12 MB;
#                                           needs valgrind and ./build.sh build; about 4 minutes)
#   INSTRUCTIONS_ANNOTATE=1 also prints the functions asynclint spends its instructions in.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${CORPUS:-/tmp/bench/corpus}
command -v valgrind >/dev/null || { echo "instructions.sh: valgrind is not installed (apt-get install valgrind)" >&2; exit 2; }
[ -f "$corpus.files" ] || bash ../shared/bench/make-corpus.sh "$corpus" >/dev/null
[ -x build/parse_baseline ] || cmake --build build --target parse_baseline >/dev/null
packages=("$@")
[ ${#packages[@]} -gt 0 ] || packages=(docusaurus-theme-classic eslint zod rxjs reduxjs-toolkit)
list=$(mktemp)
out=$(mktemp -d)
trap 'rm -rf "$list" "$out"' EXIT
pattern=$(printf '|%s' "${packages[@]}")
grep -E "^$corpus/(${pattern:1})/" "$corpus.files" > "$list" || { echo "instructions.sh: no such package in $corpus" >&2; exit 2; }
count() {  # callgrind-output command... → the program's total instruction count
  local file=$1; shift
  valgrind --tool=callgrind --callgrind-out-file="$file" "$@" >/dev/null 2>"$file.log" || true
  sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$file.log"
}
baseline=$(count "$out/baseline" build/parse_baseline --threads 1 "$list")
dirs=()
for p in "${packages[@]}"; do dirs+=("$corpus/$p"); done
linted=$(count "$out/asynclint" build/asynclint --threads 1 --format json -o /dev/null "${dirs[@]}")
awk -v b="$baseline" -v a="$linted" -v n="$(wc -l < "$list")" \
  'BEGIN { printf "%d files: parse_baseline %.3f G instructions, asynclint %.3f G: ratio %.3f\n", n, b / 1e9, a / 1e9, a / b }'
if [ -n "${INSTRUCTIONS_ANNOTATE:-}" ]; then
  callgrind_annotate --inclusive=yes "$out/asynclint" 2>/dev/null | grep 'asynclint::' | head -30
fi
