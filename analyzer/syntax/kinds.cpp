#include "syntax/kinds.h"

#include <tree_sitter/api.h>

#include <mutex>
#include <string>

namespace asynclint {

namespace {

struct KindSpelling {
  Kind kind;
  std::string_view text;
  bool named;
};

// C++ keywords cannot be enumerators, so a trailing underscore is dropped from the spelling.
constexpr std::string_view strip_underscore(std::string_view name) {
  return (!name.empty() && name.back() == '_' && name != "_") ? name.substr(0, name.size() - 1) : name;
}

const KindSpelling kSpellings[] = {
#define ASYNCLINT_SPELL_NAMED(name) {Kind::name, strip_underscore(#name), true},
#define ASYNCLINT_SPELL_TOKEN(name, text) {Kind::name, text, false},
    ASYNCLINT_NAMED_KINDS(ASYNCLINT_SPELL_NAMED) ASYNCLINT_TOKEN_KINDS(ASYNCLINT_SPELL_TOKEN)
#undef ASYNCLINT_SPELL_NAMED
#undef ASYNCLINT_SPELL_TOKEN
};

const std::string_view kFieldNames[] = {
#define ASYNCLINT_FIELD_NAME(name) strip_underscore(#name),
    ASYNCLINT_FIELDS(ASYNCLINT_FIELD_NAME)
#undef ASYNCLINT_FIELD_NAME
};

}  // namespace

std::string_view kind_name(Kind kind) {
  for (const auto& spelling : kSpellings)
    if (spelling.kind == kind) return spelling.text;
  return "unknown";
}

Kind kind_from_name(std::string_view name) {
  for (const auto& spelling : kSpellings)
    if (spelling.named && spelling.text == name) return spelling.kind;
  return Kind::unknown;
}

SyntaxTables::SyntaxTables(LanguageId id) {
  const TSLanguage* language = ts_language(id);
  const std::uint32_t count = ts_language_symbol_count(language);
  kinds_.assign(count, Kind::unknown);
  for (std::uint32_t symbol = 0; symbol < count; ++symbol) {
    const TSSymbolType type = ts_language_symbol_type(language, static_cast<TSSymbol>(symbol));
    if (type == TSSymbolTypeAuxiliary) continue;
    const std::string_view name = ts_language_symbol_name(language, static_cast<TSSymbol>(symbol));
    const bool named = type == TSSymbolTypeRegular;
    for (const auto& spelling : kSpellings) {
      if (spelling.named == named && spelling.text == name) {
        kinds_[symbol] = spelling.kind;
        break;
      }
    }
  }
  for (int field = 0; field < static_cast<int>(Field::count_); ++field) {
    const std::string_view name = kFieldNames[field];
    field_ids_[field] = ts_language_field_id_for_name(language, name.data(), static_cast<std::uint32_t>(name.size()));
  }
}

const SyntaxTables& SyntaxTables::for_language(LanguageId id) {
  static std::once_flag once;
  static const SyntaxTables* tables[3];
  std::call_once(once, [] {
    tables[0] = new SyntaxTables(LanguageId::JavaScript);
    tables[1] = new SyntaxTables(LanguageId::TypeScript);
    tables[2] = new SyntaxTables(LanguageId::Tsx);
  });
  return *tables[static_cast<int>(id)];
}

}  // namespace asynclint
