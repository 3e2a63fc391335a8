#include "project/exports.h"

#include <algorithm>

#include "semantic/io.h"
#include "syntax/tree_walk.h"
#include "types/class_of.h"

namespace asynclint {

namespace {

class ExportCollector {
 public:
  ExportCollector(const SemanticModel& model, const SourceText& source)
      : model_(model), syntax_(model.syntax()), source_(source) {}

  FileExports run() {
    for (TSNode node : model_.export_nodes()) {
      if (syntax_.is(node, Kind::export_statement)) esm_export(node);
      else if (syntax_.is(node, Kind::lexical_declaration) || syntax_.is(node, Kind::variable_declaration)) export_star_inside(node);
      else if (syntax_.is(syntax_.first_named_child(node), Kind::call_expression)) compiled_export(syntax_.first_named_child(node));
      else commonjs_export(node);
    }
    for (std::string_view event : model_.awaited_event_emits()) exports_.awaited_events.emplace_back(event);
    std::sort(exports_.awaited_events.begin(), exports_.awaited_events.end());
    exports_.awaited_events.erase(std::unique(exports_.awaited_events.begin(), exports_.awaited_events.end()), exports_.awaited_events.end());
    return std::move(exports_);
  }

 private:
  ExportFact fact_for_function(TSNode function) {
    ExportFact fact;
    PromiseFact promise = model_.function_returns_promise(function);
    if (promise.answer == PromiseFact::Answer::Yes) {
      fact.kind = ExportFact::Kind::ReturnsPromise;
      fact.what = promise.what;
      fact.declared_at = source_.position_of(ts_node_start_byte(function));
      const RejectionFact rejection = model_.rejections().of_function(function);
      fact.rejects = rejection.answer;
      fact.reject_reason = rejection.reason;
      for (const auto& question : rejection.imports) fact.reject_imports.emplace_back(question.module, question.name);
    } else if (promise.answer == PromiseFact::Answer::IfImportReturnsPromise) {
      fact.kind = ExportFact::Kind::Alias;
      fact.alias_module = promise.question.module;
      fact.alias_name = promise.question.name;
    }
    // Whether calling it does I/O matters to an importer that waits for what it returns: a promise, or a
    // value that may hold one (`return this.loading` of a cached promise). A function that returns nothing
    // cannot make anyone wait, and most exported functions of a library are such; reading their calls was
    // a fifth of the time a large corpus spent beyond parsing.
    if (fact.kind == ExportFact::Kind::ReturnsPromise || (fact.kind != ExportFact::Kind::Alias && returns_a_value(function))) {
      const IoFact io = model_.io().of_function(function);
      fact.does_io = io.does_io;
      fact.io_local_files_only = io.local_files_only;
      fact.io_reason = io.reason;
      for (const auto& question : io.imports) fact.io_imports.emplace_back(question.module, question.name);
    }
    return fact;
  }

  // A value that may be a promise made elsewhere: a name, a property (`return this.loading`), a call, or a
  // choice between such. Not a literal, an object, an array, a string or arithmetic: most functions of a
  // library return those, and reading their calls for I/O was a third of the time exports took.
  bool may_hold_a_promise(TSNode value) const {
    value = syntax_.unwrap(value);
    switch (syntax_.kind(value)) {
      case Kind::identifier:
      case Kind::member_expression:
      case Kind::subscript_expression:
      case Kind::call_expression:
      case Kind::await_expression:
      case Kind::ternary_expression:
      case Kind::sequence_expression:
        return true;
      case Kind::binary_expression: {
        const Kind op = syntax_.kind(syntax_.field(value, Field::operator_));
        return op == Kind::op_and || op == Kind::op_or || op == Kind::op_nullish;
      }
      default:
        return false;
    }
  }

  // An expression body, or a `return value;` of the function's own (not of a function inside it), whose
  // value may hold a promise.
  bool returns_a_value(TSNode function) const {
    TSNode body = syntax_.field(function, Field::body);
    if (ts_node_is_null(body)) return false;
    if (!syntax_.is(body, Kind::statement_block)) return may_hold_a_promise(body);
    bool found = false;
    walk_preorder(body, [&](TSNode node, std::uint32_t) {
      if (found) return false;
      const Kind k = syntax_.kind(node);
      if (SemanticModel::is_function_kind(k) || k == Kind::class_body) return false;
      if (k == Kind::return_statement) {
        found = may_hold_a_promise(syntax_.first_named_child(node));
        return false;
      }
      // Expressions hold no statements (functions inside them are skipped above): not worth entering.
      return k == Kind::statement_block || k == Kind::if_statement || k == Kind::else_clause || k == Kind::try_statement ||
             k == Kind::catch_clause || k == Kind::finally_clause || k == Kind::for_statement || k == Kind::for_in_statement ||
             k == Kind::while_statement || k == Kind::do_statement || k == Kind::switch_statement || k == Kind::switch_body ||
             k == Kind::switch_case || k == Kind::switch_default || k == Kind::labeled_statement;
    });
    return found;
  }

