#include "report/rule_docs.h"

#include <sstream>

namespace asynclint {

std::string rule_documentation(const Rule& rule) {
  const RuleMeta& meta = rule.meta();
  std::ostringstream out;
  out << "# " << meta.id << "\n\n" << meta.summary << "\n\n" << meta.description << "\n\n";
  out << "Default severity: " << severity_name(meta.default_severity) << ".";
  if (meta.has_suggestions) out << " Offers suggested fixes (never applied without asking).";
  out << "\n";
  for (const auto& example : meta.examples) {
    const std::string_view file = example.file_name;
    const std::string fence = file.substr(file.rfind('.') + 1) == "js" ? "js" : std::string(file.substr(file.rfind('.') + 1));
    out << "\n## " << (example.is_bug ? "Bad" : "Good") << " (`" << file << "`)\n\n```" << fence << "\n" << example.code << "```\n";
  }
  if (!meta.options.empty()) {
    out << "\n## Options\n\n";
    for (const auto& option : meta.options)
      out << "- `" << option.name << "` (default `" << option.default_value.dump() << "`): " << option.description << "\n";
    out << "\nIn asynclint.json: `\"" << meta.id << "\": [\"error\", { \"" << meta.options.front().name << "\": "
        << meta.options.front().default_value.dump() << " }]`\n";
  }
  return out.str();
}

}  // namespace asynclint
