// Unit tests of the language server's documents (analyzer/lsp/document_store.*, text_positions.*): LSP
// positions in UTF-16 and UTF-8, edits applied to the text, and the same edits applied to the syntax tree
// (an incremental re-parse must give the tree a fresh parse of the new text gives, and change only what
// the edit touched).
#include <catch2/catch.hpp>

#include <cstdlib>
#include <random>
#include <string>

#include "lsp/document_store.h"

using namespace asynclint;
using namespace asynclint::lsp;

namespace {

std::string sexp(const TSTree* tree) {
  char* text = ts_node_string(ts_tree_root_node(tree));
  std::string out(text);
  std::free(text);
  return out;
}

std::string fresh_parse(const std::string& text, LanguageId language) {
  TSParser* parser = ts_parser_new();
  ts_parser_set_language(parser, ts_language(language));
  TSTree* tree = ts_parser_parse_string(parser, nullptr, text.data(), static_cast<std::uint32_t>(text.size()));
  std::string out = sexp(tree);
  ts_tree_delete(tree);
  ts_parser_delete(parser);
  return out;
}

Range range(std::uint32_t l1, std::uint32_t c1, std::uint32_t l2, std::uint32_t c2) { return {{l1, c1}, {l2, c2}}; }

void edit(Document& document, Range where, const std::string& text, PositionEncoding encoding = PositionEncoding::Utf16) {
  std::string error;
  INFO(error);
  REQUIRE(document.apply_change(where, text, encoding, error));
}

}  // namespace

TEST_CASE("lsp positions: UTF-16 counts a surrogate pair as two, UTF-8 counts bytes", "[lsp][positions]") {
  // "😀" is 4 bytes / 2 UTF-16 units, "é" 2 / 1, "中" 3 / 1.
  const std::string text = "a😀b\né中x\r\nlast";
  const LineIndex lines(text);
  REQUIRE(lines.line_count() == 3);
  CHECK(lines.offset_of(text, {0, 3}, PositionEncoding::Utf16) == 5u);  // after a😀
  CHECK(lines.offset_of(text, {0, 5}, PositionEncoding::Utf8) == 5u);
  CHECK(lines.offset_of(text, {1, 2}, PositionEncoding::Utf16) == 12u);  // after é中
  CHECK(lines.offset_of(text, {1, 5}, PositionEncoding::Utf8) == 12u);
  CHECK(lines.offset_of(text, {2, 0}, PositionEncoding::Utf16) == 15u);  // after \r\n
  const Position p16 = lines.position_of(text, 12, PositionEncoding::Utf16);
  CHECK((p16.line == 1 && p16.character == 2));
  const Position p8 = lines.position_of(text, 12, PositionEncoding::Utf8);
  CHECK((p8.line == 1 && p8.character == 5));
}

TEST_CASE("lsp positions: out-of-range and in-between positions", "[lsp][positions]") {
  const std::string text = "a😀b\nxy";
  const LineIndex lines(text);
  // A character past the end of its line is the line's end (LSP 3.17), never the next line.
  CHECK(lines.offset_of(text, {0, 99}, PositionEncoding::Utf16) == 6u);
  CHECK(lines.offset_of(text, {1, 99}, PositionEncoding::Utf8) == 9u);
  // Half a surrogate pair, or the middle of a UTF-8 sequence, is the start of that character.
  CHECK(lines.offset_of(text, {0, 2}, PositionEncoding::Utf16) == 1u);
  CHECK(lines.offset_of(text, {0, 3}, PositionEncoding::Utf8) == 1u);
  // One line past the last, at character 0, is the end of the text; anything further is invalid.
  CHECK(lines.offset_of(text, {2, 0}, PositionEncoding::Utf16) == 9u);
  CHECK_FALSE(lines.offset_of(text, {2, 1}, PositionEncoding::Utf16).has_value());
  CHECK_FALSE(lines.offset_of(text, {7, 0}, PositionEncoding::Utf16).has_value());
}

TEST_CASE("lsp positions: utf16_column_to converts engine columns for UTF-8 clients", "[lsp][positions]") {
  CHECK(utf16_column_to("😀x", 2, PositionEncoding::Utf8) == 4u);
  CHECK(utf16_column_to("😀x", 2, PositionEncoding::Utf16) == 2u);
  CHECK(utf16_column_to("中文x", 2, PositionEncoding::Utf8) == 6u);
}

TEST_CASE("lsp documents: edits change the text as the client's do", "[lsp][documents]") {
  Document document("file:///a.ts", "/a.ts", LanguageId::TypeScript, 1, "const a = 1;\nconst b = 2;\n");
  SECTION("an insertion") {
    edit(document, range(1, 6, 1, 6), "bb");
    CHECK(document.text() == "const a = 1;\nconst bbb = 2;\n");
  }
  SECTION("a deletion across lines") {
    edit(document, range(0, 11, 1, 11), "");
    CHECK(document.text() == "const a = 1;\n");
  }
  SECTION("a multi-line replacement, then an edit relative to the new text") {
    edit(document, range(0, 6, 0, 7), "x,\n  y,\n  z");
    CHECK(document.text() == "const x,\n  y,\n  z = 1;\nconst b = 2;\n");
    edit(document, range(2, 2, 2, 3), "zz");
    CHECK(document.text() == "const x,\n  y,\n  zz = 1;\nconst b = 2;\n");
    CHECK(document.lines().line_count() == 5);
  }
  SECTION("full replacement without a range") {
    std::string error;
    REQUIRE(document.apply_change(std::nullopt, "x();", PositionEncoding::Utf16, error));
    CHECK(document.text() == "x();");
  }
  SECTION("non-ASCII text, UTF-16 positions") {
    edit(document, range(0, 13, 0, 13), "");  // past the end of line 0: clamps to its end
    edit(document, range(1, 0, 1, 0), "// 😀 中文\n");
    edit(document, range(1, 6, 1, 8), "日本");  // replaces 中文 (after "// 😀 ": 3 + 2 + 1 units)
    CHECK(document.text() == "const a = 1;\n// 😀 日本\nconst b = 2;\n");
  }
  SECTION("non-ASCII text, UTF-8 positions") {
    edit(document, range(1, 0, 1, 0), "// 😀 中文\n", PositionEncoding::Utf8);
    edit(document, range(1, 8, 1, 14), "日本", PositionEncoding::Utf8);  // 中文 is bytes 8..14
    CHECK(document.text() == "const a = 1;\n// 😀 日本\nconst b = 2;\n");
  }
}

