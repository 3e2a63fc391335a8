// File discovery and gitignore matching. Each test builds a fresh tree under /tmp and asserts the exact
// list of discovered files (and notices), so a file too many or too few fails it.
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <climits>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "engine/file_walker.h"
#include "engine/ignore_rules.h"
#include "temp_tree.h"

namespace {

using asynclint::discover_files;
using asynclint::IgnoredFile;
using asynclint::IgnoreRules;
using asynclint::IgnoreVerdict;
using asynclint::is_lintable_path;
using asynclint::PatternScope;
using asynclint::WalkOptions;
using asynclint::WalkResult;
using Paths = std::vector<std::string>;

// Runs discovery from inside a directory, as the CLI runs from the user's current directory.
WalkResult walk_from(const std::string& directory, const Paths& paths, const WalkOptions& options = {}) {
  char previous[PATH_MAX];
  REQUIRE(::getcwd(previous, sizeof previous) != nullptr);
  REQUIRE(::chdir(directory.c_str()) == 0);
  WalkResult result = discover_files(paths, options);
  REQUIRE(::chdir(previous) == 0);
  return result;
}

WalkResult walk(const TempTree& tree, const Paths& paths, const WalkOptions& options = {}) {
  return walk_from(tree.root(), paths, options);
}

// "path: message", so a whole list of notices compares in one assertion.
Paths notices_of(const WalkResult& result) {
  Paths lines;
  for (const auto& notice : result.notices) lines.push_back(notice.path + ": " + notice.message);
  return lines;
}

WalkOptions no_ignore_files() {
  WalkOptions options;
  options.use_ignore_files = false;
  return options;
}

WalkOptions with_ignore_patterns(Paths patterns) {
  WalkOptions options;
  options.ignore_patterns = std::move(patterns);
  return options;
}

}  // namespace

TEST_CASE("is_lintable_path accepts JavaScript and TypeScript sources but not declaration files",
          "[file_walker]") {
  for (const char* path : {"a.js", "a.mjs", "a.cjs", "a.jsx", "a.ts", "a.mts", "a.cts", "a.tsx", "src/d.ts",
                           "dir.d/x.ts", "a.d.tsx", "a.min.js"}) {
    INFO(path);
    CHECK(is_lintable_path(path));
  }
  for (const char* path : {"a.d.ts", "src/a.d.mts", "a.d.cts", ".d.ts", "a.json", "a.md", "a.tsbuildinfo",
                           "a.TS", "ts", ".js", "src/.ts", "a.js.map", "a.jsx/"}) {
    INFO(path);
    CHECK_FALSE(is_lintable_path(path));
  }
}

TEST_CASE("walking a directory lists its lintable files sorted by bytes", "[file_walker]") {
  TempTree tree;
  // Per directory the walk meets "a" before "a-b.ts", so only a final byte sort gives this order.
  for (const char* file : {"a_b.ts", "a.ts", "a-b.ts", "B.ts", "a/x.ts", "readme.md", "data.json",
                           "lib/z.mjs", "lib/y.cjs", "lib/w.jsx", "lib/v.mts", "lib/u.cts", "lib/t.tsx"}) {
    tree.write(file);
  }
  WalkResult result = walk(tree, {"."});
  CHECK(result.files == Paths{"B.ts", "a-b.ts", "a.ts", "a/x.ts", "a_b.ts", "lib/t.tsx", "lib/u.cts",
                              "lib/v.mts", "lib/w.jsx", "lib/y.cjs", "lib/z.mjs"});
  CHECK(result.notices.empty());

  // Several roots are merged into one sorted list, whatever their order on the command line.
  tree.write("zeta/z.ts");
  tree.write("alpha/a.ts");
  CHECK(walk(tree, {"zeta", "alpha"}).files == Paths{"alpha/a.ts", "zeta/z.ts"});
}

