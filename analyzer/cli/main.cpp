// asynclint's command line. Everything here is plumbing between CLI11, the engine and the reporters;
// the linting itself lives in analyzer/engine.
#include <malloc.h>
#include <unistd.h>

#include <tree_sitter/api.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "engine/baseline.h"
#include "engine/config.h"
#include "engine/file_walker.h"
#include "engine/fixes.h"
#include "engine/ignore_rules.h"
#include "engine/linter.h"
#include "engine/rule.h"
#include "lsp/server.h"
#include "syntax/parse.h"
#include "syntax/language.h"
#include "project/project_index.h"
#include "report/report.h"
#include "report/rule_docs.h"
#include "report/trace.h"
#include "loop/explain.h"

namespace {

using namespace asynclint;
namespace fs = std::filesystem;

constexpr int kExitClean = 0;
constexpr int kExitFindings = 1;
constexpr int kExitUsage = 2;
constexpr int kExitNotModelled = 3;  // `explain`: the program uses something the model does not cover

struct Arguments {
  std::vector<std::string> paths;
  std::string format = "stylish";
  std::string output;
  unsigned threads = 0;
  std::vector<std::string> rule_settings;
  std::string config;
  bool no_ignore = false;
  std::vector<std::string> ignore_patterns;
  long long max_warnings = -1;
  bool quiet = false;
  bool list_rules = false;
  bool code_frame = false, no_code_frame = false;
  bool explain = false;
  bool verbose = false;
  bool color = false, no_color = false;
  std::uint64_t max_file_size = 10 * 1024 * 1024;
  std::string print_config;
  bool stdin_input = false;
  std::string stdin_filename = "<stdin>.ts";
  std::string rule_id;  // `asynclint rule ID`
  std::string tree_file;  // `asynclint tree FILE`
  bool fix = false, fix_suggestions = false, fix_dry_run = false;
  bool suppress_all = false, prune_suppressions = false, sarif_include_suppressed = false;
  std::vector<std::string> suppress_rules;
  std::string suppressions_location = "asynclint-suppressions.json";
  bool suppressions_location_named = false;  // given with --suppressions-location: no search upwards
  std::string shard;  // "I/N"
  std::string sarif_category;
  bool no_error_on_unmatched_pattern = false, no_warn_ignored = false;
  bool error_on_syntax = false;
  bool cache = false;
  std::string cache_location = ".asynclint-cache/results";
};

// --shard I/N keeps the files whose path hashes to shard I: stable when other files come and go, so a CI
// matrix of N jobs splits the work the same way every run. Cross-file facts stay right in every shard
// because imported files are read for their exports even when another shard lints them.
bool select_shard(std::vector<std::string>& files, const std::string& spec, std::string& error) {
  unsigned index = 0, count = 0;
  char slash = 0;
  std::istringstream in(spec);
  if (!(in >> index >> slash >> count) || slash != '/' || count == 0 || index == 0 || index > count || !in.eof()) {
    error = "--shard " + spec + ": expected I/N with 1 <= I <= N";
    return false;
  }
  std::vector<std::string> mine;
  for (auto& file : files) {
    std::uint64_t hash = 1469598103934665603ull;  // FNV-1a of the path as discovered
    for (unsigned char c : file) hash = (hash ^ c) * 1099511628211ull;
    if (hash % count == index - 1) mine.push_back(std::move(file));
  }
  files = std::move(mine);
  return true;
}

// SARIF's automationDetails.id: GitHub takes the part before its last '/' as the upload's category, and
// an upload replaces the alerts of an earlier one with the same category on the same commit. Left out
// unless asked for, so that upload-sarif's `category` input applies; each shard of a matrix gets its own,
// or all but the last shard's alerts would be lost.
std::string sarif_automation_id(const Arguments& args) {
  std::string category = args.sarif_category;
  unsigned index = 0, count = 0;
  char slash = 0;
  std::istringstream shard(args.shard);  // already checked by select_shard
  if (category.empty() && shard >> index >> slash >> count)
    category = "asynclint/shard-" + std::to_string(index) + "-of-" + std::to_string(count);
  if (category.empty()) return "";
  return category.back() == '/' ? category : category + "/";  // as upload-sarif spells a category
}

// The baseline (asynclint-suppressions.json): record what --suppress-all / --suppress-rule ask for, prune
// on --prune-suppressions, then leave accepted findings out of the run. Returns false on error.
// Without --suppressions-location, the baseline is the nearest asynclint-suppressions.json in the current
// folder or above it, up to the repository's root (a folder with .git): `cd src && asynclint .` keeps the
// project's accepted findings. None found: the current folder's, which --suppress-all creates.
std::string baseline_location(const Arguments& args, bool named) {
  if (named) return args.suppressions_location;
  std::error_code ec;
  for (fs::path folder = fs::current_path(ec); !ec && !folder.empty(); folder = folder.parent_path()) {
    const fs::path candidate = folder / args.suppressions_location;
    if (fs::is_regular_file(candidate, ec)) {
      const fs::path relative = candidate.lexically_relative(fs::current_path(ec));
      return relative.empty() ? candidate.string() : relative.string();
    }
    if (fs::exists(folder / ".git", ec) || folder == folder.root_path()) break;
  }
  return args.suppressions_location;
}

bool apply_suppressions_file(LintRun& run, const Arguments& args, bool location_named, std::string& error) {
  const std::string location = baseline_location(args, location_named);
  const std::string directory = fs::path(location).parent_path().string();
  auto baseline = load_baseline(location, error);
  if (!baseline) return false;
  bool changed = false;
  if (args.suppress_all || !args.suppress_rules.empty()) {
    const std::set<std::string> rules(args.suppress_rules.begin(), args.suppress_rules.end());
    for (const auto& rule : rules)
      if (!RuleRegistry::find(rule)) {
        error = "--suppress-rule: " + unknown_rule_message(rule);
        return false;
      }
    record_findings(*baseline, run, directory, args.suppress_all ? std::set<std::string>{} : rules);
    changed = true;
  }
  if (args.prune_suppressions) {
    prune_baseline(*baseline, run, directory);
    changed = true;
  }
  if (changed && !save_baseline(location, *baseline, error)) return false;
  const BaselineOutcome outcome = apply_baseline(run, *baseline, directory);
  if (!outcome.unused.empty() && !args.prune_suppressions) {
    std::cerr << "asynclint: " << outcome.unused.size() << " suppression" << (outcome.unused.size() == 1 ? "" : "s") << " in "
              << location << (outcome.unused.size() == 1 ? " no longer matches" : " no longer match")
              << " (run with --prune-suppressions):\n";
    for (const auto& entry : outcome.unused) std::cerr << "  " << entry << '\n';
  }
  return true;
}

// `asynclint tree FILE`: the syntax tree as tree-sitter sees it, for rule authors.
// A whole file for the single-file subcommands; false (with a message) when it cannot be read.
bool read_whole_file(const std::string& path, std::string& text) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "asynclint: cannot read " << path << '\n';
    return false;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  text = buffer.str();
  return true;
}

