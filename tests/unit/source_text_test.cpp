// Unit tests of SourceText (line index, UTF-16 columns, line text) and the UTF-8 helpers.
#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

#include "syntax/source_text.h"

using namespace asynclint;

namespace {
std::string position(const SourceText& source, std::uint32_t byte) {
  const LineColumn lc = source.position_of(byte);
  return std::to_string(lc.line) + ":" + std::to_string(lc.column);
}
}  // namespace

TEST_CASE("SourceText line index with \\n, \\r\\n and a lone \\r", "[source]") {
  // bytes: a(0) \n(1) b(2) \r(3) \n(4) c(5) \r(6) d(7)
  const SourceText source(std::string("a\nb\r\nc\rd"));
  REQUIRE(source.line_count() == 4);
  CHECK(source.line_start(0) == 0);
  CHECK(source.line_start(1) == 2);
  CHECK(source.line_start(2) == 5);
  CHECK(source.line_start(3) == 7);
  CHECK(source.line_index_of(0) == 0);
  CHECK(source.line_index_of(1) == 0);  // the \n belongs to the line it ends
  CHECK(source.line_index_of(2) == 1);
  CHECK(source.line_index_of(4) == 1);
  CHECK(source.line_index_of(5) == 2);
  CHECK(source.line_index_of(6) == 2);
  CHECK(source.line_index_of(7) == 3);
  CHECK(source.line_text(0) == "a");
  CHECK(source.line_text(1) == "b");
  CHECK(source.line_text(2) == "c");
  CHECK(source.line_text(3) == "d");
  CHECK(position(source, 0) == "1:1");
  CHECK(position(source, 2) == "2:1");
  CHECK(position(source, 3) == "2:2");
  CHECK(position(source, 5) == "3:1");
  CHECK(position(source, 7) == "4:1");
  CHECK(position(source, 8) == "4:2");    // end of text
  CHECK(position(source, 1000) == "4:2");  // clamped to the end
}

TEST_CASE("SourceText: empty text, trailing terminators, blank lines", "[source]") {
  const SourceText empty{std::string()};
  CHECK(empty.line_count() == 1);
  CHECK(empty.line_text(0).empty());
  CHECK(position(empty, 0) == "1:1");

  const SourceText trailing(std::string("x\n"));
  CHECK(trailing.line_count() == 2);
  CHECK(trailing.line_text(0) == "x");
  CHECK(trailing.line_text(1).empty());
  CHECK(position(trailing, 2) == "2:1");

  const SourceText blank(std::string("\r\n\r\n\r\r\n\n"));
  // lines: "" (\r\n) "" (\r\n) "" (\r) "" (\r\n) "" (\n) ""
  CHECK(blank.line_count() == 6);
  for (std::uint32_t i = 0; i < blank.line_count(); ++i) CHECK(blank.line_text(i).empty());
  CHECK(blank.line_start(2) == 4);
  CHECK(blank.line_start(3) == 5);
  CHECK(blank.line_start(4) == 7);
  CHECK(blank.line_start(5) == 8);

  const SourceText crlf(std::string("let a;\r\nlet b;\r\n"));
  CHECK(crlf.line_count() == 3);
  CHECK(crlf.line_text(0) == "let a;");
  CHECK(crlf.line_text(1) == "let b;");
  CHECK(position(crlf, 12) == "2:5");
}

TEST_CASE("SourceText columns count UTF-16 code units", "[source]") {
  // "é" is 2 bytes / 1 unit, "€" 3 bytes / 1 unit, "😀" 4 bytes / 2 units.
  const std::string text = "\xC3\xA9\xF0\x9F\x98\x80x\n\xE2\x82\xACy\t\xF0\x9F\x98\x80z";
  const SourceText source(text);
  REQUIRE(source.line_count() == 2);
  CHECK(position(source, 0) == "1:1");  // é
  CHECK(position(source, 2) == "1:2");  // 😀
  CHECK(position(source, 6) == "1:4");  // x: 1 + 1 (é) + 2 (😀)
  CHECK(position(source, 7) == "1:5");  // the \n
  CHECK(position(source, 8) == "2:1");  // €
  CHECK(position(source, 11) == "2:2");  // y
  CHECK(position(source, 12) == "2:3");  // tab counts as one
  CHECK(position(source, 13) == "2:4");  // 😀
  CHECK(position(source, 17) == "2:6");  // z
  CHECK(source.line_text(0) == "\xC3\xA9\xF0\x9F\x98\x80x");

  CHECK(utf16_length("") == 0);
  CHECK(utf16_length("abc") == 3);
  CHECK(utf16_length("\xC3\xA9") == 1);
  CHECK(utf16_length("\xE2\x82\xAC") == 1);
  CHECK(utf16_length("\xF0\x9F\x98\x80") == 2);
  CHECK(utf16_length("a\xF0\x9F\x98\x80\xC3\xA9") == 4);
  // The header's contract: invalid bytes count 1 each (a stray continuation byte is invalid).
  CHECK(utf16_length("\x80") == 1);
  CHECK(utf16_length("a\x80z") == 3);
}

