#include "semantic/semantic_model.h"

#include <algorithm>
#include <cctype>

#include "semantic/known_apis.h"
#include "semantic/io.h"
#include "types/class_of.h"
#include "semantic/rejection.h"
#include "syntax/tree_walk.h"

namespace asynclint {

namespace {
constexpr int kMaxInferenceDepth = 8;  // function → returned call → function …; deeper chains stay unknown
constexpr std::size_t kMaxBodyNodes = 200000;  // bounds a body scan on pathological input

bool is_relative_specifier(std::string_view specifier) {
  return !specifier.empty() && (specifier[0] == '.' || specifier[0] == '/');
}
}  // namespace

std::uintptr_t node_key(TSNode node) { return reinterpret_cast<std::uintptr_t>(node.id); }

std::string_view member_property(const Syntax& syntax, TSNode callee) {
  callee = syntax.unwrap(callee);
  if (!syntax.is(callee, Kind::member_expression)) return {};
  return syntax.text(syntax.field(callee, Field::property));
}

std::uint32_t call_arguments(const Syntax& syntax, TSNode call, TSNode* out, std::uint32_t max) {
  TSNode args = syntax.field(call, Field::arguments);
  if (!syntax.is(args, Kind::arguments)) return 0;
  std::uint32_t found = 0;
  const std::uint32_t count = ts_node_named_child_count(args);
  for (std::uint32_t i = 0; i < count && found < max; ++i) {
    TSNode child = ts_node_named_child(args, i);
    if (syntax.is(child, Kind::comment)) continue;
    out[found++] = child;
  }
  return found;
}

bool is_nullish_literal(const Syntax& syntax, TSNode node) {
  const Kind k = syntax.kind(node);
  if (k == Kind::null_ || k == Kind::undefined_) return true;
  return k == Kind::identifier && syntax.text(node) == "undefined";
}

SemanticModel::SemanticModel(const Syntax& syntax) : syntax_(syntax) {
  Scope program;
  program.start = 0;
  program.end = static_cast<std::uint32_t>(syntax.source().size()) + 1;
  program.kind = Kind::program;
  scopes_.push_back(program);
}

SemanticModel::~SemanticModel() = default;

const RejectionModel& SemanticModel::rejections() const {
  if (!rejections_) rejections_ = std::make_unique<RejectionModel>(*this);
  return *rejections_;
}

const ClassResolver& SemanticModel::classes() const {
  if (!classes_) classes_ = std::make_unique<ClassResolver>(*this);
  return *classes_;
}

const IoModel& SemanticModel::io() const {
  if (!io_) io_ = std::make_unique<IoModel>(*this);
  return *io_;
}

const SourceLayout& SemanticModel::layout() const {
  if (!layout_) layout_ = measure_layout(syntax_.source());
  return *layout_;
}

const FileRuntime& SemanticModel::runtime() const {
  if (!runtime_) {
    // The evidence is read from code only: a comment quoting `document.querySelectorAll` does not make a
    // CommonJS CLI browser code.
    const auto size = static_cast<std::uint32_t>(syntax_.source().size());
    runtime_ = detect_runtime(syntax_.source(), uses_browser_globals(0, size), comments_);
    if (runtime_override_) runtime_->kind = *runtime_override_;
  }
  return *runtime_;
}

FileRuntime::Kind SemanticModel::runtime_at(TSNode node) const {
  const FileRuntime::Kind file = runtime().kind;
  if (file != FileRuntime::Kind::Unknown || runtime_override_) return file;
  // The outermost classes were recorded during the walk, in source order and disjoint: no climbing (each
  // ts_node_parent step walks down from the root, and a deeply nested file would make that quadratic).
  const std::uint32_t at = ts_node_start_byte(node);
  auto after = std::upper_bound(outer_classes_.begin(), outer_classes_.end(), at,
                                [](std::uint32_t byte, const OuterClass& c) { return byte < c.start; });
  if (after == outer_classes_.begin()) return file;
  const OuterClass& around = *std::prev(after);
  if (at >= around.end) return file;
  if (!around.kind)
    around.kind = detect_runtime(syntax_.source().substr(around.start, around.end - around.start),
                                 uses_browser_globals(around.start, around.end), comments_, around.start)
                      .kind;
  return *around.kind;
}

bool SemanticModel::uses_browser_globals(std::uint32_t from, std::uint32_t to) const {
  if (!browser_global_uses_) {
    browser_global_uses_.emplace();
    const ByteRanges page_scripts = page_script_ranges();
    for (TSNode identifier : browser_global_candidates_) {
      const std::uint32_t at = ts_node_start_byte(identifier);
      const bool in_page_script = std::any_of(page_scripts.begin(), page_scripts.end(),
                                              [at](const auto& range) { return at >= range.first && at < range.second; });
      if (!in_page_script && !resolve(identifier)) browser_global_uses_->push_back(at);
    }
  }
  auto first = std::lower_bound(browser_global_uses_->begin(), browser_global_uses_->end(), from);
  return first != browser_global_uses_->end() && *first < to;
}

ByteRanges SemanticModel::page_script_ranges() const {
  ByteRanges ranges;
  for (TSNode arguments : page_script_arguments_) {
    ranges.emplace_back(ts_node_start_byte(arguments), ts_node_end_byte(arguments));
    for_each_named_child(arguments, [&](TSNode argument) {
      if (!syntax_.is(syntax_.unwrap(argument), Kind::identifier)) return true;
      TSNode function = local_function_of(argument);
      if (!ts_node_is_null(function)) ranges.emplace_back(ts_node_start_byte(function), ts_node_end_byte(function));
      return true;
    });
  }
  return ranges;
}

bool SemanticModel::follows_page_script_method(std::uint32_t arguments_start) const {
  // Asked of every argument list in the walk, so read from the text just before it: `.evaluate(`,
  // `.evaluate?.(`. A call with type arguments (`page.evaluate<T>(…)`) is not recognised.
  const std::string_view source = syntax_.source();
  std::size_t end = arguments_start;
  if (end >= 2 && source.compare(end - 2, 2, "?.") == 0) end -= 2;
  std::size_t begin = end;  // the name before the parenthesis, at most as long as the longest method
  auto name_char = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '$' || c == '_'; };
  while (begin > 0 && end - begin <= 21 && name_char(source[begin - 1])) --begin;
  const std::string_view name = source.substr(begin, end - begin);
  bool known = false;
  for (std::string_view method : {"evaluate", "evaluateHandle", "$eval", "$$eval", "waitForFunction", "evaluateOnNewDocument",
                                  "addInitScript", "executeScript", "executeAsyncScript", "execute", "executeAsync"})
    known = known || name == method;
  if (!known || begin == 0) return false;
  std::size_t dot = begin - 1;  // the member's dot, maybe on the line above (`page\n  .evaluate(`)
  while (dot > 0 && (source[dot] == ' ' || source[dot] == '\n' || source[dot] == '\t' || source[dot] == '\r')) --dot;
  return source[dot] == '.';
}

