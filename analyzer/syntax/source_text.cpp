#include "syntax/source_text.h"

#include <algorithm>
#include <cstdint>
#include <cstring>

namespace asynclint {

namespace {
// For valid UTF-8 (the only text the linter accepts), a range's UTF-16 length is the number of bytes that
// start a character, plus one more for each 4-byte character; both counts add up over any split.
inline std::uint32_t units_of_byte(unsigned char c) { return ((c & 0xC0) != 0x80) + (c >= 0xF0 && c <= 0xF4); }
}  // namespace

SourceText::SourceText(std::string text) : text_(std::move(text)) {
  // Every file is indexed, so both passes go a word at a time where they can (two byte-by-byte passes
  // over the corpus cost as much as a tenth of the rules).
  const char* bytes = text_.data();
  const std::size_t size = text_.size();
  utf16_prefix_.reserve(size / kBlock + 1);
  std::uint32_t units = 0;
  for (std::size_t block = 0; block < size; block += kBlock) {
    utf16_prefix_.push_back(units);
    const std::size_t end = std::min(size, block + kBlock);
    std::size_t i = block;
    for (; i + 8 <= end; i += 8) {
      std::uint64_t word;
      std::memcpy(&word, bytes + i, 8);
      if ((word & 0x8080808080808080ull) == 0) {
        units += 8;  // ASCII: one unit per byte
        continue;
      }
      for (std::size_t k = i; k < i + 8; ++k) units += units_of_byte(static_cast<unsigned char>(bytes[k]));
    }
    for (; i < end; ++i) units += units_of_byte(static_cast<unsigned char>(bytes[i]));
  }
  line_starts_.push_back(0);
  if (!std::memchr(bytes, '\r', size)) {
    for (const char* at = bytes; (at = static_cast<const char*>(std::memchr(at, '\n', size - (at - bytes)))); ++at)
      line_starts_.push_back(static_cast<std::uint32_t>(at - bytes + 1));
    return;
  }
  for (std::size_t i = 0; i < size; ++i) {
    const char c = bytes[i];
    if (c == '\n') {
      line_starts_.push_back(static_cast<std::uint32_t>(i + 1));
    } else if (c == '\r') {
      // \r\n is one terminator; a lone \r ends a line too (old Mac files), as JavaScript defines it.
      if (i + 1 < size && bytes[i + 1] == '\n') ++i;
      line_starts_.push_back(static_cast<std::uint32_t>(i + 1));
    }
  }
}

std::uint32_t SourceText::line_index_of(std::uint32_t byte) const {
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), byte);
  return static_cast<std::uint32_t>(std::distance(line_starts_.begin(), it) - 1);
}

std::string_view SourceText::line_text(std::uint32_t line_index) const {
  const std::uint32_t start = line_starts_[line_index];
  std::uint32_t end = line_index + 1 < line_starts_.size() ? line_starts_[line_index + 1]
                                                            : static_cast<std::uint32_t>(text_.size());
  while (end > start && (text_[end - 1] == '\n' || text_[end - 1] == '\r')) --end;
  return std::string_view(text_).substr(start, end - start);
}

std::uint32_t SourceText::utf16_units_before(std::uint32_t byte) const {
  if (byte == 0 || utf16_prefix_.empty()) return 0;
  const std::uint32_t block = std::min<std::uint32_t>(byte / kBlock, static_cast<std::uint32_t>(utf16_prefix_.size() - 1));
  std::uint32_t units = utf16_prefix_[block];
  for (std::uint32_t i = block * kBlock; i < byte; ++i) units += units_of_byte(static_cast<unsigned char>(text_[i]));
  return units;
}

LineColumn SourceText::position_of(std::uint32_t byte) const {
  byte = std::min<std::uint32_t>(byte, static_cast<std::uint32_t>(text_.size()));
  const std::uint32_t line = line_index_of(byte);
  const std::uint32_t start = line_starts_[line];
  if (byte - start <= kBlock) return {line + 1, utf16_length(std::string_view(text_).substr(start, byte - start)) + 1};
  return {line + 1, utf16_units_before(byte) - utf16_units_before(start) + 1};
}

std::uint32_t utf16_length(std::string_view utf8) {
  std::uint32_t units = 0;
  std::uint32_t continuations_expected = 0;
  for (unsigned char c : utf8) {
    if ((c & 0xC0) == 0x80 && continuations_expected > 0) {  // part of the sequence just started
      --continuations_expected;
      continue;
    }
    // A lead byte, an ASCII byte, or a stray continuation byte (which counts 1, like any invalid byte).
    continuations_expected = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
    units += (c >= 0xF0 && c <= 0xF4) ? 2 : 1;
  }
  return units;
}

bool is_valid_utf8(std::string_view bytes) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  const auto* end = p + bytes.size();
  while (p < end) {
    // Source code is mostly ASCII: skip it eight bytes at a time.
    std::uint64_t word;
    while (end - p >= 8 && (std::memcpy(&word, p, 8), (word & 0x8080808080808080ull) == 0)) p += 8;
    if (p == end) break;
    const unsigned char c = *p;
    if (c < 0x80) { ++p; continue; }
    int extra;
    std::uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) { extra = 1; cp = c & 0x1F; }
    else if (c >= 0xE0 && c <= 0xEF) { extra = 2; cp = c & 0x0F; }
    else if (c >= 0xF0 && c <= 0xF4) { extra = 3; cp = c & 0x07; }
    else return false;
    if (end - p <= extra) return false;
    for (int i = 1; i <= extra; ++i) {
      if ((p[i] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[i] & 0x3F);
    }
    if ((extra == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) || (extra == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
      return false;
    p += extra + 1;
  }
  return true;
}

}  // namespace asynclint
