#include "syntax/language.h"

#include <tree_sitter/api.h>

extern "C" {
const TSLanguage* tree_sitter_javascript(void);
const TSLanguage* tree_sitter_typescript(void);
const TSLanguage* tree_sitter_tsx(void);
}

namespace asynclint {

namespace {
bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}
}  // namespace

std::optional<LanguageId> language_for_path(std::string_view path) {
  for (std::string_view ext : {".js", ".mjs", ".cjs", ".jsx"})
    if (ends_with(path, ext)) return LanguageId::JavaScript;
  for (std::string_view ext : {".ts", ".mts", ".cts"})
    if (ends_with(path, ext)) return LanguageId::TypeScript;
  if (ends_with(path, ".tsx")) return LanguageId::Tsx;
  return std::nullopt;
}

const TSLanguage* ts_language(LanguageId id) {
  switch (id) {
    case LanguageId::JavaScript: return tree_sitter_javascript();
    case LanguageId::TypeScript: return tree_sitter_typescript();
    case LanguageId::Tsx: return tree_sitter_tsx();
  }
  return nullptr;
}

std::string_view language_name(LanguageId id) {
  switch (id) {
    case LanguageId::JavaScript: return "javascript";
    case LanguageId::TypeScript: return "typescript";
    case LanguageId::Tsx: return "tsx";
  }
  return "unknown";
}

}  // namespace asynclint
