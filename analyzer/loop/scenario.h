#pragma once
// Scenarios: how a rule's finding gets its execution-order explanation from the same model `explain` uses.
//
// A rule describes what it found as a small JavaScript program built from the real code's names — which
// calls start, which promises are awaited or dropped, what runs next — and marks the moments worth telling
// with calls to host functions the model provides in scenario mode:
//
//   __step(offset, text[, nesting])  record a step at byte `offset` of the real file
//   __now()                          the model's virtual clock, in ms (for timelines)
//   __unhandled(offset, text)        what to say if a promise rejection is left unhandled (the model
//                                    decides whether and when that happens; Node then ends the process)
//   __atEnd(promise, offset, text)   said when the run ends with `promise` still pending
//   __work(ms[, failure])            a promise for an operation that takes `ms` and fulfils, or rejects
//                                    with Error(failure) (prelude, plain JavaScript)
//   __never()                        a promise that never settles (prelude)
//
// The model runs the program; the order and the times of the steps are its own, never the rule's.
#include <string>
#include <string_view>

#include "loop/explain.h"

namespace asynclint::loop {

struct ScenarioOutcome {
  bool simulated = false;
  std::string error;  // why the model could not run it (a bug in the rule's scenario)
  std::vector<ScenarioStep> steps;
};

ScenarioOutcome run_scenario(std::string_view program);

// The plain JavaScript every scenario program runs after (__work, __never): the tests put the same text in
// front of a program they run in real Node.
std::string_view scenario_prelude();

// `text` as a JavaScript string literal.
std::string js_string(std::string_view text);

}  // namespace asynclint::loop
