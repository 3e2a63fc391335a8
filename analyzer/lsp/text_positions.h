#pragma once
// LSP positions (0-based line, character) ↔ byte offsets. The character counts UTF-16 code units unless
// the client negotiated UTF-8 (then it counts bytes). Lines end at \n, \r\n or a lone \r, as LSP and
// JavaScript both define them.
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace asynclint::lsp {

enum class PositionEncoding { Utf16, Utf8 };

struct Position {
  std::uint32_t line = 0;
  std::uint32_t character = 0;
};

struct Range {
  Position start, end;
};

class LineIndex {
 public:
  LineIndex() : starts_{0} {}
  explicit LineIndex(std::string_view text);

  std::uint32_t line_count() const { return static_cast<std::uint32_t>(starts_.size()); }
  std::uint32_t line_start(std::uint32_t line) const { return starts_[line]; }
  // 0-based line containing a byte offset.
  std::uint32_t line_of(std::uint32_t byte) const;

  // The byte offset of a position in `text` (the text this index was built from). A character past the
  // end of its line means the line's end (LSP 3.17 says so); one inside a character (half a surrogate
  // pair, the middle of a UTF-8 sequence) means that character's start. A line past the last one is
  // invalid (nullopt), except {line_count, 0}: some clients name the end of the text that way.
  std::optional<std::uint32_t> offset_of(std::string_view text, Position position, PositionEncoding encoding) const;
  Position position_of(std::string_view text, std::uint32_t byte, PositionEncoding encoding) const;

 private:
  // The end of a line's content (before its terminator).
  std::uint32_t content_end(std::string_view text, std::uint32_t line) const;
  std::vector<std::uint32_t> starts_;
};

// Converts a column counted in UTF-16 code units (how the engine reports columns) to `encoding` on one
// line of text.
std::uint32_t utf16_column_to(std::string_view line_text, std::uint32_t utf16_column, PositionEncoding encoding);

}  // namespace asynclint::lsp
