#pragma once
// Which tree-sitter grammar parses a file.
#include <optional>
#include <string_view>

struct TSLanguage;

namespace asynclint {

enum class LanguageId { JavaScript, TypeScript, Tsx };

// The grammar for a path by its extension; nullopt for anything we do not lint.
std::optional<LanguageId> language_for_path(std::string_view path);
const TSLanguage* ts_language(LanguageId id);
std::string_view language_name(LanguageId id);

}  // namespace asynclint