void SemanticModel::note_outer_class(TSNode class_node) {
  const std::uint32_t start = ts_node_start_byte(class_node);
  if (outer_classes_.empty() || start >= outer_classes_.back().end) outer_classes_.push_back({start, ts_node_end_byte(class_node), {}});
}

bool is_compiled_export_call(const Syntax& syntax, TSNode call) {
  std::string_view callee = syntax.text(syntax.unwrap(syntax.field(call, Field::function)));
  if (const std::size_t dot = callee.rfind('.'); dot != std::string_view::npos && callee != "Object.defineProperty")
    callee = callee.substr(dot + 1);  // tslib_1.__exportStar
  TSNode args[2];
  const std::uint32_t count = call_arguments(syntax, call, args, 2);
  if (callee == "_export" || callee == "Object.defineProperty")
    return count == 2 && syntax.text(args[0]) == "exports";
  if (callee == "__exportStar" || callee == "_export_star" || callee == "__export") return count >= 1;
  return false;
}

bool SemanticModel::is_function_kind(Kind k) {
  return k == Kind::function_declaration || k == Kind::generator_function_declaration ||
         k == Kind::function_expression || k == Kind::generator_function || k == Kind::arrow_function ||
         k == Kind::method_definition;
}

void SemanticModel::push_scope(TSNode node, Kind kind) {
  Scope scope;
  scope.start = ts_node_start_byte(node);
  scope.end = ts_node_end_byte(node);
  scope.parent = static_cast<std::int32_t>(current_);
  scope.node = node;
  scope.kind = kind;
  scopes_.push_back(scope);
  current_ = static_cast<std::uint32_t>(scopes_.size() - 1);
}

std::uint32_t SemanticModel::function_scope_of(std::uint32_t scope) const {
  while (scope != 0 && !is_function_kind(scopes_[scope].kind)) scope = static_cast<std::uint32_t>(scopes_[scope].parent);
  return scope;
}

void SemanticModel::declare(std::string_view name, BindingKind kind, std::uint32_t scope, TSNode declaration,
                            TSNode value) {
  if (name.empty()) return;
  Binding binding;
  binding.name = name;
  binding.kind = kind;
  binding.scope = scope;
  binding.declaration = declaration;
  binding.value = value;
  bindings_.push_back(binding);
}

void SemanticModel::declare_pattern(TSNode pattern, BindingKind kind, std::uint32_t scope, TSNode value) {
  // Patterns are small, but nest arbitrarily: an explicit stack keeps deep input from overflowing ours.
  std::vector<TSNode>& stack = pattern_stack_;
  stack.assign(1, pattern);
  while (!stack.empty()) {
    TSNode node = stack.back();
    stack.pop_back();
    switch (syntax_.kind(node)) {
      case Kind::identifier:
      case Kind::shorthand_property_identifier_pattern:
        declare(syntax_.text(node), kind, scope, node, value);
        break;
      case Kind::pair_pattern:
        stack.push_back(syntax_.field(node, Field::value));
        break;
      case Kind::assignment_pattern:
      case Kind::object_assignment_pattern:
        stack.push_back(syntax_.field(node, Field::left));
        break;
      case Kind::required_parameter:
      case Kind::optional_parameter:
        stack.push_back(syntax_.field(node, Field::pattern));
        break;
      case Kind::object_pattern:
      case Kind::array_pattern:
      case Kind::rest_pattern: {
        append_named_children(node, stack);
        break;
      }
      default:
        break;
    }
  }
}

void SemanticModel::declare_parameters(TSNode parameters, std::uint32_t scope) {
  for_each_named_child(parameters, [&](TSNode parameter) {
    const std::size_t first_new = bindings_.size();
    declare_pattern(parameter, BindingKind::Parameter, scope, TSNode{});
    const Kind k = syntax_.kind(parameter);
    const bool whole = k == Kind::assignment_pattern
                           ? syntax_.is(syntax_.field(parameter, Field::left), Kind::identifier)  // JavaScript `x = false`
                           : (k == Kind::required_parameter || k == Kind::optional_parameter) &&
                                 syntax_.is(syntax_.field(parameter, Field::pattern), Kind::identifier);
    if (whole && bindings_.size() == first_new + 1) bindings_.back().declared_by = parameter;
    return true;
  });
}

std::string_view SemanticModel::project_module(std::string_view specifier) const {
  if (!module_resolver_ || specifier.empty() || specifier[0] == '.' || specifier[0] == '/') return specifier;
  std::string path = module_resolver_(specifier);
  if (path.empty()) return specifier;
  const std::string& kept = resolved_modules_.emplace_back(std::move(path));
  written_specifiers_[kept.data()] = specifier;  // a view of the source text, which outlives the model
  written_by_path_[kept] = specifier;
  return kept;
}

std::string_view SemanticModel::written_specifier(std::string_view module) const {
  if (written_specifiers_.empty()) return module;
  if (auto found = written_specifiers_.find(module.data()); found != written_specifiers_.end()) return found->second;
  auto found = written_by_path_.find(module);
  return found == written_by_path_.end() ? module : found->second;
}

void SemanticModel::declare_import_statement(TSNode statement) {
  const std::string_view module = project_module(syntax_.string_value(syntax_.field(statement, Field::source)));
  const std::uint32_t count = ts_node_named_child_count(statement);
  for (std::uint32_t i = 0; i < count; ++i) {
    TSNode clause = ts_node_named_child(statement, i);
    if (syntax_.is(clause, Kind::import_require_clause)) {
      // TypeScript's `import fs = require('fs')`: the whole module, as a namespace import.
      TSNode local = syntax_.first_named_child(clause);
      TSNode required = syntax_.field(clause, Field::source);
      if (syntax_.is(local, Kind::identifier) && syntax_.is(required, Kind::string)) {
        declare(syntax_.text(local), BindingKind::Import, 0, local, TSNode{});
        bindings_.back().module = project_module(syntax_.string_value(required));
        bindings_.back().imported = "*";
      }
      continue;
    }
    if (!syntax_.is(clause, Kind::import_clause)) continue;
    const std::uint32_t parts = ts_node_named_child_count(clause);
    for (std::uint32_t j = 0; j < parts; ++j) {
      TSNode part = ts_node_named_child(clause, j);
      auto add = [&](TSNode local, std::string_view imported) {
        declare(syntax_.text(local), BindingKind::Import, 0, local, TSNode{});
        if (!bindings_.empty() && bindings_.back().declaration.id == local.id) {
          bindings_.back().module = module;
          bindings_.back().imported = imported;
        }
      };
      switch (syntax_.kind(part)) {
        case Kind::identifier:
          add(part, "default");
          break;
        case Kind::namespace_import: {
          TSNode local = syntax_.first_named_child(part);
          if (!ts_node_is_null(local)) add(local, "*");
          break;
        }
        case Kind::named_imports: {
          const std::uint32_t specifiers = ts_node_named_child_count(part);
          for (std::uint32_t k = 0; k < specifiers; ++k) {
            TSNode specifier = ts_node_named_child(part, k);
            if (!syntax_.is(specifier, Kind::import_specifier)) continue;
            TSNode name = syntax_.field(specifier, Field::name);
            TSNode alias = syntax_.field(specifier, Field::alias);
            std::string_view imported = syntax_.is(name, Kind::string) ? syntax_.string_value(name) : syntax_.text(name);
            add(ts_node_is_null(alias) ? name : alias, imported);
          }
          break;
        }
        default:
          break;
      }
    }
  }
}

