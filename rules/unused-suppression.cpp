// unused-suppression: a suppression comment that suppresses nothing. The engine reads suppression comments
// (engine/suppressions.h) and reports these itself; this file gives the finding a rule id like any other,
// so that its documentation, `--rule unused-suppression=off` and `"rules": {"unused-suppression": …}` work.
#include "engine/rule.h"

namespace asynclint {
namespace {

const RuleMeta kMeta{
    "unused-suppression",
    "A suppression comment suppresses nothing, or names a rule that does not exist.",
    R"(An `asynclint-disable…` (or `eslint-disable…`) comment whose rules report nothing where it applies, or
that names something that is not an asynclint rule.

**Why it matters.** A suppression outlives the finding it was written for: after the code is fixed it stays,
and later hides a new finding on that line without anyone deciding to. A misspelt rule name suppresses
nothing at all, while it looks as if it did.

**Not reported:** a comment naming a rule that is turned off for the file (turning a rule off in the
configuration does not make every comment about it stale), and comments naming only rules of other tools
(`eslint-disable-next-line no-console`).

**Fix.** Delete the comment, or correct the rule name.

**Configuration.** `"unused-suppression": "off" | "warn" | "error"` in `rules`, or `--rule
unused-suppression=off`. `"reportUnusedSuppressions"` is the older spelling of the same setting.)",
    {{true, "job.js", R"(async function save(record) {
  await Promise.reject(new Error("disk full"));
}
// asynclint-disable-next-line floating-promise
await save({ id: 1 });
)"},
     {false, "job.js", R"(async function save(record) {
  await Promise.reject(new Error("disk full"));
}
// asynclint-disable-next-line floating-promise -- the job runner reports unhandled rejections itself
save({ id: 1 });
)"}},
    Severity::Warn,
    {},
    {},
    false,
    /*reported_by_engine=*/true,
};

class UnusedSuppression final : public Rule {
 public:
  const RuleMeta& meta() const override { return kMeta; }
  void check(TSNode, Kind, RuleContext&) const override {}  // never called: it asks for no node kinds
};

}  // namespace
ASYNCLINT_REGISTER_RULE(UnusedSuppression);
}  // namespace asynclint
