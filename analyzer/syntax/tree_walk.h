#pragma once
// The one way this program walks a tree: pre-order with a TSTreeCursor. No recursion (a file of 100,000
// nested brackets cannot overflow the stack) and no allocation. And the way to list a node's children.
#include <tree_sitter/api.h>

#include <cstdint>
#include <vector>

namespace asynclint {

// Calls visit(node, depth) for every node under `root` (itself included, at depth 0), in source order;
// visit returns whether to descend into the node's children.
template <typename Visit>
void walk_preorder(TSNode root, Visit&& visit) {
  if (ts_node_is_null(root)) return;
  TSTreeCursor cursor = ts_tree_cursor_new(root);
  std::uint32_t depth = 0;
  for (;;) {
    TSNode node = ts_tree_cursor_current_node(&cursor);
    if (visit(node, depth) && ts_tree_cursor_goto_first_child(&cursor)) {
      ++depth;
      continue;
    }
    bool moved = false;
    while (!(moved = ts_tree_cursor_goto_next_sibling(&cursor))) {
      if (depth == 0 || !ts_tree_cursor_goto_parent(&cursor)) break;
      --depth;
    }
    if (!moved) break;
  }
  ts_tree_cursor_delete(&cursor);
}

// Calls visit(child) for each named child of `node`, in source order, until visit returns false. Linear in
// the number of children: ts_node_named_child(node, i) counts from the first child on every call, so a
// loop over i costs n²/2 steps, which a statement block or a class body of thousands of members makes
// the slowest part of a run. Small nodes keep the index loop, which needs no cursor.
template <typename Visit>
void for_each_named_child(TSNode node, Visit&& visit) {
  if (ts_node_is_null(node)) return;
  constexpr std::uint32_t kIndexLoopLimit = 8;
  const std::uint32_t count = ts_node_named_child_count(node);
  if (count <= kIndexLoopLimit) {
    for (std::uint32_t i = 0; i < count; ++i)
      if (!visit(ts_node_named_child(node, i))) return;
    return;
  }
  TSTreeCursor cursor = ts_tree_cursor_new(node);
  if (ts_tree_cursor_goto_first_child(&cursor)) {
    do {
      TSNode child = ts_tree_cursor_current_node(&cursor);
      if (ts_node_is_named(child) && !visit(child)) break;
    } while (ts_tree_cursor_goto_next_sibling(&cursor));
  }
  ts_tree_cursor_delete(&cursor);
}

// Appends the named children of `node` to `out` in source order (for the explicit stacks of depth-first
// searches), in linear time.
inline void append_named_children(TSNode node, std::vector<TSNode>& out) {
  for_each_named_child(node, [&](TSNode child) {
    out.push_back(child);
    return true;
  });
}

}  // namespace asynclint