namespace {
// Compilers wrap a require in a helper for ES module interop: `_interop_require_default(require('m'))`
// (swc), `_interopRequireDefault(…)` (Babel), `__importDefault(…)` / `__importStar(…)` (TypeScript, tslib).
bool is_interop_helper(std::string_view name) {
  // SWC's helpers are modules whose export is `_`: `_interop_require_wildcard._(require('m'))`.
  if (name.size() > 2 && name.substr(name.size() - 2) == "._") name.remove_suffix(2);
  const std::size_t dot = name.rfind('.');
  if (dot != std::string_view::npos) name = name.substr(dot + 1);  // tslib_1.__importStar
  return name == "_interop_require_default" || name == "_interop_require_wildcard" || name == "_interopRequireDefault" ||
         name == "_interopRequireWildcard" || name == "__importDefault" || name == "__importStar";
}

// The module specifier loaded by `require('m')` or `import('m')` (possibly awaited, possibly through an
// interop helper), or empty.
std::string_view loaded_module(const Syntax& syntax, TSNode value) {
  value = syntax.unwrap(value);
  if (syntax.is(value, Kind::await_expression)) value = syntax.unwrap(syntax.first_named_child(value));
  if (!syntax.is(value, Kind::call_expression)) return {};
  if (is_interop_helper(syntax.text(syntax.unwrap(syntax.field(value, Field::function))))) {
    TSNode wrapped[1];
    if (call_arguments(syntax, value, wrapped, 1) != 1) return {};
    value = syntax.unwrap(wrapped[0]);
    if (!syntax.is(value, Kind::call_expression)) return {};
  }
  TSNode callee = syntax.field(value, Field::function);
  const bool is_require = syntax.is(callee, Kind::identifier) && syntax.text(callee) == "require";
  if (!is_require && !syntax.is(callee, Kind::import)) return {};
  TSNode argument[1];
  if (call_arguments(syntax, value, argument, 1) != 1 || !syntax.is(argument[0], Kind::string)) return {};
  return syntax.string_value(argument[0]);
}
}  // namespace

void SemanticModel::declare_variable(TSNode declarator, std::uint32_t scope) {
  TSNode name = syntax_.field(declarator, Field::name);
  TSNode value = syntax_.field(declarator, Field::value);
  const std::size_t first_new = bindings_.size();
  std::string_view module = loaded_module(syntax_, value);
  std::string_view imported = "*";
  if (module.empty()) {
    // `require('m').name`
    TSNode unwrapped = syntax_.unwrap(value);
    if (syntax_.is(unwrapped, Kind::member_expression)) {
      module = loaded_module(syntax_, syntax_.field(unwrapped, Field::object));
      imported = syntax_.text(syntax_.field(unwrapped, Field::property));
    }
  }
  module = project_module(module);
  if (!module.empty() && syntax_.is(name, Kind::object_pattern) && imported == "*") {
    // const { a, b: c } = require('m')  →  a imports "a", c imports "b"
    const std::uint32_t count = ts_node_named_child_count(name);
    for (std::uint32_t i = 0; i < count; ++i) {
      TSNode part = ts_node_named_child(name, i);
      if (syntax_.is(part, Kind::shorthand_property_identifier_pattern)) {
        declare(syntax_.text(part), BindingKind::Import, scope, part, value);
        bindings_.back().module = module;
        bindings_.back().imported = syntax_.text(part);
      } else if (syntax_.is(part, Kind::pair_pattern) && syntax_.is(syntax_.field(part, Field::value), Kind::identifier)) {
        TSNode local = syntax_.field(part, Field::value);
        declare(syntax_.text(local), BindingKind::Import, scope, local, value);
        bindings_.back().module = module;
        bindings_.back().imported = syntax_.text(syntax_.field(part, Field::key));
      } else {
        declare_pattern(part, BindingKind::Variable, scope, TSNode{});
      }
    }
    return;
  }
  declare_pattern(name, BindingKind::Variable, scope, value);
  if (syntax_.is(name, Kind::identifier) && bindings_.size() == first_new + 1) bindings_.back().declared_by = declarator;
  if (!module.empty() && syntax_.is(name, Kind::identifier) && bindings_.size() == first_new + 1) {
    bindings_.back().kind = BindingKind::Import;
    bindings_.back().module = module;
    bindings_.back().imported = imported;
  }
}

