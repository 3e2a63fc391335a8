#pragma once
// A parsed source with its semantic model, for the unit tests of the semantic layer: parsed and walked
// exactly as the engine does (linter.cpp), with finders for the nodes a test asks about.
#include <catch2/catch.hpp>

#include <tree_sitter/api.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "semantic/semantic_model.h"
#include "syntax/kinds.h"
#include "syntax/language.h"
#include "syntax/source_text.h"
#include "syntax/syntax.h"

namespace asynclint::testing {

// A parsed source with its semantic model, built by the engine's walk: every named, non-error,
// non-missing node is visited in pre-order, then finish().
class Parsed {
 public:
  explicit Parsed(std::string text, LanguageId language = LanguageId::JavaScript)
      : source_(std::move(text)), parser_(ts_parser_new()) {
    ts_parser_set_language(parser_, ts_language(language));
    tree_ = ts_parser_parse_string(parser_, nullptr, source_.text().data(), static_cast<std::uint32_t>(source_.text().size()));
    syntax_ = std::make_unique<Syntax>(SyntaxTables::for_language(language), source_.text());
    model_ = std::make_unique<SemanticModel>(*syntax_);
    model_->build(ts_tree_root_node(tree_));
  }
  ~Parsed() {
    model_.reset();
    syntax_.reset();
    ts_tree_delete(tree_);
    ts_parser_delete(parser_);
  }
  Parsed(const Parsed&) = delete;
  Parsed& operator=(const Parsed&) = delete;

  TSNode root() const { return ts_tree_root_node(tree_); }
  bool has_error() const { return ts_node_has_error(root()); }
  const SemanticModel& model() const { return *model_; }
  const Syntax& syntax() const { return *syntax_; }
  const SourceText& source() const { return source_; }

  // The `occurrence`-th (pre-order) named node of `kind` whose text is exactly `text`; null when none.
  TSNode find(Kind kind, std::string_view text, int occurrence = 0) const {
    TSNode found{};
    int seen = 0;
    walk_named(root(), [&](TSNode node) {
      if (!ts_node_is_null(found)) return;
      if (syntax_->kind(node) == kind && syntax_->text(node) == text && seen++ == occurrence) found = node;
    });
    return found;
  }
  // The outermost named node whose text is exactly `text` (pre-order first), skipping statements.
  TSNode expression(std::string_view text, int occurrence = 0) const {
    TSNode found{};
    int seen = 0;
    walk_named(root(), [&](TSNode node) {
      if (!ts_node_is_null(found)) return;
      const Kind k = syntax_->kind(node);
      if (k == Kind::expression_statement || k == Kind::program) return;
      if (syntax_->text(node) == text && seen++ == occurrence) found = node;
    });
    return found;
  }
  TSNode call(std::string_view text, int occurrence = 0) const { return find(Kind::call_expression, text, occurrence); }
  TSNode function_declaration(std::string_view name) const {
    TSNode found{};
    walk_named(root(), [&](TSNode node) {
      if (!ts_node_is_null(found)) return;
      const Kind k = syntax_->kind(node);
      if ((k == Kind::function_declaration || k == Kind::generator_function_declaration) &&
          syntax_->text(syntax_->field(node, Field::name)) == name)
        found = node;
    });
    return found;
  }
  // Byte offset of the `occurrence`-th occurrence of `needle` in the source.
  std::uint32_t at(std::string_view needle, int occurrence = 0) const {
    std::size_t position = source_.text().find(needle);
    for (int i = 0; i < occurrence && position != std::string_view::npos; ++i) position = source_.text().find(needle, position + 1);
    REQUIRE(position != std::string_view::npos);
    return static_cast<std::uint32_t>(position);
  }

 private:
  template <typename F>
  void walk_named(TSNode node, F&& f) const {
    std::vector<TSNode> stack{node};
    while (!stack.empty()) {
      TSNode current = stack.back();
      stack.pop_back();
      f(current);
      const std::uint32_t count = ts_node_named_child_count(current);
      for (std::uint32_t i = count; i-- > 0;) stack.push_back(ts_node_named_child(current, i));
    }
  }

  SourceText source_;
  TSParser* parser_;
  TSTree* tree_ = nullptr;
  std::unique_ptr<Syntax> syntax_;
  std::unique_ptr<SemanticModel> model_;
};

}  // namespace asynclint::testing
