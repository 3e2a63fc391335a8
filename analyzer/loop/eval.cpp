// Statements and expressions of the loop model's JavaScript subset.
#include <cmath>
#include <cstring>

#include "loop/interp.h"
#include "syntax/tree_walk.h"

namespace asynclint::loop {

namespace {
bool is_trivia(Kind k) { return k == Kind::comment; }
}  // namespace

// --- environments ----------------------------------------------------------------------------------

Binding* Interp::lookup(Env* env, const std::string& name) {
  for (Env* e = env; e; e = e->parent) {
    auto it = e->vars.find(name);
    if (it != e->vars.end()) return &it->second;
  }
  return nullptr;
}

void Interp::define(Env* env, const std::string& name, const Value& v, BindKind kind) {
  if (kind == BindKind::Assign) {
    assign_name(env, name, v, TSNode{});
    return;
  }
  if (kind == BindKind::Var) {
    Env* f = env;
    while (f->parent && !f->function_scope) f = f->parent;
    f->vars[name] = Binding{v, false, true};
    return;
  }
  env->vars[name] = Binding{v, kind == BindKind::Const, true};
}

void Interp::assign_name(Env* env, const std::string& name, const Value& v, TSNode where) {
  Binding* b = lookup(env, name);
  if (!b) {
    // sloppy mode: an assignment to an undeclared name creates a global
    global_->vars[name] = Binding{v, false, true};
    return;
  }
  if (!b->initialized) throw_error("ReferenceError", "Cannot access '" + name + "' before initialization");
  if (b->is_const) throw_error("TypeError", "Assignment to constant variable.");
  (void)where;
  b->value = v;
}

namespace {
bool is_function_body_owner(Kind k) {
  return k == Kind::function_declaration || k == Kind::function_expression || k == Kind::arrow_function || k == Kind::method_definition ||
         k == Kind::generator_function || k == Kind::generator_function_declaration;
}
}  // namespace

// Whether `node` is in strict code: a class body, or under a 'use strict' directive at the start of the
// program or of a function's body around it.
bool Interp::is_strict_code(TSNode node) {
  const auto has_directive = [this](TSNode body) {
    for (std::uint32_t i = 0; i < ts_node_named_child_count(body); ++i) {
      TSNode statement = ts_node_named_child(body, i);
      if (syntax_.is(statement, Kind::comment)) continue;
      if (!syntax_.is(statement, Kind::expression_statement)) return false;
      TSNode expression = ts_node_named_child(statement, 0);
      if (!syntax_.is(expression, Kind::string)) return false;
      const std::string_view text = syntax_.text(expression);
      if (text == "'use strict'" || text == "\"use strict\"") return true;
    }
    return false;
  };
  for (TSNode up = ts_node_parent(node); !ts_node_is_null(up); up = ts_node_parent(up)) {
    if (syntax_.is(up, Kind::class_body)) return true;
    if (syntax_.is(up, Kind::program)) return has_directive(up);
    // A function's body: its statement block whose parent is the function itself.
    if (syntax_.is(up, Kind::statement_block) && !ts_node_is_null(ts_node_parent(up)) &&
        is_function_body_owner(syntax_.kind(ts_node_parent(up))) && has_directive(up))
      return true;
  }
  return false;
}

Value Interp::this_value(Env* env) {
  for (Env* e = env; e; e = e->parent)
    if (e->has_this) {
      if (!e->this_bound)
        throw_error("ReferenceError", "Must call super constructor in derived class before accessing 'this' or returning from derived constructor");
      return e->this_value;
    }
  return Value::undef();
}

void Interp::hoist_vars(TSNode node, Env* fenv) {
  // `var` names anywhere in this function body (not in nested functions) start as undefined.
  const auto key = static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(node.id));
  auto found = hoisted_names_.find(key);
  if (found == hoisted_names_.end()) {
    found = hoisted_names_.emplace(key, collect_var_names(node)).first;
  }
  for (const std::string& name : found->second)
    if (!fenv->vars.count(name)) fenv->vars[name] = Binding{Value::undef(), false, true};
}

std::vector<std::string> Interp::collect_var_names(TSNode node) {
  std::vector<std::string> names;
  walk_preorder(node, [&](TSNode n, std::uint32_t depth) {
    Kind k = syntax_.kind(n);
    if (depth > 0 && (k == Kind::function_declaration || k == Kind::function_expression || k == Kind::arrow_function ||
                      k == Kind::method_definition || k == Kind::class_declaration || k == Kind::class_ ||
                      k == Kind::generator_function || k == Kind::generator_function_declaration))
      return false;
    if (k == Kind::variable_declaration || (k == Kind::for_in_statement && syntax_.text(syntax_.field(n, Field::kind)) == "var")) {
      std::vector<TSNode> patterns;
      if (k == Kind::for_in_statement) patterns.push_back(syntax_.field(n, Field::left));
      else
        for (std::uint32_t i = 0; i < ts_node_named_child_count(n); ++i) {
          TSNode d = ts_node_named_child(n, i);
          if (syntax_.is(d, Kind::variable_declarator)) patterns.push_back(syntax_.field(d, Field::name));
        }
      for (TSNode p : patterns)
        walk_preorder(p, [&](TSNode id, std::uint32_t) {
          Kind ik = syntax_.kind(id);
          if (ik == Kind::identifier || ik == Kind::shorthand_property_identifier_pattern) {
            names.push_back(identifier_name(id));
          }
          return ik != Kind::assignment_pattern || true;
        });
    }
    return true;
  });
  return names;
}

// The names a binding pattern declares (not the names its default values read).
std::vector<std::string> Interp::pattern_names(TSNode pattern) {
  std::vector<std::string> names;
  std::vector<TSNode> todo{pattern};
  while (!todo.empty()) {
    TSNode n = todo.back();
    todo.pop_back();
    if (ts_node_is_null(n)) continue;
    switch (syntax_.kind(n)) {
      case Kind::identifier:
      case Kind::shorthand_property_identifier_pattern: names.push_back(identifier_name(n)); break;
      case Kind::assignment_pattern:
      case Kind::object_assignment_pattern: todo.push_back(syntax_.field(n, Field::left)); break;
      case Kind::pair_pattern: todo.push_back(syntax_.field(n, Field::value)); break;
      case Kind::rest_pattern:
      case Kind::array_pattern:
      case Kind::object_pattern:
        for (std::uint32_t i = 0; i < ts_node_named_child_count(n); ++i) todo.push_back(ts_node_named_child(n, i));
        break;
      default: break;
    }
  }
  return names;
}

void Interp::declare_block(TSNode block, Env* env) {
  const std::uint32_t count = ts_node_named_child_count(block);
  for (std::uint32_t i = 0; i < count; ++i) {
    TSNode s = ts_node_named_child(block, i);
    Kind k = syntax_.kind(s);
    if (k == Kind::export_statement) {
      unsupported(s, "ES module syntax (`export`) is not modelled: the model runs CommonJS");
    }
    if (k == Kind::lexical_declaration) {
      for (std::uint32_t j = 0; j < ts_node_named_child_count(s); ++j) {
        TSNode d = ts_node_named_child(s, j);
        if (!syntax_.is(d, Kind::variable_declarator)) continue;
        for (const std::string& name : pattern_names(syntax_.field(d, Field::name)))
          env->vars[name] = Binding{Value::undef(), false, false};
      }
    } else if (k == Kind::class_declaration) {
      env->vars[identifier_name(syntax_.field(s, Field::name))] = Binding{Value::undef(), false, false};
    }
  }
  for (std::uint32_t i = 0; i < count; ++i) {
    TSNode s = ts_node_named_child(block, i);
    if (syntax_.is(s, Kind::function_declaration)) {
      std::string name = identifier_name(syntax_.field(s, Field::name));
      env->vars[name] = Binding{make_function(s, env, name), false, true};
    } else if (syntax_.is(s, Kind::generator_function_declaration)) {
      std::string name = identifier_name(syntax_.field(s, Field::name));
      env->vars[name] = Binding{make_function(s, env, name), false, true};
    }
  }
}