void SemanticModel::visit(TSNode node, Kind kind) {
  const std::uint32_t start = ts_node_start_byte(node);
  while (current_ != 0 && start >= scopes_[current_].end) current_ = static_cast<std::uint32_t>(scopes_[current_].parent);
  switch (kind) {
    case Kind::program:
      scopes_[0].node = node;
      break;
    case Kind::function_declaration:
    case Kind::generator_function_declaration: {
      TSNode name = syntax_.field(node, Field::name);
      declare(syntax_.text(name), BindingKind::Function, current_, name, node);
      push_scope(node, kind);
      break;
    }
    case Kind::class_declaration:
    case Kind::abstract_class_declaration: {
      note_outer_class(node);
      TSNode name = syntax_.field(node, Field::name);
      declare(syntax_.text(name), BindingKind::Class, current_, name, node);
      push_scope(node, kind);
      break;
    }
    case Kind::function_expression:
    case Kind::generator_function: {
      push_scope(node, kind);
      TSNode name = syntax_.field(node, Field::name);
      if (!ts_node_is_null(name)) declare(syntax_.text(name), BindingKind::Function, current_, name, node);
      break;
    }
    case Kind::arrow_function: {
      push_scope(node, kind);
      TSNode parameter = syntax_.field(node, Field::parameter);
      if (!ts_node_is_null(parameter)) declare(syntax_.text(parameter), BindingKind::Parameter, current_, parameter, TSNode{});
      break;
    }
    case Kind::method_definition: {
      // Class bodies open no scope of their own, so a class method's enclosing scope is the class.
      const Kind outer = scopes_[current_].kind;
      const bool in_class = outer == Kind::class_declaration || outer == Kind::class_ || outer == Kind::abstract_class_declaration;
      push_scope(node, kind);
      scopes_[current_].is_object_method = !in_class;
      break;
    }
    case Kind::class_:
      note_outer_class(node);
      push_scope(node, kind);
      break;
    case Kind::statement_block:
    case Kind::for_statement:
    case Kind::switch_body:
    case Kind::class_static_block:
      push_scope(node, kind);
      break;
    case Kind::assignment_expression:
    case Kind::augmented_assignment_expression:
    case Kind::update_expression:
      writes_.push_back(node);
      break;
    case Kind::for_in_statement: {
      writes_.push_back(node);
      push_scope(node, kind);
      TSNode declaration_kind = syntax_.field(node, Field::kind);
      if (!ts_node_is_null(declaration_kind)) {
        const bool is_var = syntax_.text(declaration_kind) == "var";
        declare_pattern(syntax_.field(node, Field::left), BindingKind::Variable, is_var ? function_scope_of(current_) : current_, TSNode{});
      }
      break;
    }
    case Kind::catch_clause: {
      push_scope(node, kind);
      TSNode parameter = syntax_.field(node, Field::parameter);
      if (!ts_node_is_null(parameter)) declare_pattern(parameter, BindingKind::CatchParameter, current_, TSNode{});
      break;
    }
    case Kind::formal_parameters:
      declare_parameters(node, current_);
      break;
    case Kind::lexical_declaration:
    case Kind::variable_declaration: {
      const std::uint32_t scope = kind == Kind::variable_declaration ? function_scope_of(current_) : current_;
      // `const _x = _interop_require_default(_export_star(require("./x"), exports))` (swc) re-exports ./x.
      if (current_ == 0 && syntax_.text(node).find("xport_star(") != std::string_view::npos) export_nodes_.push_back(node);
      const std::uint32_t count = ts_node_named_child_count(node);
      for (std::uint32_t i = 0; i < count; ++i) {
        TSNode declarator = ts_node_named_child(node, i);
        if (syntax_.is(declarator, Kind::variable_declarator)) declare_variable(declarator, scope);
      }
      break;
    }
    case Kind::import_statement:
      declare_import_statement(node);
      break;
    case Kind::export_statement:
      export_nodes_.push_back(node);
      break;
    case Kind::await_expression:
      record_awaited_emit(node);
      break;
    case Kind::expression_statement: {
      // CommonJS exports: `module.exports = …`, `module.exports.f = …`, `exports.f = …`, and what compilers
      // emit for ES modules: `_export(exports, { f: function() { return f; } })` (swc),
      // `Object.defineProperty(exports, "f", { get: … })` (tsc, Babel), `__exportStar(require("./x"), exports)`.
      TSNode expression = syntax_.first_named_child(node);
      if (syntax_.is(expression, Kind::assignment_expression)) {
        const std::string_view left = syntax_.text(syntax_.field(expression, Field::left));
        if (left.substr(0, 14) == "module.exports" || left.substr(0, 8) == "exports.") export_nodes_.push_back(node);
      } else if (scopes_[current_].kind == Kind::program && syntax_.is(expression, Kind::call_expression) &&
                 is_compiled_export_call(syntax_, expression)) {
        export_nodes_.push_back(node);
      }
      break;
    }
    case Kind::comment:
      comments_.push_back({start, ts_node_end_byte(node)});
      break;
    case Kind::arguments:
      if (follows_page_script_method(start)) page_script_arguments_.push_back(node);
      break;

    case Kind::identifier: {
      // `document.x`, `window.x`, `navigator.x` (as an object: a bare `typeof window` checks, it does not use),
      // and the web storage and animation-frame globals however used.
      const std::string_view name = syntax_.text(node);
      const std::string_view source = syntax_.source();
      const std::uint32_t end = ts_node_end_byte(node);
      const bool member_object = end < source.size() && source[end] == '.';
      if (((name == "window" || name == "document" || name == "navigator") && member_object) || name == "localStorage" ||
          name == "sessionStorage" || name == "requestAnimationFrame")
        browser_global_candidates_.push_back(node);
      break;
    }

    default:
      break;
  }
}

std::string_view SemanticModel::event_name(TSNode event) const {
  if (ts_node_is_null(event)) return {};
  event = syntax_.unwrap(event);
  if (syntax_.is(event, Kind::string)) return syntax_.string_value(event);
  // `SlidingSyncEvent.RoomData`: an enum member (or a constant of an object) names the event the same way
  // where it is emitted and where it is listened to.
  if (syntax_.is(event, Kind::member_expression) && syntax_.is(syntax_.field(event, Field::object), Kind::identifier) &&
      syntax_.is(syntax_.field(event, Field::property), Kind::property_identifier))
    return syntax_.text(event);
  return {};
}

void SemanticModel::record_awaited_emit(TSNode await_expression) {
  TSNode call = syntax_.unwrap(syntax_.first_named_child(await_expression));
  if (!syntax_.is(call, Kind::call_expression)) return;
  TSNode callee = syntax_.unwrap(syntax_.field(call, Field::function));
  if (!syntax_.is(callee, Kind::member_expression)) return;
  // emit, emitAsync, emitSerial, emitLazy, emitParallel…: Node's own emit returns a boolean, which nobody
  // awaits, so an awaited one belongs to a promise-returning emitter (Emittery, eventemitter2, Eleventy's).
  if (syntax_.text(syntax_.field(callee, Field::property)).substr(0, 4) != "emit") return;
  TSNode arguments = syntax_.field(call, Field::arguments);
  TSNode event = ts_node_is_null(arguments) ? TSNode{} : syntax_.first_named_child(arguments);
  const std::string_view name = event_name(event);
  if (!name.empty()) awaited_event_emits_.push_back(name);
}

void SemanticModel::build(TSNode root) {
  walk_preorder(root, [&](TSNode node, std::uint32_t) {
    if (!ts_node_is_named(node) || ts_node_is_error(node) || ts_node_is_missing(node)) return false;
    visit(node, syntax_.kind(node));
    return true;
  });
  finish();
}

void SemanticModel::finish() {
  std::stable_sort(bindings_.begin(), bindings_.end(), [](const Binding& a, const Binding& b) { return a.scope < b.scope; });
  for (std::uint32_t i = 0; i < bindings_.size(); ++i) {
    Scope& scope = scopes_[bindings_[i].scope];
    if (scope.binding_count == 0) scope.first_binding = i;
    ++scope.binding_count;
  }
  for (std::uint32_t i = 0; i < bindings_.size(); ++i) bindings_by_name_[bindings_[i].name].push_back(i);
  record_writes();
}

void SemanticModel::record_writes() {
  std::vector<TSNode> targets;
  for (TSNode write : writes_) {
    const Kind k = syntax_.kind(write);
    TSNode value{};
    TSNode target;
    if (k == Kind::update_expression) target = syntax_.field(write, Field::argument);
    else if (k == Kind::for_in_statement) {
      if (!ts_node_is_null(syntax_.field(write, Field::kind))) continue;  // `for (const x of …)` declares, not writes
      target = syntax_.field(write, Field::left);
    } else target = syntax_.field(write, Field::left);
    if (k == Kind::assignment_expression) value = syntax_.field(write, Field::right);
    target = syntax_.unwrap(target);
    targets.clear();
    if (k == Kind::assignment_expression && syntax_.is(target, Kind::member_expression) &&
        syntax_.is(syntax_.unwrap(syntax_.field(target, Field::object)), Kind::this_)) {
      // `this.x = v` belongs to the class `this` means where it stands (this_field_writes).
      TSNode owner = enclosing_class_for_this(ts_node_start_byte(write));
      if (!ts_node_is_null(owner))
        field_writes_[node_key(owner)][syntax_.text(syntax_.field(target, Field::property))].push_back({FieldWrite::Form::Assignment, write});
      continue;
    }
    if (syntax_.is(target, Kind::identifier)) {
      targets.push_back(target);
    } else if (syntax_.is(target, Kind::object_pattern) || syntax_.is(target, Kind::array_pattern)) {
      value = TSNode{};  // each name gets a part of the value: unknown here
      walk_preorder(target, [&](TSNode node, std::uint32_t) {
        const Kind part = syntax_.kind(node);
        if (part == Kind::identifier || part == Kind::shorthand_property_identifier_pattern) targets.push_back(node);
        return part != Kind::member_expression && part != Kind::subscript_expression;
      });
    }
    for (TSNode name : targets) {
      const Binding* binding = resolve(name);
      if (!binding) continue;
      Assignments& assignments = assignments_[static_cast<std::uint32_t>(binding - bindings_.data())];
      if (ts_node_is_null(value)) assignments.complete = false;
      else assignments.values.push_back(value);
    }
  }
  writes_.clear();
  writes_.shrink_to_fit();
}

