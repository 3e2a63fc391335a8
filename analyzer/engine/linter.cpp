#include "engine/linter.h"

#include <tree_sitter/api.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <sys/stat.h>
#include <thread>

#include "engine/rule.h"
#include "engine/suppressions.h"
#include "project/exports.h"
#include "project/project_index.h"
#include "semantic/semantic_model.h"
#include "syntax/kinds.h"
#include "syntax/language.h"
#include "syntax/syntax.h"
#include "syntax/tree_walk.h"

namespace asynclint {

namespace {

struct PendingFinding {
  Diagnostic diagnostic;
  ImportQuestion condition;
};

// Everything one file produced, kept until the project index can answer cross-file questions.
struct FileOutcome {
  std::string path;
  std::string absolute_path;
  std::shared_ptr<const Config> config;
  std::shared_ptr<const SourceText> source;
  std::vector<Diagnostic> diagnostics;
  std::vector<PendingFinding> pending;
  std::vector<SuppressionDirective> directives;
  FileExports exports;
  bool parsed = false;
  bool has_syntax_errors = false;
  std::optional<std::string> notice;
};

// For each Kind, the rules that asked to see it. Built once.
const std::vector<std::vector<std::uint16_t>>& rules_by_kind() {
  static const std::vector<std::vector<std::uint16_t>> table = [] {
    std::vector<std::vector<std::uint16_t>> by_kind(static_cast<std::size_t>(Kind::count_));
    const auto& rules = RuleRegistry::rules();
    for (std::size_t i = 0; i < rules.size(); ++i)
      for (Kind kind : rules[i]->meta().node_kinds) by_kind[static_cast<std::size_t>(kind)].push_back(static_cast<std::uint16_t>(i));
    return by_kind;
  }();
  return table;
}

bool is_rule_id(std::string_view id) { return RuleRegistry::find(id) != nullptr; }

std::optional<std::string> read_source(const InputFile& input, std::uint64_t max_size, std::string& notice) {
  std::string bytes;
  if (input.text) {
    bytes = *input.text;
  } else {
    struct stat info {};
    if (stat(input.path.c_str(), &info) != 0) {
      notice = "cannot read: no such file";
      return std::nullopt;
    }
    if (static_cast<std::uint64_t>(info.st_size) > max_size) {
      notice = "skipped: " + std::to_string(info.st_size) + " bytes is over --max-file-size (" + std::to_string(max_size) + ")";
      return std::nullopt;
    }
    std::ifstream in(input.path, std::ios::binary);
    if (!in) {
      notice = "cannot read: permission denied or not a regular file";
      return std::nullopt;
    }
    std::ostringstream buffer;
    buffer << in.rdbuf();
    if (in.bad()) {
      notice = "cannot read: I/O error";
      return std::nullopt;
    }
    bytes = std::move(buffer).str();
  }
  if (bytes.size() > max_size) {
    notice = "skipped: " + std::to_string(bytes.size()) + " bytes is over --max-file-size (" + std::to_string(max_size) + ")";
    return std::nullopt;
  }
  if (bytes.find('\0') != std::string::npos) {
    notice = "skipped: binary file (contains NUL bytes)";
    return std::nullopt;
  }
  if (!is_valid_utf8(bytes)) {
    notice = "skipped: not valid UTF-8";
    return std::nullopt;
  }
  // A UTF-8 byte-order mark is not part of the program; columns are counted after it, as ESLint does.
  if (bytes.size() >= 3 && static_cast<unsigned char>(bytes[0]) == 0xEF && static_cast<unsigned char>(bytes[1]) == 0xBB &&
      static_cast<unsigned char>(bytes[2]) == 0xBF)
    bytes.erase(0, 3);
  return bytes;
}

class FileAnalyzer {
 public:
  FileAnalyzer() : parser_(ts_parser_new()) {}
  ~FileAnalyzer() { ts_parser_delete(parser_); }
  FileAnalyzer(const FileAnalyzer&) = delete;
  FileAnalyzer& operator=(const FileAnalyzer&) = delete;