  // The fact for a value expression that is exported (a function, or a name bound to one).
  ExportFact fact_for_value(TSNode value) {
    value = syntax_.unwrap(value);
    if (SemanticModel::is_function_kind(syntax_.kind(value))) return fact_for_function(value);
    if (syntax_.is(value, Kind::identifier)) {
      const Binding* binding = model_.resolve(value);
      if (binding) return fact_for_binding(*binding);
    }
    if (syntax_.is(value, Kind::call_expression)) {
      // `export const load = promisify(read)` and the like.
      PromiseFact produced = model_.produces_promise(value);
      (void)produced;
    }
    return {};
  }

  ExportFact fact_for_binding(const Binding& binding) {
    switch (binding.kind) {
      case BindingKind::Function:
        return fact_for_function(binding.value);
      case BindingKind::Variable: {
        TSNode value = syntax_.unwrap(binding.value);
        if (SemanticModel::is_function_kind(syntax_.kind(value))) return fact_for_function(value);
        if (syntax_.is(value, Kind::call_expression)) {
          const std::string_view callee = syntax_.text(syntax_.unwrap(syntax_.field(value, Field::function)));
          if (callee == "promisify" || callee == "util.promisify") {
            ExportFact fact;
            fact.kind = ExportFact::Kind::ReturnsPromise;
            fact.what = "'" + std::string(binding.name) + "' (made by util.promisify)";
            fact.declared_at = source_.position_of(ts_node_start_byte(binding.declaration));
            return fact;
          }
        }
        return {};
      }
      case BindingKind::Import:
        if (!binding.module.empty() && (binding.module[0] == '.' || binding.module[0] == '/')) {
          ExportFact fact;
          fact.kind = ExportFact::Kind::Alias;
          fact.alias_module = std::string(binding.module);
          fact.alias_name = binding.imported == "*" ? "default" : std::string(binding.imported);
          return fact;
        }
        return {};
      default:
        return {};
    }
  }

  void add(std::string name, ExportFact fact) { exports_.named[std::move(name)] = std::move(fact); }

  // An exported value's members as exports of their own, `name.member`, so that importers can ask about
  // `x.m()` where `x` is an instance of an exported class, the class itself (`C.create()`), an exported
  // instance (`export const queue = new JobQueue()`) or an exported object of functions.
  void add_members(const std::string& name, TSNode value) {
    value = syntax_.unwrap(value);
    if (syntax_.is(value, Kind::identifier)) {
      const Binding* binding = model_.resolve(value);
      if (!binding) return;
      if (binding->kind == BindingKind::Class) value = binding->value;
      else if (binding->kind == BindingKind::Variable && !model_.assignments_of(*binding)) value = syntax_.unwrap(binding->value);
      else return;
    }
    const Kind k = syntax_.kind(value);
    TSNode class_node{};
    if (k == Kind::class_declaration || k == Kind::class_ || k == Kind::abstract_class_declaration) class_node = value;
    else if (k == Kind::new_expression || k == Kind::call_expression) {
      const ClassRef instance = model_.classes().instance_of(value);
      class_node = instance.local;
      if (!instance.imported.empty() && exports_.named.count(name)) {
        exports_.named[name].members_module = instance.imported.module;
        exports_.named[name].members_name = instance.imported.name;
      }
    }
    if (!ts_node_is_null(class_node)) {
      TSNode body = syntax_.field(class_node, Field::body);
      for (std::uint32_t i = 0, n = ts_node_is_null(body) ? 0 : ts_node_named_child_count(body); i < n; ++i) {
        TSNode member = ts_node_named_child(body, i);
        const Kind member_kind = syntax_.kind(member);
        TSNode member_name = syntax_.field(member, member_kind == Kind::field_definition ? Field::property : Field::name);
        if (ts_node_is_null(member_name)) continue;
        const std::string key = name + "." + std::string(syntax_.text(member_name));
        TSNode method = model_.class_method(class_node, syntax_.text(member_name));
        if (!ts_node_is_null(method) && !exports_.named.count(key)) add(key, fact_for_function(method));
      }
      return;
    }
    if (k == Kind::object) {
      for (std::uint32_t i = 0, n = ts_node_named_child_count(value); i < n; ++i) {
        TSNode member = ts_node_named_child(value, i);
        if (syntax_.is(member, Kind::method_definition))
          add(name + "." + std::string(syntax_.text(syntax_.field(member, Field::name))), fact_for_function(member));
        else if (syntax_.is(member, Kind::pair)) {
          // `{ list: listVariables }` or `{ list: async () => … }`: a function of this file.
          TSNode function = model_.local_function_of(syntax_.field(member, Field::value));
          if (!ts_node_is_null(function))
            add(name + "." + std::string(syntax_.text(syntax_.field(member, Field::key))), fact_for_function(function));
        } else if (syntax_.is(member, Kind::shorthand_property_identifier)) {
          const Binding* binding = model_.resolve(member);
          TSNode function = !binding ? TSNode{}
                            : binding->kind == BindingKind::Function ? binding->value
                                                                      : model_.local_function_of(binding->declaration);
          if (!ts_node_is_null(function) && SemanticModel::is_function_kind(syntax_.kind(function)))
            add(name + "." + std::string(syntax_.text(member)), fact_for_function(function));
        }
      }
    }
  }

