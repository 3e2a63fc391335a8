#include "project/jsonc.h"

#include <cctype>
#include <optional>

namespace asynclint {

// JSON with comments and trailing commas, as VS Code reads .json files it treats as JSONC. nlohmann 3.11
// (Debian 12) skips comments but rejects trailing commas (an option for them came in 3.12), so each comma
// that directly precedes '}' or ']' is blanked first; every other byte stays where it was, so positions in
// error messages are still true. A comma after '{', '[' or another comma is left for the parser to reject.
std::string without_trailing_commas(std::string text) {
  enum class State { Code, String, LineComment, BlockComment } state = State::Code;
  std::optional<std::size_t> comma;
  char last = 0;  // the last significant character in code
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const char next = i + 1 < text.size() ? text[i + 1] : '\0';
    switch (state) {
      case State::String:
        if (c == '\\') ++i;
        else if (c == '"') state = State::Code;
        break;
      case State::LineComment:
        if (c == '\n') state = State::Code;
        break;
      case State::BlockComment:
        if (c == '*' && next == '/') {
          state = State::Code;
          ++i;
        }
        break;
      case State::Code:
        if (c == '/' && next == '/') {
          state = State::LineComment;
          ++i;
        } else if (c == '/' && next == '*') {
          state = State::BlockComment;
          ++i;
        } else if (std::isspace(static_cast<unsigned char>(c))) {
        } else {
          if ((c == '}' || c == ']') && comma) text[*comma] = ' ';
          comma = c == ',' && last != '{' && last != '[' && last != ',' ? std::optional<std::size_t>(i) : std::nullopt;
          if (c == '"') state = State::String;
          last = c;
        }
        break;
    }
  }
  return text;
}

}  // namespace asynclint
