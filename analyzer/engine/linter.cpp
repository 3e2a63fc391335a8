#include "engine/linter.h"
#include "loop/scenario.h"

#include <tree_sitter/api.h>

#include <algorithm>
#include <cstdio>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <sys/stat.h>
#include <thread>

#include "engine/result_cache.h"
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
  std::string scenario;  // run only if the finding stands: most conditional findings are dropped
};

// Runs a finding's scenario on the event-loop model; its recorded steps become the explanation.
void attach_explanation(Diagnostic& diagnostic, const std::string& scenario, const SourceText& source, const std::string& path) {
  if (scenario.empty()) return;
  const loop::ScenarioOutcome explained = loop::run_scenario(scenario);
  if (!explained.simulated) return;
  const auto size = static_cast<std::uint32_t>(source.text().size());
  for (const auto& step : explained.steps)
    diagnostic.explanation.push_back({path, source.position_of(std::min(step.byte_offset, size)), step.message, step.time_ms, step.nesting});
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
      tree = ts_parser_parse_string(parser_, nullptr, source->text().data(), static_cast<std::uint32_t>(source->text().size()));
    }
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
    if (report.condition.empty()) {
      attach_explanation(diagnostic, report.scenario, source, out.path);
      out.diagnostics.push_back(std::move(diagnostic));
    } else {
      out.pending.push_back({std::move(diagnostic), std::move(report.condition), std::move(report.scenario)});
    }
  }

  struct Candidate {
    TSNode node;
    Kind kind;
    TSNode parent;
    std::uint32_t depth;
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

// --- the cache's view of a file's outcome (everything but the source text, which is re-read) ----------
nlohmann::json position_json(const LineColumn& at) { return {at.line, at.column}; }
LineColumn position_from(const nlohmann::json& j) { return {j.at(0).get<std::uint32_t>(), j.at(1).get<std::uint32_t>()}; }

nlohmann::json diagnostic_json(const Diagnostic& d) {
  nlohmann::json suggestions = nlohmann::json::array();
  for (const auto& suggestion : d.suggestions) {
    nlohmann::json edits = nlohmann::json::array();
    for (const auto& edit : suggestion.edits) edits.push_back({edit.start_byte, edit.end_byte, edit.replacement});
    suggestions.push_back({{"d", suggestion.description}, {"s", suggestion.safe}, {"e", edits}});
  }
  nlohmann::json related = nlohmann::json::array();
  for (const auto& r : d.related) related.push_back({r.path, position_json(r.start), r.message});
  nlohmann::json explanation = nlohmann::json::array();
  for (const auto& x : d.explanation) explanation.push_back({x.path, position_json(x.start), x.message, x.time_ms, x.nesting});
  return {{"r", d.rule_id}, {"v", static_cast<int>(d.severity)}, {"m", d.message}, {"b", {d.start_byte, d.end_byte}},
          {"p", {position_json(d.start), position_json(d.end)}}, {"s", suggestions}, {"l", related}, {"x", explanation}};
}

Diagnostic diagnostic_from(const nlohmann::json& j) {
  Diagnostic d;
  d.rule_id = j.at("r").get<std::string>();
  d.severity = static_cast<Severity>(j.at("v").get<int>());
  d.message = j.at("m").get<std::string>();
  d.start_byte = j.at("b").at(0).get<std::uint32_t>();
  d.end_byte = j.at("b").at(1).get<std::uint32_t>();
  d.start = position_from(j.at("p").at(0));
  d.end = position_from(j.at("p").at(1));
  for (const auto& s : j.at("s")) {
    Suggestion suggestion{s.at("d").get<std::string>(), {}, s.at("s").get<bool>()};
    for (const auto& e : s.at("e")) suggestion.edits.push_back({e.at(0).get<std::uint32_t>(), e.at(1).get<std::uint32_t>(), e.at(2).get<std::string>()});
    d.suggestions.push_back(std::move(suggestion));
  }
  for (const auto& r : j.at("l")) d.related.push_back({r.at(0).get<std::string>(), position_from(r.at(1)), r.at(2).get<std::string>()});
  for (const auto& x : j.at("x"))
    d.explanation.push_back({x.at(0).get<std::string>(), position_from(x.at(1)), x.at(2).get<std::string>(),
                             x.at(3).get<std::uint64_t>(), x.at(4).get<std::uint32_t>()});
  return d;
}

nlohmann::json outcome_json(const FileOutcome& out) {
  nlohmann::json j;
  j["e"] = out.has_syntax_errors;
  j["d"] = nlohmann::json::array();
  for (const auto& d : out.diagnostics) j["d"].push_back(diagnostic_json(d));
  j["p"] = nlohmann::json::array();
  for (const auto& p : out.pending) j["p"].push_back({diagnostic_json(p.diagnostic), p.condition.module, p.condition.name, p.scenario});
  j["s"] = nlohmann::json::array();
  for (const auto& s : out.directives)
    j["s"].push_back({static_cast<int>(s.type), s.comment_start, s.comment_end, s.target_line, s.rules, s.from_eslint_spelling, s.reason});
  nlohmann::json named = nlohmann::json::object();
  for (const auto& [name, fact] : out.exports.named)
    named[name] = {static_cast<int>(fact.kind), fact.what, position_json(fact.declared_at), fact.alias_module, fact.alias_name};
  j["x"] = {{"n", named}, {"s", out.exports.star_modules}};
  return j;
}

void restore_outcome(const nlohmann::json& j, std::string text, FileOutcome& out) {
  out.parsed = true;
  out.has_syntax_errors = j.at("e").get<bool>();
  for (const auto& d : j.at("d")) out.diagnostics.push_back(diagnostic_from(d));
  for (const auto& p : j.at("p"))
    out.pending.push_back({diagnostic_from(p.at(0)), {p.at(1).get<std::string>(), p.at(2).get<std::string>()}, p.at(3).get<std::string>()});
  for (const auto& s : j.at("s")) {
    SuppressionDirective directive{};
    directive.type = static_cast<SuppressionDirective::Type>(s.at(0).get<int>());
    directive.comment_start = s.at(1).get<std::uint32_t>();
    directive.comment_end = s.at(2).get<std::uint32_t>();
    directive.target_line = s.at(3).get<std::uint32_t>();
    directive.rules = s.at(4).get<std::vector<std::string>>();
    directive.from_eslint_spelling = s.at(5).get<bool>();
    directive.reason = s.at(6).get<std::string>();
    directive.rule_used.assign(directive.rules.empty() ? 1 : directive.rules.size(), false);
    out.directives.push_back(std::move(directive));
  }
  for (const auto& [name, f] : j.at("x").at("n").items()) {
    ExportFact fact;
    fact.kind = static_cast<ExportFact::Kind>(f.at(0).get<int>());
    fact.what = f.at(1).get<std::string>();
    fact.declared_at = position_from(f.at(2));
    fact.alias_module = f.at(3).get<std::string>();
    fact.alias_name = f.at(4).get<std::string>();
    out.exports.named[name] = std::move(fact);
  }
  out.exports.star_modules = j.at("x").at("s").get<std::vector<std::string>>();
  if (!out.diagnostics.empty() || !out.pending.empty() || !out.directives.empty()) out.source = std::make_shared<SourceText>(std::move(text));
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

// Whether a cached outcome needs the file's text: findings (code frames, suppressions) or directives.
bool needs_text(const nlohmann::json& outcome) {
  return !outcome.at("d").empty() || !outcome.at("p").empty() || !outcome.at("s").empty();
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
  std::unique_ptr<ResultCache> cache;
  std::map<const Config*, std::string> config_keys;  // the configuration's part of a cache key
  if (!options.cache_path.empty()) {
    cache = std::make_unique<ResultCache>(options.cache_path);
    cache->load();
    for (const auto& outcome : outcomes)
      if (!config_keys.count(outcome.config.get())) config_keys[outcome.config.get()] = content_hash(outcome.config->to_json().dump());
  }

  std::atomic<std::size_t> next{0}, done{0};
  auto worker = [&] {
    FileAnalyzer analyzer;
    for (std::size_t i = next++; i < files.size(); i = next++) {
      FileOutcome& out = outcomes[i];
      if (!cache) {
        analyzer.analyze(files[i], options, out);
      } else {
        const std::string& config_key = config_keys.at(out.config.get());
        const std::string metadata = files[i].text ? std::string() : file_metadata(files[i].path);
        std::optional<nlohmann::json> unchanged;
        if (!metadata.empty()) unchanged = cache->lookup_unchanged(out.absolute_path, metadata, config_key);
        if (unchanged && !needs_text(*unchanged)) {
          restore_outcome(*unchanged, std::string(), out);
        } else {
          std::string notice;
          auto text = read_source(files[i], options.max_file_size, notice);
          if (!text) {
            out.notice = notice;
          } else {
            const std::string key = content_hash(*text) + "|" + config_key;
            if (unchanged) {
              restore_outcome(*unchanged, std::move(*text), out);
            } else if (auto hit = cache->lookup(out.absolute_path, key)) {
              restore_outcome(*hit, std::move(*text), out);
              cache->store(out.absolute_path, key, metadata, config_key, *hit);  // touched but not changed
            } else {
              const bool same_text = files[i].text && text->size() == files[i].text->size();
              analyzer.analyze_text(files[i].path, std::move(*text), out, false, same_text ? files[i].tree : nullptr);
              if (out.parsed) cache->store(out.absolute_path, key, metadata, config_key, outcome_json(out));
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
  index_imported_files(outcomes, index, options);

  for (auto& outcome : outcomes) {
    if (outcome.notice) {
      run.notices.push_back({outcome.path, *outcome.notice});
      continue;
    }
    if (!outcome.parsed) continue;
    ++run.files_linted;
    FileReport report;
    for (auto& pending : outcome.pending) {
      auto answer = index.returns_promise(outcome.absolute_path, pending.condition, &report.depends_on);
      if (!answer) continue;
      pending.diagnostic.related.push_back({display_path(answer->file, outcome.path), answer->declared_at, answer->what + " is declared here"});
      if (outcome.source) attach_explanation(pending.diagnostic, pending.scenario, *outcome.source, outcome.path);
      outcome.diagnostics.push_back(std::move(pending.diagnostic));
    }
    std::sort(report.depends_on.begin(), report.depends_on.end());
    report.depends_on.erase(std::unique(report.depends_on.begin(), report.depends_on.end()), report.depends_on.end());
    report.depends_on.erase(std::remove(report.depends_on.begin(), report.depends_on.end(), outcome.absolute_path), report.depends_on.end());
    if (outcome.source)
      apply_suppressions(outcome.directives, outcome.diagnostics, outcome.config->unused_suppressions, *outcome.source, &report.suppressed,
                         &rule_is_off_in, outcome.config.get());
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