  void declaration_exports(TSNode declaration) {
    const Kind k = syntax_.kind(declaration);
    if (k == Kind::function_declaration || k == Kind::generator_function_declaration) {
      add(std::string(syntax_.text(syntax_.field(declaration, Field::name))), fact_for_function(declaration));
    } else if (k == Kind::lexical_declaration || k == Kind::variable_declaration) {
      const std::uint32_t count = ts_node_named_child_count(declaration);
      for (std::uint32_t i = 0; i < count; ++i) {
        TSNode declarator = ts_node_named_child(declaration, i);
        TSNode name = syntax_.field(declarator, Field::name);
        if (!syntax_.is(name, Kind::identifier)) continue;
        const Binding* binding = model_.resolve(name);
        add(std::string(syntax_.text(name)), binding ? fact_for_binding(*binding) : ExportFact{});
        add_members(std::string(syntax_.text(name)), name);
      }
    } else {
      TSNode name = syntax_.field(declaration, Field::name);
      if (!ts_node_is_null(name)) add(std::string(syntax_.text(name)), {});
      if (!ts_node_is_null(name)) add_members(std::string(syntax_.text(name)), declaration);
    }
  }

  void esm_export(TSNode statement) {
    TSNode source = syntax_.field(statement, Field::source);
    const std::string module = ts_node_is_null(source) ? std::string() : std::string(model_.project_module(syntax_.string_value(source)));
    TSNode declaration = syntax_.field(statement, Field::declaration);
    const bool is_default = syntax_.has_token(statement, Kind::kw_default);
    if (is_default) {
      TSNode value = !ts_node_is_null(declaration) ? declaration : syntax_.field(statement, Field::value);
      if (ts_node_is_null(value)) {
        // TypeScript's grammar puts `export default x` in an unnamed child.
        const std::uint32_t count = ts_node_named_child_count(statement);
        for (std::uint32_t i = 0; i < count && ts_node_is_null(value); ++i) {
          TSNode child = ts_node_named_child(statement, i);
          if (!syntax_.is(child, Kind::comment) && !syntax_.is(child, Kind::decorator)) value = child;
        }
      }
      add("default", fact_for_value(value));
      add_members("default", value);
      return;
    }
    if (!ts_node_is_null(declaration)) {
      declaration_exports(declaration);
      return;
    }
    bool has_clause = false;
    const std::uint32_t count = ts_node_named_child_count(statement);
    for (std::uint32_t i = 0; i < count; ++i) {
      TSNode child = ts_node_named_child(statement, i);
      if (syntax_.is(child, Kind::namespace_export)) return;  // export * as ns from: a namespace, not functions
      if (!syntax_.is(child, Kind::export_clause)) continue;
      has_clause = true;
      const std::uint32_t specifiers = ts_node_named_child_count(child);
      for (std::uint32_t j = 0; j < specifiers; ++j) {
        TSNode specifier = ts_node_named_child(child, j);
        if (!syntax_.is(specifier, Kind::export_specifier)) continue;
        TSNode name = syntax_.field(specifier, Field::name);
        TSNode alias = syntax_.field(specifier, Field::alias);
        const std::string local = std::string(syntax_.is(name, Kind::string) ? syntax_.string_value(name) : syntax_.text(name));
        const std::string exported =
            ts_node_is_null(alias) ? local : std::string(syntax_.is(alias, Kind::string) ? syntax_.string_value(alias) : syntax_.text(alias));
        if (!module.empty()) {
          ExportFact fact;
          fact.kind = ExportFact::Kind::Alias;
          fact.alias_module = module;
          fact.alias_name = local;
          add(exported, std::move(fact));
        } else {
          const Binding* binding = model_.resolve(local, ts_node_start_byte(name));
          add(exported, binding ? fact_for_binding(*binding) : ExportFact{});
          if (binding) add_members(exported, binding->declaration);
        }
      }
    }
    if (!has_clause && !module.empty()) exports_.star_modules.push_back(module);
  }

