// Gitignore pattern matching (gitignore(5) syntax), independent of the file system.
//
// An IgnoreRules holds the compiled patterns of one or more ignore files. Paths are given relative to one
// common root chosen by the caller, '/'-separated, with no leading or trailing '/' ("src/a.ts"); each file's
// patterns are anchored at that file's directory, also given relative to the root ("" is the root itself).
// The file walker uses the file-system root as the common root, so "home/me/proj/src" is a valid path.
#pragma once

#include <bitset>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace asynclint {

// What the last matching pattern said about a path.
enum class IgnoreVerdict {
  kNoMatch,     // no pattern matched: an outer (lower-precedence) source decides
  kIgnored,     // matched by a plain pattern
  kReincluded,  // matched by a `!` pattern: an outer source must not ignore it either
};

// Where the patterns of one ignore file apply.
enum class PatternScope {
  // .gitignore and .git/info/exclude: only to paths below the file's directory.
  kBelowBaseDirectory,
  // --ignore-pattern: anchored patterns ("src/gen/") only below the base directory (the current directory),
  // but unanchored ones ("*.spec.ts", "dist/") also to paths outside it, because a user who types
  // `--ignore-pattern '*.spec.ts' ../other` means every spec file, not none.
  kUnanchoredEverywhere,
};

namespace ignore_detail {

// Implementation details, visible only so that IgnoreRules can hold compiled patterns by value.

// One step of a glob inside a single path component: either `*` or one byte out of a set
// (a literal byte, `?`, or a `[...]` class all become a set, so matching is one bit test).
struct GlobStep {
  bool is_star = false;
  std::bitset<256> accepted_bytes;
};

// One '/'-separated part of a pattern.
struct PatternSegment {
  enum class Kind {
    kLiteral,         // no wildcard: compared as a string (the common case: "dist", "node_modules")
    kGlob,            // `*`, `?`, `[...]` within one component
    kAnyDirectories,  // a whole-segment `**`: zero or more complete components
  };
  Kind kind = Kind::kLiteral;
  std::string literal;
  std::vector<GlobStep> glob;
};

struct CompiledPattern {
  std::vector<PatternSegment> segments;
  bool negated = false;         // started with `!`
  bool directory_only = false;  // ended with `/`
  // A pattern with a '/' at its start or in its middle is matched against the whole path relative to the
  // ignore file's directory; one without is matched against the last component only, at any depth.
  bool anchored = false;
};

struct PatternFile {
  std::string base_directory;
  std::size_t base_component_count = 0;  // where the path relative to base_directory starts, in components
  PatternScope scope = PatternScope::kBelowBaseDirectory;
  std::vector<CompiledPattern> patterns;
};

}  // namespace ignore_detail

class IgnoreRules {
 public:
  // Compiles the patterns of one ignore file whose directory is `base_directory`. Files added later take
  // precedence over files added earlier, so adding a work tree's files from the shallowest to the deepest
  // reproduces git's order (a deeper .gitignore overrides a shallower one; within one file, later lines
  // override earlier ones). Malformed patterns (an unterminated `[`) never match, as in git.
  void add_file(std::string_view base_directory, std::string_view text,
                PatternScope scope = PatternScope::kBelowBaseDirectory);

  // The verdict of the highest-precedence pattern matching `path` itself. Parent directories are not
  // consulted: a walker that does not descend into ignored directories needs exactly this.
  IgnoreVerdict match(std::string_view path, bool is_directory) const;

  bool is_ignored(std::string_view path, bool is_directory) const {
    return match(path, is_directory) == IgnoreVerdict::kIgnored;
  }

  // Git's full answer for a single path, for callers that do not walk (an editor asking about one file):
  // a path inside an ignored directory is ignored whatever later `!` patterns say, because git never
  // looks inside an excluded directory.
  bool is_ignored_or_inside_ignored_directory(std::string_view path, bool is_directory) const;

  bool empty() const { return pattern_count_ == 0; }
  std::size_t pattern_count() const { return pattern_count_; }

 private:
  std::vector<ignore_detail::PatternFile> files_;
  std::size_t pattern_count_ = 0;
};

}  // namespace asynclint
