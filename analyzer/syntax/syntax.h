#pragma once
// Syntax: the questions every pass asks about a node of one parsed file (its kind, a field, its text),
// answered through the grammar's SyntaxTables so that callers never compare strings.
#include <tree_sitter/api.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "syntax/kinds.h"

namespace asynclint {

class Syntax {
 public:
  Syntax(const SyntaxTables& tables, std::string_view source) : tables_(&tables), source_(source) {}

  Kind kind(TSNode node) const {
    if (ts_node_is_null(node)) return Kind::unknown;
    const TSSymbol symbol = ts_node_symbol(node);
    if (symbol == static_cast<TSSymbol>(-1)) return Kind::ERROR;  // ts_builtin_sym_error
    return tables_->kind(symbol);
  }
  bool is(TSNode node, Kind k) const { return kind(node) == k; }
  TSNode field(TSNode node, Field f) const {
    const std::uint16_t id = tables_->field_id(f);
    if (id == 0 || ts_node_is_null(node)) return TSNode{};
    // Every rule reads the same few fields of the same nodes (a call's callee, a member's property), and
    // tree-sitter answers each by walking the node's children: the last answer per slot is remembered. A
    // node is its subtree and its start byte, so a slot never answers for another node.
    FieldAnswer& slot = field_answers_[((reinterpret_cast<std::uintptr_t>(node.id) >> 3) ^ id) % kFieldAnswers];
    if (slot.node == node.id && slot.start == node.context[0] && slot.field == id) return slot.child;
    const TSNode child = ts_node_child_by_field_id(node, id);
    slot = {node.id, node.context[0], id, child};
    return child;
  }
  std::string_view text(TSNode node) const {
    if (ts_node_is_null(node)) return {};
    const std::uint32_t start = ts_node_start_byte(node), end = ts_node_end_byte(node);
    if (end > source_.size() || start > end) return {};
    return source_.substr(start, end - start);
  }
  // The contents of a string literal without its quotes ('./util' → ./util).
  std::string_view string_value(TSNode string_node) const {
    std::string_view quoted = text(string_node);
    if (quoted.size() >= 2) return quoted.substr(1, quoted.size() - 2);
    return {};
  }
  // Whether a node has an unnamed child token of this kind (the `async` of a function, …).
  bool has_token(TSNode node, Kind token) const {
    const std::uint32_t count = ts_node_child_count(node);
    for (std::uint32_t i = 0; i < count; ++i) {
      TSNode child = ts_node_child(node, i);
      if (kind(child) == token) return true;
      if (ts_node_is_named(child) && kind(child) != Kind::comment && token == Kind::kw_async) {
        // `async` comes before the parameters and the body; stop at the first named child after it.
        const Kind k = kind(child);
        if (k == Kind::formal_parameters || k == Kind::identifier || k == Kind::statement_block) return false;
      }
    }
    return false;
  }
  // Skips parentheses and TypeScript's type-only wrappers (`(x)`, `x as T`, `x!`, `<T>x`, `x satisfies T`).
  TSNode unwrap(TSNode node) const {
    for (int guard = 0; guard < 10000 && !ts_node_is_null(node); ++guard) {
      const Kind k = kind(node);
      if (k == Kind::parenthesized_expression || k == Kind::as_expression || k == Kind::non_null_expression ||
          k == Kind::satisfies_expression || k == Kind::type_assertion) {
        TSNode inner = first_named_child(node);
        if (k == Kind::type_assertion) inner = ts_node_named_child(node, 1);
        if (ts_node_is_null(inner)) return node;
        node = inner;
      } else {
        return node;
      }
    }
    return node;
  }
  TSNode first_named_child(TSNode node) const {
    if (ts_node_is_null(node)) return TSNode{};
    const std::uint32_t count = ts_node_named_child_count(node);
    for (std::uint32_t i = 0; i < count; ++i) {
      TSNode child = ts_node_named_child(node, i);
      if (kind(child) != Kind::comment) return child;
    }
    return TSNode{};
  }
  // tree-sitter reads `await (f)(x)` as a call of a function named `await` — `await(f)`, then `(x)` — where
  // JavaScript (in an async function or a module) awaits the call `(f)(x)`. For the outer call of that
  // shape, the callee it really has (`f`, the last expression in the parentheses); otherwise a null node.
  TSNode misparsed_await_callee(TSNode call) const {
    TSNode inner = field(call, Field::function);
    if (kind(inner) != Kind::call_expression) return TSNode{};
    TSNode name = field(inner, Field::function);
    if (kind(name) != Kind::identifier || text(name) != "await") return TSNode{};
    TSNode args = field(inner, Field::arguments);
    TSNode last{};
    for (std::uint32_t i = 0, n = ts_node_named_child_count(args); i < n; ++i) {
      TSNode child = ts_node_named_child(args, i);
      if (kind(child) != Kind::comment) last = child;
    }
    return unwrap(last);
  }
  // `await (0, f)(x).then(a).catch(b)` awaits the whole chain, but tree-sitter's misparse (above) puts the
  // await inside its innermost call: the outermost call built on `call` by further calls and `.method(…)`.
  TSNode misparsed_await_extent(TSNode call) const {
    TSNode whole = call, current = call;
    for (int level = 0; level < 64; ++level) {  // ts_node_parent walks down from the root: bounded
      TSNode parent = ts_node_parent(current);
      if (ts_node_is_null(parent)) break;
      const Kind k = kind(parent);
      if (k == Kind::member_expression && ts_node_eq(field(parent, Field::object), current)) {
        current = parent;
        continue;
      }
      if (k == Kind::call_expression && ts_node_eq(field(parent, Field::function), current)) {
        current = whole = parent;
        continue;
      }
      break;
    }
    return whole;
  }
  std::string_view source() const { return source_; }
  const SyntaxTables& tables() const { return *tables_; }

 private:
  const SyntaxTables* tables_;
  std::string_view source_;
  struct FieldAnswer {
    const void* node = nullptr;
    std::uint32_t start = 0;
    std::uint16_t field = 0;
    TSNode child{};
  };
  static constexpr std::size_t kFieldAnswers = 509;  // prime: node addresses are strided
  mutable std::array<FieldAnswer, kFieldAnswers> field_answers_{};
};

inline bool same_node(TSNode a, TSNode b) { return ts_node_eq(a, b); }

}  // namespace asynclint
