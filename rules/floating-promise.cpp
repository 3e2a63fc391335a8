// floating-promise: a promise that is created and then dropped on the floor.
#include "rule_helpers.h"

namespace asynclint {
namespace {

const RuleMeta kMeta{
    "floating-promise",
    "A promise is created by a statement and then ignored: not awaited, returned, or given a rejection handler.",
    R"(An expression statement produces a promise and nothing handles it: it is not awaited, not returned, not
assigned, not passed on, not `void`-ed, and has no rejection handler.

**Why it is a bug.** The statement starts asynchronous work and the function moves on at once: the code after
it runs before the work has finished (a forgotten `await`), and the caller that awaits this function is told
"done" too early. If the promise rejects, no handler exists: Node reports an unhandled rejection and, since
Node 15, terminates the process.

**What counts as a promise.** asynclint needs no type checker: it follows calls to functions declared
`async`, functions annotated `Promise<…>`/`PromiseLike<…>`, functions whose body returns a promise, class
methods through `this`, functions imported from other files of the project (ESM and CommonJS), and known
APIs (`fetch`, `Promise.*`, `import()`, `fs/promises`, `timers/promises`, `stream/promises`, `dns/promises`,
`util.promisify`, a fetch `Response`'s body readers). A call it cannot see into is never reported.

A statement that is a `.then()`/`.catch()`/`.finally()` chain is `missing-catch`'s business; one statement
never gets both findings.

**Fix.** `await` it (inside an async function), return it, or hand it to code that handles it. If it is
really meant to run in the background, say so with `void task();` and make sure the task handles its own
errors.)",
    {{true, "worker.ts", R"(class Worker {
  async flush(): Promise<void> { await this.queue.drain(); }
  async stop() {
    this.flush();
    this.closed = true;
  }
}
)"},
     {false, "worker.ts", R"(class Worker {
  async flush(): Promise<void> { await this.queue.drain(); }
  async stop() {
    await this.flush();
    this.closed = true;
  }
}
)"}},
    Severity::Error,
    {Kind::expression_statement},
    {{"ignoreVoid", RuleOption::Type::Boolean, true, "Do not report `void task();` (an explicit fire-and-forget)."},
     {"ignoreIIFE", RuleOption::Type::Boolean, false, "Do not report async IIFEs: `(async () => { … })();`."},
     {"allowForKnownSafeCalls", RuleOption::Type::StringList, nlohmann::json::array(),
      "Callees whose promises may float, by name as written at the call (`logEvent`, `metrics.flush`)."}},
    true,
};

class FloatingPromise final : public Rule {
 public:
  const RuleMeta& meta() const override { return kMeta; }

