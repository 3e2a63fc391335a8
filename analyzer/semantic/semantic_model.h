#pragma once
// The shared per-file semantic model: scopes and bindings, callee resolution, and the promise questions
// rules ask. Built during the engine's one walk over the tree (visit), frozen by finish(), then queried.
#include <tree_sitter/api.h>

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "semantic/runtime.h"
#include "syntax/layout.h"
#include "syntax/syntax.h"

namespace asynclint {

enum class BindingKind : std::uint8_t { Function, Class, Variable, Parameter, Import, CatchParameter };

struct Binding {
  std::string_view name;
  BindingKind kind = BindingKind::Variable;
  std::uint32_t scope = 0;
  TSNode declaration{};  // the identifier where the name is declared
  // The variable declarator or parameter whose whole pattern the name is (`const x: T = …`, `x?: T`,
  // `x = false`), where a declared type or a default is read; null inside a destructuring pattern. Kept because asking
  // tree-sitter for a node's parent walks down from the root, which in a large file costs more than the
  // whole question.
  TSNode declared_by{};
  TSNode value{};        // Function: the function node; Variable: its initializer (may be null); Class: the class
  // Import (ESM `import`, CommonJS `require`, `await import()`): the module specifier as written and the
  // imported export name: a name, "default", or "*" for the whole module / namespace.
  std::string_view module;
  std::string_view imported;
};

// A question only the project index can answer: "does export `name` of `module` return a promise?".
struct ImportQuestion {
  std::string module;  // the specifier as written (`./util`), resolved against the importing file
  std::string name;    // export name ("default" for a default export or CommonJS `module.exports = f`)
  bool empty() const { return module.empty(); }
};

struct PromiseFact {
  enum class Answer : std::uint8_t { No, Yes, IfImportReturnsPromise };
  Answer answer = Answer::No;
  std::string what;          // how a user would name the producer: "async function 'flush'", "fetch()"
  TSNode declaration{};      // the producing function's node, when it is in this file
  ImportQuestion question;   // for IfImportReturnsPromise
  bool is_async_iife = false;

  bool maybe() const { return answer != Answer::No; }
  static PromiseFact no() { return {}; }
};

struct Scope {
  std::uint32_t start = 0, end = 0;
  std::int32_t parent = -1;
  TSNode node{};
  Kind kind = Kind::program;
  std::uint32_t first_binding = 0, binding_count = 0;
  bool is_object_method = false;  // a method_definition of an object literal (its `this` is the object)
};

class RejectionModel;
class IoModel;
class ClassResolver;

class SemanticModel {
 public:
  explicit SemanticModel(const Syntax& syntax);
  ~SemanticModel();

  // Called by the engine for every node in pre-order during its walk, then finish() once.
  void visit(TSNode node, Kind kind);
  void finish();
  // visit() for every named node outside syntax errors, then finish(): for callers that need the model
  // alone (tests, tools), without the engine's walk.
  void build(TSNode root);

  const Syntax& syntax() const { return syntax_; }

  // Bare specifiers that name project files (tsconfig `paths`/`baseUrl`, workspace packages): set before the
  // walk, the resolver turns one into the file's absolute path, or empty for a package of node_modules.
  // Imports and re-exports then carry that path, so everything that follows relative imports follows them.
  void set_module_resolver(std::function<std::string(std::string_view)> resolver) { module_resolver_ = std::move(resolver); }
  // `specifier` as the model keeps it: the absolute path of the project file a bare specifier names, else
  // the specifier as written. The view lives as long as the model.
  std::string_view project_module(std::string_view specifier) const;
  // For messages: the specifier as the code wrote it, for a module project_module resolved.
  std::string_view written_specifier(std::string_view module) const;

  // --- names ---
  const Binding* resolve(std::string_view name, std::uint32_t at_byte) const;
  const Binding* resolve(TSNode identifier) const {
    return resolve(syntax_.text(identifier), ts_node_start_byte(identifier));
  }
  const std::vector<Binding>& bindings() const { return bindings_; }
  const std::vector<Scope>& scopes() const { return scopes_; }
  // The innermost scope containing a byte offset.
  std::uint32_t scope_at(std::uint32_t byte) const;
  // What a binding is assigned after its declaration (`x = v` anywhere in its scope), in source order.
  // `complete` is false when some write's value cannot be known (`x += 1`, `x++`, a destructuring or a
  // `for (x of …)` target): then the values listed are not all the binding can hold.
  struct Assignments {
    std::vector<TSNode> values;
    bool complete = true;
  };
  // Null when the binding is never written after its declaration.
  const Assignments* assignments_of(const Binding& binding) const;

