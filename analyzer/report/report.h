#pragma once
#include <ostream>

#include "engine/linter.h"

namespace asynclint {

struct StylishOptions {
  bool color = false;
  bool code_frame = false;
};

void write_stylish(std::ostream& out, const LintRun& run, const StylishOptions& options);
void write_json(std::ostream& out, const LintRun& run);
void write_unix(std::ostream& out, const LintRun& run);
void write_github(std::ostream& out, const LintRun& run);
void write_checkstyle(std::ostream& out, const LintRun& run);
void write_junit(std::ostream& out, const LintRun& run);

}  // namespace asynclint
