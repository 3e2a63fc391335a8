#pragma once
// A rule's full documentation as Markdown: what `asynclint rule ID` prints, what SARIF carries as
// help.markdown, and the page docs/rules/<id>.md (`asynclint rule-docs DIR` writes the pages). One
// renderer, from the rule's own metadata, so they never drift apart.
#include <string>
#include <string_view>

#include "engine/rule.h"

namespace asynclint {

std::string rule_documentation(const Rule& rule);
// docs/rules/<id>.md: the documentation under a line saying where it is generated from.
std::string rule_page(const Rule& rule);
// docs/rules/README.md: every rule with its summary and a link to its page.
std::string rule_pages_index();
// Where a rule's page is published: SARIF's helpUri and the LSP's codeDescription.href. The base is set at
// build time (CMake's ASYNCLINT_DOCS_URL), for forks and mirrors.
std::string rule_documentation_url(std::string_view rule_id);

}  // namespace asynclint