  // index_only: read the file's exports for the project index, run no rule (an imported file that was
  // not among the files to lint).
  void analyze(const InputFile& input, const LintOptions& options, FileOutcome& out, bool index_only = false) {
    std::string notice;
    auto text = read_source(input, options.max_file_size, notice);
    if (!text) {
      out.notice = notice;
      return;
    }
    auto language = language_for_path(input.path);
    if (!language) language = LanguageId::JavaScript;  // an explicit file with another name: read as JavaScript
    auto source = std::make_shared<SourceText>(std::move(*text));
    ts_parser_set_language(parser_, ts_language(*language));
    TSTree* tree = ts_parser_parse_string(parser_, nullptr, source->text().data(), static_cast<std::uint32_t>(source->text().size()));
    if (!tree) {
      out.notice = "could not be parsed";
      return;
    }
    out.parsed = true;
    const Syntax syntax(SyntaxTables::for_language(*language), source->text());
    SemanticModel model(syntax);
    TSNode root = ts_tree_root_node(tree);
    out.has_syntax_errors = ts_node_has_error(root);
    collect(root, syntax, model, out, *source);
    model.finish();
    if (!index_only) run_rules(syntax, model, input.path, out, *source);
    out.exports = collect_exports(model, *source);
    if (!out.diagnostics.empty() || !out.pending.empty() || !out.directives.empty()) out.source = source;
    ts_tree_delete(tree);
  }

 private:
  // The one walk: feeds the semantic model, keeps the nodes rules asked for, reads suppression comments.
  // Never descends into ERROR nodes, so nothing inside a syntax error reaches a rule.
  void collect(TSNode root, const Syntax& syntax, SemanticModel& model, FileOutcome& out, const SourceText& source) {
    const auto& interest = rules_by_kind();
    candidates_.clear();
    ancestors_.clear();  // ancestors_[d] is the node at depth d on the path to the current node
    walk_preorder(root, [&](TSNode node, std::uint32_t depth) {
      if (!ts_node_is_named(node) || ts_node_is_error(node) || ts_node_is_missing(node)) return false;
      ancestors_.resize(depth);
      const Kind kind = syntax.kind(node);
      model.visit(node, kind);
      if (kind == Kind::comment) read_directive(node, syntax, out, source);
      else if (!interest[static_cast<std::size_t>(kind)].empty())
        candidates_.push_back({node, kind, depth == 0 ? TSNode{} : ancestors_[depth - 1]});
      ancestors_.push_back(node);
      return true;
    });
  }

  void read_directive(TSNode comment, const Syntax& syntax, FileOutcome& out, const SourceText& source) {
    const std::string_view text = syntax.text(comment);
    if (text.find("lint-") == std::string_view::npos) return;  // cheap filter: asynclint-… / eslint-…
    SuppressionDirective directive{};
    std::vector<std::string> unknown;
    const bool parsed = parse_suppression(text, &is_rule_id, directive, unknown);
    directive.comment_start = ts_node_start_byte(comment);
    directive.comment_end = ts_node_end_byte(comment);
    for (const auto& name : unknown) {
      if (out.config->unused_suppressions == Severity::Off) break;
      Diagnostic diagnostic;
      diagnostic.rule_id = "unused-suppression";
      diagnostic.severity = out.config->unused_suppressions;
      diagnostic.message = "'" + name + "' is not an asynclint rule; this suppression does nothing (asynclint --rules lists them).";
      diagnostic.start_byte = directive.comment_start;
      diagnostic.end_byte = directive.comment_end;
      diagnostic.start = source.position_of(diagnostic.start_byte);
      diagnostic.end = source.position_of(diagnostic.end_byte);
      out.diagnostics.push_back(std::move(diagnostic));
    }
    if (!parsed) return;
    const std::uint32_t start_line = source.position_of(directive.comment_start).line;
    const std::uint32_t end_line = source.position_of(directive.comment_end).line;
    directive.target_line = directive.type == SuppressionDirective::Type::NextLine ? end_line + 1 : start_line;
    out.directives.push_back(std::move(directive));
  }