TEST_CASE("discovered paths follow the form of the root the user typed", "[file_walker]") {
  TempTree tree;
  tree.write("src/a/b.ts");
  tree.make_directory("other");
  CHECK(walk(tree, {"src"}).files == Paths{"src/a/b.ts"});
  CHECK(walk(tree, {"src/"}).files == Paths{"src/a/b.ts"});
  CHECK(walk(tree, {"./src"}).files == Paths{"src/a/b.ts"});
  CHECK(walk(tree, {"."}).files == Paths{"src/a/b.ts"});
  CHECK(walk(tree, {"./"}).files == Paths{"src/a/b.ts"});
  CHECK(walk(tree, {tree.path("src")}).files == Paths{tree.path("src/a/b.ts")});
  CHECK(walk(tree, {tree.root() + "/"}).files == Paths{tree.path("src/a/b.ts")});
  CHECK(walk_from(tree.path("other"), {"../src"}).files == Paths{"../src/a/b.ts"});
}

TEST_CASE("node_modules, .git and hidden entries are skipped unless named explicitly", "[file_walker]") {
  TempTree tree;
  for (const char* file : {"a.ts", "node_modules/pkg/index.js", "src/node_modules/x.js", ".git/hooks/h.js",
                           ".hidden/h.ts", "src/.cache/c.ts", ".eslintrc.js", "src/.config.ts", "src/b.ts"}) {
    tree.write(file);
  }
  CHECK(walk(tree, {"."}).files == Paths{"a.ts", "src/b.ts"});
  // A hidden directory the user names is walked, though hidden entries inside it are still skipped.
  tree.write(".hidden/.inner/i.ts");
  CHECK(walk(tree, {".hidden"}).files == Paths{".hidden/h.ts"});
  CHECK(walk(tree, {"node_modules/pkg"}).files == Paths{"node_modules/pkg/index.js"});
  CHECK(walk(tree, {"src", "src/.config.ts"}).files == Paths{"src/.config.ts", "src/b.ts"});
}

TEST_CASE("declaration files are skipped while walking, and when named (unless ignore rules are off)", "[file_walker]") {
  TempTree tree;
  for (const char* file : {"types.d.ts", "lib/a.d.mts", "lib/b.d.cts", "real.ts", "d.ts", "lib/c.mts"}) {
    tree.write(file);
  }
  CHECK(walk(tree, {"."}).files == Paths{"d.ts", "lib/c.mts", "real.ts"});
  // pre-commit names every changed file, .d.ts ones included.
  const WalkResult named = walk(tree, {"types.d.ts", "lib", "d.ts"});
  CHECK(named.files == Paths{"d.ts", "lib/c.mts"});
  REQUIRE(named.ignored_named_files.size() == 1);
  CHECK(named.ignored_named_files[0].path == "types.d.ts");
  CHECK(named.ignored_named_files[0].reason == IgnoredFile::Reason::kDeclarationFile);
  WalkOptions no_ignore;
  no_ignore.use_ignore_files = false;
  CHECK(walk(tree, {"types.d.ts"}, no_ignore).files == Paths{"types.d.ts"});
}

TEST_CASE("nested .gitignore files: deeper files and later lines win, ! re-includes", "[file_walker][ignore]") {
  TempTree tree;
  tree.make_directory(".git");
  tree.write(".gitignore", "*.gen.ts\n*.log.ts\n!debug.log.ts\norder.ts\n!order.ts\n!again.ts\nagain.ts\n");
  tree.write("pkg/.gitignore", "!keep.gen.ts\nlocal.ts\n");
  tree.write("pkg/deep/.gitignore", "keep.gen.ts\n");
  for (const char* file : {"a.ts", "a.gen.ts", "x.log.ts", "debug.log.ts", "order.ts", "again.ts", "local.ts",
                           "pkg/b.gen.ts", "pkg/keep.gen.ts", "pkg/local.ts", "pkg/sub/keep.gen.ts",
                           "pkg/deep/keep.gen.ts", "pkg/deep/c.ts"}) {
    tree.write(file);
  }
  CHECK(walk(tree, {"."}).files == Paths{"a.ts", "debug.log.ts", "local.ts", "order.ts", "pkg/deep/c.ts",
                                         "pkg/keep.gen.ts", "pkg/sub/keep.gen.ts"});
}

