#include "syntax/parse.h"

namespace asynclint {

namespace {
// Calibrated 2026-12-07 (tree-sitter 0.25, which checks progress once per 100 parser operations) on the
// benchmark corpus and the review loop's application corpus, 15,881 files: the most any file of 4 KB or
// more used was 20.5 checks per KB (a bundled dist/index.js), the most any smaller file used 57 checks.
// Five times the first and 35 times the second; the fuzzer's 5 KB input needs millions.
constexpr std::uint64_t kParseChecksBase = 2000;
constexpr std::uint64_t kParseChecksPerKilobyte = 100;

struct Budget {
  std::uint64_t left;
};

bool over_budget(TSParseState* state) {
  auto* budget = static_cast<Budget*>(state->payload);
  if (budget->left == 0) return true;  // true cancels the parse
  --budget->left;
  return false;
}
}  // namespace

std::uint64_t parse_check_budget(std::size_t bytes) {
  return kParseChecksBase + static_cast<std::uint64_t>(bytes) * kParseChecksPerKilobyte / 1024;
}

TSTree* parse_bounded(TSParser* parser, const TSTree* old_tree, std::string_view text) {
  Budget budget{parse_check_budget(text.size())};
  TSInput input{};
  struct Source {
    std::string_view text;
  } source{text};
  input.payload = &source;
  input.read = [](void* payload, std::uint32_t byte, TSPoint, std::uint32_t* read) -> const char* {
    const std::string_view whole = static_cast<Source*>(payload)->text;
    if (byte >= whole.size()) {
      *read = 0;
      return "";
    }
    *read = static_cast<std::uint32_t>(whole.size() - byte);
    return whole.data() + byte;
  };
  input.encoding = TSInputEncodingUTF8;
  TSParseOptions options{&budget, over_budget};
  TSTree* tree = ts_parser_parse_with_options(parser, old_tree, input, options);
  if (!tree) ts_parser_reset(parser);
  return tree;
}

}  // namespace asynclint