  void run_rules(const Syntax& syntax, const SemanticModel& model, const std::string& path, FileOutcome& out,
                 const SourceText& source) {
    const auto& rules = RuleRegistry::rules();
    const auto& interest = rules_by_kind();
    const Config& config = *out.config;
    RuleContext context(syntax, model, path);
    for (const auto& [node, kind, parent] : candidates_) {
      for (std::uint16_t rule_index : interest[static_cast<std::size_t>(kind)]) {
        const RuleSetting& setting = config.rules[rule_index];
        if (setting.severity == Severity::Off) continue;
        const std::size_t before = context.reports().size();
        context.begin_rule(rule_index, &setting.options, parent);
        rules[rule_index]->check(node, kind, context);
        for (std::size_t i = before; i < context.reports().size(); ++i) add_report(rule_index, context.reports()[i], syntax, out, source);
      }
    }
  }

  void add_report(std::uint16_t rule_index, RuleReport& report, const Syntax& syntax, FileOutcome& out, const SourceText& source) {
    // A finding that spans a syntax error would be a guess about code we could not read.
    if (ts_node_is_null(report.node) || ts_node_has_error(report.node)) return;
    const Rule& rule = *RuleRegistry::rules()[rule_index];
    Diagnostic diagnostic;
    diagnostic.rule_id = std::string(rule.meta().id);
    diagnostic.severity = out.config->rules[rule_index].severity;
    diagnostic.message = std::move(report.message);
    diagnostic.start_byte = ts_node_start_byte(report.node);
    diagnostic.end_byte = ts_node_end_byte(report.node);
    diagnostic.start = source.position_of(diagnostic.start_byte);
    diagnostic.end = source.position_of(diagnostic.end_byte);
    diagnostic.suggestions = std::move(report.suggestions);
    if (!ts_node_is_null(report.related_declaration))
      diagnostic.related.push_back({out.path, source.position_of(ts_node_start_byte(report.related_declaration)), report.related_message});
    (void)syntax;
    if (report.condition.empty()) out.diagnostics.push_back(std::move(diagnostic));
    else out.pending.push_back({std::move(diagnostic), std::move(report.condition)});
  }

  struct Candidate {
    TSNode node;
    Kind kind;
    TSNode parent;
  };
  TSParser* parser_;
  std::vector<Candidate> candidates_;
  std::vector<TSNode> ancestors_;
};

// Files that pending findings (or re-exports) lead to but that were not linted — `asynclint src/a.ts`
// alone, as a pre-commit hook runs it — are read for their exports only, so that cross-file findings do not
// depend on which files were named. Bounded in rounds (re-export chains) and in files.
void index_imported_files(const std::vector<FileOutcome>& outcomes, ProjectIndex& index, const LintOptions& options) {
  constexpr int kMaxRounds = 8;
  constexpr std::size_t kMaxExtraFiles = 2000;
  std::vector<std::pair<std::string, std::string>> wanted;  // (importer, specifier)
  for (const auto& outcome : outcomes)
    for (const auto& pending : outcome.pending) wanted.emplace_back(outcome.absolute_path, pending.condition.module);
  if (wanted.empty()) return;
  std::set<std::string> tried;
  std::size_t extra = 0;
  FileAnalyzer analyzer;
  auto on_disk = [](const std::string& path) {
    struct stat info {};
    return stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode) && language_for_path(path).has_value();
  };
  for (int round = 0; round < kMaxRounds && !wanted.empty(); ++round) {
    std::vector<std::string> to_index;
    for (const auto& [importer, specifier] : wanted) {
      if (!index.resolve_module(importer, specifier).empty()) continue;
      const std::string path = resolve_specifier(importer, specifier, on_disk);
      if (!path.empty() && tried.insert(path).second) to_index.push_back(path);
    }
    if (to_index.empty()) break;
    for (const auto& path : to_index) {
      if (extra++ >= kMaxExtraFiles) return;
      FileOutcome outcome;
      analyzer.analyze({path, std::nullopt}, options, outcome, /*index_only=*/true);
      if (outcome.parsed) index.add(path, std::move(outcome.exports));
    }
    wanted = index.forwarded_modules();
  }
}

// Another file's absolute path, spelled as the user spelled this one: relative to the current folder
// when `like` is relative.
std::string display_path(const std::string& absolute, const std::string& like) {
  if (!like.empty() && like[0] == '/') return absolute;
  std::error_code ec;
  const std::filesystem::path relative = std::filesystem::path(absolute).lexically_relative(std::filesystem::current_path(ec));
  return relative.empty() ? absolute : relative.string();
}

bool diagnostic_before(const Diagnostic& a, const Diagnostic& b) {
  if (a.start.line != b.start.line) return a.start.line < b.start.line;
  if (a.start.column != b.start.column) return a.start.column < b.start.column;
  return a.rule_id < b.rule_id;
}

}  // namespace