const SemanticModel::Assignments* SemanticModel::assignments_of(const Binding& binding) const {
  if (bindings_.empty() || &binding < bindings_.data() || &binding >= bindings_.data() + bindings_.size()) return nullptr;
  auto found = assignments_.find(static_cast<std::uint32_t>(&binding - bindings_.data()));
  return found == assignments_.end() ? nullptr : &found->second;
}

std::uint32_t SemanticModel::scope_at(std::uint32_t byte) const {
  // Scopes were created in pre-order, so their starts are sorted.
  auto it = std::upper_bound(scopes_.begin(), scopes_.end(), byte, [](std::uint32_t b, const Scope& s) { return b < s.start; });
  std::int32_t index = static_cast<std::int32_t>(std::distance(scopes_.begin(), it)) - 1;
  while (index > 0 && !(scopes_[index].start <= byte && byte < scopes_[index].end)) index = scopes_[index].parent;
  return index < 0 ? 0 : static_cast<std::uint32_t>(index);
}

const Binding* SemanticModel::resolve(std::string_view name, std::uint32_t at_byte) const {
  if (name.empty()) return nullptr;
  auto found = bindings_by_name_.find(name);
  if (found == bindings_by_name_.end()) return nullptr;  // a global: no walk at all
  // Scopes nest, so of the scopes that declare `name` and contain the position, the innermost (the one
  // starting last) is the one the scope chain would reach first.
  // Scopes are numbered in pre-order, so among scopes with the same start the later one is nested deeper;
  // within one scope the first declaration wins, as the chain walk over sorted bindings did.
  const Binding* best = nullptr;
  for (std::uint32_t index : found->second) {
    const Binding& binding = bindings_[index];
    const Scope& scope = scopes_[binding.scope];
    if (!(scope.start <= at_byte && at_byte < scope.end)) continue;
    if (!best || std::make_pair(scope.start, binding.scope) > std::make_pair(scopes_[best->scope].start, best->scope)) best = &binding;
  }
  return best;
}

bool SemanticModel::is_async_function(TSNode function) const {
  return is_function_kind(syntax_.kind(function)) && syntax_.has_token(function, Kind::kw_async);
}

bool SemanticModel::is_generator_function(TSNode function) const {
  const Kind k = syntax_.kind(function);
  if (k == Kind::generator_function || k == Kind::generator_function_declaration) return true;
  return k == Kind::method_definition && syntax_.has_token(function, Kind::star);
}

std::string SemanticModel::function_name(TSNode function) const {
  TSNode name = syntax_.field(function, Field::name);
  if (!ts_node_is_null(name)) return std::string(syntax_.text(name));
  TSNode parent = ts_node_parent(function);
  while (!ts_node_is_null(parent) && (syntax_.is(parent, Kind::parenthesized_expression) || syntax_.is(parent, Kind::as_expression)))
    parent = ts_node_parent(parent);
  switch (syntax_.kind(parent)) {
    case Kind::variable_declarator:
    case Kind::public_field_definition:
    case Kind::field_definition:
      name = syntax_.field(parent, Field::name);
      if (ts_node_is_null(name)) name = syntax_.field(parent, Field::property);
      return std::string(syntax_.text(name));
    case Kind::pair:
      return std::string(syntax_.text(syntax_.field(parent, Field::key)));
    case Kind::assignment_expression:
      return std::string(syntax_.text(syntax_.field(parent, Field::left)));
    default:
      return "<anonymous>";
  }
}

namespace {
bool is_promise_type_annotation(const Syntax& syntax, TSNode return_type) {
  if (!syntax.is(return_type, Kind::type_annotation)) return false;
  TSNode type = syntax.first_named_child(return_type);
  if (!syntax.is(type, Kind::generic_type)) return false;
  const std::string_view name = syntax.text(syntax.field(type, Field::name));
  return name == "Promise" || name == "PromiseLike";
}
}  // namespace

PromiseFact SemanticModel::function_returns_promise(TSNode function) const {
  return function_returns_promise_at_depth(function, 0);
}

PromiseFact SemanticModel::function_returns_promise_at_depth(TSNode function, int depth) const {
  if (ts_node_is_null(function) || !is_function_kind(syntax_.kind(function))) return PromiseFact::no();
  const std::uintptr_t key = node_key(function);
  if (auto found = function_facts_.find(key); found != function_facts_.end()) return found->second;
  if (in_progress_[key] || depth > kMaxInferenceDepth) return PromiseFact::no();  // recursion: unknown

  PromiseFact fact;
  const std::string name = function_name(function);
  if (is_generator_function(function)) {
    // An async generator returns an async iterator, not a promise.
  } else if (is_async_function(function)) {
    fact.answer = PromiseFact::Answer::Yes;
    fact.what = "async function '" + name + "'";
  } else if (is_promise_type_annotation(syntax_, syntax_.field(function, Field::return_type))) {
    fact.answer = PromiseFact::Answer::Yes;
    fact.what = "'" + name + "' (declared to return a Promise)";
  } else {
    in_progress_[key] = true;
    TSNode body = syntax_.field(function, Field::body);
    if (!ts_node_is_null(body) && !syntax_.is(body, Kind::statement_block)) {
      fact = produces_promise_at_depth(body, depth + 1);
    } else if (!ts_node_is_null(body)) {
      // Every `return value;` at the function's own level must give a promise.
      std::vector<TSNode> stack{body};
      bool all_promises = true;
      int returns = 0;
      PromiseFact first;
      std::size_t visited = 0;
      while (!stack.empty() && all_promises && ++visited < kMaxBodyNodes) {
        TSNode node = stack.back();
        stack.pop_back();
        const Kind k = syntax_.kind(node);
        if (is_function_kind(k) || k == Kind::class_body || k == Kind::class_declaration || k == Kind::class_) continue;
        if (k == Kind::return_statement) {
          TSNode value = syntax_.first_named_child(node);
          if (ts_node_is_null(value)) {  // `return;` gives undefined on that path
            all_promises = false;
            continue;
          }
          PromiseFact returned = produces_promise_at_depth(value, depth + 1);
          if (!returned.maybe()) all_promises = false;
          else if (returns++ == 0) first = returned;
          continue;
        }
        const std::size_t first = stack.size();
        append_named_children(node, stack);
        std::reverse(stack.begin() + static_cast<std::ptrdiff_t>(first), stack.end());
      }
      // The function must not fall off its end either (that returns undefined): its last statement is a
      // `return`. `if (lost) return; … return this.computeAsync()` followed by more code is not a promise.
      TSNode last{};
      for (std::uint32_t i = ts_node_named_child_count(body); i-- > 0;) {
        TSNode child = ts_node_named_child(body, i);
        if (!syntax_.is(child, Kind::comment)) {
          last = child;
          break;
        }
      }
      if (all_promises && returns > 0 && syntax_.is(last, Kind::return_statement)) fact = first;
    }
    in_progress_[key] = false;
    if (fact.maybe()) fact.what = "'" + name + "' (returns " + (fact.what.empty() ? std::string("a promise") : fact.what) + ")";
  }
  if (fact.answer == PromiseFact::Answer::Yes && ts_node_is_null(fact.declaration)) fact.declaration = function;
  if (fact.answer != PromiseFact::Answer::IfImportReturnsPromise) fact.declaration = function;
  function_facts_[key] = fact;
  return fact;
}