// --- statements ------------------------------------------------------------------------------------

Completion Interp::exec_statements(TSNode parent, Env* env, std::uint32_t first_child) {
  const std::uint32_t count = ts_node_named_child_count(parent);
  for (std::uint32_t i = first_child; i < count; ++i) {
    TSNode s = ts_node_named_child(parent, i);
    if (is_trivia(syntax_.kind(s))) continue;
    Completion c = exec(s, env);
    if (c.type != Completion::Type::Normal) return c;
  }
  return {};
}

Completion Interp::exec_block_body(TSNode block, Env* env) {
  declare_block(block, env);
  return exec_statements(block, env);
}

void Interp::declare(TSNode decl, Env* env) {
  const Kind k = syntax_.kind(decl);
  BindKind kind = BindKind::Var;
  if (k == Kind::lexical_declaration) {
    std::string_view word = syntax_.text(syntax_.field(decl, Field::kind));
    if (word.empty()) word = syntax_.text(ts_node_child(decl, 0));
    kind = word == "const" ? BindKind::Const : BindKind::Let;
  }
  const std::uint32_t count = ts_node_named_child_count(decl);
  for (std::uint32_t i = 0; i < count; ++i) {
    TSNode d = ts_node_named_child(decl, i);
    if (!syntax_.is(d, Kind::variable_declarator)) continue;
    TSNode name = syntax_.field(d, Field::name);
    TSNode value = syntax_.field(d, Field::value);
    if (ts_node_is_null(value)) {
      if (kind == BindKind::Var) continue;  // `var x;` keeps its hoisted value
      bind_pattern(name, Value::undef(), env, kind);
      continue;
    }
    std::string fname = syntax_.is(name, Kind::identifier) ? identifier_name(name) : "";
    Value v;
    TSNode uv = syntax_.unwrap(value);
    Kind vk = syntax_.kind(uv);
    if (!fname.empty() && (vk == Kind::arrow_function || vk == Kind::function_expression) &&
        ts_node_is_null(syntax_.field(uv, Field::name)))
      v = make_function(uv, env, fname);
    else
      v = eval(value, env);
    bind_pattern(name, v, env, kind);
  }
}

// What a loop does with its body's completion: go on, leave the loop, or pass the completion outwards.
enum class LoopNext { Continue, Exit, Propagate };
static LoopNext loop_control(const Completion& c, const std::vector<std::string>& labels) {
  auto own = [&] { return c.label.empty() || std::find(labels.begin(), labels.end(), c.label) != labels.end(); };
  switch (c.type) {
    case Completion::Type::Normal: return LoopNext::Continue;
    case Completion::Type::Continue: return own() ? LoopNext::Continue : LoopNext::Propagate;
    case Completion::Type::Break: return own() ? LoopNext::Exit : LoopNext::Propagate;
    case Completion::Type::Return: return LoopNext::Propagate;
  }
  return LoopNext::Propagate;
}

Completion Interp::exec_while(TSNode node, Env* env, const std::vector<std::string>& labels, bool test_first) {
  for (bool first = true;; first = false) {
    step();
    if ((test_first || !first) && !truthy(eval(syntax_.field(node, Field::condition), env))) return {};
    Completion c = exec(syntax_.field(node, Field::body), env);
    const LoopNext next = loop_control(c, labels);
    if (next == LoopNext::Exit) return {};
    if (next == LoopNext::Propagate) return c;
  }
}

Completion Interp::exec(TSNode node, Env* env) {
  step();
  current_line = line_of(node);
  std::vector<std::string> labels;
  labels.swap(pending_labels_);
  switch (syntax_.kind(node)) {
    case Kind::expression_statement: {
      TSNode e = syntax_.first_named_child(node);
      if (!ts_node_is_null(e)) eval(e, env);
      return {};
    }
    case Kind::empty_statement:
    case Kind::comment:
    case Kind::function_declaration:
    case Kind::interface_declaration:
    case Kind::type_alias_declaration:
    case Kind::ambient_declaration:
      return {};
    case Kind::lexical_declaration:
    case Kind::variable_declaration:
      declare(node, env);
      return {};
    case Kind::statement_block: {
      Env* block = new_env(env);
      return exec_block_body(node, block);
    }
    case Kind::if_statement: {
      if (truthy(eval(syntax_.field(node, Field::condition), env))) return exec(syntax_.field(node, Field::consequence), env);
      TSNode alt = syntax_.field(node, Field::alternative);
      if (ts_node_is_null(alt)) return {};
      if (syntax_.is(alt, Kind::else_clause)) alt = syntax_.first_named_child(alt);
      return exec(alt, env);
    }
    case Kind::for_statement: return exec_for(node, env, labels);
    case Kind::for_in_statement: return exec_for_in(node, env, labels);
    case Kind::while_statement: return exec_while(node, env, labels, true);
    case Kind::do_statement: return exec_while(node, env, labels, false);
    case Kind::return_statement: {
      Completion c;
      c.type = Completion::Type::Return;
      TSNode e = syntax_.first_named_child(node);
      if (!ts_node_is_null(e)) c.value = eval(e, env);
      return c;
    }
    case Kind::throw_statement: throw JSThrow{eval(syntax_.first_named_child(node), env)};
    case Kind::break_statement:
    case Kind::continue_statement: {
      Completion c;
      c.type = syntax_.is(node, Kind::break_statement) ? Completion::Type::Break : Completion::Type::Continue;
      for (std::uint32_t i = 0; i < ts_node_named_child_count(node); ++i)
        if (syntax_.is(ts_node_named_child(node, i), Kind::statement_identifier)) c.label = identifier_name(ts_node_named_child(node, i));
      return c;
    }
    case Kind::labeled_statement: {
      TSNode label = syntax_.first_named_child(node);
      std::string name = identifier_name(label);
      TSNode body = syntax_.field(node, Field::body);
      labels.push_back(name);
      pending_labels_ = labels;
      Completion c = exec(body, env);
      pending_labels_.clear();
      if (c.type == Completion::Type::Break && c.label == name) return {};
      return c;
    }
    case Kind::try_statement: return exec_try(node, env);
    case Kind::switch_statement: return exec_switch(node, env);
    case Kind::class_declaration: {
      const std::string name = identifier_name(syntax_.field(node, Field::name));
      Value cls = make_class(node, env, name);
      Binding* b = lookup(env, name);
      if (b) {
        b->value = cls;
        b->initialized = true;
      } else {
        define(env, name, cls, BindKind::Let);
      }
      return {};
    }
    case Kind::generator_function_declaration: return {};
    case Kind::import_statement: unsupported(node, "`import` is not modelled");
    case Kind::export_statement: unsupported(node, "`export` is not modelled");
    default:
      unsupported(node, "the statement `" + std::string(kind_name(syntax_.kind(node))) + "` is not modelled");
  }
}

