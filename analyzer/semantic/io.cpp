#include "semantic/io.h"

#include <algorithm>

#include "semantic/known_apis.h"
#include "syntax/tree_walk.h"

namespace asynclint {

namespace {
constexpr int kMaxDepth = 8;        // function → call → function …
constexpr int kMaxChainDepth = 48;  // one step per link of `client.db('a').collection('b').find()` and per const
constexpr std::size_t kMaxBodyNodes = 200000;

std::string short_text(const Syntax& syntax, TSNode node) {
  std::string text(syntax.text(node));
  for (char& c : text)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  if (text.size() > 50) text = text.substr(0, 47) + "...";
  return text;
}

IoFact yes(std::string reason, std::string_view module) {
  IoFact fact;
  fact.does_io = true;
  // The reason starts with the call: "fs.readFile() from 'fs'", "readJSON() from 'fs-extra'".
  std::string_view called = std::string_view(reason).substr(0, reason.find("()"));
  if (const std::size_t dot = called.rfind('.'); dot != std::string_view::npos) called = called.substr(dot + 1);
  fact.local_files_only = IoModel::is_single_file_call(module, called);
  fact.reason = std::move(reason);
  fact.module = std::string(module);
  return fact;
}

void add_imports(IoFact& into, const IoFact& from) {
  if (into.has_latency()) return;
  for (const auto& question : from.imports) {
    const bool known = std::any_of(into.imports.begin(), into.imports.end(), [&](const ImportQuestion& q) {
      return q.module == question.module && q.name == question.name;
    });
    if (!known) into.imports.push_back(question);
  }
}

// Combines what two parts of a function show: latency wins; otherwise local file work, keeping the imports
// either part calls (whose own I/O may go further).
void merge(IoFact& into, IoFact from) {
  if (into.has_latency()) return;
  if (from.has_latency() || (from.does_io && !into.does_io)) {
    std::vector<ImportQuestion> kept = std::move(into.imports);
    into = std::move(from);
    add_imports(into, IoFact{false, {}, {}, std::move(kept)});
    return;
  }
  add_imports(into, from);
}

}  // namespace

// The callee a call really has: through `await f<T>(x)`, `await (f)(x)` and compiled `(0, m.f)(x)`.
TSNode real_callee(const Syntax& syntax, TSNode call) {
  TSNode callee = syntax.unwrap(syntax.field(call, Field::function));
  if (syntax.is(callee, Kind::await_expression)) callee = syntax.unwrap(syntax.first_named_child(callee));
  if (TSNode real = syntax.misparsed_await_callee(call); !ts_node_is_null(real)) callee = real;
  if (syntax.is(callee, Kind::sequence_expression) && ts_node_named_child_count(callee) > 0)
    callee = syntax.unwrap(ts_node_named_child(callee, ts_node_named_child_count(callee) - 1));
  return callee;
}

IoFact IoModel::of_call(TSNode call) const { return call_at(call, 0); }

bool IoModel::is_single_file_call(std::string_view module, std::string_view function) {
  if (module.substr(0, 5) == "node:") module = module.substr(5);
  if (module != "fs" && module != "fs/promises" && module != "fs-extra" && module != "graceful-fs") return false;
  for (std::string_view walk : {"readdir", "opendir", "glob", "cp", "copy", "rm", "remove", "emptyDir", "move", "watch"})
    if (function.rfind(walk, 0) == 0) return false;
  return !function.empty();
}

bool IoModel::is_file_system_module(std::string_view module) {
  if (module.substr(0, 5) == "node:") module = module.substr(5);
  return module == "fs" || module == "fs/promises" || module == "fs-extra" || module == "graceful-fs" || module == "glob" ||
         module == "globby" || module == "fast-glob" || module == "tinyglobby";
}
IoFact IoModel::of_function(TSNode function) const { return function_at(function, 0); }

IoFact IoModel::of_expression(TSNode expression) const {
  expression = syntax_.unwrap(expression);
  if (syntax_.is(expression, Kind::await_expression)) expression = syntax_.unwrap(syntax_.first_named_child(expression));
  if (syntax_.is(expression, Kind::call_expression)) return call_at(expression, 0);
  if (syntax_.is(expression, Kind::identifier)) {
    const Binding* binding = model_.resolve(expression);
    if (binding && binding->kind == BindingKind::Variable && !model_.assignments_of(*binding) && !ts_node_is_null(binding->value))
      return of_expression(binding->value);
  }
  return {};
}

std::string_view IoModel::io_module_of(TSNode value, int depth) const {
  if (depth > kMaxChainDepth) return {};
  value = syntax_.unwrap(value);
  switch (syntax_.kind(value)) {
    case Kind::identifier: {
      const Binding* binding = model_.resolve(value);
      if (!binding) return {};
      if (binding->kind == BindingKind::Import) return is_io_module(binding->module) ? binding->module : std::string_view{};
      if (binding->kind == BindingKind::Parameter)
        return ts_node_is_null(binding->declared_by) ? std::string_view{} : io_module_of_declared_type(binding->declared_by);
      if (binding->kind != BindingKind::Variable) return {};
      // `declare const pool: Pool`, `let db: Knex;`: the declared type says what it holds.
      TSNode declarator = binding->declared_by;
      if (syntax_.is(declarator, Kind::variable_declarator)) {
        const std::string_view declared = io_module_of_type(syntax_.field(declarator, Field::type));
        if (!declared.empty()) return declared;
      }
      if (ts_node_is_null(binding->value) || model_.assignments_of(*binding)) return {};
      // `const self = this` is not an instance of anything imported.
      return io_module_of(binding->value, depth + 1);
    }
    case Kind::member_expression: {
      TSNode object = syntax_.unwrap(syntax_.field(value, Field::object));
      if (syntax_.is(object, Kind::this_)) return io_module_of_this_field(value, depth + 1);
      return io_module_of(object, depth + 1);
    }
    case Kind::call_expression: {
      // An instance made by a factory (`knex(config)`, `client.db('app')`, `axios.create()`); a synchronous
      // variant returns data (`fs.readFileSync`), not an instance.
      TSNode callee = real_callee(syntax_, value);
      const std::string_view name = syntax_.is(callee, Kind::member_expression) ? syntax_.text(syntax_.field(callee, Field::property))
                                                                                 : syntax_.text(callee);
      // A synchronous variant returns data; a server the process itself listens with waits on nobody.
      if (is_sync_variant(name) || name == "createServer") return {};
      if (syntax_.is(callee, Kind::identifier) && syntax_.text(callee) == "require") {
        TSNode args[1];
        if (call_arguments(syntax_, value, args, 1) == 1 && syntax_.is(args[0], Kind::string) && is_io_module(syntax_.string_value(args[0])))
          return syntax_.string_value(args[0]);
        return {};
      }
      return io_module_of(callee, depth + 1);
    }
    case Kind::new_expression: {
      // The browser's own loaders: an Image fetches its source, XMLHttpRequest and WebSocket the network.
      TSNode constructor = syntax_.unwrap(syntax_.field(value, Field::constructor));
      const std::string_view name = syntax_.text(constructor);
      if (syntax_.is(constructor, Kind::identifier) && !model_.resolve(constructor) &&
          (name == "Image" || name == "XMLHttpRequest" || name == "WebSocket" || name == "EventSource"))
        return "the browser's network";
      return io_module_of(constructor, depth + 1);
    }
    default:
      return {};  // an awaited result is data (rows, a file's text), not an instance
  }
}

std::string_view IoModel::io_module_of_declared_type(TSNode parameter) const {
  if (!syntax_.is(parameter, Kind::required_parameter) && !syntax_.is(parameter, Kind::optional_parameter)) return {};
  return io_module_of_type(syntax_.field(parameter, Field::type));
}

std::string_view IoModel::io_module_of_type(TSNode annotation) const {
  TSNode type = syntax_.first_named_child(annotation);
  if (syntax_.is(type, Kind::generic_type)) type = syntax_.field(type, Field::name);
  // `Knex`, `pg.Pool`, `Knex.Transaction`: the leftmost name is the import.
  while (syntax_.is(type, Kind::nested_type_identifier)) type = syntax_.first_named_child(type);
  if (!syntax_.is(type, Kind::type_identifier) && !syntax_.is(type, Kind::identifier)) return {};
  const Binding* binding = model_.resolve(syntax_.text(type), ts_node_start_byte(type));
  return binding && binding->kind == BindingKind::Import && is_io_module(binding->module) ? binding->module : std::string_view{};
}

std::string_view IoModel::io_module_of_this_field(TSNode member, int depth) const {
  TSNode class_node = model_.enclosing_class_for_this(ts_node_start_byte(member));
  if (ts_node_is_null(class_node)) return {};
  const std::string_view name = syntax_.text(syntax_.field(member, Field::property));
  const auto key = std::make_pair(node_key(class_node), name);
  if (auto known = this_field_modules_.find(key); known != this_field_modules_.end()) return known->second;
  this_field_modules_[key] = {};  // a field written from itself is not known
  std::string_view module;
  bool consistent = true;
  // A constructor parameter property (`constructor(private readonly db: Knex) {}`) with an I/O type is the
  // field. Otherwise every write of the field in the class must make an instance of the same I/O module (a
  // `null` or `undefined` reset aside).
  for (const SemanticModel::FieldWrite& write : model_.this_field_writes(class_node, name)) {
    TSNode written{};
    if (write.form == SemanticModel::FieldWrite::Form::ParameterProperty) {
      const std::string_view declared = io_module_of_declared_type(write.node);
      if (!declared.empty()) {
        module = declared;
        break;
      }
      continue;
    }
    written = syntax_.field(write.node, write.form == SemanticModel::FieldWrite::Form::Declaration ? Field::value : Field::right);
    if (ts_node_is_null(written) || is_nullish_literal(syntax_, syntax_.unwrap(written))) continue;
    const std::string_view made = io_module_of(written, depth + 1);
    if (made.empty() || (!module.empty() && made != module)) {
      consistent = false;
      break;
    }
    module = made;
  }
  const std::string_view result = consistent ? module : std::string_view{};
  this_field_modules_[key] = result;
  return result;
}

IoFact IoModel::call_at(TSNode call, int depth) const {
  if (depth > kMaxDepth) return {};
  TSNode callee = real_callee(syntax_, call);
  const Kind kind = syntax_.kind(callee);
  if (SemanticModel::is_function_kind(kind)) return function_at(callee, depth + 1);
  if (kind == Kind::identifier) {
    const std::string_view name = syntax_.text(callee);
    const Binding* binding = model_.resolve(callee);
    if (!binding) return name == "fetch" ? yes("fetch()", "fetch") : IoFact{};
    if (binding->kind == BindingKind::Import) {
      if (is_io_module(binding->module) && !is_sync_variant(binding->imported) && !is_sync_variant(name) && name != "createServer")
        return yes(std::string(name) + "() from '" + std::string(binding->module) + "'", binding->module);
      if (!binding->module.empty() && (binding->module[0] == '.' || binding->module[0] == '/')) {
        IoFact fact;
        fact.imports.push_back({std::string(binding->module), binding->imported == "*" ? "default" : std::string(binding->imported)});
        return fact;
      }
      return {};
    }
    if (binding->kind == BindingKind::Variable && !ts_node_is_null(binding->value)) {
      TSNode value = syntax_.unwrap(binding->value);
      // `const readFile = promisify(fs.readFile)`, `const run = util.promisify(exec)`.
      if (syntax_.is(value, Kind::call_expression)) {
        TSNode maker = real_callee(syntax_, value);
        const std::string_view maker_name =
            syntax_.is(maker, Kind::member_expression) ? syntax_.text(syntax_.field(maker, Field::property)) : syntax_.text(maker);
        TSNode args[1];
        if (maker_name == "promisify" && call_arguments(syntax_, value, args, 1) == 1) {
          const std::string_view module = io_module_of(args[0], depth + 1);
          if (!module.empty()) return yes(std::string(name) + "() (promisified from '" + std::string(module) + "')", module);
        }
      }
    }
  } else if (kind == Kind::member_expression) {
    const std::string_view property = syntax_.text(syntax_.field(callee, Field::property));
    if (is_sync_variant(property) || property == "createServer") return {};
    TSNode object = syntax_.unwrap(syntax_.field(callee, Field::object));
    // A chain does the I/O of its source: `fetch(url).then(r => r.json())`.
    if ((property == "then" || property == "catch" || property == "finally") && syntax_.is(object, Kind::call_expression))
      return call_at(object, depth + 1);
    // A combinator does the I/O of what it combines: `Promise.all([load(a), fetch(b)])`, `Promise.all(xs.map(f))`.
    if (syntax_.is(object, Kind::identifier) && syntax_.text(object) == "Promise" && !model_.resolve(object)) {
      TSNode args[1];
      if (call_arguments(syntax_, call, args, 1) != 1) return {};
      TSNode combined = syntax_.unwrap(args[0]);
      IoFact fact;
      if (syntax_.is(combined, Kind::array)) {
        for (std::uint32_t i = 0, n = ts_node_named_child_count(combined); i < n && !fact.has_latency(); ++i) {
          TSNode element = syntax_.unwrap(ts_node_named_child(combined, i));
          if (!syntax_.is(element, Kind::call_expression)) continue;
          merge(fact, call_at(element, depth + 1));
        }
      } else if (syntax_.is(combined, Kind::call_expression) && member_property(syntax_, syntax_.field(combined, Field::function)) == "map") {
        TSNode map_args[1];
        if (call_arguments(syntax_, combined, map_args, 1) == 1) {
          TSNode callback = model_.local_function_of(map_args[0]);
          if (!ts_node_is_null(callback)) fact = function_at(callback, depth + 1);
        }
      }
      return fact;
    }
    const std::string_view module = io_module_of(callee, depth + 1);
    if (!module.empty()) return yes(short_text(syntax_, callee) + "() from '" + std::string(module) + "'", module);
    if (syntax_.is(object, Kind::identifier)) {
      if (syntax_.text(object) == "fetch") return {};
      if (is_global_object_name(syntax_.text(object)) && property == "fetch" && !model_.resolve(object))
        return yes("fetch()", "fetch");
    }
    // `ns.f()`, or a method of an instance of an imported class: the exporting file answers.
    ImportQuestion imported = model_.import_of(callee);
    if (!imported.empty()) {
      IoFact fact;
      fact.imports.push_back(std::move(imported));
      return fact;
    }
  } else {
    return {};
  }
  TSNode function = model_.local_function_of(callee);
  if (ts_node_is_null(function)) return {};
  return function_at(function, depth + 1);
}

// A function does I/O when a call it makes does: in its own body, or in a function it hands to a call
// at once (a `new Promise` executor, a `.map` or `.then` callback); not in a function it only defines.
IoFact IoModel::function_at(TSNode function, int depth) const {
  if (ts_node_is_null(function) || depth > kMaxDepth) return {};
  const std::uintptr_t key = node_key(function);
  if (auto found = functions_.find(key); found != functions_.end()) return found->second;
  if (in_progress_[key]) return {};
  in_progress_[key] = true;
  IoFact result;
  std::size_t visited = 0;
  // The kind of the node last visited at each tree level: a node's parent is the last one a level up (asking
  // tree-sitter for a parent costs a walk down from the root).
  std::vector<Kind> kind_at_level;
  walk_preorder(syntax_.field(function, Field::body), [&](TSNode node, std::uint32_t level) {
    if (result.has_latency() || ++visited > kMaxBodyNodes) return false;
    const Kind k = syntax_.kind(node);
    if (kind_at_level.size() <= level) kind_at_level.resize(level + 1);
    kind_at_level[level] = k;
    if (k == Kind::class_body) return false;
    if (SemanticModel::is_function_kind(k)) return level > 0 && kind_at_level[level - 1] == Kind::arguments;
    if (k == Kind::call_expression) {
      IoFact call = call_at(node, depth + 1);
      // A function of this file handed to a call that runs it (`rows.map(enrich)`, `.then(save)`).
      TSNode args = syntax_.field(node, Field::arguments);
      for (std::uint32_t i = 0, n = ts_node_is_null(args) ? 0 : ts_node_named_child_count(args); i < n && !call.has_latency(); ++i) {
        TSNode argument = syntax_.unwrap(ts_node_named_child(args, i));
        if (!syntax_.is(argument, Kind::identifier) && !syntax_.is(argument, Kind::member_expression)) continue;
        TSNode callback = model_.local_function_of(argument);
        if (ts_node_is_null(callback)) continue;
        merge(call, function_at(callback, depth + 1));
      }
      if (call.does_io) {
        // The innermost evidence, with its line: "fs.readFile() from 'fs' (line 12)". Local file work does
        // not end the search: a request later in the body is the latency that counts.
        if (call.reason.find("(line ") == std::string::npos)
          call.reason += " (line " + std::to_string(ts_node_start_point(node).row + 1) + ")";
        merge(result, std::move(call));
        return false;
      }
      merge(result, std::move(call));
    }
    return true;
  });
  if (result.has_latency()) result.imports.clear();
  in_progress_[key] = false;
  functions_[key] = result;
  return result;
}

}  // namespace asynclint