  // --- functions ---
  static bool is_function_kind(Kind k);
  bool is_async_function(TSNode function) const;
  bool is_generator_function(TSNode function) const;
  // Whether calling this function gives a promise: async, a Promise<…> return annotation, or a body
  // whose every returned value is a promise.
  PromiseFact function_returns_promise(TSNode function) const;
  // The function a callee expression denotes in this file (`f`, `this.m`, `obj.m` of a const object
  // literal, `x.m` of an instance of a class of this file, `C.m` static), or a null node.
  TSNode local_function_of(TSNode callee) const;
  // The import a callee denotes (`f` imported, `ns.f` of a namespace import, `x.m` of an instance of an
  // imported class or `C.m` static: the export `C.m`), or an empty question.
  ImportQuestion import_of(TSNode callee) const;
  // A name for a function node for messages: `flush`, `UserService.save`, `<anonymous>`.
  std::string function_name(TSNode function) const;
  // The class whose instance `this` denotes at a byte offset (through arrows, not through other
  // functions or object-literal methods), or a null node.
  TSNode enclosing_class_for_this(std::uint32_t at_byte) const;
  // A class's own method or function-valued field of that name (getters and setters excluded).
  TSNode class_method(TSNode class_node, std::string_view name) const;
  // Where a class gives `this.<name>` a value: a constructor parameter property (`constructor(private db:
  // Knex)`), a field declaration (`queue = new JobQueue()`, `private db: Knex`), then each assignment
  // `this.name = v` where `this` is the class (its methods and their arrows, not nested classes, object
  // methods or non-arrow functions), in source order. finish() indexes the assignments; a class's
  // declarations are read on the first question about it. Every `this.x` in a file asks, and reading a
  // class body per question made large classes quadratic.
  struct FieldWrite {
    enum class Form { Declaration, ParameterProperty, Assignment };
    Form form;
    TSNode node;  // the field definition, the parameter, or the assignment expression
  };
  const std::vector<FieldWrite>& this_field_writes(TSNode class_node, std::string_view name) const;

  // --- promises ---
  PromiseFact produces_promise(TSNode expression) const;
  // "Can this promise reject?" (semantic/rejection.h), built on first use.
  const RejectionModel& rejections() const;
  // Which class a value is an instance of (types/class_of.h), built on first use.
  const ClassResolver& classes() const;
  // "Does this start I/O?" (semantic/io.h), built on first use.
  const IoModel& io() const;
  // Node or browser, from the file's text (semantic/runtime.h), decided on first use.
  const FileRuntime& runtime() const;
  // Where the file's evidence is mixed or missing (Unknown), the runtime of the outermost class around
  // `node`, read from that class's own code: webtorrent's server.js holds a Node server class and a
  // browser one that uses `navigator.serviceWorker`. Otherwise the file's.
  FileRuntime::Kind runtime_at(TSNode node) const;
  // The file's runtime facts with runtime_at's kind: what messages and explanations say about `node`.
  FileRuntime runtime_around(TSNode node) const {
    FileRuntime around = runtime();
    around.kind = runtime_at(node);
    return around;
  }
  // The configuration's `runtime` for this file, when it names one: it replaces the evidence's verdict.
  void set_runtime(FileRuntime::Kind kind) {
    runtime_override_ = kind;
    runtime_.reset();
  }
  // The file's indentation unit and longest line, for code a suggestion inserts (measured on first use).
  const SourceLayout& layout() const;
  // Returns `node`'s enclosing function (or a null node at top level).
  TSNode enclosing_function(TSNode node) const;

  // Export-related nodes seen during the walk (read by the project index).
  const std::vector<TSNode>& export_nodes() const { return export_nodes_; }
  // Event names this file emits and awaits: `await x.emit('ready', …)` (and emitAsync, emitSerial, …). An
  // emitter whose emit returns a promise runs the listeners and hands their rejections to the awaiting
  // code, so an async listener of such an event is not dropped (read by the project index).
  const std::vector<std::string_view>& awaited_event_emits() const { return awaited_event_emits_; }
  // How an emit or a listener names its event, the same way on both sides: a string literal's value, or the
  // text of an `Enum.Member` constant (`SlidingSyncEvent.RoomData`); empty for anything else.
  std::string_view event_name(TSNode event) const;
  // Whether `identifier` is the global `name`: spelled so, and no binding of this file declares it.
  bool is_unshadowed_global(TSNode identifier, std::string_view name) const;