TSNode SemanticModel::class_method(TSNode class_node, std::string_view name) const {
  // Indexed on the first question about the class: `this.m()` anywhere in a class asks, and reading the
  // body per question made classes of thousands of members quadratic.
  auto [entry, inserted] = class_methods_.try_emplace(node_key(class_node));
  auto& methods = entry->second;
  if (inserted) {
    for_each_named_child(syntax_.field(class_node, Field::body), [&](TSNode member) {
      const Kind k = syntax_.kind(member);
      if (k == Kind::method_definition) {
        if (!syntax_.has_token(member, Kind::kw_get) && !syntax_.has_token(member, Kind::kw_set))
          methods.try_emplace(syntax_.text(syntax_.field(member, Field::name)), member);
      } else if (k == Kind::public_field_definition || k == Kind::field_definition) {
        TSNode member_name = syntax_.field(member, k == Kind::field_definition ? Field::property : Field::name);
        TSNode value = syntax_.unwrap(syntax_.field(member, Field::value));
        if (is_function_kind(syntax_.kind(value))) methods.try_emplace(syntax_.text(member_name), value);
      }
      return true;
    });
  }
  auto found = methods.find(name);
  return found == methods.end() ? TSNode{} : found->second;
}

const std::vector<SemanticModel::FieldWrite>& SemanticModel::this_field_writes(TSNode class_node, std::string_view name) const {
  static const std::vector<FieldWrite> kNone;
  // The assignments were recorded by finish() from the walk's list of writes; the class's own declarations
  // are read on its first question.
  auto& by_name = field_writes_[node_key(class_node)];
  if (!declared_fields_read_.insert(node_key(class_node)).second) {
    auto found = by_name.find(name);
    return found == by_name.end() ? kNone : found->second;
  }
  // The class's own declarations go before its assignments: parameter properties, then fields.
  std::unordered_map<std::string_view, std::vector<FieldWrite>> declared;
  TSNode constructor = class_method(class_node, "constructor");
  TSNode parameters = ts_node_is_null(constructor) ? TSNode{} : syntax_.field(constructor, Field::parameters);
  for_each_named_child(parameters, [&](TSNode parameter) {
    const std::string_view text = syntax_.text(parameter);
    if (text.rfind("private ", 0) == 0 || text.rfind("public ", 0) == 0 || text.rfind("protected ", 0) == 0 ||
        text.rfind("readonly ", 0) == 0)
      declared[syntax_.text(syntax_.field(parameter, Field::pattern))].push_back({FieldWrite::Form::ParameterProperty, parameter});
    return true;
  });
  for_each_named_child(syntax_.field(class_node, Field::body), [&](TSNode member) {
    const Kind k = syntax_.kind(member);
    if (k == Kind::public_field_definition || k == Kind::field_definition)
      declared[syntax_.text(syntax_.field(member, k == Kind::field_definition ? Field::property : Field::name))].push_back(
          {FieldWrite::Form::Declaration, member});
    return true;
  });
  for (auto& [field, writes] : declared) {
    auto& all = by_name[field];
    writes.insert(writes.end(), all.begin(), all.end());
    all = std::move(writes);
  }
  auto found = by_name.find(name);
  return found == by_name.end() ? kNone : found->second;
}

TSNode SemanticModel::enclosing_class_for_this(std::uint32_t at_byte) const {
  std::int32_t scope = static_cast<std::int32_t>(scope_at(at_byte));
  while (scope > 0) {
    const Kind k = scopes_[scope].kind;
    if (k == Kind::class_declaration || k == Kind::class_ || k == Kind::abstract_class_declaration) return scopes_[scope].node;
    // A method of an object literal has the object as `this`, not the class around it.
    if (k == Kind::method_definition && scopes_[scope].is_object_method) return TSNode{};
    // A non-arrow function other than a method gives `this` a new meaning.
    if (k == Kind::function_declaration || k == Kind::function_expression || k == Kind::generator_function ||
        k == Kind::generator_function_declaration)
      return TSNode{};
    scope = scopes_[scope].parent;
  }
  return TSNode{};
}

TSNode SemanticModel::object_literal_method(TSNode object, std::string_view name) const {
  object = syntax_.unwrap(object);
  if (!syntax_.is(object, Kind::object)) return TSNode{};
  TSNode found{};
  for_each_named_child(object, [&](TSNode member) {
    if (syntax_.is(member, Kind::method_definition) && syntax_.text(syntax_.field(member, Field::name)) == name) {
      found = member;
      return false;
    }
    if (syntax_.is(member, Kind::pair) && syntax_.text(syntax_.field(member, Field::key)) == name) {
      TSNode value = syntax_.unwrap(syntax_.field(member, Field::value));
      if (is_function_kind(syntax_.kind(value))) {
        found = value;
        return false;
      }
      if (syntax_.is(value, Kind::identifier)) {
        const Binding* binding = resolve(value);
        if (binding && binding->kind == BindingKind::Function) {
          found = binding->value;
          return false;
        }
      }
    }
    return true;
  });
  return found;
}