LintRun lint_files(const std::vector<InputFile>& files, ConfigResolver& configs, const LintOptions& options, std::string& error) {
  LintRun run;
  std::vector<FileOutcome> outcomes(files.size());
  // Configuration first, on one thread, so that a malformed asynclint.json stops the run before any work.
  for (std::size_t i = 0; i < files.size(); ++i) {
    outcomes[i].path = files[i].path;
    outcomes[i].absolute_path = normalize_path(files[i].path);
    outcomes[i].config = configs.for_file(files[i].path, error);
    if (!outcomes[i].config) return LintRun{};
  }

  unsigned threads = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  threads = static_cast<unsigned>(std::min<std::size_t>(threads, std::max<std::size_t>(1, files.size())));
  std::atomic<std::size_t> next{0}, done{0};
  auto worker = [&] {
    FileAnalyzer analyzer;
    for (std::size_t i = next++; i < files.size(); i = next++) {
      analyzer.analyze(files[i], options, outcomes[i]);
      if (options.on_progress) options.on_progress(++done, files.size());
    }
  };
  if (threads <= 1) {
    worker();
  } else {
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < threads; ++t) pool.emplace_back(worker);
    for (auto& thread : pool) thread.join();
  }

  ProjectIndex index;
  for (auto& outcome : outcomes)
    if (outcome.parsed) index.add(outcome.absolute_path, std::move(outcome.exports));
  index_imported_files(outcomes, index, options);

  for (auto& outcome : outcomes) {
    if (outcome.notice) {
      run.notices.push_back({outcome.path, *outcome.notice});
      continue;
    }
    if (!outcome.parsed) continue;
    ++run.files_linted;
    for (auto& pending : outcome.pending) {
      auto answer = index.returns_promise(outcome.absolute_path, pending.condition);
      if (!answer) continue;
      pending.diagnostic.related.push_back({display_path(answer->file, outcome.path), answer->declared_at, answer->what + " is declared here"});
      outcome.diagnostics.push_back(std::move(pending.diagnostic));
    }
    FileReport report;
    if (outcome.source)
      apply_suppressions(outcome.directives, outcome.diagnostics, outcome.config->unused_suppressions, *outcome.source, &report.suppressed);
    std::sort(outcome.diagnostics.begin(), outcome.diagnostics.end(), diagnostic_before);
    report.path = outcome.path;
    report.diagnostics = std::move(outcome.diagnostics);
    report.has_syntax_errors = outcome.has_syntax_errors;
    if (!report.diagnostics.empty() || !report.suppressed.empty()) report.source = outcome.source;
    run.files.push_back(std::move(report));
  }
  std::sort(run.files.begin(), run.files.end(), [](const FileReport& a, const FileReport& b) { return a.path < b.path; });
  std::sort(run.notices.begin(), run.notices.end(), [](const FileNotice& a, const FileNotice& b) { return a.path < b.path; });
  return run;
}

}  // namespace asynclint