TEST_CASE("is_valid_utf8", "[source]") {
  SECTION("well-formed") {
    CHECK(is_valid_utf8(""));
    CHECK(is_valid_utf8("plain ascii\n"));
    CHECK(is_valid_utf8("\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80"));
    CHECK(is_valid_utf8("\xC2\x80"));          // U+0080, smallest 2-byte
    CHECK(is_valid_utf8("\xDF\xBF"));          // U+07FF
    CHECK(is_valid_utf8("\xE0\xA0\x80"));      // U+0800, smallest 3-byte
    CHECK(is_valid_utf8("\xED\x9F\xBF"));      // U+D7FF, just below the surrogates
    CHECK(is_valid_utf8("\xEE\x80\x80"));      // U+E000, just above them
    CHECK(is_valid_utf8("\xEF\xBF\xBF"));      // U+FFFF
    CHECK(is_valid_utf8("\xF0\x90\x80\x80"));  // U+10000, smallest 4-byte
    CHECK(is_valid_utf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF, the largest code point
    CHECK(is_valid_utf8("\xEF\xBB\xBF" "bom"));
  }
  SECTION("overlong encodings") {
    CHECK_FALSE(is_valid_utf8("\xC0\xAF"));          // '/' in 2 bytes
    CHECK_FALSE(is_valid_utf8("\xC1\xBF"));
    CHECK_FALSE(is_valid_utf8("\xC0\x80"));          // NUL in 2 bytes
    CHECK_FALSE(is_valid_utf8("\xE0\x80\xAF"));      // '/' in 3 bytes
    CHECK_FALSE(is_valid_utf8("\xE0\x9F\xBF"));      // U+07FF in 3 bytes
    CHECK_FALSE(is_valid_utf8("\xF0\x80\x80\xAF"));  // '/' in 4 bytes
    CHECK_FALSE(is_valid_utf8("\xF0\x8F\xBF\xBF"));  // U+FFFF in 4 bytes
  }
  SECTION("surrogates") {
    CHECK_FALSE(is_valid_utf8("\xED\xA0\x80"));  // U+D800
    CHECK_FALSE(is_valid_utf8("\xED\xBF\xBF"));  // U+DFFF
    CHECK_FALSE(is_valid_utf8("\xED\xA0\xBD\xED\xB8\x80"));  // a CESU-8 pair
  }
  SECTION("above U+10FFFF") {
    CHECK_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // U+110000
    CHECK_FALSE(is_valid_utf8("\xF5\x80\x80\x80"));
    CHECK_FALSE(is_valid_utf8("\xF7\xBF\xBF\xBF"));
    CHECK_FALSE(is_valid_utf8("\xF8\x88\x80\x80\x80"));
  }
  SECTION("truncated sequences") {
    CHECK_FALSE(is_valid_utf8("\xC3"));
    CHECK_FALSE(is_valid_utf8("\xE2\x82"));
    CHECK_FALSE(is_valid_utf8("a\xF0\x9F\x98"));
    CHECK_FALSE(is_valid_utf8("\xE2\x82x"));        // cut short by an ASCII byte
    CHECK_FALSE(is_valid_utf8("\xF0\x9F\x98" "a"));
  }
  SECTION("stray bytes") {
    CHECK_FALSE(is_valid_utf8("\x80"));
    CHECK_FALSE(is_valid_utf8("a\xBFz"));
    CHECK_FALSE(is_valid_utf8("\xFE"));
    CHECK_FALSE(is_valid_utf8("\xFF"));
    CHECK_FALSE(is_valid_utf8("\xC3\x28"));  // a lead byte followed by a non-continuation
  }
}

TEST_CASE("SourceText positions agree with a byte-by-byte count on long mixed texts", "[source]") {
  // The index is built a word at a time and per 256-byte block: texts longer than a block, with ASCII runs,
  // 2-, 3- and 4-byte characters and every line terminator, checked at every character start.
  std::mt19937 random(7);
  const std::vector<std::string> pieces{"a", "bcdefghij", " ", "é", "€", "😀", "x = 1;", "\n", "\r\n", "\r"};
  for (int round = 0; round < 20; ++round) {
    // Half the rounds without line breaks: columns on lines longer than a block use the block sums.
    const std::size_t kinds = round % 2 ? pieces.size() : pieces.size() - 3;
    std::string text;
    const int count = 50 + static_cast<int>(random() % 400);
    for (int i = 0; i < count; ++i) text += pieces[random() % kinds];
    const SourceText source(text);
    std::uint32_t line = 1, column = 1;
    for (std::size_t i = 0; i < text.size();) {
      const auto byte = static_cast<unsigned char>(text[i]);
      const std::size_t length = byte < 0x80 ? 1 : byte < 0xE0 ? 2 : byte < 0xF0 ? 3 : 4;
      INFO("round " << round << ", byte " << i);
      const LineColumn at = source.position_of(static_cast<std::uint32_t>(i));
      REQUIRE(at.line == line);
      REQUIRE(at.column == column);
      if (text[i] == '\n' || (text[i] == '\r' && (i + 1 >= text.size() || text[i + 1] != '\n'))) {
        ++line;
        column = 1;
      } else {
        column += length == 4 ? 2 : 1;  // a \r before \n is a unit of its line like any other
      }
      i += length;
    }
    CHECK(source.line_count() == line);
  }
}

TEST_CASE("is_valid_utf8 finds a bad sequence wherever it sits among ASCII runs", "[source]") {
  // ASCII is skipped eight bytes at a time: a bad or good sequence at every alignment must still be seen.
  for (std::size_t before = 0; before < 20; ++before) {
    for (std::size_t after = 0; after < 12; ++after) {
      INFO(before << " ASCII bytes before, " << after << " after");
      const std::string head(before, 'a'), tail(after, 'b');
      CHECK(is_valid_utf8(head + "\xE2\x82\xAC" + tail));
      CHECK_FALSE(is_valid_utf8(head + "\xC0\xAF" + tail));  // overlong
      CHECK_FALSE(is_valid_utf8(head + "\x80" + tail));      // stray continuation
      CHECK_FALSE(is_valid_utf8(head + "\xE2\x82"));         // cut short at the end
    }
  }
}