Completion Interp::exec_for(TSNode node, Env* env, const std::vector<std::string>& labels) {
  Env* loop_env = new_env(env);
  TSNode init = syntax_.field(node, Field::initializer);
  std::vector<std::string> per_iteration;
  if (!ts_node_is_null(init)) {
    Kind k = syntax_.kind(init);
    if (k == Kind::lexical_declaration) {
      declare_block(node, loop_env);  // no-op for the statement itself; declare the names below
      declare(init, loop_env);
      for (auto& kv : loop_env->vars) per_iteration.push_back(kv.first);
    } else if (k == Kind::variable_declaration) {
      declare(init, loop_env);
    } else if (k != Kind::empty_statement) {
      eval(init, loop_env);
    }
  }
  auto copy_env = [&](Env* from) {
    if (per_iteration.empty()) return from;
    Env* e = new_env(env);
    e->vars = from->vars;
    return e;
  };
  Env* iter = copy_env(loop_env);
  TSNode cond = syntax_.field(node, Field::condition);
  if (syntax_.is(cond, Kind::expression_statement)) cond = syntax_.first_named_child(cond);
  if (syntax_.is(cond, Kind::empty_statement)) cond = TSNode{};
  TSNode inc = syntax_.field(node, Field::increment);
  for (;;) {
    step();
    if (!ts_node_is_null(cond) && !syntax_.is(cond, Kind::unknown) && !truthy(eval(cond, iter))) return {};
    Completion c = exec(syntax_.field(node, Field::body), iter);
    const LoopNext next = loop_control(c, labels);
    if (next == LoopNext::Exit) return {};
    if (next == LoopNext::Propagate) return c;
    iter = copy_env(iter);
    if (!ts_node_is_null(inc)) eval(inc, iter);
  }
}

Completion Interp::exec_for_in(TSNode node, Env* env, const std::vector<std::string>& labels) {
  std::string_view head = syntax_.text(node);
  const bool is_await = head.substr(0, 9) == "for await";
  TSNode left = syntax_.field(node, Field::left);
  TSNode kind_node = syntax_.field(node, Field::kind);
  std::string_view kind_word = syntax_.text(kind_node);
  BindKind kind = kind_word == "const" ? BindKind::Const : kind_word == "let" ? BindKind::Let
                  : kind_word == "var" ? BindKind::Var : BindKind::Assign;
  std::string_view op = syntax_.text(syntax_.field(node, Field::operator_));
  Value right = eval(syntax_.field(node, Field::right), env);
  if (is_await) {
    Completion c = exec_for_await(node, env, left, static_cast<int>(kind), right, labels);
    const LoopNext next = loop_control(c, labels);
    return next == LoopNext::Propagate ? c : Completion{};
  }
  Completion result;
  auto run_body = [&](const Value& item) {
    step();
    Env* iter = new_env(env);
    bind_pattern(left, item, iter, kind);
    Completion c = exec(syntax_.field(node, Field::body), iter);
    const LoopNext next = loop_control(c, labels);
    if (next == LoopNext::Continue) return true;
    if (next == LoopNext::Propagate) result = c;
    return false;
  };
  if (op == "in") {
    std::vector<Value> items;
    if (right.is_obj())
      for (Obj* o = right.o; o; o = o->proto)
        for (auto& k : own_keys(o, true)) items.push_back(Value::str(k));
    for (const Value& item : items)
      if (!run_body(item)) break;
    return result;
  }
  iterate(right, node, run_body);
  return result;
}

Completion Interp::exec_try(TSNode node, Env* env) {
  TSNode body = syntax_.field(node, Field::body);
  TSNode handler = syntax_.field(node, Field::handler);
  TSNode finalizer = syntax_.field(node, Field::finalizer);
  Completion result;
  bool pending_throw = false;
  Value thrown;
  try {
    result = exec(body, env);
  } catch (GeneratorReturn& r) {
    // generator.return() at a yield inside this try: only the finally block runs
    if (ts_node_is_null(finalizer)) throw;
    Completion f = exec(syntax_.field(finalizer, Field::body), env);
    if (f.type != Completion::Type::Normal) return f;
    throw;
  } catch (JSThrow& t) {
    if (ts_node_is_null(handler)) {
      pending_throw = true;
      thrown = t.value;
    } else {
      Env* catch_env = new_env(env);
      TSNode param = syntax_.field(handler, Field::parameter);
      if (!ts_node_is_null(param)) bind_pattern(param, t.value, catch_env, BindKind::Let);
      if (ts_node_is_null(finalizer)) return exec(syntax_.field(handler, Field::body), catch_env);
      try {
        result = exec(syntax_.field(handler, Field::body), catch_env);
      } catch (JSThrow& t2) {
        pending_throw = true;
        thrown = t2.value;
      } catch (GeneratorReturn&) {
        Completion f = exec(syntax_.field(finalizer, Field::body), env);
        if (f.type != Completion::Type::Normal) return f;
        throw;
      }
    }
  }
  if (!ts_node_is_null(finalizer)) {
    Completion f = exec(syntax_.field(finalizer, Field::body), env);
    if (f.type != Completion::Type::Normal) return f;
  }
  if (pending_throw) throw JSThrow{thrown};
  return result;
}

Completion Interp::exec_switch(TSNode node, Env* env) {
  Value v = eval(syntax_.field(node, Field::value), env);
  TSNode body = syntax_.field(node, Field::body);
  Env* block = new_env(env);
  std::vector<TSNode> cases;
  for (std::uint32_t i = 0; i < ts_node_named_child_count(body); ++i) {
    TSNode c = ts_node_named_child(body, i);
    if (syntax_.is(c, Kind::switch_case) || syntax_.is(c, Kind::switch_default)) cases.push_back(c);
  }
  // lexical declarations in the cases share the switch block
  for (TSNode c : cases) declare_block(c, block);
  int start = -1;
  for (std::size_t i = 0; i < cases.size() && start < 0; ++i) {
    if (syntax_.is(cases[i], Kind::switch_default)) continue;
    Value cv = eval(syntax_.field(cases[i], Field::value), block);
    Value eq = binary_op("===", v, cv, cases[i]);
    if (eq.b) start = static_cast<int>(i);
  }
  if (start < 0)
    for (std::size_t i = 0; i < cases.size(); ++i)
      if (syntax_.is(cases[i], Kind::switch_default)) start = static_cast<int>(i);
  if (start < 0) return {};
  for (std::size_t i = static_cast<std::size_t>(start); i < cases.size(); ++i) {
    TSNode c = cases[i];
    std::uint32_t first = syntax_.is(c, Kind::switch_case) ? 1 : 0;
    // the value of a case is its first named child; skip it
    if (first == 1) {
      TSNode value = syntax_.field(c, Field::value);
      first = 0;
      for (std::uint32_t j = 0; j < ts_node_named_child_count(c); ++j)
        if (same_node(ts_node_named_child(c, j), value)) first = j + 1;
    }
    Completion r = exec_statements(c, block, first);
    if (r.type == Completion::Type::Break && r.label.empty()) return {};
    if (r.type != Completion::Type::Normal) return r;
  }
  return {};
}

// --- patterns --------------------------------------------------------------------------------------

