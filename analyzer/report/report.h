#pragma once
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "engine/linter.h"

namespace asynclint {

struct StylishOptions {
  bool color = false;
  bool code_frame = false;
  bool explain = false;  // the execution-order explanation under each finding (--explain, -v)
};

// One of a finding's explanations (as written, or fixed) as numbered text lines ("1. [100 ms] line 7: …"),
// shared by stylish and LSP hovers.
std::vector<std::string> explanation_lines(const std::vector<ExplanationStep>& steps, const std::string& finding_path);

// The headings the two explanations go under, in every output that shows them.
inline constexpr std::string_view kExplanationHeading = "how it runs (simulated by the event-loop model):";
inline constexpr std::string_view kFixedExplanationHeading = "with the suggested fix (the fixed code, simulated separately):";

void write_stylish(std::ostream& out, const LintRun& run, const StylishOptions& options);
void write_json(std::ostream& out, const LintRun& run);
void write_unix(std::ostream& out, const LintRun& run);
void write_github(std::ostream& out, const LintRun& run);
void write_checkstyle(std::ostream& out, const LintRun& run);
void write_junit(std::ostream& out, const LintRun& run);

struct SarifOptions {
  bool include_suppressed = false;     // --sarif-include-suppressed
  // runs[0].automationDetails.id; empty: left out, so that GitHub's upload applies its own `category` input
  // (it ignores that input whenever the file already has an id).
  std::string automation_id;
  std::string source_root_uri;         // file:///…/ of the folder paths are relative to
};
void write_sarif(std::ostream& out, const LintRun& run, const SarifOptions& options);
// GitHub's primaryLocationLineHash for every line of a file (index = 1-based line).
std::vector<std::string> github_line_hashes(std::string_view utf8);

}  // namespace asynclint
