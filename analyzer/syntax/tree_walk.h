#pragma once
// The one way this program walks a tree: pre-order with a TSTreeCursor. No recursion (a file of 100,000
// nested brackets cannot overflow the stack) and no allocation.
#include <tree_sitter/api.h>

#include <cstdint>

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

}  // namespace asynclint
