#pragma once
// How a file is laid out, for code a fix inserts: the indentation unit its lines use, and the length of its
// longest line (an inserted line should not be longer).
#include <cstddef>
#include <string>
#include <string_view>

namespace asynclint {

struct SourceLayout {
  std::string unit = "  ";        // "\t", "  " or "    ": what one more level of nesting adds
  std::size_t longest_line = 80;  // in bytes; at least 80, so that a short file still has room
};

SourceLayout measure_layout(std::string_view source);

// The whitespace a line starts with, for the line holding `byte`.
std::string indentation_of_line(std::string_view source, std::size_t byte);
// The length of the line holding `byte`.
std::size_t length_of_line(std::string_view source, std::size_t byte);

}  // namespace asynclint
