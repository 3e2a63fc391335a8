#pragma once
// Call-shape questions shared by more than one rule. Header-only: rules stay one file each.
#include <optional>

#include "engine/rule.h"
#include "loop/scenario.h"
#include "semantic/rejection.h"
#include "syntax/layout.h"
#include "syntax/tree_walk.h"

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

// Whether a statement runs at the top level of a script with nothing after it: no later statement at the
// top level (function and class declarations aside), and none after it in the blocks it sits in. A
// dropped promise there is a CLI's entry point: an unhandled rejection prints the error and ends the
// process with exit code 1, which is what the script would do with it anyway.
inline bool is_last_top_level_statement(const Syntax& syntax, const SemanticModel& model, TSNode statement) {
  if (!ts_node_is_null(model.enclosing_function(statement))) return false;
  TSNode node = statement;
  for (int guard = 0; guard < 64; ++guard) {
    for (TSNode next = ts_node_next_named_sibling(node); !ts_node_is_null(next); next = ts_node_next_named_sibling(next)) {
      const Kind k = syntax.kind(next);
      if (k != Kind::comment && k != Kind::function_declaration && k != Kind::class_declaration && k != Kind::else_clause &&
          k != Kind::empty_statement && k != Kind::generator_function_declaration)
        return false;
    }
    TSNode parent = ts_node_parent(node);
    if (ts_node_is_null(parent)) return false;
    if (syntax.is(parent, Kind::program)) return true;
    node = parent;
  }
  return false;
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

// --- suggestions: code a fix inserts, laid out as the file is (syntax/layout.h) ---------------------------

// Whether `await` may go before `node`: inside an async function, or at the top level of an ES module file
// (.mjs/.mts), where Node and browsers allow top-level await. A `.js` file may be a module too, but only a
// package.json or a bundler says so: we do not offer what might not parse.
inline bool can_await_at(const SemanticModel& model, std::string_view path, TSNode node) {
  TSNode function = model.enclosing_function(node);
  if (!ts_node_is_null(function)) return model.is_async_function(function);
  return path.size() > 4 && (path.substr(path.size() - 4) == ".mjs" || path.substr(path.size() - 4) == ".mts");
}

// `.catch((error) => { console.error(error); })` appended to `expression`: on the same line when the
// line stays within the file's longest line, otherwise on a line of its own, one level deeper (or level
// with a chain whose lines already start with `.then(…)`).
inline TextEdit catch_handler_after(const Syntax& syntax, const SemanticModel& model, TSNode expression) {
  const std::string_view source = syntax.source();
  const SourceLayout& layout = model.layout();
  const std::uint32_t end = ts_node_end_byte(expression);
  std::string base = indentation_of_line(source, end);
  static constexpr std::string_view kOpen = ".catch((error) => {";
  std::string text;
  std::size_t column = end;
  while (column > 0 && source[column - 1] != '\n') --column;
  if (end - column + kOpen.size() > layout.longest_line) {
    const std::size_t first = column + base.size();
    if (first >= source.size() || source[first] != '.') base += layout.unit;
    text = "\n" + base;
  }
  text += std::string(kOpen) + "\n" + base + layout.unit + "console.error(error);\n" + base + "})";
  return {end, end, text};
}

// The body of an async callback wrapped in `try { … } catch (error) { console.error(error); }`, so that
// nothing it awaits or throws escapes as a rejection; an expression body becomes `return await expr` inside
// it (without the await the catch would not see the rejection). Empty (no edit) where the wrap would not
// catch everything or could change text: a `return value` of the body's own (a returned promise is not
// caught), or a template literal, whose lines re-indenting would change.
inline std::optional<TextEdit> try_catch_around_body(const Syntax& syntax, const SemanticModel& model, TSNode function) {
  const std::string_view source = syntax.source();
  const SourceLayout& layout = model.layout();
  TSNode body = syntax.field(function, Field::body);
  if (ts_node_is_null(body)) return std::nullopt;
  const std::uint32_t start = ts_node_start_byte(body), end = ts_node_end_byte(body);
  // Reading the body is linear in its size, once per finding: nested callbacks (every level a finding)
  // would make that quadratic, and a body this large is no hand-written callback to rewrite in place.
  constexpr std::uint32_t kMaxBodyBytes = 16 * 1024;
  if (end - start > kMaxBodyBytes) return std::nullopt;
  const std::string_view text = source.substr(start, end - start);
  if (text.find('`') != std::string_view::npos) return std::nullopt;
  static constexpr std::string_view kCatch = "} catch (error) {";
  static constexpr std::string_view kHandler = "console.error(error);";
  auto trimmed = [](std::string_view line) {
    const std::size_t first = line.find_first_not_of(" \t");
    if (first == std::string_view::npos) return std::string_view{};
    return line.substr(first, line.find_last_not_of(" \t") - first + 1);
  };
  // The body's code: its statements, trimmed, for a one-line body (laid out below); a body of several lines
  // is written out line by line, each one level deeper, in the branch that reads it.
  std::vector<std::string> lines;
  std::string base = indentation_of_line(source, start);  // the line the body opens on
  if (!syntax.is(body, Kind::statement_block)) {
    if (text.find('\n') != std::string_view::npos) return std::nullopt;
    lines.push_back("return await " + std::string(text) + ";");
  } else {
    bool returns_value = false;
    walk_preorder(body, [&](TSNode node, std::uint32_t) {
      if (returns_value) return false;
      const Kind kind = syntax.kind(node);
      if (SemanticModel::is_function_kind(kind) && !same_node(node, function)) return false;
      if (kind == Kind::return_statement && !ts_node_is_null(syntax.first_named_child(node))) returns_value = true;
      return !returns_value;
    });
    if (returns_value) return std::nullopt;
    const std::string_view inner = text.substr(1, text.size() - 2);  // between the braces
    if (inner.find('\n') == std::string_view::npos) {
      if (!trimmed(inner).empty()) lines.emplace_back(trimmed(inner));
    } else {
      const std::size_t first_newline = inner.find('\n'), last_newline = inner.rfind('\n');
      // Code right after `{` or right before `}` would need moving, not indenting: not offered. A comment
      // after `{` stays where it is.
      const std::string_view after_brace = trimmed(inner.substr(0, first_newline));
      if ((!after_brace.empty() && after_brace.substr(0, 2) != "//") || !trimmed(inner.substr(last_newline + 1)).empty()) return std::nullopt;
      base = indentation_of_line(source, end - 1);  // the closing brace's line
      for (std::size_t at = first_newline + 1; at <= last_newline;) {
        const std::size_t next = inner.find('\n', at);
        const std::string_view line = inner.substr(at, next - at);
        // Lines keep their own indentation, one level deeper; relative to the body they are already
        // one level in, so `unit` more puts them inside the try.
        lines.push_back(trimmed(line).empty() ? std::string() : std::string(layout.unit) + std::string(line.substr(0, line.find_last_not_of(" \t") + 1)));
        at = next + 1;
      }
      std::string wrapped = "{" + std::string(inner.substr(0, first_newline)) + "\n" + base + layout.unit + "try {\n";
      for (const auto& line : lines) wrapped += line + "\n";
      wrapped += base + layout.unit + std::string(kCatch) + "\n" + base + layout.unit + layout.unit + std::string(kHandler) + "\n" + base +
                 layout.unit + "}\n" + base + "}";
      return TextEdit{start, end, wrapped};
    }
  }
  // A one-line body: on one line when it fits within the file's longest line, else laid out over lines.
  std::string joined;
  for (const auto& line : lines) joined += line + " ";
  const std::string one_line = "{ try { " + joined + std::string(kCatch) + " " + std::string(kHandler) + " } }";
  if (length_of_line(source, start) + one_line.size() - text.size() <= layout.longest_line) return TextEdit{start, end, one_line};
  std::string wrapped = "{\n" + base + layout.unit + "try {\n";
  for (const auto& line : lines) wrapped += base + layout.unit + layout.unit + line + "\n";
  wrapped += base + layout.unit + std::string(kCatch) + "\n" + base + layout.unit + layout.unit + std::string(kHandler) + "\n" + base +
             layout.unit + "}\n" + base + "}";
  return TextEdit{start, end, wrapped};
}

// --- explanations: scenario programs for the event-loop model (analyzer/loop/scenario.h) -------------------

// A node's place in the file, as scenario programs pass it to __step.
inline std::string at(TSNode node) { return std::to_string(ts_node_start_byte(node)); }
// The place of a function's closing brace (where it returns by falling off its end).
inline std::string at_end(TSNode function) { return std::to_string(ts_node_end_byte(function) > 0 ? ts_node_end_byte(function) - 1 : 0); }
using loop::js_string;

// The statement that runs after the one holding `node`, in the same block; null at the end of a block.
inline TSNode next_statement(const Syntax& syntax, TSNode node) {
  TSNode statement = node;
  // ts_node_parent costs time proportional to the depth: climb a few levels at most (a finding's
  // statement is close above it), so deeply nested files stay linear.
  int climbed = 0;
  for (TSNode parent = ts_node_parent(statement);; parent = ts_node_parent(parent)) {
    if (ts_node_is_null(parent) || ++climbed > 16) return {};
    const Kind k = syntax.kind(parent);
    if (k == Kind::statement_block || k == Kind::program || k == Kind::switch_case || k == Kind::switch_default) break;
    if (SemanticModel::is_function_kind(k)) return {};
    statement = parent;
  }
  for (TSNode next = ts_node_next_named_sibling(statement); !ts_node_is_null(next); next = ts_node_next_named_sibling(next))
    if (!syntax.is(next, Kind::comment)) return next;
  return {};
}

// The first `await` a function's own body reaches (awaits in nested functions belong to those).
inline TSNode first_await(const Syntax& syntax, TSNode function) {
  TSNode found{};
  TSNode body = syntax.field(function, Field::body);
  if (ts_node_is_null(body)) return found;
  walk_preorder(body, [&](TSNode n, std::uint32_t) {
    if (!ts_node_is_null(found)) return false;
    if (syntax.is(n, Kind::await_expression)) {
      found = n;
      return false;
    }
    return !SemanticModel::is_function_kind(syntax.kind(n));
  });
  return found;
}

// Whether a function's own body suspends anywhere: an `await` (also in tree-sitter's misparsed shapes
// `await (0, f)(x)` and `await f<T>(x)`) or a `for await` loop; nested functions do not count.
inline bool suspends(const Syntax& syntax, TSNode function) {
  bool found = false;
  TSNode body = syntax.field(function, Field::body);
  if (ts_node_is_null(body)) return false;
  walk_preorder(body, [&](TSNode n, std::uint32_t) {
    if (found) return false;
    const Kind k = syntax.kind(n);
    if (k == Kind::await_expression || (k == Kind::for_in_statement && syntax.has_token(n, Kind::kw_await)) ||
        (k == Kind::call_expression && !ts_node_is_null(syntax.misparsed_await_callee(n)))) {
      found = true;
      return false;
    }
    return !SemanticModel::is_function_kind(k);
  });
  return found;
}

// A scenario shared by the rules about dropped promises: `start` creates a promise for an operation that
// fails after 100 ms (the "what if it fails" the finding is about), `dropped` is the statement that leaves
// it unhandled, and the enclosing function (if any) goes on and returns. The model decides what runs when,
// and whether the rejection ends up unhandled.
inline std::string dropped_promise_scenario(const Syntax& syntax, const SemanticModel& model, TSNode dropped,
                                            const std::string& what, const std::string& how_dropped,
                                            const std::string& drop_js = "__operation();") {
  std::string s;
  s += "function __operation() {\n";
  s += "  __step(" + at(dropped) + ", " + js_string(what + " starts; it returns a pending promise") + ", 1);\n";
  s += "  return __work(100, " + js_string(what + " failed") + ");\n}\n";
  s += "function __enclosing() {\n  " + drop_js + "\n";
  s += "  __step(" + at(dropped) + ", " + js_string(how_dropped) + ");\n";
  TSNode next = next_statement(syntax, dropped);
  if (!ts_node_is_null(next))
    s += "  __step(" + at(next) + ", " + js_string("the next statement runs while " + what + " is still pending") + ");\n";
  TSNode function = model.enclosing_function(dropped);
  if (!ts_node_is_null(function)) {
    std::string name = model.function_name(function);
    name = name.empty() || name.front() == '<' ? "the enclosing function" : name + "()";
    s += "  __step(" + at_end(function) + ", " + js_string(name + " returns; " + what + " is still pending and nobody waits for it") + ");\n";
  }
  s += "}\n";
  s += "__unhandled(" + at(dropped) + ", " +
       js_string("if " + what + " fails (here after 100 ms), its rejection has no handler: " +
                 std::string(unhandled_rejection_step(model.runtime_around(dropped)))) + ");\n";
  s += "__enclosing();\n";
  return s;
}

}  // namespace asynclint::rule_helpers