TSNode SemanticModel::local_function_of(TSNode callee) const {
  callee = syntax_.unwrap(callee);
  const Kind k = syntax_.kind(callee);
  if (is_function_kind(k)) return callee;
  if (k == Kind::identifier) {
    const Binding* binding = resolve(callee);
    if (!binding) return TSNode{};
    if (binding->kind == BindingKind::Function) return binding->value;
    if (binding->kind == BindingKind::Variable) {
      TSNode value = syntax_.unwrap(binding->value);
      if (is_function_kind(syntax_.kind(value))) return value;
    }
    return TSNode{};
  }
  if (k == Kind::member_expression) {
    TSNode object = syntax_.unwrap(syntax_.field(callee, Field::object));
    const std::string_view property = syntax_.text(syntax_.field(callee, Field::property));
    // `const self = this` (older code's way to keep `this` in callbacks) stands for `this` where it is declared.
    std::uint32_t this_at = ts_node_start_byte(callee);
    if (syntax_.is(object, Kind::identifier)) {
      const Binding* binding = resolve(object);
      if (binding && binding->kind == BindingKind::Variable && syntax_.is(syntax_.unwrap(binding->value), Kind::this_) &&
          !assignments_of(*binding)) {
        object = syntax_.unwrap(binding->value);
        this_at = ts_node_start_byte(object);
      }
    }
    if (syntax_.is(object, Kind::this_)) {
      TSNode class_node = enclosing_class_for_this(this_at);
      return ts_node_is_null(class_node) ? TSNode{} : class_method(class_node, property);
    }
    if (syntax_.is(object, Kind::identifier)) {
      const Binding* binding = resolve(object);
      if (binding && binding->kind == BindingKind::Variable) {
        TSNode method = object_literal_method(binding->value, property);
        if (!ts_node_is_null(method)) return method;
      }
    }
    // An instance of a class of this file (`const queue = new JobQueue(); queue.add()`), or the class itself.
    TSNode class_node = classes().instance_of(object).local;
    if (ts_node_is_null(class_node)) class_node = classes().class_named(object).local;
    if (!ts_node_is_null(class_node)) return classes().method_of(class_node, property);
  }
  return TSNode{};
}

ImportQuestion SemanticModel::import_of(TSNode callee) const {
  callee = syntax_.unwrap(callee);
  if (syntax_.is(callee, Kind::identifier)) {
    const Binding* binding = resolve(callee);
    if (binding && binding->kind == BindingKind::Import && is_relative_specifier(binding->module))
      return {std::string(binding->module), binding->imported == "*" ? std::string("default") : std::string(binding->imported)};
  } else if (syntax_.is(callee, Kind::member_expression)) {
    TSNode object = syntax_.unwrap(syntax_.field(callee, Field::object));
    if (syntax_.is(object, Kind::identifier)) {
      const Binding* binding = resolve(object);
      if (binding && binding->kind == BindingKind::Import && binding->imported == "*" && is_relative_specifier(binding->module))
        return {std::string(binding->module), std::string(syntax_.text(syntax_.field(callee, Field::property)))};
    }
    // A method of an instance of an imported class, or a static one: the exporting file answers `C.m`.
    const std::string_view property = syntax_.text(syntax_.field(callee, Field::property));
    ClassRef owner = classes().instance_of(object);
    if (owner.imported.empty() && ts_node_is_null(owner.local)) owner = classes().class_named(object);
    if (!owner.imported.empty()) return {owner.imported.module, owner.imported.name + "." + std::string(property)};
  }
  return {};
}

std::string_view SemanticModel::web_class_of(TSNode object) const {
  // A global path: `navigator.mediaDevices`, `window.navigator.clipboard`, `crypto.subtle`, `caches`.
  TSNode root = object;
  while (syntax_.is(root, Kind::member_expression)) root = syntax_.unwrap(syntax_.field(root, Field::object));
  if (syntax_.is(root, Kind::identifier) && !resolve(root)) {
    std::string_view path = syntax_.text(object);
    for (std::string_view prefix : {"window.", "globalThis.", "self."})
      if (path.substr(0, prefix.size()) == prefix) path.remove_prefix(prefix.size());
    if (const std::string_view global = web_platform_global(path); !global.empty()) return global;
  }
  return classes().instance_of(object).web;
}

bool SemanticModel::is_unshadowed_global(TSNode identifier, std::string_view name) const {
  return syntax_.is(identifier, Kind::identifier) && syntax_.text(identifier) == name && resolve(identifier) == nullptr;
}

bool SemanticModel::is_fetch_response(TSNode expression) const {
  expression = syntax_.unwrap(expression);
  if (syntax_.is(expression, Kind::identifier)) {
    const Binding* binding = resolve(expression);
    if (!binding || binding->kind != BindingKind::Variable || ts_node_is_null(binding->value)) return false;
    expression = syntax_.unwrap(binding->value);
  }
  if (!syntax_.is(expression, Kind::await_expression)) return false;
  TSNode awaited = syntax_.unwrap(syntax_.first_named_child(expression));
  if (!syntax_.is(awaited, Kind::call_expression)) return false;
  TSNode callee = syntax_.unwrap(syntax_.field(awaited, Field::function));
  if (is_unshadowed_global(callee, "fetch")) return true;
  if (syntax_.is(callee, Kind::member_expression) && member_property(syntax_, callee) == "fetch") {
    TSNode object = syntax_.field(callee, Field::object);
    return syntax_.is(object, Kind::identifier) && is_global_object_name(syntax_.text(object)) && !resolve(object);
  }
  return false;
}

PromiseFact SemanticModel::binding_call_fact(const Binding& binding, std::string_view callee_text, int depth) const {
  PromiseFact fact;
  switch (binding.kind) {
    case BindingKind::Function:
      return function_returns_promise_at_depth(binding.value, depth + 1);
    case BindingKind::Variable: {
      TSNode value = syntax_.unwrap(binding.value);
      if (is_function_kind(syntax_.kind(value))) return function_returns_promise_at_depth(value, depth + 1);
      if (syntax_.is(value, Kind::call_expression)) {
        TSNode callee = syntax_.unwrap(syntax_.field(value, Field::function));
        const std::string_view text = syntax_.text(callee);
        if (text == "promisify" || text == "util.promisify") {
          fact.answer = PromiseFact::Answer::Yes;
          fact.what = "'" + std::string(callee_text) + "' (made by util.promisify)";
        }
      }
      return fact;
    }
    case BindingKind::Import:
      if (is_relative_specifier(binding.module)) {
        fact.answer = PromiseFact::Answer::IfImportReturnsPromise;
        fact.question = {std::string(binding.module), binding.imported == "*" ? std::string("default") : std::string(binding.imported)};
        fact.what = "imported from '" + std::string(written_specifier(binding.module)) + "'";
      } else if (is_promise_module(binding.module) && promise_module_export_returns_promise(binding.module, binding.imported)) {
        fact.answer = PromiseFact::Answer::Yes;
        fact.what = "'" + std::string(callee_text) + "' from '" + std::string(binding.module) + "'";
      }
      return fact;
    default:
      return fact;
  }
}