TEST_CASE("lsp documents: an invalid change is refused and changes nothing", "[lsp][documents]") {
  Document document("file:///a.ts", "/a.ts", LanguageId::TypeScript, 1, "a;\nb;\n");
  const auto generation = document.generation();
  std::string error;
  CHECK_FALSE(document.apply_change(range(9, 0, 9, 1), "x", PositionEncoding::Utf16, error));
  CHECK(error.find("past the last line") != std::string::npos);
  CHECK_FALSE(document.apply_change(range(1, 1, 0, 0), "x", PositionEncoding::Utf16, error));
  CHECK(document.text() == "a;\nb;\n");
  CHECK(document.generation() == generation);
}

TEST_CASE("lsp documents: the edited tree re-parses to the tree of the new text", "[lsp][documents]") {
  DocumentStore store;
  const std::string original =
      "import { getUser } from './users';\n"
      "\n"
      "async function load(id: string) {\n"
      "  const user = await getUser(id);\n"
      "  return user;\n"
      "}\n"
      "\n"
      "export function start() {\n"
      "  load('a');\n"
      "}\n";
  Document& document = store.open("file:///w/a.ts", "/w/a.ts", LanguageId::TypeScript, 1, original);
  const TSTree* first = store.tree(document);
  REQUIRE(first != nullptr);
  // A copy shares the first tree's nodes; the import the edits never come near must come back as the
  // very same node (tree-sitter reused it) rather than a re-parsed one.
  TSTree* before = ts_tree_copy(first);
  const void* untouched_before = ts_node_child(ts_tree_root_node(before), 0).id;

  // Three edits, each positioned in the text the previous one left: a multi-line insertion, a one-byte
  // change, a deletion that joins two lines. Their end points exercise every TSPoint case.
  edit(document, range(8, 2, 8, 2), "void 0;\n  ");
  edit(document, range(9, 8, 9, 9), "b");
  edit(document, range(6, 0, 7, 0), "");
  REQUIRE(document.text() ==
          "import { getUser } from './users';\n\nasync function load(id: string) {\n  const user = await getUser(id);\n  return user;\n}\n"
          "export function start() {\n  void 0;\n  load('b');\n}\n");
  REQUIRE(!document.tree_is_current());

  const TSTree* after = store.tree(document);
  REQUIRE(after != nullptr);
  CHECK(document.tree_is_current());
  CHECK(sexp(after) == fresh_parse(document.text(), LanguageId::TypeScript));
  CHECK(ts_node_child(ts_tree_root_node(after), 0).id == untouched_before);

  // The check above can tell: a full replacement (no range) parses from scratch, and the node is new.
  std::string error;
  REQUIRE(document.apply_change(std::nullopt, std::string(document.text()), PositionEncoding::Utf16, error));
  CHECK(ts_node_child(ts_tree_root_node(store.tree(document)), 0).id != untouched_before);
  ts_tree_delete(before);
}

TEST_CASE("lsp documents: many random edits keep text and tree in step", "[lsp][documents]") {
  // A reference string edited by the same operations, and a fresh parse of it, are the oracles.
  DocumentStore store;
  std::string expected = "function f() {\n  return [1, 2, 3].map((x) => x * 2);\n}\nconst s = '😀 中文';\n";
  Document& document = store.open("file:///r.js", "/r.js", LanguageId::JavaScript, 1, expected);
  store.tree(document);
  std::mt19937 random(12345);
  const std::string inserts[] = {"(", ")", "{", "}", "\n", "await ", "x", "😀", "中", "'", ";\n", ""};
  for (int step = 0; step < 300; ++step) {
    // Pick byte offsets on character boundaries, then turn them into UTF-16 positions the way a client would.
    auto boundary = [&](std::size_t byte) {
      while (byte > 0 && byte < expected.size() && (static_cast<unsigned char>(expected[byte]) & 0xC0) == 0x80) --byte;
      return byte;
    };
    std::size_t a = boundary(random() % (expected.size() + 1));
    std::size_t b = boundary(std::min(expected.size(), a + random() % 6));
    if (b < a) std::swap(a, b);
    const std::string& insert = inserts[random() % (sizeof inserts / sizeof inserts[0])];
    const LineIndex lines(expected);
    const Position start = lines.position_of(expected, static_cast<std::uint32_t>(a), PositionEncoding::Utf16);
    const Position end = lines.position_of(expected, static_cast<std::uint32_t>(b), PositionEncoding::Utf16);
    edit(document, {start, end}, insert);
    expected.replace(a, b - a, insert);
    REQUIRE(document.text() == expected);
    if (step % 10 == 9) REQUIRE(sexp(store.tree(document)) == fresh_parse(expected, LanguageId::JavaScript));
  }
}