 private:
  std::function<std::string(std::string_view)> module_resolver_;
  mutable std::deque<std::string> resolved_modules_;  // storage for project_module's answers
  // As written, by the address of each answer (two specifiers may name one file), and by the path for
  // copies of an answer.
  mutable std::unordered_map<const char*, std::string_view> written_specifiers_;
  mutable std::unordered_map<std::string_view, std::string_view> written_by_path_;
  void push_scope(TSNode node, Kind kind);
  // A class not inside the last one recorded (the walk is in pre-order): kept for runtime_at().
  void note_outer_class(TSNode class_node);
  // Whether an argument list starting here follows `.evaluate`, `.waitForFunction`, … (page_script_arguments_).
  bool follows_page_script_method(std::uint32_t arguments_start) const;
  std::uint32_t function_scope_of(std::uint32_t scope) const;
  void declare(std::string_view name, BindingKind kind, std::uint32_t scope, TSNode declaration, TSNode value);
  void declare_pattern(TSNode pattern, BindingKind kind, std::uint32_t scope, TSNode value);
  void declare_parameters(TSNode parameters, std::uint32_t scope);
  void declare_import_statement(TSNode statement);
  void record_awaited_emit(TSNode await_expression);
  void declare_variable(TSNode declarator, std::uint32_t scope);
  void record_writes();  // finish(): which binding each write in writes_ assigns
  TSNode object_literal_method(TSNode object, std::string_view name) const;
  PromiseFact produces_promise_at_depth(TSNode expression, int depth) const;
  PromiseFact call_produces_promise(TSNode call, int depth) const;
  PromiseFact function_returns_promise_at_depth(TSNode function, int depth) const;
  PromiseFact binding_call_fact(const Binding& binding, std::string_view callee_text, int depth) const;
  bool is_fetch_response(TSNode expression) const;
  // The web platform class (semantic/known_apis.h) a receiver is an instance of, or empty.
  std::string_view web_class_of(TSNode object) const;

  const Syntax& syntax_;
  std::vector<Scope> scopes_;
  std::vector<Binding> bindings_;
  std::uint32_t current_ = 0;
  std::vector<TSNode> export_nodes_;
  std::vector<std::string_view> awaited_event_emits_;
  std::vector<TSNode> writes_;  // assignments, compound assignments, updates and for-in/of heads, in pre-order
  std::unordered_map<std::uint32_t, Assignments> assignments_;  // by index into bindings_
  std::vector<TSNode> pattern_stack_;  // reused by declare_pattern: no allocation per declaration
  // name → indices into bindings_: resolution looks only at bindings of that name, so deeply nested scopes
  // do not make every lookup walk the whole chain.
  std::unordered_map<std::string_view, std::vector<std::uint32_t>> bindings_by_name_;
  mutable std::unordered_map<std::uintptr_t, PromiseFact> function_facts_;
  mutable std::unordered_map<std::uintptr_t, bool> in_progress_;
  mutable std::unique_ptr<RejectionModel> rejections_;
  mutable std::unique_ptr<IoModel> io_;
  mutable std::unique_ptr<ClassResolver> classes_;
  mutable std::optional<FileRuntime> runtime_;
  std::optional<FileRuntime::Kind> runtime_override_;
  ByteRanges comments_;  // byte ranges in source order, for runtime()
  // Identifiers named like a browser global (`document.x`, `localStorage`), recorded in the walk; runtime()
  // keeps the start bytes of those no binding shadows, in source order.
  std::vector<TSNode> browser_global_candidates_;
  // The arguments of calls that ship a function to a page to run there (`page.evaluate(() => document.title)`,
  // Puppeteer, Playwright, WebdriverIO, Selenium): their browser globals are the page's, not this file's,
  // and so are those of a function of this file handed over by name (`page.evaluate($XPath, sel)`).
  std::vector<TSNode> page_script_arguments_;  // the `arguments` nodes of such calls
  ByteRanges page_script_ranges() const;
  mutable std::optional<std::vector<std::uint32_t>> browser_global_uses_;
  bool uses_browser_globals(std::uint32_t from, std::uint32_t to) const;
  struct OuterClass {
    std::uint32_t start, end;
    mutable std::optional<FileRuntime::Kind> kind;  // decided on first use
  };
  std::vector<OuterClass> outer_classes_;  // classes not inside another, in source order: for runtime_at()
  mutable std::optional<SourceLayout> layout_;
  // class node → member name → method or function-valued field (class_method).
  mutable std::unordered_map<std::uintptr_t, std::unordered_map<std::string_view, TSNode>> class_methods_;
  // class node → field name → writes (this_field_writes).
  mutable std::unordered_map<std::uintptr_t, std::unordered_map<std::string_view, std::vector<FieldWrite>>> field_writes_;
  mutable std::unordered_set<std::uintptr_t> declared_fields_read_;  // classes whose declarations are in it
};

// Small helpers shared by rules (byte-free, allocation-free).
std::uintptr_t node_key(TSNode node);
// The property name of a member callee (`x.then` → "then"), or empty.
std::string_view member_property(const Syntax& syntax, TSNode callee);
// The argument nodes of a call (comments skipped), up to `max`.
std::uint32_t call_arguments(const Syntax& syntax, TSNode call, TSNode* out, std::uint32_t max);
// Whether a top-level call is how a compiler emits ES module exports in CommonJS: `_export(exports, {…})`,
// `Object.defineProperty(exports, "name", {…})`, `__exportStar(require("./x"), exports)`.
bool is_compiled_export_call(const Syntax& syntax, TSNode call);
// Whether an argument is the literal `undefined` or `null` (a missing handler).
bool is_nullish_literal(const Syntax& syntax, TSNode node);

}  // namespace asynclint