void Interp::bind_pattern(TSNode pattern, const Value& v, Env* env, BindKind kind) {
  pattern = syntax_.unwrap(pattern);
  switch (syntax_.kind(pattern)) {
    case Kind::identifier:
    case Kind::shorthand_property_identifier_pattern:
    case Kind::undefined_:
      define(env, identifier_name(pattern), v, kind);
      return;
    case Kind::assignment_pattern: {
      Value x = v;
      if (x.is_undef()) x = eval(syntax_.field(pattern, Field::right), env);
      bind_pattern(syntax_.field(pattern, Field::left), x, env, kind);
      return;
    }
    case Kind::member_expression:
    case Kind::subscript_expression: {
      if (kind != BindKind::Assign) break;
      Value obj = eval(syntax_.field(pattern, Field::object), env);
      std::string key = syntax_.is(pattern, Kind::member_expression)
                            ? identifier_name(syntax_.field(pattern, Field::property))
                            : to_string(eval(syntax_.field(pattern, Field::index), env));
      put(obj, key, v);
      return;
    }
    case Kind::array_pattern: {
      if (!(v.is_obj() && v.o->kind == ObjKind::Array)) unsupported(pattern, "array destructuring of anything but an array is not modelled");
      std::vector<Value> elems = v.o->elems;
      std::size_t index = 0;
      const std::uint32_t count = ts_node_child_count(pattern);
      bool after_comma_or_open = true;
      for (std::uint32_t i = 0; i < count; ++i) {
        TSNode c = ts_node_child(pattern, i);
        std::string_view t = syntax_.text(c);
        if (!ts_node_is_named(c)) {
          if (t == ",") {
            if (after_comma_or_open) ++index;  // a hole: `[, b]`
            after_comma_or_open = true;
          }
          continue;
        }
        if (syntax_.is(c, Kind::comment)) continue;
        after_comma_or_open = false;
        if (syntax_.is(c, Kind::rest_pattern)) {
          std::vector<Value> rest;
          for (std::size_t j = index; j < elems.size(); ++j) rest.push_back(elems[j]);
          bind_pattern(syntax_.first_named_child(c), Value::obj(new_array(rest)), env, kind);
          index = elems.size();
          continue;
        }
        bind_pattern(c, index < elems.size() ? elems[index] : Value::undef(), env, kind);
        ++index;
        // the comma after an element is not a hole
        if (i + 1 < count && syntax_.text(ts_node_child(pattern, i + 1)) == ",") {
          ++i;
          after_comma_or_open = true;
        }
      }
      return;
    }
    case Kind::object_pattern: {
      if (v.is_nullish()) throw_error("TypeError", "Cannot destructure '" + to_string(v) + "' as it is " + to_string(v) + ".");
      std::vector<std::string> used;
      const std::uint32_t count = ts_node_named_child_count(pattern);
      for (std::uint32_t i = 0; i < count; ++i) {
        TSNode c = ts_node_named_child(pattern, i);
        Kind k = syntax_.kind(c);
        if (k == Kind::comment) continue;
        if (k == Kind::shorthand_property_identifier_pattern) {
          std::string name = identifier_name(c);
          used.push_back(name);
          define(env, name, get(v, name), kind);
        } else if (k == Kind::object_assignment_pattern) {
          TSNode left = syntax_.field(c, Field::left);
          std::string name = identifier_name(left);
          used.push_back(name);
          Value x = get(v, name);
          if (x.is_undef()) x = eval(syntax_.field(c, Field::right), env);
          bind_pattern(left, x, env, kind);
        } else if (k == Kind::pair_pattern) {
          std::string key = property_key(syntax_.field(c, Field::key), env);
          used.push_back(key);
          bind_pattern(syntax_.field(c, Field::value), get(v, key), env, kind);
        } else if (k == Kind::rest_pattern) {
          Obj* rest = new_plain();
          if (v.is_obj())
            for (auto& key : own_keys(v.o, true))
              if (std::find(used.begin(), used.end(), key) == used.end()) rest->props.push_back({key, get(v, key), true});
          bind_pattern(syntax_.first_named_child(c), Value::obj(rest), env, kind);
        } else {
          unsupported(c, "this destructuring pattern is not modelled");
        }
      }
      return;
    }
    default:
      break;
  }
  unsupported(pattern, "the pattern `" + std::string(kind_name(syntax_.kind(pattern))) + "` is not modelled");
}

// --- expressions -----------------------------------------------------------------------------------

std::string Interp::string_literal(TSNode node) {
  std::string out;
  const std::uint32_t count = ts_node_named_child_count(node);
  for (std::uint32_t i = 0; i < count; ++i) {
    TSNode c = ts_node_named_child(node, i);
    Kind k = syntax_.kind(c);
    std::string_view t = syntax_.text(c);
    if (k == Kind::string_fragment) {
      out += t;
    } else if (k == Kind::escape_sequence) {
      char e = t.size() > 1 ? t[1] : '\\';
      switch (e) {
        case 'n': out += '\n'; break;
        case 't': out += '\t'; break;
        case 'r': out += '\r'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'v': out += '\v'; break;
        case '0': out += '\0'; break;
        case '\n': break;
        case 'x': out += static_cast<char>(std::strtol(std::string(t.substr(2)).c_str(), nullptr, 16)); break;
        case 'u': {
          std::string hex(t.substr(2));
          if (!hex.empty() && hex[0] == '{') hex = hex.substr(1, hex.size() - 2);
          unsigned long cp = std::strtoul(hex.c_str(), nullptr, 16);
          if (cp < 0x80) out += static_cast<char>(cp);
          else if (cp < 0x800) { out += static_cast<char>(0xC0 | (cp >> 6)); out += static_cast<char>(0x80 | (cp & 0x3F)); }
          else if (cp >= 0xD800 && cp <= 0xDFFF) unsupported(c, "surrogate escapes are not modelled");
          else if (cp < 0x10000) { out += static_cast<char>(0xE0 | (cp >> 12)); out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F)); out += static_cast<char>(0x80 | (cp & 0x3F)); }
          else { out += static_cast<char>(0xF0 | (cp >> 18)); out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F)); out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F)); out += static_cast<char>(0x80 | (cp & 0x3F)); }
          break;
        }
        default: out += t.substr(1); break;
      }
    } else if (k == Kind::comment) {
    } else {
      unsupported(c, "this string literal is not modelled");
    }
  }
  return out;
}

std::string Interp::property_key(TSNode key, Env* env) {
  switch (syntax_.kind(key)) {
    case Kind::property_identifier:
    case Kind::identifier:
    case Kind::shorthand_property_identifier:
      return identifier_name(key);
    case Kind::string: return string_literal(key);
    case Kind::number: return to_string(eval(key, env));
    case Kind::computed_property_name: return to_string(eval(syntax_.first_named_child(key), env));
    case Kind::private_property_identifier: unsupported(key, "private names are not modelled");
    default: unsupported(key, "this property key is not modelled");
  }
}

Value Interp::make_function(TSNode node, Env* env, const std::string& name) {
  Obj* f = new_obj(ObjKind::Function, function_proto_);
  f->node = node;
  f->closure = env;
  f->arrow = syntax_.is(node, Kind::arrow_function);
  f->async = syntax_.has_token(node, Kind::kw_async);
  f->generator = syntax_.has_token(node, Kind::star);
  TSNode own = syntax_.field(node, Field::name);
  f->name = !ts_node_is_null(own) && !syntax_.is(node, Kind::method_definition) ? identifier_name(own) : name;
  TSNode params = syntax_.field(node, Field::parameters);
  if (ts_node_is_null(params)) f->param_count = 1;
  else
    for (std::uint32_t i = 0; i < ts_node_named_child_count(params); ++i) {
      Kind k = syntax_.kind(ts_node_named_child(params, i));
      if (k == Kind::assignment_pattern || k == Kind::rest_pattern) break;
      if (k != Kind::comment) ++f->param_count;
    }
  return Value::obj(f);
}