int print_tree(const std::string& path) {
  std::string text;
  if (!read_whole_file(path, text)) return kExitUsage;
  const auto language = language_for_path(path).value_or(LanguageId::JavaScript);
  TSParser* parser = ts_parser_new();
  ts_parser_set_language(parser, ts_language(language));
  TSTree* tree = parse_bounded(parser, nullptr, text);
  if (!tree) {
    std::cerr << "asynclint: " << path << ": the parser gave up (its error recovery ran past its budget)\n";
    ts_parser_delete(parser);
    return kExitUsage;
  }
  char* sexp = ts_node_string(ts_tree_root_node(tree));
  std::cout << sexp << '\n';
  std::free(sexp);
  ts_tree_delete(tree);
  ts_parser_delete(parser);
  return kExitClean;
}

// `asynclint explain FILE`: the event-loop model's prediction of what `node FILE` prints, and why.
int explain_file(const std::string& path, bool print_output, const std::string& format) {
  std::string text;
  if (!read_whole_file(path, text)) return kExitUsage;
  const auto language = language_for_path(path).value_or(LanguageId::JavaScript);
  const loop::ExplainResult result = loop::explain_program(text, language);
  if (print_output) {
    std::cout << result.output;
  } else if (format == "json") {
    std::cout << trace_to_json(path, result).dump(2) << '\n';
  } else {
    write_trace_text(std::cout, path, result);
  }
  std::cout.flush();
  for (const auto& warning : result.warnings) std::cerr << "asynclint: " << path << ": race: " << warning << '\n';
  if (!result.supported) {
    std::cerr << "asynclint: " << path << ": not modelled: " << result.unsupported_message << '\n';
    return kExitNotModelled;
  }
  return kExitClean;
}