  void object_exports(TSNode object) {
    const std::uint32_t count = ts_node_named_child_count(object);
    for (std::uint32_t i = 0; i < count; ++i) {
      TSNode member = ts_node_named_child(object, i);
      switch (syntax_.kind(member)) {
        case Kind::shorthand_property_identifier: {
          const Binding* binding = model_.resolve(member);
          add(std::string(syntax_.text(member)), binding ? fact_for_binding(*binding) : ExportFact{});
          if (binding) add_members(std::string(syntax_.text(member)), binding->declaration);
          break;
        }
        case Kind::pair:
          add(std::string(syntax_.text(syntax_.field(member, Field::key))), fact_for_value(syntax_.field(member, Field::value)));
          break;
        case Kind::method_definition:
          add(std::string(syntax_.text(syntax_.field(member, Field::name))), fact_for_function(member));
          break;
        default:
          break;
      }
    }
  }

  // The module a `require('./x')` call loads, or empty.
  std::string required_module(TSNode call) {
    call = syntax_.unwrap(call);
    if (!syntax_.is(call, Kind::call_expression) || syntax_.text(syntax_.field(call, Field::function)) != "require") return {};
    TSNode argument[1];
    if (call_arguments(syntax_, call, argument, 1) != 1 || !syntax_.is(argument[0], Kind::string)) return {};
    return std::string(model_.project_module(syntax_.string_value(argument[0])));
  }

  // `const _x = _interop_require_default(_export_star(require("./x"), exports))`: ./x is re-exported whole.
  void export_star_inside(TSNode declaration) {
    walk_preorder(declaration, [&](TSNode node, std::uint32_t) {
      if (!syntax_.is(node, Kind::call_expression) || !is_compiled_export_call(syntax_, node)) return true;
      compiled_export(node);
      return false;
    });
  }

  // What an export getter returns, exported under `name`: a local value, or a member of a required module
  // (a re-export: `get: function() { return _store.purge; }`).
  void exported_value(const std::string& name, TSNode value) {
    value = syntax_.unwrap(value);
    if (syntax_.is(value, Kind::member_expression)) {
      TSNode object = syntax_.unwrap(syntax_.field(value, Field::object));
      const Binding* binding = syntax_.is(object, Kind::identifier) ? model_.resolve(object) : nullptr;
      if (binding && binding->kind == BindingKind::Import && binding->imported == "*" && !binding->module.empty() &&
          (binding->module[0] == '.' || binding->module[0] == '/')) {
        ExportFact fact;
        fact.kind = ExportFact::Kind::Alias;
        fact.alias_module = std::string(binding->module);
        fact.alias_name = std::string(syntax_.text(syntax_.field(value, Field::property)));
        add(name, std::move(fact));
        return;
      }
    }
    add(name, fact_for_value(value));
    add_members(name, value);
  }

  // The value a getter function returns: `function() { return x; }` or `() => x`.
  TSNode getter_result(TSNode getter) {
    getter = syntax_.unwrap(getter);
    if (!SemanticModel::is_function_kind(syntax_.kind(getter))) return TSNode{};
    TSNode body = syntax_.field(getter, Field::body);
    if (!syntax_.is(body, Kind::statement_block)) return body;
    TSNode first = syntax_.first_named_child(body);
    return syntax_.is(first, Kind::return_statement) ? syntax_.first_named_child(first) : TSNode{};
  }