Value Interp::lookup_value(TSNode ident, Env* env) {
  std::string name = identifier_name(ident);
  if (name == "arguments") {
    // the nearest non-arrow function's own arguments (arrow functions see their parent's), made on first use
    for (Env* e = env; e; e = e->parent) {
      auto found = e->vars.find(name);
      if (found != e->vars.end()) return found->second.value;
      if (e->home_function && e->function_scope) {
        Obj* a = new_obj(ObjKind::Array, object_proto_);
        a->elems = e->call_args;
        a->arguments_object = true;
        e->vars["arguments"] = Binding{Value::obj(a), false, true};
        return Value::obj(a);
      }
    }
  }
  Binding* b = lookup(env, name);
  if (b) {
    if (!b->initialized) throw_error("ReferenceError", "Cannot access '" + name + "' before initialization");
    return b->value;
  }
  if (name == "undefined") return Value::undef();
  if (name == "NaN") return Value::num(NAN);
  if (name == "Infinity") return Value::num(INFINITY);
  return host_object(name);  // throws for names the model does not know
}

void Interp::eval_args(TSNode args_node, Env* env, Args& out) {
  if (syntax_.is(args_node, Kind::template_string)) unsupported(args_node, "tagged templates are not modelled");
  const std::uint32_t count = ts_node_named_child_count(args_node);
  for (std::uint32_t i = 0; i < count; ++i) {
    TSNode a = ts_node_named_child(args_node, i);
    if (syntax_.is(a, Kind::comment)) continue;
    if (syntax_.is(a, Kind::spread_element)) {
      Value v = eval(syntax_.first_named_child(a), env);
      iterate(v, a, [&](const Value& x) {
        out.push_back(x);
        return true;
      });
      continue;
    }
    out.push_back(eval(a, env));
  }
}

static bool chain_top(const Syntax& syntax, TSNode node) {
  TSNode parent = ts_node_parent(node);
  Kind pk = syntax.kind(parent);
  if (pk == Kind::member_expression || pk == Kind::subscript_expression)
    return !same_node(syntax.field(parent, Field::object), node);
  if (pk == Kind::call_expression) return !same_node(syntax.field(parent, Field::function), node);
  return true;
}

static bool has_optional_chain(const Syntax& syntax, TSNode node) {
  for (std::uint32_t i = 0; i < ts_node_child_count(node); ++i)
    if (syntax.is(ts_node_child(node, i), Kind::optional_chain)) return true;
  return false;
}

Value Interp::eval_member(TSNode node, Env* env, Value* self_out) {
  TSNode obj_node = syntax_.field(node, Field::object);
  if (syntax_.is(obj_node, Kind::super_)) {
    if (!syntax_.is(node, Kind::member_expression)) unsupported(node, "computed `super[…]` is not modelled");
    if (self_out) *self_out = this_value(env);
    current_line = line_of(node);
    return super_property(node, env, identifier_name(syntax_.field(node, Field::property)));
  }
  Value obj = eval(obj_node, env);
  if (has_optional_chain(syntax_, node) && obj.is_nullish()) throw ShortCircuit{};
  std::string key;
  if (syntax_.is(node, Kind::member_expression)) {
    TSNode prop = syntax_.field(node, Field::property);
    if (syntax_.is(prop, Kind::private_property_identifier)) unsupported(prop, "private names are not modelled");
    key = identifier_name(prop);
  } else {
    Value k = eval(syntax_.field(node, Field::index), env);
    if (k.is_num() && k.n >= 0 && k.n == std::floor(k.n) && k.n < 1e15) key = number_to_string(k.n);
    else key = to_string(k);
  }
  if (self_out) *self_out = obj;
  current_line = line_of(node);
  return get(obj, key);
}

// tree-sitter reads `await (f)(x)` as a call of a function named `await` — `await(f)`, then `(x)` — and `await
// f<T>(x)` as a call of `await f`. Inside an async function JavaScript awaits the whole chain the parentheses
// start: `await (f)(x).then(g)` is `await ((f)(x).then(g))`, `await (f)(x)(y)` is `await (f(x)(y))`. The base of
// such a chain is that `await(…)` call (or the `await f` of the TypeScript form); its top, the outermost call or
// member access built on it, is where the await happens.
TSNode Interp::misparsed_await_base(TSNode node) const {
  TSNode cur = node;
  for (;;) {
    const Kind k = syntax_.kind(cur);
    if (k == Kind::call_expression) {
      TSNode fn = syntax_.unwrap(syntax_.field(cur, Field::function));
      const Kind fk = syntax_.kind(fn);
      if (fk == Kind::identifier && syntax_.text(fn) == "await") return cur;
      if (fk == Kind::await_expression && same_node(fn, syntax_.field(cur, Field::function))) return fn;
      if (fk != Kind::call_expression && fk != Kind::member_expression && fk != Kind::subscript_expression) return TSNode{};
      cur = fn;
    } else if (k == Kind::member_expression || k == Kind::subscript_expression) {
      TSNode obj = syntax_.field(cur, Field::object);
      const Kind ok = syntax_.kind(obj);
      if (ok != Kind::call_expression && ok != Kind::member_expression && ok != Kind::subscript_expression) return TSNode{};
      cur = obj;
    } else {
      return TSNode{};
    }
  }
}

bool Interp::active_await_base(TSNode base) const {
  return await_bases_.count({ts_node_start_byte(base), current_activation_}) > 0;
}

// Evaluates a call or member chain; the top of a misparsed `await (…)` chain awaits the chain's value.
Value Interp::eval_chain(TSNode node, Env* env) {
  if (env->async_body && current_activation_) {
    TSNode base = misparsed_await_base(node);
    if (!ts_node_is_null(base) && !active_await_base(base)) {
      const std::pair<std::uint32_t, Activation*> key{ts_node_start_byte(base), current_activation_};
      await_bases_.insert(key);
      Value v;
      try {
        v = syntax_.is(node, Kind::call_expression) ? eval_call(node, env) : eval_member(node, env, nullptr);
      } catch (...) {
        await_bases_.erase(key);
        throw;
      }
      await_bases_.erase(key);
      return await_value(v, line_of(node));
    }
  }
  return syntax_.is(node, Kind::call_expression) ? eval_call(node, env) : eval_member(node, env, nullptr);
}

Value Interp::eval_call(TSNode node, Env* env) {
  TSNode fn_node = syntax_.field(node, Field::function);
  TSNode callee = syntax_.unwrap(fn_node);
  bool drops_this = false;
  if (env->async_body && current_activation_) {
    const Kind fk = syntax_.kind(callee);
    if (fk == Kind::identifier && syntax_.text(callee) == "await" && active_await_base(node)) {
      // the base `await(a, b)` itself: the parenthesized expression's value
      Value v;
      for_each_named_child(syntax_.field(node, Field::arguments), [&](TSNode child) {
        if (syntax_.kind(child) != Kind::comment) v = eval(child, env);
        return true;
      });
      return v;
    }
    if (fk == Kind::call_expression && active_await_base(callee)) {
      if (TSNode real = syntax_.misparsed_await_callee(node); !ts_node_is_null(real)) {
        // `await (0, obj.f)(x)`: a comma expression hands over the function alone, without its `this`.
        std::uint32_t expressions = 0;
        for_each_named_child(syntax_.field(callee, Field::arguments), [&](TSNode child) {
          if (syntax_.kind(child) != Kind::comment) ++expressions;
          return true;
        });
        drops_this = expressions > 1;
        fn_node = callee = real;
      }
    } else if (fk == Kind::await_expression && active_await_base(callee)) {
      fn_node = callee = syntax_.unwrap(syntax_.first_named_child(callee));
    }
  }
  Value self, fn;
  Kind ck = syntax_.kind(callee);
  if (ck == Kind::import) unsupported(node, "dynamic `import()` is not modelled");
  if (ck == Kind::super_) return eval_super_call(node, env);
  if (ck == Kind::member_expression || ck == Kind::subscript_expression) fn = eval_member(callee, env, &self);
  else fn = eval(fn_node, env);
  if (drops_this) self = Value::undef();
  if (has_optional_chain(syntax_, node) && fn.is_nullish()) throw ShortCircuit{};
  Args args;
  eval_args(syntax_.field(node, Field::arguments), env, args);
  current_line = line_of(node);
  if (!callable(fn)) {
    std::string text(syntax_.text(fn_node));
    throw_error("TypeError", text + " is not a function");
  }
  return call(fn, self, args);
}

