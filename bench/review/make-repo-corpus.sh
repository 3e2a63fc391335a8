#!/usr/bin/env bash
# Builds the review loop's repository corpus (default /tmp/bench/repos) from local git mirrors of the
# repositories in repo-commits.txt, at their pinned commits: only the files asynclint reads (sources,
# package.json, tsconfig/jsconfig, pnpm-workspace.yaml), so large binary files are never needed.
#
#   REPO_MIRRORS=DIR bash bench/review/make-repo-corpus.sh [DEST]
#
# A mirror is DIR/<owner>+<name>/repo (a bare clone). A repository without a mirror is skipped with a
# notice: the machines that run CI reach no git host, so this corpus is built where a mirror was fetched.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
DEST=${1:-/tmp/bench/repos}
MIRRORS=${REPO_MIRRORS:-/work/.mirror}
mkdir -p "$DEST"
grep -v '^\s*#' "$here/repo-commits.txt" | grep -v '^\s*$' | while read -r name commit; do
  git_dir="$MIRRORS/${name/\//+}/repo"
  target="$DEST/${name/\//+}"
  if [ ! -d "$git_dir" ]; then
    echo "make-repo-corpus: no mirror of $name at $git_dir: skipped" >&2
    continue
  fi
  rm -rf "$target"
  mkdir -p "$target"
  git --git-dir="$git_dir" ls-tree -r --name-only "$commit" |
    grep -E '\.(js|mjs|cjs|jsx|ts|mts|cts|tsx|json|yaml)$' |
    xargs -d '\n' git --git-dir="$git_dir" archive "$commit" 2> >(grep -v 'invalid object\|cannot read' >&2) | tar -x -C "$target"
  # (a partial mirror lacks some large binary blobs; archive names them, but they are not among the paths)
  echo "$name@$commit: $(find "$target" -type f | wc -l) files"
done