// `asynclint rule-docs DIR`: every rule's page (DIR/<id>.md) and the index (DIR/README.md), from the rules'
// own metadata. tests/rule_docs_test.cpp fails while a committed page differs from what this writes.
int write_rule_pages(const std::string& directory) {
  std::error_code ec;
  fs::create_directories(directory, ec);
  std::vector<std::pair<std::string, std::string>> pages;
  for (const Rule* rule : RuleRegistry::rules()) pages.emplace_back(std::string(rule->meta().id) + ".md", rule_page(*rule));
  pages.emplace_back("README.md", rule_pages_index());
  for (const auto& [name, text] : pages) {
    const std::string path = (fs::path(directory) / name).string();
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) {
      std::cerr << "asynclint: cannot write " << path << '\n';
      return kExitUsage;
    }
  }
  std::cerr << "asynclint: wrote " << pages.size() << " pages to " << directory << '\n';
  return kExitClean;
}

void list_rules(std::ostream& out) {
  std::size_t width = 0;
  for (const Rule* rule : RuleRegistry::rules()) width = std::max(width, rule->meta().id.size());
  for (const Rule* rule : RuleRegistry::rules()) {
    const RuleMeta& meta = rule->meta();
    out << meta.id << std::string(width - meta.id.size() + 2, ' ') << severity_name(meta.default_severity)
        << std::string(7 - severity_name(meta.default_severity).size(), ' ') << (meta.has_suggestions ? "suggestions  " : "             ")
        << meta.summary << '\n';
  }
}

bool parse_rule_settings(const std::vector<std::string>& settings, std::vector<RuleOverride>& out, std::string& error) {
  for (const auto& setting : settings) {
    const auto equals = setting.find('=');
    Severity severity{};
    if (equals == std::string::npos || !parse_severity(setting.substr(equals + 1), severity)) {
      error = "--rule " + setting + ": expected ID=off|warn|error";
      return false;
    }
    out.push_back({setting.substr(0, equals), severity});
  }
  return true;
}

// Files the configuration's ignorePatterns exclude (relative to the folder of that asynclint.json) are left
// out; those among `named_files` (named on the command line) go to `ignored_named` to be warned about.
std::vector<std::string> apply_config_ignores(const std::vector<std::string>& files, const std::set<std::string>& named_files,
                                              ConfigResolver& configs, std::vector<std::string>& ignored_named, std::string& error) {
  std::map<std::string, IgnoreRules> rules_by_config;
  std::vector<std::string> kept;
  for (const auto& file : files) {
    auto config = configs.for_file(file, error);
    if (!config) return {};
    if (config->ignore_patterns.empty()) {
      kept.push_back(file);
      continue;
    }
    auto [entry, inserted] = rules_by_config.try_emplace(config->path);
    if (inserted) {
      std::string text;
      for (const auto& pattern : config->ignore_patterns) text += pattern + "\n";
      entry->second.add_file(normalize_path(config->directory).substr(1), text);
    }
    if (!entry->second.is_ignored_or_inside_ignored_directory(normalize_path(file).substr(1), false)) {
      kept.push_back(file);
      continue;
    }
    std::error_code ec;
    if (named_files.count(fs::weakly_canonical(file, ec).string()))
      ignored_named.push_back(file + ": file ignored because of a matching ignore pattern (ignorePatterns in " + config->path +
                              "); --no-ignore lints it");
  }
  return kept;
}

// Stylish output shows the source around each finding when asked, or on a terminal.
bool shows_code_frames(const Arguments& args) {
  if (args.no_code_frame) return false;
  return args.code_frame || args.verbose || (args.output.empty() && isatty(STDOUT_FILENO));
}