TEST_CASE("a file inside an ignored directory cannot be re-included", "[file_walker][ignore]") {
  TempTree tree;
  tree.make_directory(".git");
  tree.write("build/keep.ts");
  tree.write("build/x.ts");
  tree.write("src/a.ts");
  tree.write(".gitignore", "build/\n!build/keep.ts\n");
  CHECK(walk(tree, {"."}).files == Paths{"src/a.ts"});
  // Ignoring the directory's contents instead of the directory lets the negation work, as in git.
  tree.write(".gitignore", "build/*\n!build/keep.ts\n");
  CHECK(walk(tree, {"."}).files == Paths{"build/keep.ts", "src/a.ts"});
}

TEST_CASE("a trailing slash makes a pattern match directories only", "[file_walker][ignore]") {
  TempTree tree;
  tree.make_directory(".git");
  tree.write(".gitignore", "cache.ts/\nout/\n");
  for (const char* file : {"cache.ts", "src/cache.ts", "lib/cache.ts/inner.ts", "out/a.ts", "pkg/out/b.ts",
                           "pkg/out.ts"}) {
    tree.write(file);
  }
  CHECK(walk(tree, {"."}).files == Paths{"cache.ts", "pkg/out.ts", "src/cache.ts"});
}

TEST_CASE("a leading or middle slash anchors a pattern to its .gitignore's directory", "[file_walker][ignore]") {
  TempTree tree;
  tree.make_directory(".git");
  tree.write(".gitignore", "/top.ts\ndocs/*.ts\nutil.ts\n");
  tree.write("sub/.gitignore", "/local.ts\n");
  for (const char* file : {"top.ts", "sub/top.ts", "docs/a.ts", "docs/deep/a.ts", "src/docs/a.ts", "util.ts",
                           "src/deep/util.ts", "local.ts", "sub/local.ts", "sub/x/local.ts"}) {
    tree.write(file);
  }
  CHECK(walk(tree, {"."}).files ==
        Paths{"docs/deep/a.ts", "local.ts", "src/docs/a.ts", "sub/top.ts", "sub/x/local.ts"});
}

TEST_CASE("** matches across directories only as a whole segment", "[file_walker][ignore]") {
  TempTree tree;
  tree.make_directory(".git");
  // "logs/**" matches what is inside logs/ but not logs itself, so "!logs/keep.ts" can take a file back.
  tree.write(".gitignore", "**/fixtures\nlogs/**\n!logs/keep.ts\na/**/b.ts\nfoo**bar.ts\n");
  for (const char* file : {"fixtures/f.ts", "src/fixtures/f.ts", "src/fixtures.ts", "logs/x.ts", "logs/keep.ts",
                           "logs/deep/y.ts", "src/logs/z.ts", "a/b.ts", "a/x/b.ts", "a/x/y/b.ts", "a/xb.ts",
                           "x/a/b.ts", "foo-bar.ts", "c/foobar.ts", "c/foo/bar.ts"}) {
    tree.write(file);
  }
  CHECK(walk(tree, {"."}).files ==
        Paths{"a/xb.ts", "c/foo/bar.ts", "logs/keep.ts", "src/fixtures.ts", "src/logs/z.ts", "x/a/b.ts"});
}

TEST_CASE("character classes, ?, escapes, comments and trailing spaces", "[file_walker][ignore]") {
  TempTree tree;
  tree.make_directory(".git");
  tree.write(".gitignore",
             "# comment.ts\n"
             "\n"
             "[abc].ts\n"
             "file[0-9].ts\n"
             "[!x]y.ts\n"
             "[^q]z.ts\n"
             "[[:upper:]]*.mjs\n"
             "?.js\n"
             "\\#hash.ts\n"
             "\\!bang.ts\n"
             "trailing.ts   \n"
             "space\\ .ts\n"
             "crlf.ts\r\n");
  for (const char* file : {"a.ts", "d.ts", "[abc].ts", "file1.ts", "fileX.ts", "ay.ts", "xy.ts", "az.ts", "qz.ts",
                           "Upper.mjs", "lower.mjs", "k.js", "kk.js", "sub/k.js", "#hash.ts", "!bang.ts",
                           "# comment.ts", "trailing.ts", "space .ts", "space.ts", "crlf.ts"}) {
    tree.write(file);
  }
  CHECK(walk(tree, {"."}).files ==
        Paths{"# comment.ts", "[abc].ts", "d.ts", "fileX.ts", "kk.js", "lower.mjs", "qz.ts", "space.ts", "xy.ts"});
}

