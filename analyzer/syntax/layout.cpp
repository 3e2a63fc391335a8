#include "syntax/layout.h"

#include <algorithm>

namespace asynclint {

SourceLayout measure_layout(std::string_view source) {
  SourceLayout layout;
  std::size_t tabs = 0, two = 0, four = 0, longest = 0;
  for (std::size_t start = 0; start < source.size();) {
    std::size_t end = source.find('\n', start);
    if (end == std::string_view::npos) end = source.size();
    const std::string_view line = source.substr(start, end - start);
    longest = std::max(longest, line.size());
    if (!line.empty() && line[0] == '\t') {
      ++tabs;
    } else {
      const std::size_t spaces = line.find_first_not_of(' ');
      if (spaces != std::string_view::npos && spaces > 0) {
        if (spaces % 4 != 0) ++two;  // only a two-space file has lines indented 2, 6, 10 …
        else ++four;
      }
    }
    start = end + 1;
  }
  if (tabs > two + four) layout.unit = "\t";
  else if (four > 0 && two == 0) layout.unit = "    ";
  layout.longest_line = std::max<std::size_t>(80, longest);
  return layout;
}

std::string indentation_of_line(std::string_view source, std::size_t byte) {
  std::size_t start = std::min(byte, source.size());
  while (start > 0 && source[start - 1] != '\n' && source[start - 1] != '\r') --start;
  std::size_t end = start;
  while (end < source.size() && (source[end] == ' ' || source[end] == '\t')) ++end;
  return std::string(source.substr(start, end - start));
}

std::size_t length_of_line(std::string_view source, std::size_t byte) {
  std::size_t start = std::min(byte, source.size());
  while (start > 0 && source[start - 1] != '\n') --start;
  std::size_t end = source.find('\n', start);
  if (end == std::string_view::npos) end = source.size();
  if (end > start && source[end - 1] == '\r') --end;
  return end - start;
}

}  // namespace asynclint
