#pragma once
// Call-shape questions shared by more than one rule. Header-only: rules stay one file each.
#include "engine/rule.h"

namespace asynclint::rule_helpers {

// `.then`, `.catch`, `.finally` call: the property name, or empty.
inline std::string_view chain_method(const Syntax& syntax, TSNode call) {
  call = syntax.unwrap(call);
  if (!syntax.is(call, Kind::call_expression)) return {};
  const std::string_view property = member_property(syntax, syntax.field(call, Field::function));
  return (property == "then" || property == "catch" || property == "finally") ? property : std::string_view{};
}

// Whether a promise chain ends with a rejection handler: `.catch(h)`, `.then(f, h)`, or a `.finally(f)`
// whose own receiver chain is handled.
inline bool chain_is_handled(const Syntax& syntax, TSNode call) {
  for (int guard = 0; guard < 10000; ++guard) {
    const std::string_view method = chain_method(syntax, call);
    if (method.empty()) return false;
    TSNode args[2];
    const std::uint32_t count = call_arguments(syntax, syntax.unwrap(call), args, 2);
    if (method == "catch") return count >= 1 && !is_nullish_literal(syntax, args[0]);
    if (method == "then") return count >= 2 && !is_nullish_literal(syntax, args[1]);
    // finally passes the settlement through: look at what it is attached to.
    call = syntax.unwrap(syntax.field(syntax.field(syntax.unwrap(call), Field::function), Field::object));
  }
  return false;
}

// The innermost receiver of a chain: `a.b().then(f).catch(g)` → `a`.
inline TSNode chain_root(const Syntax& syntax, TSNode expression) {
  for (int guard = 0; guard < 100000; ++guard) {
    expression = syntax.unwrap(expression);
    const Kind k = syntax.kind(expression);
    if (k == Kind::call_expression) expression = syntax.field(expression, Field::function);
    else if (k == Kind::member_expression || k == Kind::subscript_expression) expression = syntax.field(expression, Field::object);
    else return expression;
  }
  return expression;
}

// tree-sitter reads `await (0, f)(x).then(g)` as a call of an identifier named `await` with the arguments
// `(0, f)`: the chain's root is then `await`. JavaScript awaits the whole chain, so such a statement is
// awaited, not floating.
inline bool chain_starts_with_await(const Syntax& syntax, TSNode expression) {
  TSNode root = chain_root(syntax, expression);
  return syntax.is(root, Kind::await_expression) || (syntax.is(root, Kind::identifier) && syntax.text(root) == "await");
}

// `Promise.resolve()` / `Promise.resolve(literal)`: a promise that never rejects.
inline bool is_resolved_promise(const Syntax& syntax, TSNode expression) {
  expression = syntax.unwrap(expression);
  if (!syntax.is(expression, Kind::call_expression)) return false;
  if (syntax.text(syntax.unwrap(syntax.field(expression, Field::function))) != "Promise.resolve") return false;
  TSNode args[2];
  const std::uint32_t count = call_arguments(syntax, expression, args, 2);
  if (count == 0) return true;
  const Kind k = syntax.kind(args[0]);
  return count == 1 && (k == Kind::number || k == Kind::string || k == Kind::true_ || k == Kind::false_ ||
                        k == Kind::null_ || k == Kind::undefined_);
}

// The callee as a user reads it, for messages: `this.flush`, `fetch`, `api.load` (shortened when long).
inline std::string callee_label(const Syntax& syntax, TSNode call) {
  std::string text(syntax.text(syntax.unwrap(syntax.field(call, Field::function))));
  for (char& c : text)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  if (text.size() > 60) text = text.substr(0, 57) + "...";
  return text;
}

// Whether `node` sits in an async function (so `await` may be inserted before it).
inline bool in_async_function(const SemanticModel& model, TSNode node) {
  TSNode function = model.enclosing_function(node);
  return !ts_node_is_null(function) && model.is_async_function(function);
}

// The last name segment of a callee: `db.users.insertOne` → "insertOne", `save` → "save".
inline std::string_view callee_name(const Syntax& syntax, TSNode call) {
  TSNode callee = syntax.unwrap(syntax.field(call, Field::function));
  if (syntax.is(callee, Kind::member_expression)) return syntax.text(syntax.field(callee, Field::property));
  if (syntax.is(callee, Kind::identifier)) return syntax.text(callee);
  return {};
}

// Whether a byte range lies inside another node.
inline bool contains(TSNode outer, TSNode inner) {
  return ts_node_start_byte(outer) <= ts_node_start_byte(inner) && ts_node_end_byte(inner) <= ts_node_end_byte(outer);
}

// The indentation (spaces and tabs) of the line a byte offset is on.
inline std::string indentation_at(std::string_view source, std::uint32_t byte) {
  std::uint32_t start = byte;
  while (start > 0 && source[start - 1] != '\n' && source[start - 1] != '\r') --start;
  std::uint32_t end = start;
  while (end < source.size() && (source[end] == ' ' || source[end] == '\t')) ++end;
  return std::string(source.substr(start, end - start));
}

}  // namespace asynclint::rule_helpers