TEST_CASE(".git/info/exclude and the .gitignore files above a walked root apply", "[file_walker][ignore]") {
  TempTree tree;
  tree.write(".git/info/exclude", "secret.ts\n");
  tree.write(".gitignore", "gen/\n");
  for (const char* file : {"secret.ts", "packages/app/secret.ts", "packages/app/gen/x.ts", "packages/app/main.ts",
                           "packages/app/keep/secret.ts"}) {
    tree.write(file);
  }
  CHECK(walk(tree, {"packages/app"}).files == Paths{"packages/app/main.ts"});
  CHECK(walk(tree, {"."}).files == Paths{"packages/app/main.ts"});
  // Any .gitignore outranks info/exclude.
  tree.write("packages/app/keep/.gitignore", "!secret.ts\n");
  CHECK(walk(tree, {"packages/app"}).files == Paths{"packages/app/keep/secret.ts", "packages/app/main.ts"});
}

TEST_CASE("outside a git work tree only the .gitignore files of the walked tree apply", "[file_walker][ignore]") {
  TempTree tree;
  tree.write(".gitignore", "*.ts\n");
  tree.write("proj/.gitignore", "b.ts\n");
  tree.write("proj/sub/.gitignore", "c.ts\n");
  for (const char* file : {"proj/a.ts", "proj/b.ts", "proj/c.ts", "proj/sub/b.ts", "proj/sub/c.ts"}) {
    tree.write(file);
  }
  CHECK(walk(tree, {"proj"}).files == Paths{"proj/a.ts", "proj/c.ts"});
  // Once the tree is a work tree, the .gitignore at its root applies to "proj" too.
  tree.make_directory(".git");
  CHECK(walk(tree, {"proj"}).files.empty());
}

TEST_CASE("a linked worktree takes info/exclude from the main repository", "[file_walker][ignore]") {
  TempTree tree;
  tree.write("main/.git/info/exclude", "excluded.ts\n");
  tree.write("main/.git/worktrees/wt/commondir", "../..\n");
  tree.write("wt/.git", "gitdir: ../main/.git/worktrees/wt\n");
  tree.write("wt/a.ts");
  tree.write("wt/excluded.ts");
  CHECK(walk(tree, {"wt"}).files == Paths{"wt/a.ts"});
}

TEST_CASE("discover_files with --no-ignore drops ignore files but keeps the skip list and --ignore-pattern", "[file_walker][ignore]") {
  TempTree tree;
  tree.write(".git/info/exclude", "excluded.ts\n");
  tree.write(".gitignore", "gitignored.ts\n");
  tree.write("sub/.gitignore", "*\n");
  for (const char* file : {"a.ts", "excluded.ts", "gitignored.ts", "from-cli.ts", "sub/s.ts",
                           "node_modules/m.js", ".hidden.ts"}) {
    tree.write(file);
  }
  CHECK(walk(tree, {"."}).files == Paths{"a.ts", "from-cli.ts"});
  WalkOptions options = no_ignore_files();
  options.ignore_patterns = {"from-cli.ts"};
  CHECK(walk(tree, {"."}, options).files == Paths{"a.ts", "excluded.ts", "gitignored.ts", "sub/s.ts"});
}

TEST_CASE("discover_files with --ignore-pattern: relative to the current directory and outranks .gitignore",
          "[file_walker][ignore]") {
  TempTree tree;
  tree.make_directory(".git");
  tree.write(".gitignore", "dist/\n");
  for (const char* file : {"src/gen/g.ts", "src/a.ts", "src/a.spec.ts", "lib/b.spec.ts", "lib/src/gen/g.ts",
                           "lib/c.ts", "dist/out.ts"}) {
    tree.write(file);
  }
  CHECK(walk(tree, {"."}, with_ignore_patterns({"src/gen/", "*.spec.ts", "!dist/"})).files ==
        Paths{"dist/out.ts", "lib/c.ts", "lib/src/gen/g.ts", "src/a.ts"});
  // From lib, "src/gen/" means lib/src/gen.
  CHECK(walk_from(tree.path("lib"), {"."}, with_ignore_patterns({"src/gen/"})).files ==
        Paths{"b.spec.ts", "c.ts"});
  // Outside the current directory an anchored pattern cannot apply; an unanchored one still does.
  CHECK(walk_from(tree.path("lib"), {"../src"}, with_ignore_patterns({"src/gen/", "*.spec.ts"})).files ==
        Paths{"../src/a.ts", "../src/gen/g.ts"});
}