// Applies fixes (--fix: safe ones; --fix-suggestions: the first suggestion of each finding). With
// --fix-dry-run nothing is written: the edits go to `dry_run` as unified diffs (stylish) or JSON, and the
// text each changed file would have goes to `would_be`, to lint it for what would remain.
// Returns whether any file was written.
bool apply_fixes_to_files(const LintRun& run, const Arguments& args, std::ostream& dry_run, std::map<std::string, std::string>& would_be) {
  bool wrote = false;
  nlohmann::json edits_json = nlohmann::json::array();
  for (const auto& file : run.files) {
    if (!file.source || file.diagnostics.empty()) continue;
    const std::string text(file.source->text());
    const auto language = language_for_path(file.path).value_or(LanguageId::JavaScript);
    FixOutcome outcome = apply_fixes(text, language, file.diagnostics, args.fix_suggestions);
    if (!outcome.rejected_reason.empty()) std::cerr << "asynclint: " << file.path << ": " << outcome.rejected_reason << '\n';
    if (outcome.applied == 0) continue;
    if (args.fix_dry_run) {
      would_be[file.path] = outcome.text;
      if (args.format == "json") {
        nlohmann::json edits = nlohmann::json::array();
        for (const auto& edit : outcome.edits)
          edits.push_back({{"offset", edit.start_byte}, {"endOffset", edit.end_byte}, {"text", edit.replacement}});
        edits_json.push_back({{"file", file.path}, {"applied", outcome.applied}, {"skipped", outcome.skipped}, {"edits", edits}});
      } else {
        dry_run << unified_diff(file.path, text, outcome.edits);
      }
      continue;
    }
    // Keep a byte-order mark the file had (the linter reads past it).
    std::string prefix;
    {
      std::ifstream original(file.path, std::ios::binary);
      char bom[3] = {};
      if (original.read(bom, 3) && bom[0] == '\xEF' && bom[1] == '\xBB' && bom[2] == '\xBF') prefix = "\xEF\xBB\xBF";
    }
    std::ofstream output(file.path, std::ios::binary | std::ios::trunc);
    output << prefix << outcome.text;
    if (!output) {
      std::cerr << "asynclint: " << file.path << ": cannot write the fixed file\n";
      continue;
    }
    wrote = true;
  }
  if (args.fix_dry_run && args.format == "json") dry_run << edits_json.dump(2) << '\n';
  return wrote;
}

