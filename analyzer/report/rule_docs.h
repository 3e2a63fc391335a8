#pragma once
// A rule's full documentation as Markdown: what `asynclint rule ID` prints and what SARIF carries as
// help.markdown. One renderer, so the two never drift apart.
#include <string>

#include "engine/rule.h"

namespace asynclint {

std::string rule_documentation(const Rule& rule);

}  // namespace asynclint