Value Interp::eval_new(TSNode node, Env* env) {
  TSNode ctor_node = syntax_.field(node, Field::constructor);
  Value ctor = eval(ctor_node, env);
  Args args;
  TSNode args_node = syntax_.field(node, Field::arguments);
  if (!ts_node_is_null(args_node)) eval_args(args_node, env, args);
  current_line = line_of(node);
  return construct(ctor, args, ctor_node);
}

Value Interp::eval_object(TSNode node, Env* env) {
  Obj* o = new_plain();
  Value ov = Value::obj(o);
  const std::uint32_t count = ts_node_named_child_count(node);
  for (std::uint32_t i = 0; i < count; ++i) {
    TSNode c = ts_node_named_child(node, i);
    switch (syntax_.kind(c)) {
      case Kind::comment: break;
      case Kind::pair: {
        std::string key = property_key(syntax_.field(c, Field::key), env);
        TSNode vn = syntax_.unwrap(syntax_.field(c, Field::value));
        Kind vk = syntax_.kind(vn);
        Value v = (vk == Kind::arrow_function || vk == Kind::function_expression) && ts_node_is_null(syntax_.field(vn, Field::name))
                      ? make_function(vn, env, key)
                      : eval(vn, env);
        define_data(o, key, v);
        break;
      }
      case Kind::shorthand_property_identifier: define_data(o, identifier_name(c), lookup_value(c, env)); break;
      case Kind::spread_element: {
        Value v = eval(syntax_.first_named_child(c), env);
        if (v.is_obj())
          for (auto& k : own_keys(v.o, true)) define_data(o, k, get(v, k));
        else if (v.is_str())
          unsupported(c, "spreading a string into an object is not modelled");
        break;
      }
      case Kind::method_definition: {
        int accessor = 0;  // 1 get, 2 set
        for (std::uint32_t j = 0; j < ts_node_child_count(c); ++j) {
          Kind tk = syntax_.kind(ts_node_child(c, j));
          if (tk == Kind::kw_get) accessor = 1;
          if (tk == Kind::kw_set) accessor = 2;
        }
        std::string key = property_key(syntax_.field(c, Field::name), env);
        if (accessor) {
          define_accessor(o, key, make_function(c, env, key), accessor == 2, true);
          break;
        }
        define_data(o, key, make_function(c, env, key));
        break;
      }
      default: unsupported(c, "this object literal member is not modelled");
    }
  }
  return ov;
}

Value Interp::eval_array(TSNode node, Env* env) {
  std::vector<Value> elems;
  bool expect_element = true;
  for (std::uint32_t i = 0; i < ts_node_child_count(node); ++i) {
    TSNode c = ts_node_child(node, i);
    if (!ts_node_is_named(c)) {
      if (syntax_.text(c) == "," && expect_element) unsupported(node, "arrays with holes are not modelled");
      if (syntax_.text(c) == ",") expect_element = true;
      continue;
    }
    if (syntax_.is(c, Kind::comment)) continue;
    expect_element = false;
    if (syntax_.is(c, Kind::spread_element)) {
      Args tmp;
      Value v = eval(syntax_.first_named_child(c), env);
      iterate(v, c, [&](const Value& x) {
        elems.push_back(x);
        return true;
      });
      continue;
    }
    elems.push_back(eval(c, env));
  }
  return Value::obj(new_array(std::move(elems)));
}

Value Interp::eval_template(TSNode node, Env* env) {
  std::string out;
  for (std::uint32_t i = 0; i < ts_node_named_child_count(node); ++i) {
    TSNode c = ts_node_named_child(node, i);
    Kind k = syntax_.kind(c);
    if (k == Kind::string_fragment) {
      out += syntax_.text(c);
    } else if (k == Kind::escape_sequence) {
      // reuse the string-literal escape logic on a one-child view
      std::string_view t = syntax_.text(c);
      char e = t.size() > 1 ? t[1] : '\\';
      switch (e) {
        case 'n': out += '\n'; break;
        case 't': out += '\t'; break;
        case 'r': out += '\r'; break;
        case '0': out += '\0'; break;
        case 'u': case 'x': unsupported(c, "unicode escapes in templates are not modelled");
        default: out += t.substr(1); break;
      }
    } else if (k == Kind::template_substitution) {
      Value v = eval(syntax_.first_named_child(c), env);
      out += to_string(v);
    }
  }
  // the grammar leaves raw text between children unnamed in some versions: rebuild from the source when no fragments
  return Value::str(out);
}

