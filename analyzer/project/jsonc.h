#pragma once
// JSON with comments and trailing commas: asynclint.json, tsconfig.json and jsconfig.json are written so.
#include <string>

namespace asynclint {

// The text with each trailing comma blanked, ready for nlohmann::json::parse with ignore_comments.
std::string without_trailing_commas(std::string text);

}  // namespace asynclint
