#include "lsp/text_positions.h"

#include <algorithm>

namespace asynclint::lsp {

namespace {

bool is_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

std::uint32_t sequence_length(unsigned char lead) {
  if (lead >= 0xF0) return 4;
  if (lead >= 0xE0) return 3;
  if (lead >= 0xC0) return 2;
  return 1;
}

// The byte in [begin, end) where `units` UTF-16 code units (or bytes) have been counted; never inside a
// character; `end` when the line is shorter.
std::uint32_t advance(std::string_view text, std::uint32_t begin, std::uint32_t end, std::uint32_t units,
                      PositionEncoding encoding) {
  if (encoding == PositionEncoding::Utf8) {
    std::uint32_t at = std::min(end, begin + units);
    while (at > begin && at < end && is_continuation(static_cast<unsigned char>(text[at]))) --at;
    return at;
  }
  std::uint32_t at = begin, counted = 0;
  while (at < end) {
    const std::uint32_t length = std::min(sequence_length(static_cast<unsigned char>(text[at])), end - at);
    const std::uint32_t width = length == 4 ? 2 : 1;  // a character outside the BMP is a surrogate pair
    if (counted + width > units) break;                // `units` ends inside this character (or before it)
    counted += width;
    at += length;
  }
  return at;
}

std::uint32_t count_units(std::string_view text, std::uint32_t begin, std::uint32_t end, PositionEncoding encoding) {
  if (encoding == PositionEncoding::Utf8) return end - begin;
  std::uint32_t units = 0;
  for (std::uint32_t i = begin; i < end; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (!is_continuation(c)) units += c >= 0xF0 ? 2 : 1;
  }
  return units;
}

}  // namespace

LineIndex::LineIndex(std::string_view text) {
  starts_.push_back(0);
  for (std::uint32_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n') {
      starts_.push_back(i + 1);
    } else if (c == '\r') {
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
      starts_.push_back(i + 1);
    }
  }
}

std::uint32_t LineIndex::line_of(std::uint32_t byte) const {
  auto it = std::upper_bound(starts_.begin(), starts_.end(), byte);
  return static_cast<std::uint32_t>(std::distance(starts_.begin(), it) - 1);
}

std::uint32_t LineIndex::content_end(std::string_view text, std::uint32_t line) const {
  const std::uint32_t start = starts_[line];
  std::uint32_t end = line + 1 < starts_.size() ? starts_[line + 1] : static_cast<std::uint32_t>(text.size());
  while (end > start && (text[end - 1] == '\n' || text[end - 1] == '\r')) --end;
  return end;
}

std::optional<std::uint32_t> LineIndex::offset_of(std::string_view text, Position position, PositionEncoding encoding) const {
  if (position.line >= starts_.size()) {
    if (position.line == starts_.size() && position.character == 0) return static_cast<std::uint32_t>(text.size());
    return std::nullopt;
  }
  return advance(text, starts_[position.line], content_end(text, position.line), position.character, encoding);
}

Position LineIndex::position_of(std::string_view text, std::uint32_t byte, PositionEncoding encoding) const {
  byte = std::min<std::uint32_t>(byte, static_cast<std::uint32_t>(text.size()));
  const std::uint32_t line = line_of(byte);
  const std::uint32_t end = std::min(byte, content_end(text, line));  // a byte inside \r\n counts as the line's end
  return {line, count_units(text, starts_[line], end, encoding)};
}

std::uint32_t utf16_column_to(std::string_view line_text, std::uint32_t utf16_column, PositionEncoding encoding) {
  if (encoding == PositionEncoding::Utf16) return utf16_column;
  return advance(line_text, 0, static_cast<std::uint32_t>(line_text.size()), utf16_column, PositionEncoding::Utf16);
}

}  // namespace asynclint::lsp
