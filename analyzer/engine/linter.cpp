#include "engine/linter.h"
#include "loop/scenario.h"

#include <tree_sitter/api.h>

#include <algorithm>
#include <cstdio>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <numeric>
#include <set>
#include <sstream>
#include <sys/stat.h>
#include <thread>
#include <unordered_map>

#include "engine/byte_codec.h"
#include "engine/file_walker.h"
#include "engine/result_cache.h"
#include "engine/rule.h"
#include "engine/suppressions.h"
#include "project/exports.h"
#include "project/module_aliases.h"
#include "project/project_index.h"
#include "semantic/semantic_model.h"
#include "syntax/kinds.h"
#include "syntax/language.h"
#include "syntax/parse.h"
#include "syntax/syntax.h"
#include "syntax/tree_walk.h"

namespace asynclint {

namespace {

struct PendingFinding {
  Diagnostic diagnostic;
  ImportQuestion condition;                    // empty: no promise question
  std::vector<ImportRequirement> requirements;  // each must hold
  std::string scenario;  // run only if the finding stands: most conditional findings are dropped
  std::string fixed_scenario;
};

// Runs a scenario on the event-loop model; its recorded steps, placed in the file, go to `steps`.
void simulate_into(std::vector<ExplanationStep>& steps, const std::string& scenario, const SourceText& source, const std::string& path) {
  if (scenario.empty()) return;
  const loop::ScenarioOutcome explained = loop::run_scenario(scenario);
  if (!explained.simulated) return;
  const auto size = static_cast<std::uint32_t>(source.text().size());
  for (const auto& step : explained.steps)
    steps.push_back({path, source.position_of(std::min(step.byte_offset, size)), step.message, step.time_ms, step.nesting});
}

// A finding's two explanations: the code as written, and (when the rule has one) the code with its fix.
// Each is a run of its own program: one timeline never describes two programs.
void attach_explanations(Diagnostic& diagnostic, const std::string& scenario, const std::string& fixed_scenario, const SourceText& source,
                         const std::string& path, bool keep_programs) {
  simulate_into(diagnostic.explanation, scenario, source, path);
  // A fix is shown only next to the program it fixes.
  if (!diagnostic.explanation.empty()) simulate_into(diagnostic.fixed_explanation, fixed_scenario, source, path);
  if (keep_programs) {
    diagnostic.scenario_program = scenario;
    diagnostic.fixed_scenario_program = fixed_scenario;
  }
}

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
  std::optional<SyntaxError> first_syntax_error;
  bool text_left_unread = false;  // restored from --cache without reading the file (engine/result_cache.h)
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

// The first ERROR or MISSING node in text order: descend only into subtrees that contain an error (a cursor,
// not ts_node_child, so that a wide node is walked once).
SyntaxError first_syntax_error(TSNode root, const SourceText& source) {
  TSTreeCursor cursor = ts_tree_cursor_new(root);
  TSNode found = root;
  for (bool descended = ts_tree_cursor_goto_first_child(&cursor); descended;) {
    TSNode node = ts_tree_cursor_current_node(&cursor);
    if (ts_node_is_error(node) || ts_node_is_missing(node)) {
      found = node;
      break;
    }
    if (ts_node_has_error(node)) {
      found = node;  // if nothing below is marked, the error is this node's own
      descended = ts_tree_cursor_goto_first_child(&cursor);
    } else {
      descended = ts_tree_cursor_goto_next_sibling(&cursor);
    }
  }
  ts_tree_cursor_delete(&cursor);
  SyntaxError error;
  error.start_byte = ts_node_start_byte(found);
  error.end_byte = ts_node_end_byte(found);
  if (ts_node_is_missing(found)) {
    error.message = "missing '" + std::string(ts_node_type(found)) + "'";
  } else {
    // The text tree-sitter could not fit, cut to its first line and a readable length.
    std::string_view text = source.text().substr(error.start_byte, error.end_byte - error.start_byte);
    text = text.substr(0, text.find_first_of("\r\n"));
    std::size_t cut = std::min<std::size_t>(text.size(), 40);
    while (cut < text.size() && cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // whole characters
    error.message = text.empty() ? "unexpected end of input or token" : "unexpected '" + std::string(text.substr(0, cut)) + (cut < text.size() ? "…'" : "'");
  }
  error.start = source.position_of(error.start_byte);
  error.end = source.position_of(error.end_byte);
  return error;
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
    // One read into a string of the file's size: no stream buffer, no copy.
    std::FILE* file = std::fopen(input.path.c_str(), "rb");
    if (!file) {
      notice = "cannot read: permission denied or not a regular file";
      return std::nullopt;
    }
    bytes.resize(static_cast<std::size_t>(info.st_size));
    const std::size_t got = bytes.empty() ? 0 : std::fread(bytes.data(), 1, bytes.size(), file);
    const bool failed = std::ferror(file) != 0;
    std::fclose(file);
    if (failed) {
      notice = "cannot read: I/O error";
      return std::nullopt;
    }
    bytes.resize(got);  // the file shrank while we read it: lint what is there
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

std::string package_folder_of(const std::string& absolute_file);

class FileAnalyzer {
 public:
  // keep_text: see LintOptions::keep_text. `aliases` (may be null) resolves bare specifiers that name
  // project files.
  explicit FileAnalyzer(ModuleAliases* aliases, bool keep_text = true, bool keep_scenario_programs = false)
      : parser_(ts_parser_new()), aliases_(aliases), keep_text_(keep_text), keep_scenario_programs_(keep_scenario_programs) {}
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
    // A byte-order mark dropped by read_source would shift every offset of a tree parsed with it.
    const TSTree* parsed = input.text && text->size() == input.text->size() ? input.tree : nullptr;
    analyze_text(input.path, std::move(*text), out, index_only, parsed);
  }

  void analyze_text(const std::string& path, std::string text, FileOutcome& out, bool index_only = false,
                    const TSTree* parsed = nullptr) {
    const InputFile input{path, std::nullopt};
    auto language = language_for_path(input.path);
    if (!language) language = LanguageId::JavaScript;  // an explicit file with another name: read as JavaScript
    auto source = std::make_shared<SourceText>(std::move(text));
    TSTree* tree = nullptr;
    if (parsed && ts_tree_language(parsed) == ts_language(*language)) {
      tree = ts_tree_copy(parsed);  // shares the nodes; the caller keeps its own tree
    } else {
      ts_parser_set_language(parser_, ts_language(*language));
      tree = parse_bounded(parser_, nullptr, source->text());
    }
    if (!tree) {
      out.notice = "skipped: the parser gave up (its error recovery ran past " + std::to_string(parse_check_budget(source->text().size())) +
                   " progress checks, far beyond any real file of this size)";
      return;
    }
    out.parsed = true;
    const Syntax syntax(SyntaxTables::for_language(*language), source->text());
    SemanticModel model(syntax);
    if (out.config && out.config->runtime) model.set_runtime(*out.config->runtime);
    const std::string absolute_path = out.absolute_path.empty() ? normalize_path(path) : out.absolute_path;
    if (aliases_)
      model.set_module_resolver([this, &absolute_path](std::string_view specifier) { return aliases_->resolve(absolute_path, specifier); });
    TSNode root = ts_tree_root_node(tree);
    out.has_syntax_errors = ts_node_has_error(root);
    if (out.has_syntax_errors) out.first_syntax_error = first_syntax_error(root, *source);
    collect(root, syntax, model, out, *source);
    model.finish();
    if (!index_only) run_rules(syntax, model, input.path, absolute_path, out, *source);
    out.exports = collect_exports(model, *source);
    // Kept for pending findings, whose explanations are placed later, and for outputs that show the lines of
    // findings (directives can turn into unused-suppression findings). Otherwise dropped: a whole-corpus run
    // held the text of every file with a finding until the end.
    if (!out.pending.empty() || (keep_text_ && (!out.diagnostics.empty() || !out.directives.empty()))) out.source = source;
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
        candidates_.push_back({node, kind, depth == 0 ? TSNode{} : ancestors_[depth - 1], depth});
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
    directive.comment_start_at = source.position_of(directive.comment_start);
    directive.comment_end_at = source.position_of(directive.comment_end);
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

  void run_rules(const Syntax& syntax, const SemanticModel& model, const std::string& path, const std::string& absolute_path,
                 FileOutcome& out, const SourceText& source) {
    const auto& rules = RuleRegistry::rules();
    const auto& interest = rules_by_kind();
    const Config& config = *out.config;
    RuleContext context(syntax, model, path, [this, &absolute_path] { return path_below_package(absolute_path); });
    for (const auto& [node, kind, parent, depth] : candidates_) {
      for (std::uint16_t rule_index : interest[static_cast<std::size_t>(kind)]) {
        const RuleSetting& setting = config.rules[rule_index];
        if (setting.severity == Severity::Off) continue;
        const std::size_t before = context.reports().size();
        context.begin_rule(rule_index, &setting.options, parent, depth);
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
    if (report.condition.empty() && report.requirements.empty()) {
      attach_explanations(diagnostic, report.scenario, report.fixed_scenario, source, out.path, keep_scenario_programs_);
      out.diagnostics.push_back(std::move(diagnostic));
    } else {
      out.pending.push_back({std::move(diagnostic), std::move(report.condition), std::move(report.requirements), std::move(report.scenario),
                             std::move(report.fixed_scenario)});
    }
  }

  struct Candidate {
    TSNode node;
    Kind kind;
    TSNode parent;
    std::uint32_t depth;
  };
  // The file's path below its package folder, with the package folder of each folder remembered.
  std::string path_below_package(const std::string& absolute_file) {
    const std::size_t slash = absolute_file.rfind('/');
    const std::string folder = absolute_file.substr(0, slash == std::string::npos ? 0 : slash);
    auto found = package_folders_.find(folder);
    if (found == package_folders_.end()) found = package_folders_.emplace(folder, package_folder_of(absolute_file)).first;
    const std::string& package = found->second;
    if (package.empty() || absolute_file.compare(0, package.size(), package) != 0 || absolute_file.size() <= package.size() + 1)
      return absolute_file;
    return absolute_file.substr(package.back() == '/' ? package.size() : package.size() + 1);
  }

  TSParser* parser_;
  ModuleAliases* aliases_;
  std::unordered_map<std::string, std::string> package_folders_;  // folder → its package folder
  bool keep_text_;
  bool keep_scenario_programs_;
  std::vector<Candidate> candidates_;
  std::vector<TSNode> ancestors_;
};

// Files that pending findings (or re-exports) lead to but that were not linted — `asynclint src/a.ts`
// alone, as a pre-commit hook runs it — are read for their exports only, so that cross-file findings do not
// depend on which files were named. Bounded in rounds (re-export chains) and in files.
void index_imported_files(const std::vector<FileOutcome>& outcomes, ProjectIndex& index, const LintOptions& options,
                          ModuleAliases& aliases) {
  constexpr int kMaxRounds = 8;
  constexpr std::size_t kMaxExtraFiles = 2000;
  std::vector<std::pair<std::string, std::string>> wanted;  // (importer, specifier)
  for (const auto& outcome : outcomes)
    for (const auto& pending : outcome.pending) {
      if (!pending.condition.empty()) wanted.emplace_back(outcome.absolute_path, pending.condition.module);
      for (const auto& requirement : pending.requirements)
        for (const auto& question : requirement.any_of)
          if (!question.empty()) wanted.emplace_back(outcome.absolute_path, question.module);
    }
  if (wanted.empty()) return;
  std::set<std::string> tried;
  std::size_t extra = 0;
  FileAnalyzer analyzer(&aliases);
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

// The folder of the package a file belongs to: the nearest one above it with a package.json or a .git;
// without one, the current folder when the file is inside it, else the file's own folder.
std::string package_folder_of(const std::string& absolute_file) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path own = fs::path(absolute_file).parent_path();
  for (fs::path folder = own; !folder.empty(); folder = folder.parent_path()) {
    if (fs::exists(folder / "package.json", ec) || fs::exists(folder / ".git", ec)) return folder.string();
    if (folder == folder.root_path()) break;
  }
  const fs::path current = fs::current_path(ec);
  const fs::path inside = own.lexically_relative(current);
  if (!ec && !inside.empty() && *inside.begin() != "..") return current.string();
  return own.string();
}

// Where to search for the emitters of a file's events: its package folder, or the folder the caller
// walked when that lies inside the package (a package.json far up, such as one in /tmp, must not turn a
// run over one folder into a search of everything below it).
std::string search_folder_of(const std::string& absolute_file, const LintOptions& options) {
  std::string folder = package_folder_of(absolute_file);
  auto inside = [](const std::string& path, const std::string& dir) {
    return path.size() > dir.size() && path.compare(0, dir.size(), dir) == 0 && (dir.back() == '/' || path[dir.size()] == '/');
  };
  for (const auto& walked : options.walked_folders)
    if (inside(absolute_file, walked) && inside(walked, folder)) return walked;
  return folder;
}

// An event's emitter is not imported by its listener (the emitter hands itself over at run time), so the
// files that might await an emit of it are searched for by text: under the listener's package (the nearest
// folder with a package.json or .git, else the current folder), every lintable file that no run has indexed
// and whose text names the event in quotes is read for its facts. Linting one file, a shard or the whole
// project then gives the same answer.
void index_event_emitters(const std::vector<FileOutcome>& outcomes, ProjectIndex& index, const LintOptions& options,
                          ModuleAliases& aliases) {
  constexpr std::size_t kMaxSearchedFiles = 20000;
  std::map<std::string, std::set<std::string>> events_by_root;  // package folder → event names asked
  for (const auto& outcome : outcomes)
    for (const auto& pending : outcome.pending)
      for (const auto& requirement : pending.requirements)
        if (requirement.question == ImportRequirement::Question::EventNotAwaited)
          for (const auto& question : requirement.any_of) events_by_root[search_folder_of(outcome.absolute_path, options)].insert(question.name);
  if (events_by_root.empty()) return;
  FileAnalyzer analyzer(&aliases);
  std::size_t searched = 0;
  for (const auto& [root, events] : events_by_root) {
    const WalkResult walk = discover_files({root}, WalkOptions{});
    for (const auto& file : walk.files) {
      const std::string path = normalize_path(file);
      if (index.contains(path)) continue;
      std::vector<std::string> unsearched;
      for (const auto& event : events)
        if (!index.searched_for_event(path, event)) unsearched.push_back(event);
      if (unsearched.empty()) continue;
      if (++searched > kMaxSearchedFiles) return;
      std::string notice;
      const auto text = read_source(InputFile{path, std::nullopt}, options.max_file_size, notice);
      if (!text || text->find("emit") == std::string::npos) continue;
      const bool names_one = std::any_of(unsearched.begin(), unsearched.end(), [&](const std::string& event) {
        for (const char quote : {'\'', '"', '`'})
          if (text->find(quote + event + quote) != std::string::npos) return true;
        return false;
      });
      if (!names_one) continue;
      FileOutcome outcome;
      analyzer.analyze({path, *text}, options, outcome, /*index_only=*/true);
      if (outcome.parsed) index.add(path, std::move(outcome.exports));
    }
  }
}

// Whether every requirement of a pending finding holds, asking the project index. `reject_reason` receives
// why the promise of the finding's own import (`answer`) can reject, when that is what decided it;
// `deciding_import` the other file's function whose rejection decided it otherwise (shown as a related
// location, since the finding's own message can only say that the reason lies in another file).
bool requirements_hold(const ProjectIndex& index, const std::string& importer, const PendingFinding& pending,
                       const std::optional<ResolvedPromiseExport>& answer, std::string& reject_reason,
                       std::optional<ResolvedPromiseExport>& deciding_import, std::vector<std::string>& consulted) {
  for (const auto& requirement : pending.requirements) {
    bool holds = false;
    for (const auto& question : requirement.any_of) {
      if (requirement.question == ImportRequirement::Question::EventNotAwaited) {
        const std::string emitter = index.emits_awaited(question.name);
        holds = emitter.empty();
        if (!holds) consulted.push_back(emitter);
      } else if (requirement.question == ImportRequirement::Question::DoesIo ||
          requirement.question == ImportRequirement::Question::HasLatency) {
        auto io = index.does_io(importer, question, &consulted);
        holds = io && io->does_io && (requirement.question == ImportRequirement::Question::DoesIo || !io->local_files_only);
      } else {
        // One that does not resolve to a promise-returning project function is an operation out of sight:
        // Maybe.
        auto imported = index.returns_promise(importer, question, &consulted);
        holds = (imported ? imported->rejects : Rejects::Maybe) >= requirement.at_least;
        if (imported && holds && answer && imported->file == answer->file && imported->declared_at.line == answer->declared_at.line)
          reject_reason = imported->reject_reason;
        else if (imported && holds && !answer && !deciding_import && !imported->reject_reason.empty())
          deciding_import = imported;
      }
      if (holds) break;
    }
    if (!holds) return false;
  }
  return true;
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

// --- the cache's view of a file's outcome (everything but the source text, which is re-read) ----------
// --cache's encoding of a FileOutcome (engine/byte_codec.h). The first byte says whether the entry holds
// findings, so a warm run can tell without decoding whether it needs the file's text.

void write_position(ByteWriter& w, const LineColumn& at) {
  w.number(at.line);
  w.number(at.column);
}
LineColumn read_position(ByteReader& r) {
  LineColumn at;
  at.line = r.number32();
  at.column = r.number32();
  return at;
}

void write_steps(ByteWriter& w, const std::vector<ExplanationStep>& steps) {
  w.number(steps.size());
  for (const auto& x : steps) {
    w.text(x.path);
    write_position(w, x.start);
    w.text(x.message);
    w.number(x.time_ms);
    w.number(x.nesting);
  }
}

void read_steps(ByteReader& r, std::vector<ExplanationStep>& steps) {
  for (std::size_t i = 0, n = r.count(); i < n; ++i) {
    ExplanationStep step;
    step.path = r.text();
    step.start = read_position(r);
    step.message = r.text();
    step.time_ms = r.number();
    step.nesting = r.number32();
    steps.push_back(std::move(step));
  }
}

void write_diagnostic(ByteWriter& w, const Diagnostic& d) {
  w.text(d.rule_id);
  w.number(static_cast<unsigned>(d.severity));
  w.text(d.message);
  w.number(d.start_byte);
  w.number(d.end_byte);
  write_position(w, d.start);
  write_position(w, d.end);
  w.number(d.suggestions.size());
  for (const auto& suggestion : d.suggestions) {
    w.text(suggestion.description);
    w.flag(suggestion.safe);
    w.number(suggestion.edits.size());
    for (const auto& edit : suggestion.edits) {
      w.number(edit.start_byte);
      w.number(edit.end_byte);
      w.text(edit.replacement);
    }
  }
  w.number(d.related.size());
  for (const auto& r : d.related) {
    w.text(r.path);
    write_position(w, r.start);
    w.text(r.message);
  }
  write_steps(w, d.explanation);
  write_steps(w, d.fixed_explanation);
}

Diagnostic read_diagnostic(ByteReader& r) {
  Diagnostic d;
  d.rule_id = r.text();
  const std::uint64_t severity = r.number();
  if (severity > static_cast<unsigned>(Severity::Error)) throw MalformedBytes();
  d.severity = static_cast<Severity>(severity);
  d.message = r.text();
  d.start_byte = r.number32();
  d.end_byte = r.number32();
  d.start = read_position(r);
  d.end = read_position(r);
  for (std::size_t i = 0, n = r.count(); i < n; ++i) {
    Suggestion suggestion;
    suggestion.description = r.text();
    suggestion.safe = r.flag();
    for (std::size_t e = 0, edits = r.count(); e < edits; ++e) {
      TextEdit edit;
      edit.start_byte = r.number32();
      edit.end_byte = r.number32();
      edit.replacement = r.text();
      suggestion.edits.push_back(std::move(edit));
    }
    d.suggestions.push_back(std::move(suggestion));
  }
  for (std::size_t i = 0, n = r.count(); i < n; ++i) {
    RelatedLocation related;
    related.path = r.text();
    related.start = read_position(r);
    related.message = r.text();
    d.related.push_back(std::move(related));
  }
  read_steps(r, d.explanation);
  read_steps(r, d.fixed_explanation);
  return d;
}

std::string encode_outcome(const FileOutcome& out) {
  ByteWriter w;
  w.flag(!out.diagnostics.empty());  // read by needs_text
  w.flag(out.has_syntax_errors);
  if (out.first_syntax_error) {
    const SyntaxError& e = *out.first_syntax_error;
    w.number(e.start_byte);
    w.number(e.end_byte);
    write_position(w, e.start);
    write_position(w, e.end);
    w.text(e.message);
  }
  w.number(out.diagnostics.size());
  for (const auto& d : out.diagnostics) write_diagnostic(w, d);
  w.number(out.pending.size());
  for (const auto& p : out.pending) {
    write_diagnostic(w, p.diagnostic);
    w.text(p.condition.module);
    w.text(p.condition.name);
    w.number(p.requirements.size());
    for (const auto& requirement : p.requirements) {
      w.number(static_cast<unsigned>(requirement.question));
      w.number(static_cast<unsigned>(requirement.at_least));
      w.number(requirement.any_of.size());
      for (const auto& question : requirement.any_of) {
        w.text(question.module);
        w.text(question.name);
      }
    }
    w.text(p.scenario);
    w.text(p.fixed_scenario);
  }
  w.number(out.directives.size());
  for (const auto& s : out.directives) {
    w.number(static_cast<unsigned>(s.type));
    w.number(s.comment_start);
    w.number(s.comment_end);
    write_position(w, s.comment_start_at);
    write_position(w, s.comment_end_at);
    w.number(s.target_line);
    w.number(s.rules.size());
    for (const auto& rule : s.rules) w.text(rule);
    w.flag(s.from_eslint_spelling);
    w.text(s.reason);
  }
  w.number(out.exports.named.size());
  for (const auto& [name, fact] : out.exports.named) {
    w.text(name);
    w.number(static_cast<unsigned>(fact.kind));
    w.text(fact.what);
    write_position(w, fact.declared_at);
    w.text(fact.alias_module);
    w.text(fact.alias_name);
    w.number(static_cast<unsigned>(fact.rejects));
    w.text(fact.reject_reason);
    w.number(fact.reject_imports.size());
    for (const auto& [module, imported] : fact.reject_imports) {
      w.text(module);
      w.text(imported);
    }
    w.flag(fact.does_io);
    w.flag(fact.io_local_files_only);
    w.text(fact.io_reason);
    w.number(fact.io_imports.size());
    for (const auto& [module, imported] : fact.io_imports) {
      w.text(module);
      w.text(imported);
    }
    w.text(fact.members_module);
    w.text(fact.members_name);
  }
  w.number(out.exports.star_modules.size());
  for (const auto& module : out.exports.star_modules) w.text(module);
  w.number(out.exports.awaited_events.size());
  for (const auto& event : out.exports.awaited_events) w.text(event);
  return std::move(w.bytes());
}

// Whether a cached outcome needs the file's text at once: findings, when the output shows their lines.
// Pending findings need it only if they stand (their explanation's positions): read then, see lint_files.
// Directives carry their own positions.
bool needs_text(const std::string& outcome, bool keep_text) {
  return keep_text && !outcome.empty() && outcome[0] != '\0';
}

// Throws MalformedBytes on a corrupt entry, before taking `text` (null: the file was not read).
void restore_outcome(const std::string& bytes, std::string* text, FileOutcome& out) {
  ByteReader r(bytes);
  (void)r.flag();  // whether it holds findings (needs_text)
  out.has_syntax_errors = r.flag();
  if (out.has_syntax_errors) {
    SyntaxError e;
    e.start_byte = r.number32();
    e.end_byte = r.number32();
    e.start = read_position(r);
    e.end = read_position(r);
    e.message = r.text();
    out.first_syntax_error = std::move(e);
  }
  for (std::size_t i = 0, n = r.count(); i < n; ++i) out.diagnostics.push_back(read_diagnostic(r));
  for (std::size_t i = 0, n = r.count(); i < n; ++i) {
    PendingFinding pending;
    pending.diagnostic = read_diagnostic(r);
    pending.condition.module = r.text();
    pending.condition.name = r.text();
    for (std::size_t k = 0, requirements = r.count(); k < requirements; ++k) {
      ImportRequirement requirement;
      const std::uint64_t question_kind = r.number();
      if (question_kind > static_cast<unsigned>(ImportRequirement::Question::EventNotAwaited)) throw MalformedBytes();
      requirement.question = static_cast<ImportRequirement::Question>(question_kind);
      const std::uint64_t at_least = r.number();
      if (at_least > static_cast<unsigned>(Rejects::Yes)) throw MalformedBytes();
      requirement.at_least = static_cast<Rejects>(at_least);
      for (std::size_t q = 0, questions = r.count(); q < questions; ++q) {
        ImportQuestion question;
        question.module = r.text();
        question.name = r.text();
        requirement.any_of.push_back(std::move(question));
      }
      pending.requirements.push_back(std::move(requirement));
    }
    pending.scenario = r.text();
    pending.fixed_scenario = r.text();
    out.pending.push_back(std::move(pending));
  }
  for (std::size_t i = 0, n = r.count(); i < n; ++i) {
    SuppressionDirective directive{};
    const std::uint64_t type = r.number();
    if (type > static_cast<unsigned>(SuppressionDirective::Type::File)) throw MalformedBytes();
    directive.type = static_cast<SuppressionDirective::Type>(type);
    directive.comment_start = r.number32();
    directive.comment_end = r.number32();
    directive.comment_start_at = read_position(r);
    directive.comment_end_at = read_position(r);
    directive.target_line = r.number32();
    for (std::size_t k = 0, rules = r.count(); k < rules; ++k) directive.rules.push_back(r.text());
    directive.from_eslint_spelling = r.flag();
    directive.reason = r.text();
    directive.rule_used.assign(directive.rules.empty() ? 1 : directive.rules.size(), false);
    out.directives.push_back(std::move(directive));
  }
  for (std::size_t i = 0, n = r.count(); i < n; ++i) {
    std::string name = r.text();
    ExportFact fact;
    const std::uint64_t kind = r.number();
    if (kind > static_cast<unsigned>(ExportFact::Kind::Alias)) throw MalformedBytes();
    fact.kind = static_cast<ExportFact::Kind>(kind);
    fact.what = r.text();
    fact.declared_at = read_position(r);
    fact.alias_module = r.text();
    fact.alias_name = r.text();
    const std::uint64_t rejects = r.number();
    if (rejects > static_cast<unsigned>(Rejects::Yes)) throw MalformedBytes();
    fact.rejects = static_cast<Rejects>(rejects);
    fact.reject_reason = r.text();
    for (std::size_t k = 0, imports = r.count(); k < imports; ++k) {
      std::string module = r.text();
      fact.reject_imports.emplace_back(std::move(module), r.text());
    }
    fact.does_io = r.flag();
    fact.io_local_files_only = r.flag();
    fact.io_reason = r.text();
    for (std::size_t k = 0, imports = r.count(); k < imports; ++k) {
      std::string module = r.text();
      fact.io_imports.emplace_back(std::move(module), r.text());
    }
    fact.members_module = r.text();
    fact.members_name = r.text();
    out.exports.named.emplace_hint(out.exports.named.end(), std::move(name), std::move(fact));
  }
  for (std::size_t i = 0, n = r.count(); i < n; ++i) out.exports.star_modules.push_back(r.text());
  for (std::size_t i = 0, n = r.count(); i < n; ++i) out.exports.awaited_events.push_back(r.text());
  if (!r.at_end()) throw MalformedBytes();
  out.parsed = true;
  if (text && (!out.diagnostics.empty() || !out.pending.empty() || !out.directives.empty()))
    out.source = std::make_shared<SourceText>(std::move(*text));
  out.text_left_unread = !text;
}

// A cached outcome restored into `out`, or false when the entry is corrupt: `out` is then as it was, to be
// linted afresh (a cache never breaks a run).
bool restore_cached(const std::string& bytes, std::string* text, FileOutcome& out) {
  try {
    restore_outcome(bytes, text, out);
    return true;
  } catch (const MalformedBytes&) {
    out.diagnostics.clear();
    out.pending.clear();
    out.directives.clear();
    out.exports = FileExports{};
    out.has_syntax_errors = false;
    out.first_syntax_error.reset();
    return false;
  }
}

bool rule_is_off_in(std::string_view rule, const void* config) {
  std::uint16_t index = 0;
  return RuleRegistry::find(rule, &index) && static_cast<const Config*>(config)->rules[index].severity == Severity::Off;
}

// Size and modification time (nanoseconds): what --cache compares before reading a file.
std::string file_metadata(const std::string& path) {
  struct stat info {};
  if (stat(path.c_str(), &info) != 0) return {};
  return std::to_string(info.st_size) + ":" + std::to_string(info.st_mtim.tv_sec) + "." + std::to_string(info.st_mtim.tv_nsec);
}


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
  // tsconfig and workspace aliases, read once per run (a language server's next run sees an edited tsconfig).
  ModuleAliases aliases;
  std::unique_ptr<ResultCache> cache;
  std::map<const Config*, std::string> config_keys;  // the configuration's part of a cache key
  if (!options.cache_path.empty()) {
    cache = std::make_unique<ResultCache>(options.cache_path);
    cache->load();
    for (const auto& outcome : outcomes)
      if (!config_keys.count(outcome.config.get())) config_keys[outcome.config.get()] = content_hash(outcome.config->to_json().dump());
  }

  // With several threads, the largest files go first: a 9 MB file picked up last kept one thread busy for
  // two seconds after the others had run out of work.
  std::vector<std::size_t> order(files.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  if (threads > 1) {
    std::vector<std::uint64_t> sizes(files.size(), 0);
    for (std::size_t i = 0; i < files.size(); ++i) {
      struct stat info {};
      if (files[i].text) sizes[i] = files[i].text->size();
      else if (stat(files[i].path.c_str(), &info) == 0) sizes[i] = static_cast<std::uint64_t>(info.st_size);
    }
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return sizes[a] > sizes[b]; });
  }

  std::atomic<std::size_t> next{0}, done{0};
  auto worker = [&] {
    FileAnalyzer analyzer(&aliases, options.keep_text, options.keep_scenario_programs);
    for (std::size_t n = next++; n < files.size(); n = next++) {
      const std::size_t i = order[n];
      FileOutcome& out = outcomes[i];
      if (!cache) {
        analyzer.analyze(files[i], options, out);
      } else {
        // The aliases that apply decide which imports are project files: an edited tsconfig changes them.
        const std::string config_key = config_keys.at(out.config.get()) + "|" + aliases.fingerprint(out.absolute_path);
        const std::string metadata = files[i].text ? std::string() : file_metadata(files[i].path);
        ResultCache::Outcome unchanged;
        if (!metadata.empty()) unchanged = cache->lookup_unchanged(out.absolute_path, metadata, config_key);
        if (unchanged && !needs_text(*unchanged, options.keep_text) && restore_cached(*unchanged, nullptr, out)) {
          // unchanged since stored, and nothing in it needs the text: the file is not even read
        } else {
          std::string notice;
          auto text = read_source(files[i], options.max_file_size, notice);
          if (!text) {
            out.notice = notice;
          } else {
            const std::string key = content_hash(*text) + "|" + config_key;
            bool restored = false;
            if (unchanged) {
              restored = restore_cached(*unchanged, &*text, out);
            } else if (auto hit = cache->lookup(out.absolute_path, key)) {
              restored = restore_cached(*hit, &*text, out);
              if (restored) cache->store(out.absolute_path, key, metadata, config_key, hit);  // touched but not changed
            }
            if (!restored) {
              const bool same_text = files[i].text && text->size() == files[i].text->size();
              analyzer.analyze_text(files[i].path, std::move(*text), out, false, same_text ? files[i].tree : nullptr);
              if (out.parsed) cache->store(out.absolute_path, key, metadata, config_key, std::make_shared<const std::string>(encode_outcome(out)));
            }
          }
        }
      }
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

  if (cache) cache->save();
  ProjectIndex own_index;
  ProjectIndex& index = options.project ? *options.project : own_index;
  for (auto& outcome : outcomes)
    if (outcome.parsed) index.add(outcome.absolute_path, std::move(outcome.exports));
  index_imported_files(outcomes, index, options, aliases);
  index_event_emitters(outcomes, index, options, aliases);

  for (auto& outcome : outcomes) {
    if (outcome.notice) {
      run.notices.push_back({outcome.path, *outcome.notice});
      continue;
    }
    if (!outcome.parsed) continue;
    ++run.files_linted;
    FileReport report;
    // A file restored from --cache without being read, now needed after all.
    auto read_text_late = [&] {
      if (!outcome.text_left_unread || outcome.source) return;
      std::string notice;
      if (auto text = read_source(InputFile{outcome.path, std::nullopt}, options.max_file_size, notice))
        outcome.source = std::make_shared<SourceText>(std::move(*text));
    };
    for (auto& pending : outcome.pending) {
      std::optional<ResolvedPromiseExport> answer;
      if (!pending.condition.empty()) {
        answer = index.returns_promise(outcome.absolute_path, pending.condition, &report.depends_on);
        if (!answer) continue;
      }
      std::string reject_reason;
      std::optional<ResolvedPromiseExport> deciding_import;
      if (!requirements_hold(index, outcome.absolute_path, pending, answer, reject_reason, deciding_import, report.depends_on)) continue;
      read_text_late();
      if (deciding_import)
        pending.diagnostic.related.push_back({display_path(deciding_import->file, outcome.path), deciding_import->declared_at,
                                              deciding_import->what + " can reject: " + deciding_import->reject_reason});
      if (answer)
        pending.diagnostic.related.push_back({display_path(answer->file, outcome.path), answer->declared_at,
                                              answer->what + " is declared here" +
                                                  (!reject_reason.empty() ? "; it can reject: " + reject_reason : "")});
      if (outcome.source)
        attach_explanations(pending.diagnostic, pending.scenario, pending.fixed_scenario, *outcome.source, outcome.path,
                            options.keep_scenario_programs);
      outcome.diagnostics.push_back(std::move(pending.diagnostic));
    }
    std::sort(report.depends_on.begin(), report.depends_on.end());
    report.depends_on.erase(std::unique(report.depends_on.begin(), report.depends_on.end()), report.depends_on.end());
    report.depends_on.erase(std::remove(report.depends_on.begin(), report.depends_on.end(), outcome.absolute_path), report.depends_on.end());
    apply_suppressions(outcome.directives, outcome.diagnostics, outcome.config->unused_suppressions, &report.suppressed,
                       &rule_is_off_in, outcome.config.get());
    if (options.keep_text && !outcome.diagnostics.empty()) read_text_late();
    std::sort(outcome.diagnostics.begin(), outcome.diagnostics.end(), diagnostic_before);
    report.path = outcome.path;
    report.diagnostics = std::move(outcome.diagnostics);
    report.has_syntax_errors = outcome.has_syntax_errors;
    report.first_syntax_error = outcome.first_syntax_error;
    if (!report.diagnostics.empty() || !report.suppressed.empty()) report.source = outcome.source;
    run.files.push_back(std::move(report));
  }
  std::sort(run.files.begin(), run.files.end(), [](const FileReport& a, const FileReport& b) { return a.path < b.path; });
  std::sort(run.notices.begin(), run.notices.end(), [](const FileNotice& a, const FileNotice& b) { return a.path < b.path; });
  return run;
}

}  // namespace asynclint