TEST_CASE("files named explicitly are included whatever .gitignore says, but not past --ignore-pattern or the .d.ts rule", "[file_walker]") {
  TempTree tree;
  tree.make_directory(".git");
  tree.write(".gitignore", "ignored.ts\nbuild/\n");
  for (const char* file : {"ignored.ts", "build/out.ts", "from-cli.ts", "notes.md", ".hidden.ts",
                           "node_modules/m.js", "types.d.ts", "other.ts"}) {
    tree.write(file);
  }
  WalkResult result = walk(tree,
                           {"ignored.ts", "build/out.ts", "from-cli.ts", "notes.md", ".hidden.ts",
                            "node_modules/m.js", "types.d.ts"},
                           with_ignore_patterns({"from-cli.ts"}));
  CHECK(result.files == Paths{".hidden.ts", "build/out.ts", "ignored.ts", "node_modules/m.js", "notes.md"});
  CHECK(result.notices.empty());
  REQUIRE(result.ignored_named_files.size() == 2);
  CHECK(result.ignored_named_files[0].path == "from-cli.ts");
  CHECK(result.ignored_named_files[0].reason == IgnoredFile::Reason::kIgnorePattern);
  CHECK(result.ignored_named_files[1].path == "types.d.ts");
  CHECK(result.ignored_named_files[1].reason == IgnoredFile::Reason::kDeclarationFile);
  // A link to a file counts as the file.
  tree.link("ignored.ts", "alias.ts");
  CHECK(walk(tree, {"alias.ts"}).files == Paths{"alias.ts"});
  // A path that does not exist is reported as missing (the command line exits 2 for it).
  const WalkResult missing = walk(tree, {"other.ts", "nope.ts", "nope/deeper.ts"});
  CHECK(missing.files == Paths{"other.ts"});
  CHECK(missing.missing == Paths{"nope.ts", "nope/deeper.ts"});
}

TEST_CASE("a symbolic link loop gives a notice instead of looping", "[file_walker][links]") {
  TempTree tree;
  tree.write("a/x.ts");
  tree.write("a/b/y.ts");
  tree.link("..", "a/loop");      // back to the root being walked
  tree.link("../..", "a/b/up");   // back to the root, two levels up
  tree.link("self", "a/self");    // a link to itself never resolves
  WalkResult result = walk(tree, {"."});
  CHECK(result.files == Paths{"a/b/y.ts", "a/x.ts"});
  CHECK(notices_of(result) == Paths{"a/b/up: symbolic link loop, not followed",
                                    "a/loop: symbolic link loop, not followed",
                                    "a/self: symbolic link loop, not followed"});
}

TEST_CASE("links are followed, and a file reached twice is listed once under its direct path",
          "[file_walker][links]") {
  TempTree tree;
  TempTree elsewhere;
  elsewhere.write("y.ts");
  tree.write("real/x.ts");
  tree.link("real", "alias");  // sorts before "real": still "real/x.ts" is the name kept
  tree.link("real/x.ts", "linked.ts");
  tree.link(elsewhere.root(), "outside");
  tree.link("missing.ts", "broken.ts");
  tree.link("missing", "broken-dir");  // a dangling link without a lintable name is not worth a notice
  WalkResult result = walk(tree, {"."});
  CHECK(result.files == Paths{"outside/y.ts", "real/x.ts"});
  CHECK(notices_of(result) == Paths{"broken.ts: broken symbolic link, not followed"});
  // Only the link leads to y.ts, so its path through the link is the one listed.
  CHECK(walk(tree, {"alias"}).files == Paths{"alias/x.ts"});
}

