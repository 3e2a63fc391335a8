#pragma once
// A file's text with a line index. Everything inside the program speaks byte offsets; line and column
// numbers are made here, at the edges, in the units each consumer expects.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace asynclint {

struct LineColumn {
  std::uint32_t line = 1;    // 1-based
  std::uint32_t column = 1;  // 1-based, in UTF-16 code units (ESLint, SARIF and LSP count these)
};

class SourceText {
 public:
  SourceText() = default;
  explicit SourceText(std::string text);

  std::string_view text() const { return text_; }
  std::uint32_t line_count() const { return static_cast<std::uint32_t>(line_starts_.size()); }
  // 0-based line index containing a byte offset.
  std::uint32_t line_index_of(std::uint32_t byte) const;
  std::uint32_t line_start(std::uint32_t line_index) const { return line_starts_[line_index]; }
  // The text of a 0-based line without its line terminator (\n, \r\n or a lone \r).
  std::string_view line_text(std::uint32_t line_index) const;
  LineColumn position_of(std::uint32_t byte) const;

 private:
  // UTF-16 units of text_[0, byte): prefix sums per block, so a column on a 5 MB single line costs at
  // most one block's scan instead of the whole line's.
  std::uint32_t utf16_units_before(std::uint32_t byte) const;
  static constexpr std::uint32_t kBlock = 256;
  std::string text_;
  std::vector<std::uint32_t> line_starts_;
  std::vector<std::uint32_t> utf16_prefix_;  // units before each block
};

// UTF-16 code units needed for UTF-8 bytes (4-byte sequences count 2; invalid bytes count 1 each).
std::uint32_t utf16_length(std::string_view utf8);
// Whether bytes are well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
bool is_valid_utf8(std::string_view bytes);

}  // namespace asynclint