PromiseFact SemanticModel::call_produces_promise(TSNode call, int depth) const {
  PromiseFact fact;
  TSNode callee = syntax_.unwrap(syntax_.field(call, Field::function));
  // `await (f)(x)`, read as a call of `await`, calls `f`; compiled CommonJS calls `(0, _module.f)(x)`.
  if (TSNode real = syntax_.misparsed_await_callee(call); !ts_node_is_null(real)) callee = real;
  if (syntax_.is(callee, Kind::sequence_expression) && ts_node_named_child_count(callee) > 0)
    callee = syntax_.unwrap(ts_node_named_child(callee, ts_node_named_child_count(callee) - 1));
  const Kind callee_kind = syntax_.kind(callee);
  const std::string_view callee_text = syntax_.text(callee);
  if (callee_kind == Kind::import) {
    fact.answer = PromiseFact::Answer::Yes;
    fact.what = "import()";
    return fact;
  }
  if (is_function_kind(callee_kind)) {  // an IIFE
    fact = function_returns_promise_at_depth(callee, depth + 1);
    fact.is_async_iife = fact.maybe() && is_async_function(callee);
    if (fact.is_async_iife) fact.what = "async IIFE";
    return fact;
  }
  if (callee_kind == Kind::identifier) {
    const Binding* binding = resolve(callee);
    if (!binding) {
      if (callee_text == "fetch") {
        fact.answer = PromiseFact::Answer::Yes;
        fact.what = "fetch()";
      }
      return fact;
    }
    return binding_call_fact(*binding, callee_text, depth);
  }
  if (callee_kind != Kind::member_expression) return fact;

  TSNode object = syntax_.unwrap(syntax_.field(callee, Field::object));
  const std::string_view property = syntax_.text(syntax_.field(callee, Field::property));
  auto yes = [&](std::string what) {
    fact.answer = PromiseFact::Answer::Yes;
    fact.what = std::move(what);
    return fact;
  };
  if (property == "then" || property == "catch" || property == "finally") return yes("a promise chain");
  // `save.call(this, row)`, `save.apply(this, args)`: a call of the function itself.
  if ((property == "call" || property == "apply") &&
      (syntax_.is(object, Kind::identifier) || syntax_.is(object, Kind::member_expression))) {
    TSNode function = local_function_of(object);
    if (!ts_node_is_null(function)) return function_returns_promise_at_depth(function, depth + 1);
  }
  if (syntax_.is(object, Kind::identifier)) {
    const std::string_view object_name = syntax_.text(object);
    const Binding* binding = resolve(object);
    if (!binding) {
      if (object_name == "Promise" && is_promise_static_method(property)) return yes("Promise." + std::string(property) + "()");
      if (is_global_object_name(object_name) && property == "fetch") return yes("fetch()");
      return fact;
    }
    if (binding->kind == BindingKind::Import) {
      if (is_promise_module(binding->module) && (binding->imported == "*" || binding->imported == "default") &&
          promise_module_export_returns_promise(binding->module, property))
        return yes("'" + std::string(callee_text) + "' from '" + std::string(binding->module) + "'");
      if (is_fs_module(binding->module) && binding->imported == "promises") return yes("'" + std::string(callee_text) + "' (fs.promises)");
      if (is_relative_specifier(binding->module)) {
        // `ns.f()` of a namespace import, or `C.m()` of an imported class or object.
        fact.answer = PromiseFact::Answer::IfImportReturnsPromise;
        fact.question = import_of(callee);
        fact.what = "imported from '" + std::string(written_specifier(binding->module)) + "'";
        if (fact.question.empty()) fact = PromiseFact::no();
        return fact;
      }
      return fact;
    }
    if (binding->kind == BindingKind::Variable && is_response_body_method(property) && is_fetch_response(object))
      return yes("'" + std::string(callee_text) + "' (a fetch Response body)");
  }
  if (syntax_.is(object, Kind::await_expression) && is_response_body_method(property) && is_fetch_response(object))
    return yes("'" + std::string(callee_text) + "' (a fetch Response body)");
  if (syntax_.is(object, Kind::member_expression) && member_property(syntax_, object) == "promises") {
    TSNode fs = syntax_.unwrap(syntax_.field(object, Field::object));
    const Binding* binding = syntax_.is(fs, Kind::identifier) ? resolve(fs) : nullptr;
    if (binding && binding->kind == BindingKind::Import && is_fs_module(binding->module) &&
        (binding->imported == "*" || binding->imported == "default"))
      return yes("'" + std::string(callee_text) + "' (fs.promises)");
  }
  // A web platform method whose promise can reject: `this.peerConn.getStats()` of a field declared
  // `RTCPeerConnection`, `(el as HTMLVideoElement).play()`, `navigator.mediaDevices.getUserMedia()`.
  if (const std::string_view web = web_class_of(syntax_.field(callee, Field::object)); !web.empty() && web_platform_method_rejects(web, property))
    return yes("'" + std::string(callee_text) + "' (" + std::string(web) + ", a web API)");
  TSNode function = local_function_of(callee);
  if (!ts_node_is_null(function)) return function_returns_promise_at_depth(function, depth + 1);
  // A method of an instance of an imported class: only the exporting file can tell.
  ImportQuestion method = import_of(callee);
  if (!method.empty()) {
    fact.answer = PromiseFact::Answer::IfImportReturnsPromise;
    fact.what = "'" + method.name + "' imported from '" + std::string(written_specifier(method.module)) + "'";
    fact.question = std::move(method);
  }
  return fact;
}

PromiseFact SemanticModel::produces_promise(TSNode expression) const { return produces_promise_at_depth(expression, 0); }

PromiseFact SemanticModel::produces_promise_at_depth(TSNode expression, int depth) const {
  if (depth > kMaxInferenceDepth) return PromiseFact::no();
  expression = syntax_.unwrap(expression);
  switch (syntax_.kind(expression)) {
    case Kind::call_expression:
      return call_produces_promise(expression, depth);
    case Kind::new_expression: {
      TSNode constructor = syntax_.field(expression, Field::constructor);
      PromiseFact fact;
      if (is_unshadowed_global(constructor, "Promise")) {
        fact.answer = PromiseFact::Answer::Yes;
        fact.what = "new Promise()";
      }
      return fact;
    }
    case Kind::ternary_expression: {
      PromiseFact consequence = produces_promise_at_depth(syntax_.field(expression, Field::consequence), depth + 1);
      if (consequence.answer == PromiseFact::Answer::Yes) return consequence;
      PromiseFact alternative = produces_promise_at_depth(syntax_.field(expression, Field::alternative), depth + 1);
      return alternative.maybe() ? alternative : consequence;
    }
    case Kind::binary_expression: {
      const Kind op = syntax_.kind(syntax_.field(expression, Field::operator_));
      if (op == Kind::op_and || op == Kind::op_or || op == Kind::op_nullish)
        return produces_promise_at_depth(syntax_.field(expression, Field::right), depth + 1);
      return PromiseFact::no();
    }
    case Kind::sequence_expression: {
      const std::uint32_t count = ts_node_named_child_count(expression);
      return count ? produces_promise_at_depth(ts_node_named_child(expression, count - 1), depth + 1) : PromiseFact::no();
    }
    default:
      return PromiseFact::no();
  }
}

TSNode SemanticModel::enclosing_function(TSNode node) const {
  std::int32_t scope = static_cast<std::int32_t>(scope_at(ts_node_start_byte(node)));
  while (scope > 0) {
    if (is_function_kind(scopes_[scope].kind) && !same_node(scopes_[scope].node, node)) return scopes_[scope].node;
    scope = scopes_[scope].parent;
  }
  return TSNode{};
}

}  // namespace asynclint