  // Compiled ES module exports (semantic_model's is_compiled_export_call).
  void compiled_export(TSNode call) {
    std::string_view callee = syntax_.text(syntax_.unwrap(syntax_.field(call, Field::function)));
    if (const std::size_t dot = callee.rfind('.'); dot != std::string_view::npos && callee != "Object.defineProperty")
      callee = callee.substr(dot + 1);
    TSNode args[3];
    const std::uint32_t count = call_arguments(syntax_, call, args, 3);
    if (callee == "__exportStar" || callee == "_export_star" || callee == "__export") {
      const std::string module = count >= 1 ? required_module(args[0]) : std::string();
      if (!module.empty()) exports_.star_modules.push_back(module);
      return;
    }
    if (callee == "_export" && count == 2 && syntax_.is(syntax_.unwrap(args[1]), Kind::object)) {
      TSNode object = syntax_.unwrap(args[1]);
      for (std::uint32_t i = 0, n = ts_node_named_child_count(object); i < n; ++i) {
        TSNode member = ts_node_named_child(object, i);
        if (syntax_.is(member, Kind::pair)) {
          TSNode key = syntax_.field(member, Field::key);
          const std::string name(syntax_.is(key, Kind::string) ? syntax_.string_value(key) : syntax_.text(key));
          TSNode result = getter_result(syntax_.field(member, Field::value));
          if (!ts_node_is_null(result)) exported_value(name, result);
        } else if (syntax_.is(member, Kind::method_definition)) {
          TSNode result = getter_result(member);
          if (!ts_node_is_null(result)) exported_value(std::string(syntax_.text(syntax_.field(member, Field::name))), result);
        }
      }
      return;
    }
    if (callee == "Object.defineProperty" && count == 3 && syntax_.is(args[1], Kind::string) && syntax_.is(syntax_.unwrap(args[2]), Kind::object)) {
      const std::string name(syntax_.string_value(args[1]));
      if (name == "__esModule") return;
      TSNode descriptor = syntax_.unwrap(args[2]);
      for (std::uint32_t i = 0, n = ts_node_named_child_count(descriptor); i < n; ++i) {
        TSNode member = ts_node_named_child(descriptor, i);
        TSNode result{};
        if (syntax_.is(member, Kind::pair) && syntax_.text(syntax_.field(member, Field::key)) == "get")
          result = getter_result(syntax_.field(member, Field::value));
        else if (syntax_.is(member, Kind::method_definition) && syntax_.text(syntax_.field(member, Field::name)) == "get")
          result = getter_result(member);
        else if (syntax_.is(member, Kind::pair) && syntax_.text(syntax_.field(member, Field::key)) == "value")
          result = syntax_.field(member, Field::value);
        if (!ts_node_is_null(result)) exported_value(name, result);
      }
    }
  }

  void commonjs_export(TSNode statement) {
    TSNode assignment = syntax_.first_named_child(statement);
    TSNode left = syntax_.field(assignment, Field::left);
    TSNode right = syntax_.unwrap(syntax_.field(assignment, Field::right));
    const std::string_view target = syntax_.text(left);
    if (target == "module.exports") {
      if (syntax_.is(right, Kind::object)) {
        object_exports(right);
        return;
      }
      // module.exports = require('./impl'): everything of ./impl, default included.
      if (syntax_.is(right, Kind::call_expression) && syntax_.text(syntax_.field(right, Field::function)) == "require") {
        TSNode argument[1];
        if (call_arguments(syntax_, right, argument, 1) == 1 && syntax_.is(argument[0], Kind::string)) {
          const std::string module(syntax_.string_value(argument[0]));
          exports_.star_modules.push_back(module);
          ExportFact fact;
          fact.kind = ExportFact::Kind::Alias;
          fact.alias_module = module;
          fact.alias_name = "default";
          add("default", std::move(fact));
        }
        return;
      }
      add("default", fact_for_value(right));
      add_members("default", right);
      return;
    }
    std::string_view name;
    if (target.substr(0, 15) == "module.exports.") name = target.substr(15);
    else if (target.substr(0, 8) == "exports.") name = target.substr(8);
    if (!name.empty() && name.find('.') == std::string_view::npos) {
      add(std::string(name), fact_for_value(right));
      add_members(std::string(name), right);
    }
  }

  const SemanticModel& model_;
  const Syntax& syntax_;
  const SourceText& source_;
  FileExports exports_;
};

}  // namespace

bool operator==(const ExportFact& a, const ExportFact& b) {
  return a.kind == b.kind && a.what == b.what && a.declared_at.line == b.declared_at.line &&
         a.declared_at.column == b.declared_at.column && a.alias_module == b.alias_module && a.alias_name == b.alias_name &&
         a.rejects == b.rejects && a.reject_reason == b.reject_reason && a.reject_imports == b.reject_imports &&
         a.does_io == b.does_io && a.io_local_files_only == b.io_local_files_only && a.io_reason == b.io_reason && a.io_imports == b.io_imports &&
         a.members_module == b.members_module && a.members_name == b.members_name;
}

bool operator==(const FileExports& a, const FileExports& b) {
  return a.named == b.named && a.star_modules == b.star_modules && a.awaited_events == b.awaited_events;
}

FileExports collect_exports(const SemanticModel& model, const SourceText& source) {
  return ExportCollector(model, source).run();
}

}  // namespace asynclint