TEST_CASE("a missing path gives a notice and the walk goes on", "[file_walker]") {
  TempTree tree;
  tree.write("a.ts");
  tree.write("src/b.ts");
  REQUIRE(::mkfifo(tree.path("pipe.ts").c_str(), 0600) == 0);
  WalkResult result = walk(tree, {"src/x", "a.ts", "pipe.ts", "src"});
  CHECK(result.files == Paths{"a.ts", "src/b.ts"});
  CHECK(notices_of(result) ==
        Paths{"src/x: no such file or directory", "pipe.ts: not a regular file or directory"});
}

TEST_CASE("a path given twice, or inside another given path, appears once", "[file_walker]") {
  TempTree tree;
  tree.write("src/a.ts");
  tree.write("b.ts");
  WalkResult result = walk(tree, {".", "src", "./src/a.ts", "src/a.ts", tree.path("src/a.ts"), "."});
  CHECK(result.files == Paths{"b.ts", "src/a.ts"});
  CHECK(result.notices.empty());
  CHECK(walk(tree, {"src/a.ts", "src/a.ts"}).files == Paths{"src/a.ts"});
}

TEST_CASE("an unreadable directory gives a notice and the walk goes on", "[file_walker]") {
  if (::geteuid() == 0) {
    WARN("running as root: permissions cannot make a directory unreadable, test skipped");
    return;
  }
  TempTree tree;
  tree.write("a.ts");
  tree.write("locked/b.ts");
  REQUIRE(::chmod(tree.path("locked").c_str(), 0) == 0);
  WalkResult result = walk(tree, {"."});
  ::chmod(tree.path("locked").c_str(), 0700);  // so that the tree can be removed
  CHECK(result.files == Paths{"a.ts"});
  CHECK(notices_of(result) == Paths{"locked: cannot read directory: permission denied"});
}

TEST_CASE("IgnoreRules answers for one path at a time", "[ignore]") {
  IgnoreRules rules;
  CHECK(rules.empty());
  rules.add_file("", "build/\n*.log\n!keep.log\n[z\n");  // "[z" is malformed: it never matches
  rules.add_file("pkg", "/local.ts\n");
  CHECK(rules.pattern_count() == 4);

  CHECK(rules.match("build", true) == IgnoreVerdict::kIgnored);
  CHECK(rules.match("build", false) == IgnoreVerdict::kNoMatch);
  CHECK(rules.match("a/b.log", false) == IgnoreVerdict::kIgnored);
  CHECK(rules.match("a/keep.log", false) == IgnoreVerdict::kReincluded);
  CHECK(rules.match("[z", false) == IgnoreVerdict::kNoMatch);
  CHECK(rules.match("pkg/local.ts", false) == IgnoreVerdict::kIgnored);
  CHECK(rules.match("local.ts", false) == IgnoreVerdict::kNoMatch);
  CHECK(rules.match("pkg/sub/local.ts", false) == IgnoreVerdict::kNoMatch);
  // match() looks at the path alone; the full answer also looks at the directories above it.
  CHECK(rules.match("build/keep.log", false) == IgnoreVerdict::kReincluded);
  CHECK(rules.is_ignored_or_inside_ignored_directory("build/keep.log", false));
  CHECK(rules.is_ignored_or_inside_ignored_directory("build/a.ts", false));
  CHECK_FALSE(rules.is_ignored_or_inside_ignored_directory("src/a.ts", false));

  // Patterns of an ignore file do not reach outside its directory, except unanchored command-line ones.
  IgnoreRules file_rules;
  file_rules.add_file("home/proj", "*.spec.ts\nsrc/gen/\n");
  IgnoreRules command_line_rules;
  command_line_rules.add_file("home/proj", "*.spec.ts\nsrc/gen/\n", PatternScope::kUnanchoredEverywhere);
  CHECK(file_rules.is_ignored("home/proj/a.spec.ts", false));
  CHECK_FALSE(file_rules.is_ignored("home/other/a.spec.ts", false));
  CHECK(command_line_rules.is_ignored("home/other/a.spec.ts", false));
  CHECK(command_line_rules.is_ignored("home/proj/src/gen", true));
  CHECK_FALSE(command_line_rules.is_ignored("home/other/src/gen", true));
}
