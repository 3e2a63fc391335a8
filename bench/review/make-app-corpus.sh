#!/usr/bin/env bash
# Assemble the review loop's application corpus from the pinned npm packages in app-packages.txt.
#
#   usage: make-app-corpus.sh [DEST]      (default DEST=/tmp/bench/apps)
#   APP_PACKAGES=FILE picks another list (e.g. a fresh sample to judge on its own before it joins the list).
#
# Only `npm pack NAME@VERSION` is used; tarballs are kept in $APPS_CACHE (default DEST-src), so a second
# run needs no network. Nothing third-party enters this repository: the corpus lives outside it.
# Selection: .js .mjs .cjs .jsx .ts .mts .cts .tsx, without .d.ts files, *.min.js and test folders.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
DEST=$(realpath -m "${1:-/tmp/bench/apps}")
CACHE=${APPS_CACHE:-$DEST-src}
mkdir -p "$CACHE"
rm -rf "$DEST"
mkdir -p "$DEST"

grep -v '^\s*#' "${APP_PACKAGES:-$here/app-packages.txt}" | grep -v '^\s*$' | while read -r spec subs; do
  name=${spec%@*}
  flat=${name#@}; flat=${flat//\//-}
  tgz="$CACHE/$flat-${spec##*@}.tgz"
  [[ -f $tgz ]] || (cd "$CACHE" && npm pack --silent "$spec" >/dev/null)
  [[ -f $tgz ]] || { echo "make-app-corpus: no tarball for $spec" >&2; exit 1; }
  unpacked="$CACHE/x/$flat"
  rm -rf "$unpacked" && mkdir -p "$unpacked" && tar xzf "$tgz" -C "$unpacked"
  includes=(); prune=()
  for s in $subs; do
    if [[ $s == !* ]]; then prune+=(-path "./${s#!}" -prune -o); elif [[ $s == . ]]; then includes+=(.); else includes+=("./$s"); fi
  done
  mkdir -p "$DEST/$flat"
  (
    cd "$unpacked/package"
    find "${includes[@]}" "${prune[@]}" \( -name node_modules -o -name test -o -name tests -o -name __tests__ \) -prune -o \
      -type f \( -name '*.js' -o -name '*.mjs' -o -name '*.cjs' -o -name '*.jsx' -o -name '*.ts' -o -name '*.mts' \
      -o -name '*.cts' -o -name '*.tsx' \) ! -name '*.d.ts' ! -name '*.d.mts' ! -name '*.d.cts' ! -name '*.min.js' -print0 |
      xargs -0 -r cp --parents -t "$DEST/$flat"
  )
done
echo "$(find "$DEST" -type f | wc -l) files, $(du -sh "$DEST" | cut -f1) in $DEST"
