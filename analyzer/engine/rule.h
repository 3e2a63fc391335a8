#pragma once
// What a rule is, what it may ask while checking a file, and how it joins the registry.
//
// A rule lives in one file, rules/<id>.cpp: its metadata and documentation next to its logic, and a
// registration line at the bottom. The engine calls check() only for the node kinds the rule listed,
// never inside a syntax error, and only when the rule is enabled for the file.
#include <tree_sitter/api.h>

#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/diagnostic.h"
#include "semantic/rejection.h"
#include "semantic/semantic_model.h"
#include "syntax/syntax.h"

namespace asynclint {

struct RuleOption {
  std::string_view name;
  enum class Type { Boolean, Integer, StringList } type;
  nlohmann::json default_value;
  std::string_view description;
};

struct RuleExample {
  bool is_bug;                 // true: must produce this rule's finding; false: must be clean
  std::string_view file_name;  // e.g. "worker.ts": the extension picks the grammar
  std::string_view code;
};

struct RuleMeta {
  std::string_view id;
  std::string_view summary;         // one line, for --rules and SARIF shortDescription
  std::string_view description;     // Markdown: what it finds and why it is a bug at runtime
  std::vector<RuleExample> examples;
  Severity default_severity = Severity::Warn;
  std::vector<Kind> node_kinds;     // check() is called for these
  std::vector<RuleOption> options;
  bool has_suggestions = false;
  // Its findings come from the engine, not from check(): unused-suppression, which the engine reports while
  // it applies suppression comments. Such a rule has documentation and a severity but no fixtures of its own,
  // and an editor offers no "disable for this line" for it.
  bool reported_by_engine = false;
};

// A question about imported functions that only the project index can answer: the finding needs one of
// `any_of` to answer yes. CanReject: it returns a promise whose rejection reaches `at_least` (an import that
// does not resolve to a promise-returning project function is Maybe: an operation out of sight). DoesIo:
// calling it does I/O (semantic/io.h; out of sight counts as no).
struct ImportRequirement {
  // HasLatency: I/O beyond single local files (IoFact::has_latency). EventNotAwaited: no file of the
  // project awaits an emit of the event each question names (`name`; `module` empty), so nothing receives
  // what its listeners return (FileExports::awaited_events).
  enum class Question : std::uint8_t { CanReject, DoesIo, HasLatency, EventNotAwaited } question = Question::CanReject;
  std::vector<ImportQuestion> any_of;
  Rejects at_least = Rejects::Yes;  // CanReject: the answer it needs (an import out of sight is Maybe)
};

// A finding as a rule reports it. When `condition` is set, the finding stands only if the project index
// says that import returns a promise, and only if every requirement holds (the engine decides after every
// file is indexed).
struct RuleReport {
  TSNode node{};
  std::string message;
  std::vector<Suggestion> suggestions;
  TSNode related_declaration{};      // the async function concerned, when it is in this file
  std::string related_message;
  ImportQuestion condition;
  std::vector<ImportRequirement> requirements;
  // The finding's scenario: a program for the event-loop model whose __step calls become the finding's
  // execution-order explanation (analyzer/loop/scenario.h). Empty: no explanation. It describes the code
  // as written, with the code's own delays where it has them.
  std::string scenario;
  // Optional: the same situation with the rule's fix applied, a program of its own that becomes the
  // finding's fixed explanation. Never part of `scenario`: one timeline describes one program.
  std::string fixed_scenario;
};

class RuleContext {
 public:
  // `package_path_of` answers package_path() when a rule first asks (it looks at the file system).
  RuleContext(const Syntax& syntax, const SemanticModel& model, std::string_view path, std::function<std::string()> package_path_of = {})
      : syntax_(syntax), model_(model), path_(path), package_path_of_(std::move(package_path_of)) {}
  const Syntax& syntax() const { return syntax_; }
  const SemanticModel& model() const { return model_; }
  std::string_view path() const { return path_; }
  // The path below the file's package folder (the nearest with a package.json or .git): `tests/a.test.ts`
  // wherever the project was checked out, for questions the folders above the project must not answer.
  std::string_view package_path() const {
    if (!package_path_) package_path_ = package_path_of_ ? package_path_of_() : std::string(path_);
    return *package_path_;
  }
  const nlohmann::json& options() const { return *options_; }
  // The parent of the node being checked (tracked by the engine's walk: asking tree-sitter for a parent
  // costs time proportional to the depth, which deeply nested input makes quadratic).
  TSNode parent() const { return parent_; }
  void report(RuleReport report) { reports_.push_back(std::move(report)); }
  // Whether a report made now should carry a scenario (an execution-order explanation). Building one
  // looks at the code around the node (parents, the next statement), which tree-sitter answers in time
  // proportional to the depth: skipped for nodes nested deeper than any hand-written code, and after the
  // first kExplainedPerFile reports of a file, so that generated files stay linear.
  bool wants_scenario() const { return depth_ <= kExplainedDepth && reports_.size() < kExplainedPerFile; }
  static constexpr std::size_t kExplainedPerFile = 1000;
  static constexpr std::uint32_t kExplainedDepth = 400;

  // Engine side.
  void begin_rule(std::uint16_t rule_index, const nlohmann::json* options, TSNode parent, std::uint32_t depth = 0) {
    rule_index_ = rule_index;
    options_ = options;
    parent_ = parent;
    depth_ = depth;
  }
  std::vector<RuleReport>& reports() { return reports_; }
  std::uint16_t rule_index() const { return rule_index_; }

 private:
  const Syntax& syntax_;
  const SemanticModel& model_;
  std::string_view path_;
  std::function<std::string()> package_path_of_;
  mutable std::optional<std::string> package_path_;
  const nlohmann::json* options_ = nullptr;
  std::uint16_t rule_index_ = 0;
  TSNode parent_{};
  std::uint32_t depth_ = 0;
  std::vector<RuleReport> reports_;
};

class Rule {
 public:
  virtual ~Rule() = default;
  virtual const RuleMeta& meta() const = 0;
  virtual void check(TSNode node, Kind kind, RuleContext& context) const = 0;
};

class RuleRegistry {
 public:
  // Every rule, sorted by id; the index of a rule in this list is its rule index everywhere.
  static const std::vector<const Rule*>& rules();
  static const Rule* find(std::string_view id, std::uint16_t* index = nullptr);
  static void add(std::unique_ptr<Rule> rule);  // called by ASYNCLINT_REGISTER_RULE
};

struct RuleRegistration {
  explicit RuleRegistration(std::unique_ptr<Rule> rule) { RuleRegistry::add(std::move(rule)); }
};

#define ASYNCLINT_REGISTER_RULE(RuleClass) \
  static const ::asynclint::RuleRegistration asynclint_registration_##RuleClass(std::make_unique<RuleClass>())

}  // namespace asynclint
