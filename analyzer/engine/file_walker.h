// File discovery: turns the paths given on the command line into the sorted list of files to lint,
// honouring .gitignore, .git/info/exclude and --ignore-pattern.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace asynclint {

struct WalkOptions {
  bool use_ignore_files = true;              // false for --no-ignore: .gitignore files, .git/info/exclude and extra_ignore_patterns from config are not used
  std::vector<std::string> ignore_patterns;  // --ignore-pattern GLOB (gitignore syntax, relative to the current directory); always applied, even with --no-ignore
};

// Why a file named on the command line was not taken.
struct IgnoredFile {
  std::string path;  // as typed
  enum class Reason { kIgnorePattern, kDeclarationFile } reason;
};

// Something the user should hear about a path that could not be walked; the walk goes on.
struct WalkNotice {
  std::string path;     // formatted like the discovered files ("src/x", "a/loop")
  std::string message;  // "no such file or directory", "symbolic link loop, not followed", ...
};

struct WalkResult {
  std::vector<std::string> files;  // sorted by bytes, each file once
  std::vector<WalkNotice> notices;  // in the order they were met
  std::vector<IgnoredFile> ignored_named_files;  // files named explicitly that --ignore-pattern or the .d.ts rule excludes
  std::vector<std::string> missing;  // paths named on the command line that do not exist (also in notices)
};

// Lintable extensions: .js .mjs .cjs .jsx .ts .mts .cts .tsx; but .d.ts, .d.mts, .d.cts are not lintable
// (declaration files hold no code that runs). Only the last component of `path` is looked at.
bool is_lintable_path(std::string_view path);

// Walks `paths` (as the user typed them; a directory is walked recursively). A file named explicitly is
// taken whatever its extension, except a declaration file (unless use_ignore_files is off) or one that
// --ignore-pattern matches: those go to ignored_named_files, as ESLint skips ignored files it is given.
// Inside directories: node_modules, .git and hidden entries are skipped, only lintable files are taken,
// symbolic links are followed (a link back to a directory being walked gives a notice instead of a loop).
// Never throws.
WalkResult discover_files(const std::vector<std::string>& paths, const WalkOptions& options);

}  // namespace asynclint