int run_lint(const Arguments& args) {
  std::vector<RuleOverride> overrides;
  std::string error;
  if (!parse_rule_settings(args.rule_settings, overrides, error)) {
    std::cerr << "asynclint: " << error << '\n';
    return kExitUsage;
  }
  {
    // Validate --rule now, not only when some file's configuration is first looked up.
    Config probe = default_config();
    if (!apply_overrides(probe, overrides, error)) {
      std::cerr << "asynclint: " << error << '\n';
      return kExitUsage;
    }
  }
  ConfigResolver configs(args.config.empty() ? std::nullopt : std::optional<std::string>(args.config), overrides);

  if (!args.print_config.empty()) {
    auto config = configs.for_file(args.print_config, error);
    if (!config) {
      std::cerr << "asynclint: " << error << '\n';
      return kExitUsage;
    }
    std::cout << config->to_json().dump(2) << '\n';
    return kExitClean;
  }

  std::vector<InputFile> inputs;
  std::vector<std::string> walked_folders;
  if (args.stdin_input) {
    std::ostringstream buffer;
    buffer << std::cin.rdbuf();
    inputs.push_back({args.stdin_filename, buffer.str()});
  } else {
    std::vector<std::string> paths = args.paths.empty() ? std::vector<std::string>{"."} : args.paths;
    WalkOptions walk;
    walk.use_ignore_files = !args.no_ignore;
    walk.ignore_patterns = args.ignore_patterns;
    WalkResult walked = discover_files(paths, walk);
    for (const auto& path : paths) {
      std::error_code ec;
      if (fs::is_directory(path, ec)) walked_folders.push_back(normalize_path(fs::absolute(path, ec).string()));
    }
    for (const auto& notice : walked.notices) std::cerr << "asynclint: " << notice.path << ": " << notice.message << '\n';
    // A path that does not exist is most often a typo in a CI script, which must not pass green
    // (ESLint: "No files matching the pattern").
    if (!walked.missing.empty() && !args.no_error_on_unmatched_pattern) {
      std::cerr << "asynclint: " << (walked.missing.size() == 1 ? "a path" : "paths")
                << " named on the command line " << (walked.missing.size() == 1 ? "does" : "do") << " not exist:";
      for (const auto& path : walked.missing) std::cerr << " " << path;
      std::cerr << " (--no-error-on-unmatched-pattern lints the rest)\n";
      return kExitUsage;
    }
    // Files named on the command line that ignorePatterns, --ignore-pattern or the .d.ts rule exclude are
    // skipped with a warning, as ESLint does. The walker normalises how paths are spelled
    // (`./a.ts` → `a.ts`), so compare real paths, not strings.
    std::set<std::string> named_files;
    std::size_t named_directories = 0;
    for (const auto& path : paths) {
      std::error_code ec;
      if (fs::is_regular_file(path, ec)) named_files.insert(fs::weakly_canonical(path, ec).string());
      else if (fs::is_directory(path, ec)) ++named_directories;
    }
    std::vector<std::string> ignored_named;
    for (const auto& ignored : walked.ignored_named_files)
      ignored_named.push_back(ignored.path + (ignored.reason == IgnoredFile::Reason::kDeclarationFile
                                                  ? std::string(": file ignored: a declaration file holds no code that runs; --no-ignore lints it")
                                                  : std::string(": file ignored because of a matching --ignore-pattern")));
    std::vector<std::string> files = args.no_ignore ? walked.files : apply_config_ignores(walked.files, named_files, configs, ignored_named, error);
    if (!error.empty()) {
      std::cerr << "asynclint: " << error << '\n';
      return kExitUsage;
    }
    if (!args.no_warn_ignored)
      for (const auto& ignored : ignored_named)
        std::cerr << "asynclint: warning: " << ignored << "; --no-warn-ignored silences this warning\n";
    // Nothing to lint is an error unless every path named was a file the user's own ignore rules exclude
    // (a pre-commit run on excluded files only must pass). A shard with no files is fine: the split is a hash.
    const bool only_ignored_files = named_directories == 0 && !ignored_named.empty();
    if (files.empty() && !only_ignored_files && !args.no_error_on_unmatched_pattern) {
      std::cerr << "asynclint: no files to lint in";
      for (const auto& path : paths) std::cerr << " " << path;
      std::cerr << ": none has a lintable extension (.js .mjs .cjs .jsx .ts .mts .cts .tsx) or all are ignored"
                   " (--no-error-on-unmatched-pattern makes this exit 0)\n";
      return kExitUsage;
    }
    if (!args.shard.empty() && !select_shard(files, args.shard, error)) {
      std::cerr << "asynclint: " << error << '\n';
      return kExitUsage;
    }
    for (auto& file : files) inputs.push_back({std::move(file), std::nullopt});
  }

  LintOptions options;
  options.threads = args.threads;
  options.max_file_size = args.max_file_size;
  options.walked_folders = std::move(walked_folders);
  if (args.cache) options.cache_path = args.cache_location;
  // Only code frames, SARIF's line hashes and fixes read the text of files with findings.
  options.keep_text = (args.format == "stylish" && shows_code_frames(args)) || args.format == "sarif" || args.fix ||
                      args.fix_suggestions || args.fix_dry_run;
  // Progress for long runs, on a terminal's stderr only: never mixed into machine output or logs.
  const bool show_progress = isatty(STDERR_FILENO) && std::getenv("CI") == nullptr;
  const auto started = std::chrono::steady_clock::now();
  std::atomic<long long> last_shown_ms{0};
  std::atomic<bool> progress_shown{false};
  if (show_progress) {
    options.on_progress = [&](std::size_t done, std::size_t total) {
      const long long elapsed =
          std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
      long long last = last_shown_ms.load();
      if (elapsed < 1000 || elapsed - last < 100 || !last_shown_ms.compare_exchange_strong(last, elapsed)) return;
      progress_shown = true;
      std::fprintf(stderr, "\rasynclint: %zu/%zu files", done, total);
    };
  }
  LintRun run = lint_files(inputs, configs, options, error);
  if (progress_shown) std::fprintf(stderr, "\r\x1b[K");
  if (!error.empty()) {
    std::cerr << "asynclint: " << error << '\n';
    return kExitUsage;
  }
  for (const auto& notice : run.notices) std::cerr << "asynclint: " << notice.path << ": " << notice.message << '\n';

  std::ostringstream dry_run_output;
  if (args.fix || args.fix_suggestions || args.fix_dry_run) {
    if (args.stdin_input && !args.fix_dry_run) {
      std::cerr << "asynclint: --fix with --stdin has nowhere to write; use --fix-dry-run\n";
      return kExitUsage;
    }
    std::map<std::string, std::string> would_be;
    const bool wrote = apply_fixes_to_files(run, args, dry_run_output, would_be);
    if (!would_be.empty()) {
      // --fix-dry-run reports what would remain after the edits it printed, as ESLint's does.
      for (auto& input : inputs)
        if (auto found = would_be.find(input.path); found != would_be.end()) input.text = found->second;
      run = lint_files(inputs, configs, options, error);
      if (!error.empty()) {
        std::cerr << "asynclint: " << error << '\n';
        return kExitUsage;
      }
    } else if (wrote) {
      // Report what is left after fixing, as ESLint does.
      run = lint_files(inputs, configs, options, error);
      if (!error.empty()) {
        std::cerr << "asynclint: " << error << '\n';
        return kExitUsage;
      }
    }
  }

  if (!apply_suppressions_file(run, args, args.suppressions_location_named, error)) {
    std::cerr << "asynclint: " << error << '\n';
    return kExitUsage;
  }

  std::size_t errors = 0, warnings = 0;
  run.syntax_errors_fail = args.error_on_syntax;
  for (auto& file : run.files) {
    // A syntax error fails the run only when asked: tree-sitter rejects some valid code. As ESLint's
    // "Parsing error", it then counts as an error (exit 1).
    if (file.first_syntax_error && args.error_on_syntax) ++errors;
    if (args.quiet && !args.error_on_syntax) file.first_syntax_error.reset();
    if (args.quiet)
      file.diagnostics.erase(std::remove_if(file.diagnostics.begin(), file.diagnostics.end(),
                                            [](const Diagnostic& d) { return d.severity != Severity::Error; }),
                             file.diagnostics.end());
    for (const auto& d : file.diagnostics) (d.severity == Severity::Error ? errors : warnings)++;
  }

  std::ofstream file_output;
  if (!args.output.empty()) {
    file_output.open(args.output, std::ios::binary | std::ios::trunc);
    if (!file_output) {
      std::cerr << "asynclint: cannot write " << args.output << '\n';
      return kExitUsage;
    }
  }
  std::ostream& out = args.output.empty() ? std::cout : file_output;
  // --fix-dry-run: stylish shows the diff, then what would remain; json keeps to the list of edits (one
  // JSON document), and its exit code still says whether errors would remain; the other formats report
  // what would remain, as ESLint's --fix-dry-run does.
  if (args.fix_dry_run && (args.format == "stylish" || args.format == "json")) out << dry_run_output.str();
  if (args.fix_dry_run && args.format == "json") {
    // the edits were the output
  } else if (args.format == "json") {
    write_json(out, run);
  } else if (args.format == "sarif") {
    SarifOptions sarif;
    sarif.include_suppressed = args.sarif_include_suppressed;
    sarif.automation_id = sarif_automation_id(args);
    std::error_code ec;
    std::string root = fs::current_path(ec).generic_string();
    sarif.source_root_uri = "file://" + root + (root.empty() || root.back() != '/' ? "/" : "");
    write_sarif(out, run, sarif);
  } else if (args.format == "unix") {
    write_unix(out, run);
  } else if (args.format == "github") {
    write_github(out, run);
  } else if (args.format == "checkstyle") {
    write_checkstyle(out, run);
  } else if (args.format == "junit") {
    write_junit(out, run);
  } else {
    const bool tty = args.output.empty() && isatty(STDOUT_FILENO);
    const char* no_color_env = std::getenv("NO_COLOR");
    StylishOptions stylish;
    stylish.color = args.color || (!args.no_color && tty && !(no_color_env && *no_color_env));
    stylish.code_frame = shows_code_frames(args);
    stylish.explain = args.explain || args.verbose;
    write_stylish(out, run, stylish);
  }
  out.flush();

  if (errors > 0) return kExitFindings;
  if (args.max_warnings >= 0 && static_cast<long long>(warnings) > args.max_warnings) {
    std::cerr << "asynclint: " << warnings << (warnings == 1 ? " warning is" : " warnings are") << " over --max-warnings " << args.max_warnings << '\n';
    return kExitFindings;
  }
  return kExitClean;
}

}  // namespace