Value Interp::eval(TSNode node, Env* env) {
  char probe;
  if (stack_low_ && &probe - stack_low_ < static_cast<std::ptrdiff_t>(kStackMarginEval))
    throw Stop{"stopped: the program nests expressions too deeply for the model", Stop::Why::Limit};
  const Kind k = syntax_.kind(node);
  switch (k) {
    case Kind::parenthesized_expression:
    case Kind::as_expression:
    case Kind::non_null_expression:
    case Kind::satisfies_expression:
    case Kind::type_assertion:
      return eval(syntax_.unwrap(node), env);
    case Kind::number: {
      std::string t;
      for (char c : syntax_.text(node))
        if (c != '_') t += c;
      if (!t.empty() && t.back() == 'n') unsupported(node, "BigInt is not modelled");
      if (t.size() > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X')) return Value::num(static_cast<double>(std::strtoull(t.c_str() + 2, nullptr, 16)));
      if (t.size() > 2 && t[0] == '0' && (t[1] == 'o' || t[1] == 'O')) return Value::num(static_cast<double>(std::strtoull(t.c_str() + 2, nullptr, 8)));
      if (t.size() > 2 && t[0] == '0' && (t[1] == 'b' || t[1] == 'B')) return Value::num(static_cast<double>(std::strtoull(t.c_str() + 2, nullptr, 2)));
      if (t.size() > 1 && t[0] == '0' && std::isdigit(static_cast<unsigned char>(t[1]))) unsupported(node, "legacy octal literals are not modelled");
      return Value::num(std::strtod(t.c_str(), nullptr));
    }
    case Kind::string: return Value::str(string_literal(node));
    case Kind::template_string: return eval_template(node, env);
    case Kind::true_: return Value::boolean(true);
    case Kind::false_: return Value::boolean(false);
    case Kind::null_: return Value::null();
    case Kind::undefined_: return Value::undef();
    case Kind::identifier: return lookup_value(node, env);
    case Kind::this_: {
      Value v = this_value(env);
      // Undefined is right only in strict code. In sloppy code `this` is `module.exports` at the top of a
      // CommonJS module and `globalThis` in a function called without a receiver: the model stands them
      // for opaque objects, which compare and pass along correctly and are refused when looked into.
      if (v.is_undef() && !is_strict_code(node)) {
        const bool top_level = [&] {
          for (Env* e = env; e; e = e->parent)
            if (e->has_this) return false;
          return true;
        }();
        Obj*& stand_in = top_level ? module_exports_this_ : global_this_;
        if (!stand_in) stand_in = new_opaque(top_level ? "module.exports (`this` at the top of a module)" : "globalThis (`this` in a sloppy function called without a receiver)");
        return Value::obj(stand_in);
      }
      return v;
    }
    case Kind::sequence_expression: {
      Value v;
      for (std::uint32_t i = 0; i < ts_node_named_child_count(node); ++i) {
        TSNode c = ts_node_named_child(node, i);
        if (!syntax_.is(c, Kind::comment)) v = eval(c, env);
      }
      return v;
    }
    case Kind::object: return eval_object(node, env);
    case Kind::array: return eval_array(node, env);
    case Kind::function_expression:
    case Kind::arrow_function:
      return make_function(node, env, "");
    case Kind::call_expression:
    case Kind::member_expression:
    case Kind::subscript_expression: {
      try {
        return eval_chain(node, env);
      } catch (ShortCircuit&) {
        // Asked only here: a parent lookup walks down from the root, too costly for every call.
        if (chain_top(syntax_, node)) return Value::undef();
        throw;
      }
    }
    case Kind::new_expression: return eval_new(node, env);
    case Kind::await_expression: return eval_await(node, env);
    case Kind::unary_expression: return eval_unary(node, env);
    case Kind::update_expression: return eval_update(node, env);
    case Kind::binary_expression: return eval_binary(node, env);
    case Kind::ternary_expression:
      return truthy(eval(syntax_.field(node, Field::condition), env)) ? eval(syntax_.field(node, Field::consequence), env)
                                                                       : eval(syntax_.field(node, Field::alternative), env);
    case Kind::assignment_expression:
    case Kind::augmented_assignment_expression:
      return eval_assign(node, env);
    case Kind::generator_function: return make_function(node, env, "");
    case Kind::yield_expression: return eval_yield(node, env);
    case Kind::class_: return make_class(node, env, "");
    case Kind::regex: unsupported(node, "regular expressions are not modelled");
    case Kind::meta_property: unsupported(node, "`new.target` / `import.meta` are not modelled");
    case Kind::super_: unsupported(node, "`super` is not modelled");
    default:
      unsupported(node, "the expression `" + std::string(kind_name(k)) + "` is not modelled");
  }
}

Value Interp::eval_unary(TSNode node, Env* env) {
  std::string op(syntax_.text(syntax_.field(node, Field::operator_)));
  TSNode arg = syntax_.field(node, Field::argument);
  if (op == "typeof") {
    Value v;
    TSNode a = syntax_.unwrap(arg);
    if (syntax_.is(a, Kind::identifier) && !lookup(env, identifier_name(a))) {
      try {
        v = eval(a, env);
      } catch (JSThrow&) {
        return Value::str("undefined");
      }
    } else {
      v = eval(arg, env);
    }
    refuse_opaque(v);
    switch (v.t) {
      case Value::T::Undef: return Value::str("undefined");
      case Value::T::Null: return Value::str("object");
      case Value::T::Bool: return Value::str("boolean");
      case Value::T::Num: return Value::str("number");
      case Value::T::Str: return Value::str("string");
      case Value::T::Obj: return Value::str(v.o->kind == ObjKind::Function ? "function" : "object");
    }
  }
  if (op == "delete") {
    TSNode a = syntax_.unwrap(arg);
    if (!syntax_.is(a, Kind::member_expression) && !syntax_.is(a, Kind::subscript_expression))
      unsupported(node, "this `delete` is not modelled");
    Value obj = eval(syntax_.field(a, Field::object), env);
    std::string key = syntax_.is(a, Kind::member_expression) ? identifier_name(syntax_.field(a, Field::property))
                                                             : to_string(eval(syntax_.field(a, Field::index), env));
    if (obj.is_obj()) {
      if (obj.o->kind == ObjKind::Array) unsupported(node, "deleting array elements is not modelled");
      auto& props = obj.o->props;
      for (auto it = props.begin(); it != props.end(); ++it)
        if (it->key == key) {
          props.erase(it);
          break;
        }
    }
    return Value::boolean(true);
  }
  Value v = eval(arg, env);
  if (op == "!") return Value::boolean(!truthy(v));
  if (op == "-") return Value::num(-to_number(v));
  if (op == "+") return Value::num(to_number(v));
  if (op == "void") return Value::undef();
  if (op == "~") return Value::num(static_cast<double>(~static_cast<std::int32_t>(static_cast<std::int64_t>(to_number(v)))));
  unsupported(node, "the operator `" + op + "` is not modelled");
}

static std::int32_t to_int32(double d) {
  if (std::isnan(d) || std::isinf(d)) return 0;
  double m = std::fmod(std::trunc(d), 4294967296.0);
  if (m < 0) m += 4294967296.0;
  return static_cast<std::int32_t>(static_cast<std::uint32_t>(m));
}

Value Interp::binary_op(const std::string& op, const Value& a, const Value& b, TSNode where) {
  // Identity needs nothing from inside an object: an opaque value is only equal to itself.
  if ((op == "===" || op == "!==") && ((a.is_obj() && !a.o->opaque.empty()) || (b.is_obj() && !b.o->opaque.empty())))
    return Value::boolean((a.is_obj() && b.is_obj() && a.o == b.o) == (op == "==="));
  refuse_opaque(a);
  refuse_opaque(b);
  if (op == "+") {
    Value pa = to_primitive(a, false), pb = to_primitive(b, false);
    if (pa.is_str() || pb.is_str()) return Value::str(to_string(pa) + to_string(pb));
    return Value::num(to_number(pa) + to_number(pb));
  }
  if (op == "-") return Value::num(to_number(a) - to_number(b));
  if (op == "*") return Value::num(to_number(a) * to_number(b));
  if (op == "/") return Value::num(to_number(a) / to_number(b));
  if (op == "%") return Value::num(std::fmod(to_number(a), to_number(b)));
  if (op == "**") return Value::num(std::pow(to_number(a), to_number(b)));
  if (op == "===" || op == "!==") {
    bool eq;
    if (a.t != b.t) eq = false;
    else switch (a.t) {
        case Value::T::Undef: case Value::T::Null: eq = true; break;
        case Value::T::Bool: eq = a.b == b.b; break;
        case Value::T::Num: eq = a.n == b.n; break;
        case Value::T::Str: eq = a.s == b.s; break;
        case Value::T::Obj: eq = a.o == b.o; break;
        default: eq = false;
      }
    return Value::boolean(op == "===" ? eq : !eq);
  }
  if (op == "==" || op == "!=") {
    bool eq;
    if (a.t == b.t) eq = binary_op("===", a, b, where).b;
    else if (a.is_nullish() || b.is_nullish()) eq = a.is_nullish() && b.is_nullish();
    else if (a.is_obj() && !b.is_obj()) eq = binary_op("==", to_primitive(a, false), b, where).b;
    else if (b.is_obj() && !a.is_obj()) eq = binary_op("==", a, to_primitive(b, false), where).b;
    else eq = to_number(a) == to_number(b);
    return Value::boolean(op == "==" ? eq : !eq);
  }
  if (op == "<" || op == ">" || op == "<=" || op == ">=") {
    Value pa = to_primitive(a, false), pb = to_primitive(b, false);
    if (pa.is_str() && pb.is_str()) {
      int c = pa.s.compare(pb.s);
      if (op == "<") return Value::boolean(c < 0);
      if (op == ">") return Value::boolean(c > 0);
      if (op == "<=") return Value::boolean(c <= 0);
      return Value::boolean(c >= 0);
    }
    double x = to_number(pa), y = to_number(pb);
    if (op == "<") return Value::boolean(x < y);
    if (op == ">") return Value::boolean(x > y);
    if (op == "<=") return Value::boolean(x <= y);
    return Value::boolean(x >= y);
  }
  if (op == "&") return Value::num(to_int32(to_number(a)) & to_int32(to_number(b)));
  if (op == "|") return Value::num(to_int32(to_number(a)) | to_int32(to_number(b)));
  if (op == "^") return Value::num(to_int32(to_number(a)) ^ to_int32(to_number(b)));
  if (op == "<<") return Value::num(static_cast<std::int32_t>(static_cast<std::uint32_t>(to_int32(to_number(a))) << (to_int32(to_number(b)) & 31)));
  if (op == ">>") return Value::num(to_int32(to_number(a)) >> (to_int32(to_number(b)) & 31));
  if (op == ">>>") return Value::num(static_cast<double>(static_cast<std::uint32_t>(to_int32(to_number(a))) >> (to_int32(to_number(b)) & 31)));
  if (op == "instanceof") {
    if (!callable(b)) throw_error("TypeError", "Right-hand side of 'instanceof' is not callable");
    if (!a.is_obj()) return Value::boolean(false);
    Value proto = get(b, "prototype");
    for (Obj* p = a.o->proto; p; p = p->proto)
      if (proto.is_obj() && p == proto.o) return Value::boolean(true);
    return Value::boolean(false);
  }
  if (op == "in") {
    if (!b.is_obj()) throw_error("TypeError", "Cannot use 'in' operator to search for '" + to_string(a) + "' in " + to_string(b));
    std::string key = to_string(a);
    if (b.o->kind == ObjKind::Array) {
      std::size_t idx;
      if (key == "length") return Value::boolean(true);
      if (array_index(key, idx)) return Value::boolean(idx < b.o->elems.size());
    }
    for (Obj* o = b.o; o; o = o->proto)
      for (auto& p : o->props)
        if (p.key == key) return Value::boolean(true);
    return Value::boolean(false);
  }
  unsupported(where, "the operator `" + op + "` is not modelled");
}

Value Interp::eval_binary(TSNode node, Env* env) {
  std::string op(syntax_.text(syntax_.field(node, Field::operator_)));
  TSNode left = syntax_.field(node, Field::left), right = syntax_.field(node, Field::right);
  if (op == "&&") {
    Value a = eval(left, env);
    return truthy(a) ? eval(right, env) : a;
  }
  if (op == "||") {
    Value a = eval(left, env);
    return truthy(a) ? a : eval(right, env);
  }
  if (op == "??") {
    Value a = eval(left, env);
    return a.is_nullish() ? eval(right, env) : a;
  }
  if (syntax_.is(left, Kind::private_property_identifier)) unsupported(node, "private names are not modelled");
  Value a = eval(left, env);
  Value b = eval(right, env);
  return binary_op(op, a, b, node);
}

Value Interp::eval_assign(TSNode node, Env* env) {
  TSNode left = syntax_.unwrap(syntax_.field(node, Field::left));
  TSNode right = syntax_.field(node, Field::right);
  const bool augmented = syntax_.is(node, Kind::augmented_assignment_expression);
  std::string op = augmented ? std::string(syntax_.text(syntax_.field(node, Field::operator_))) : "=";
  Kind lk = syntax_.kind(left);
  if (lk == Kind::object_pattern || lk == Kind::array_pattern) {
    Value v = eval(right, env);
    bind_pattern(left, v, env, BindKind::Assign);
    return v;
  }
  // resolve the reference first (object and key), then the value
  Value obj;
  std::string key;
  const bool is_name = lk == Kind::identifier || lk == Kind::undefined_;
  const bool is_super = lk == Kind::member_expression && syntax_.is(syntax_.field(left, Field::object), Kind::super_);
  if (is_super) {
    key = identifier_name(syntax_.field(left, Field::property));
  } else if (!is_name) {
    if (lk != Kind::member_expression && lk != Kind::subscript_expression) unsupported(node, "this assignment target is not modelled");
    obj = eval(syntax_.field(left, Field::object), env);
    if (lk == Kind::member_expression) key = identifier_name(syntax_.field(left, Field::property));
    else {
      Value k = eval(syntax_.field(left, Field::index), env);
      key = k.is_num() && k.n >= 0 && k.n == std::floor(k.n) && k.n < 1e15 ? number_to_string(k.n) : to_string(k);
    }
  }
  auto read = [&]() { return is_name ? lookup_value(left, env) : is_super ? super_property(left, env, key) : get(obj, key); };
  auto write = [&](const Value& v) {
    if (is_name) assign_name(env, identifier_name(left), v, node);
    else if (is_super) super_put(left, env, key, v);
    else put(obj, key, v);
  };
  Value v;
  if (op == "=") {
    TSNode ur = syntax_.unwrap(right);
    Kind rk = syntax_.kind(ur);
    if (is_name && (rk == Kind::arrow_function || rk == Kind::function_expression) && ts_node_is_null(syntax_.field(ur, Field::name)))
      v = make_function(ur, env, identifier_name(left));
    else
      v = eval(right, env);
  } else if (op == "&&=" || op == "||=" || op == "?\?=") {
    Value cur = read();
    bool assign = op == "&&=" ? truthy(cur) : op == "||=" ? !truthy(cur) : cur.is_nullish();
    if (!assign) return cur;
    v = eval(right, env);
  } else {
    Value cur = read();
    Value r = eval(right, env);
    v = binary_op(op.substr(0, op.size() - 1), cur, r, node);
  }
  write(v);
  return v;
}

Value Interp::eval_update(TSNode node, Env* env) {
  TSNode arg = syntax_.unwrap(syntax_.field(node, Field::argument));
  std::string op(syntax_.text(syntax_.field(node, Field::operator_)));
  const bool prefix = ts_node_start_byte(syntax_.field(node, Field::operator_)) < ts_node_start_byte(arg);
  Value obj;
  std::string key;
  const bool is_name = syntax_.is(arg, Kind::identifier);
  if (!is_name) {
    if (!syntax_.is(arg, Kind::member_expression) && !syntax_.is(arg, Kind::subscript_expression)) unsupported(node, "this update target is not modelled");
    obj = eval(syntax_.field(arg, Field::object), env);
    key = syntax_.is(arg, Kind::member_expression) ? identifier_name(syntax_.field(arg, Field::property))
                                                   : [&] { Value k = eval(syntax_.field(arg, Field::index), env);
                                                           return k.is_num() && k.n >= 0 && k.n == std::floor(k.n) ? number_to_string(k.n) : to_string(k); }();
  }
  double old = to_number(is_name ? lookup_value(arg, env) : get(obj, key));
  double nv = op == "++" ? old + 1 : old - 1;
  if (is_name) assign_name(env, identifier_name(arg), Value::num(nv), node);
  else put(obj, key, Value::num(nv));
  return Value::num(prefix ? nv : old);
}

}  // namespace asynclint::loop