  void check(TSNode statement, Kind, RuleContext& context) const override {
    const Syntax& syntax = context.syntax();
    TSNode expression = syntax.unwrap(syntax.first_named_child(statement));
    if (ts_node_is_null(expression)) return;
    bool voided = false;
    if (syntax.is(expression, Kind::unary_expression) &&
        syntax.kind(syntax.field(expression, Field::operator_)) == Kind::kw_void) {
      if (context.options().value("ignoreVoid", true)) return;
      voided = true;
      expression = syntax.unwrap(syntax.field(expression, Field::argument));
    }
    // A chain statement belongs to missing-catch: one finding per statement.
    if (!rule_helpers::chain_method(syntax, expression).empty()) return;
    if (rule_helpers::chain_starts_with_await(syntax, expression)) return;

    TSNode producer{};
    PromiseFact fact = unhandled_promise(context, expression, producer);
    if (!fact.maybe()) return;
    if (fact.is_async_iife) {
      if (context.options().value("ignoreIIFE", false)) return;
      // An async IIFE as a statement is fire-and-forget by construction; it is only a bug when its body
      // can reject.
      if (!context.model().async_body_can_reject(syntax.unwrap(syntax.field(producer, Field::function)))) return;
    }
    if (syntax.is(producer, Kind::call_expression) && is_allowed(context, producer)) return;

    RuleReport report;
    report.node = statement;
    const std::string label = syntax.is(producer, Kind::call_expression) ? rule_helpers::callee_label(syntax, producer) + "()" : "this expression";
    report.message = (voided ? "The promise of " : "The promise returned by ") + label + " (" + fact.what +
                     ") is not handled: nothing awaits it, so the code after it runs before it settles, and if it "
                     "rejects nothing catches the error (Node terminates on an unhandled rejection).";
    report.condition = fact.question;
    if (fact.answer == PromiseFact::Answer::Yes && !ts_node_is_null(fact.declaration)) {
      report.related_declaration = fact.declaration;
      report.related_message = fact.what + " is declared here";
    }
    if (context.wants_scenario()) report.scenario = rule_helpers::dropped_promise_scenario(
        syntax, context.model(), statement, label,
        voided ? "`void` discards the promise on purpose, and no handler is attached: execution moves on at once"
               : "nothing awaits the promise and no handler is attached: execution moves on at once");
    // Suggestions: `await` replaces a `void` (or goes in front); `void` goes in front.
    const std::uint32_t start = ts_node_start_byte(statement);
    const std::uint32_t awaited_from =
        voided ? ts_node_start_byte(syntax.field(syntax.first_named_child(statement), Field::argument)) : start;
    if (rule_helpers::in_async_function(context.model(), statement))
      report.suggestions.push_back({"Await the promise", {{start, awaited_from, "await "}}});
    if (!voided) report.suggestions.push_back({"Mark it as deliberately not awaited with `void`", {{start, start, "void "}}});
    context.report(std::move(report));
  }

 private:
  // The unhandled promise an expression evaluates to, looking through `c ? a : b`, `x && p()` and
  // sequences; a branch that ends in a handled chain does not count.
  static PromiseFact unhandled_promise(const RuleContext& context, TSNode expression, TSNode& producer, int depth = 0) {
    const Syntax& syntax = context.syntax();
    // `a ? b ? c : d : e` nests without limit in generated code; past this depth we do not guess.
    if (depth > 64) return PromiseFact::no();
    expression = syntax.unwrap(expression);
    switch (syntax.kind(expression)) {
      case Kind::ternary_expression: {
        PromiseFact fact = unhandled_promise(context, syntax.field(expression, Field::consequence), producer, depth + 1);
        if (fact.maybe()) return fact;
        return unhandled_promise(context, syntax.field(expression, Field::alternative), producer, depth + 1);
      }
      case Kind::binary_expression: {
        const Kind op = syntax.kind(syntax.field(expression, Field::operator_));
        if (op == Kind::op_and || op == Kind::op_or || op == Kind::op_nullish)
          return unhandled_promise(context, syntax.field(expression, Field::right), producer, depth + 1);
        return PromiseFact::no();
      }
      case Kind::sequence_expression: {
        const std::uint32_t count = ts_node_named_child_count(expression);
        return count ? unhandled_promise(context, ts_node_named_child(expression, count - 1), producer, depth + 1) : PromiseFact::no();
      }
      case Kind::call_expression:
        if (!rule_helpers::chain_method(syntax, expression).empty() && rule_helpers::chain_is_handled(syntax, expression))
          return PromiseFact::no();
        producer = expression;
        return context.model().produces_promise(expression);
      case Kind::new_expression:
        producer = expression;
        return context.model().produces_promise(expression);
      default:
        return PromiseFact::no();
    }
  }

  static bool is_allowed(const RuleContext& context, TSNode call) {
    const auto& allowed = context.options().value("allowForKnownSafeCalls", nlohmann::json::array());
    if (allowed.empty()) return false;
    const std::string callee(context.syntax().text(context.syntax().unwrap(context.syntax().field(call, Field::function))));
    for (const auto& name : allowed)
      if (name.is_string() && name.get<std::string>() == callee) return true;
    return false;
  }
};

}  // namespace
ASYNCLINT_REGISTER_RULE(FloatingPromise);
}  // namespace asynclint