// glibc's allocator, tuned for a run that builds and drops a syntax tree and a semantic model per file while
// the findings of every file stay: fast bins make each large allocation first sweep the small blocks the
// last file freed (malloc_consolidate), and trimming returns memory the next file asks for again. On the
// benchmark corpus these cost about 5% of a run's CPU time, nothing in the parse-only baseline.
static void tune_allocator() {
  mallopt(M_MXFAST, 0);
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
  mallopt(M_TOP_PAD, 64 << 20);
}

int main(int argc, char** argv) {
  tune_allocator();
  CLI::App app{"asynclint: finds the async bugs in JavaScript and TypeScript, and shows the order the code really runs in."};
  // -V as oxlint and Biome spell it; -v stays --verbose (ESLint's -v is --version, but here it came first).
  app.set_version_flag("-V,--version", std::string("asynclint ") + ASYNCLINT_VERSION);
  Arguments args;
  app.add_option("paths", args.paths, "Files and directories to lint (default: .)");
  app.add_option("-f,--format", args.format, "Output format")->check(CLI::IsMember({"stylish", "json", "sarif", "unix", "github", "checkstyle", "junit"}))->capture_default_str();
  app.add_option("-o,--output", args.output, "Write the report to FILE instead of standard output");
  app.add_option("--threads", args.threads, "Worker threads (default: one per core)")->check(CLI::Range(1u, 1024u));
  app.add_option("--rule", args.rule_settings, "Set a rule's severity: ID=off|warn|error (repeatable)")->allow_extra_args(false);
  app.add_option("-c,--config", args.config, "Use this asynclint.json for every file instead of the nearest one")->check(CLI::ExistingFile);
  app.add_flag("--no-ignore", args.no_ignore, "Do not use .gitignore, .git/info/exclude or ignorePatterns");
  app.add_option("--ignore-pattern", args.ignore_patterns, "Skip paths matching this gitignore-style GLOB (repeatable)")->allow_extra_args(false);
  app.add_flag("--no-warn-ignored", args.no_warn_ignored, "No warning for files named on the command line that ignore rules exclude");
  app.add_flag("--no-error-on-unmatched-pattern", args.no_error_on_unmatched_pattern,
               "Exit 0 instead of 2 when a path named does not exist or nothing at all is left to lint");
  app.add_option("--max-warnings", args.max_warnings, "Exit with 1 when there are more than N warnings")->check(CLI::NonNegativeNumber);
  app.add_flag("--quiet", args.quiet, "Report errors only");
  app.add_flag("--error-on-syntax", args.error_on_syntax, "Exit 1 when a file has a syntax error (by default it is reported as a note)");
  app.add_flag("--rules", args.list_rules, "List every rule with its default severity and summary");
  app.add_flag("--code-frame", args.code_frame, "Show the source around each finding (default on a terminal)");
  app.add_flag("--no-code-frame", args.no_code_frame, "Never show the source around findings, even on a terminal or with -v");
  app.add_flag("--explain", args.explain, "Show how each finding's code runs, step by step (simulated by the event-loop model)");
  app.add_flag("-v,--verbose", args.verbose, "Show everything: the code frame and the explanation under each finding");
  app.add_flag("--color", args.color, "Colour the output even when it is not a terminal");
  app.add_flag("--no-color", args.no_color, "Never colour the output (NO_COLOR does the same)");
  app.add_option("--max-file-size", args.max_file_size, "Skip files larger than BYTES (default 10 MiB)");
  app.add_option("--print-config", args.print_config, "Print the configuration that applies to FILE and exit");
  CLI::Option* stdin_option = app.add_flag("--stdin", args.stdin_input, "Lint the text on standard input");
  app.add_flag("--suppress-all", args.suppress_all, "Accept every current finding into the suppressions file (adopting asynclint)");
  app.add_option("--suppress-rule", args.suppress_rules, "Accept the current findings of rule ID into the suppressions file (repeatable)")->allow_extra_args(false);
  app.add_flag("--prune-suppressions", args.prune_suppressions, "Lower the suppressions file's counts to what is still found");
  CLI::Option* suppressions_location_option =
      app.add_option("--suppressions-location", args.suppressions_location,
                     "The suppressions file (default: the nearest asynclint-suppressions.json here or above, up to the repository root)");
  app.add_flag("--sarif-include-suppressed", args.sarif_include_suppressed, "With --format sarif: include suppressed findings, with suppressions[]");
  app.add_option("--sarif-category", args.sarif_category,
                 "With --format sarif: the code-scanning category (automationDetails.id); default none, or one per --shard");
  app.add_flag("--cache", args.cache, "Keep results between runs; unchanged files are not linted again");
  app.add_option("--cache-location", args.cache_location, "Where --cache keeps them (default .asynclint-cache/results)");
  app.add_option("--shard", args.shard, "Lint only shard I of N (I/N), for a CI matrix");
  app.add_flag("--fix", args.fix, "Apply fixes that cannot change behaviour, then report what is left");
  app.add_flag("--fix-suggestions", args.fix_suggestions, "Also apply each finding's first suggestion (review the result)");
  app.add_flag("--fix-dry-run", args.fix_dry_run,
               "Print the edits --fix (or with --fix-suggestions, the suggestions) would make, and what would remain, without writing");
  app.add_option("--stdin-filename", args.stdin_filename, "The file name to report (and choose the grammar by) for --stdin")->needs(stdin_option);
  CLI::App* rule_command = app.add_subcommand("rule", "Print a rule's full documentation");
  rule_command->add_option("id", args.rule_id, "Rule id")->required();
  CLI::App* rule_docs_command = app.add_subcommand("rule-docs", "Write every rule's documentation page (<id>.md) and an index into DIR");
  std::string rule_docs_directory;
  rule_docs_command->add_option("dir", rule_docs_directory, "The folder, e.g. docs/rules")->required();
  CLI::App* tree_command = app.add_subcommand("tree", "Print a file's syntax tree as tree-sitter parses it (for rule authors)");
  tree_command->add_option("file", args.tree_file, "A JavaScript or TypeScript file")->required();
  CLI::App* explain_command = app.add_subcommand("explain", "Simulate a small program on the event-loop model: its output and the order it runs in");
  std::string explain_file_path, explain_format = "text";
  bool explain_print_output = false;
  explain_command->add_option("file", explain_file_path, "A JavaScript file (run as Node runs a CommonJS main module)")->required();
  explain_command->add_flag("--print-output", explain_print_output, "Print only the predicted stdout, byte for byte");
  explain_command->add_option("-f,--format", explain_format, "text or json")->check(CLI::IsMember({"text", "json"}))->capture_default_str();
  CLI::App* lsp_command = app.add_subcommand("lsp", "Run the language server for editors (LSP 3.17 on standard input and output)");
  lsp_command->add_flag("--stdio", "Accepted because editor clients pass it; standard input and output is the only transport");

  try {
    app.parse(argc, argv);
    args.suppressions_location_named = suppressions_location_option->count() > 0;
    if (lsp_command->parsed()) return lsp::run_language_server();
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "asynclint: " << e.what() << "\nRun asynclint --help for usage.\n";
    return kExitUsage;
  }

  try {
    if (rule_command->parsed()) {
      const Rule* rule = RuleRegistry::find(args.rule_id);
      if (!rule) {
        std::cerr << "asynclint: " << unknown_rule_message(args.rule_id) << '\n';
        return kExitUsage;
      }
      std::cout << rule_documentation(*rule);
      return kExitClean;
    }
    if (rule_docs_command->parsed()) return write_rule_pages(rule_docs_directory);
    if (tree_command->parsed()) return print_tree(args.tree_file);
    if (explain_command->parsed()) return explain_file(explain_file_path, explain_print_output, explain_format);
    if (args.list_rules) {
      list_rules(std::cout);
      return kExitClean;
    }
    return run_lint(args);
  } catch (const std::exception& e) {
    std::cerr << "asynclint: internal error: " << e.what() << '\n';
    return kExitUsage;
  }
}
