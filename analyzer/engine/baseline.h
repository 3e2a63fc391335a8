#pragma once
// The baseline for adopting asynclint in an old codebase, in the style of ESLint's bulk suppressions:
// asynclint-suppressions.json maps each file (relative to the baseline's folder) and rule to the number of
// findings accepted. Counts, not lines, so the baseline survives unrelated edits and code moving around.
// While a file has at most that many findings of a rule they are all accepted; one more, and every
// finding of that rule in that file is reported again, since a count cannot say which one is new.
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "engine/linter.h"

namespace asynclint {

struct Baseline {
  std::map<std::string, std::map<std::string, std::size_t>> accepted;  // file → rule → count
};

// A missing file is an empty baseline; malformed JSON sets `error`.
std::optional<Baseline> load_baseline(const std::string& path, std::string& error);
bool save_baseline(const std::string& path, const Baseline& baseline, std::string& error);

// The current counts, keyed like the baseline (paths relative to `baseline_directory`), for `rules` (all
// when empty).
Baseline count_findings(const LintRun& run, const std::string& baseline_directory, const std::set<std::string>& rules = {});

struct BaselineOutcome {
  std::size_t accepted = 0;                // findings left out because the baseline accepts them
  std::vector<std::string> unused;         // "file: rule (N accepted, M found)" entries with room to prune
};

// --suppress-all / --suppress-rule: for every file in the run, the entries of `rules` (all when empty)
// become the current counts; files not in the run keep theirs.
void record_findings(Baseline& baseline, const LintRun& run, const std::string& baseline_directory,
                     const std::set<std::string>& rules);

// Removes accepted findings from `run`. Only files present in the run are judged, so linting a subset
// of the project neither reports nor prunes the rest.
BaselineOutcome apply_baseline(LintRun& run, const Baseline& baseline, const std::string& baseline_directory);
// Lowers counts to what the run found (dropping zeros) for the files in the run.
void prune_baseline(Baseline& baseline, const LintRun& run, const std::string& baseline_directory);

}  // namespace asynclint
