// floating-promise: a promise that is created and then dropped on the floor.
#include "rule_helpers.h"

namespace asynclint {
namespace {

const RuleMeta kMeta{
    "floating-promise",
    "A promise that can reject is created by a statement and then ignored: not awaited, returned, or given a rejection handler.",
    R"(An expression statement produces a promise that can reject, and nothing handles it: it is not awaited,
not returned, not assigned, not passed on, not `void`-ed, and has no rejection handler.

**Why it is a bug.** If the promise rejects, no handler exists: Node reports an unhandled rejection and,
since Node 15, ends the process; a browser logs it and the error is lost. The statement also starts
asynchronous work that the function does not wait for: the code after it runs before the work has
finished (a forgotten `await`), and a caller that awaits this function is told "done" too early.

**What counts as a promise.** asynclint needs no type checker: it follows calls to functions declared
`async`, functions annotated `Promise<…>`/`PromiseLike<…>`, functions whose body returns a promise, class
methods through `this` (and `const self = this`), functions imported from other files of the project (ESM
and CommonJS), and known APIs (`fetch`, `Promise.*`, `import()`, `fs/promises`, `timers/promises`,
`stream/promises`, `dns/promises`, `util.promisify`, a fetch `Response`'s body readers). A call it cannot see
into is never reported.

**What counts as "can reject".** The same model of the code answers whether the dropped promise can reject,
for a visible reason (`docs/rules.md` has the details): a `throw` outside a `try` with a `catch`, an
`await` or a returned promise of an operation that does I/O (`fetch`, a database or HTTP client, `fs`, a
child process) or of a callee that can reject, in this file or another, an executor that calls `reject`.
An await of a call asynclint cannot see into (a method of an untyped object, a function of an npm package
it does not know) may fail but shows no reason: such promises are reported only with
`reportUnprovenRejections`. It cannot reject when the callee catches everything, only awaits
promises that cannot reject (`Promise.resolve()`, `allSettled`, a resolve-only `new Promise`, a `.catch(h)`
whose handler does not rethrow), or has no `await` at all: such a dropped promise is background work, not
a crash, and is not reported unless `reportNonRejecting` is on. Except a dropped sleep: `setTimeout(ms)`
from `timers/promises` cannot reject, but not awaiting it is always a bug (the delay never happens).

**A dropped array of promises.** `xs.map(async (x) => …);` as a statement makes one promise per element and
drops them all; it is reported the same way when the callback's promise can reject (a plain callback that
returns a promise counts too). No suggestion is offered: `await Promise.all(…)` over data is an unbounded
fan-out (unbounded-promise-all), and a `for … of` loop changes the order the work runs in.

**Also left alone.** The last top-level statement of a Node script (`main();` at the end of a CLI): if it
rejects, Node prints the error and exits with code 1, which is what the script would do with the error
anyway. A file that installs `process.on('unhandledRejection', …)` (its handler reports what nobody else
handles). A bare `Promise.reject(error);` statement, whose only effect is a deliberate unhandled rejection
(how libraries surface an error nobody listened for). A statement that is a `.then()`/`.catch()`/`.finally()` chain is `missing-catch`'s business; one
statement never gets both findings.

**Fix.** `await` it (inside an async function, or at the top level of an ES module), return it, or end it
with `.catch(handleError)`. `void task();` only says "I mean it": it does not handle a rejection.

**Suggestions**, in this order: `await` (inside an async function or at the top level of a `.mjs`/`.mts`
file; `await (a && task())` when the statement is a `?:`, `&&` or `,` expression); `.catch((error) => { … })`
after the call, on the same line when it fits within the file's longest line, else on a line of its own;
`void`, last, described as leaving a rejection unhandled (not offered when `ignoreVoid` is off, nor for an
async IIFE that can reject, which missing-catch reports behind `void`).)",
    {{true, "worker.ts", R"(import { rm } from "node:fs/promises";

class Worker {
  async flush(): Promise<void> { await rm(this.spool, { recursive: true }); }
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
)"},
     {false, "worker.ts", R"(class Worker {
  async flushQuietly(): Promise<void> {
    try {
      await this.queue.drain();
    } catch (error) {
      this.log.warn("flush failed", error);
    }
  }
  stop() {
    this.flushQuietly(); // cannot reject: background work
    this.closed = true;
  }
}
)"}},
    Severity::Error,
    {Kind::expression_statement},
    {{"ignoreVoid", RuleOption::Type::Boolean, true, "Do not report `void task();` (an explicit fire-and-forget)."},
     {"ignoreIIFE", RuleOption::Type::Boolean, false, "Do not report async IIFEs: `(async () => { … })();`."},
     {"allowForKnownSafeCalls", RuleOption::Type::StringList, nlohmann::json::array(),
      "Callees whose promises may float, by name as written at the call (`logEvent`, `metrics.flush`)."},
     {"reportNonRejecting", RuleOption::Type::Boolean, false,
      "Also report dropped promises that cannot reject (background work), with a message saying so."},
     {"reportUnprovenRejections", RuleOption::Type::Boolean, false,
      "Also report dropped promises that may reject through an operation asynclint cannot see into (an unknown call), "
      "not only those with a visible reason."}},
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
    // `Promise.reject(error);` as a statement has no purpose but an unhandled rejection: it is how code
    // surfaces an error nobody observed (an event stream's unread failure), on purpose.
    if (syntax.is(expression, Kind::call_expression) &&
        syntax.text(syntax.unwrap(syntax.field(expression, Field::function))) == "Promise.reject")
      return;
    if (rule_helpers::chain_starts_with_await(syntax, expression)) return;
    if (check_dropped_array(statement, expression, voided, context)) return;

    TSNode producer{};
    PromiseFact fact = unhandled_promise(context, expression, producer);
    if (!fact.maybe()) return;
    const SemanticModel& model = context.model();
    if (fact.is_async_iife && context.options().value("ignoreIIFE", false)) return;
    // `void (async () => …)()` is missing-catch's, like a chain: one finding per statement.
    if (fact.is_async_iife && voided) return;
    if (syntax.is(producer, Kind::call_expression) && is_allowed(context, producer)) return;

    // Only a promise that can reject takes a process down or loses an error; one that cannot is background
    // work, reported only on request. A promise whose rejection depends on another file stays pending.
    const RejectionFact rejection = model.rejections().of_expression(producer);
    const bool report_non_rejecting = context.options().value("reportNonRejecting", false);
    const Rejects threshold = context.options().value("reportUnprovenRejections", false) ? Rejects::Maybe : Rejects::Yes;
    const bool can_reject = rejection.reaches(threshold) || rejection.depends_on_imports(threshold) ||
                            (!fact.question.empty() && rejection.answer < threshold);
    // A dropped sleep (`setTimeout(ms)` of timers/promises) cannot reject, but it has no other use than
    // being awaited: the delay the code meant to wait never happens.
    const bool dropped_sleep = !can_reject && syntax.is(producer, Kind::call_expression) && model.rejections().is_plain_promise_timer(producer);
    if (!can_reject && !report_non_rejecting && !dropped_sleep) return;
    if (can_reject && !report_non_rejecting) {
      // A script's last top-level statement: Node prints the rejection and exits with code 1, as the
      // script would have done itself; a global unhandledRejection handler reports it instead.
      if (model.runtime().kind == FileRuntime::Kind::Node && rule_helpers::is_last_top_level_statement(syntax, model, statement)) return;
      if (model.runtime().handles_unhandled_rejections) return;
    }

    RuleReport report;
    report.node = statement;
    const std::string label = fact.is_async_iife                              ? "this async IIFE"
                              : syntax.is(producer, Kind::call_expression) ? rule_helpers::callee_label(syntax, producer) + "()"
                                                                           : "this expression";
    const std::string subject = (voided ? "The promise of " : "The promise returned by ") + label +
                                (fact.is_async_iife ? std::string() : " (" + fact.what + ")");
    if (can_reject) {
      std::string why = !rejection.reaches(threshold)               ? " It can reject through a function of another file (see the related locations)."
                        : rejection.answer == Rejects::Yes          ? " It can reject: " + rejection.reason + "."
                                                                     : " It may reject: " + rejection.reason + ".";
      report.message = subject + " is not handled: if it rejects, nothing catches the error (" +
                       std::string(unhandled_rejection_outcome(model.runtime_around(statement))) +
                       "), and the code after it runs before it settles." + why;
      if (!rejection.reaches(threshold)) {
        ImportRequirement requirement{ImportRequirement::Question::CanReject, rejection.imports, threshold};
        if (!fact.question.empty() && requirement.any_of.empty()) requirement.any_of.push_back(fact.question);
        report.requirements.push_back(std::move(requirement));
      }
    } else if (dropped_sleep) {
      report.message = subject + " is not awaited: the timer does nothing, and the code after it runs at once instead of after the delay. Await it.";
    } else {
      report.message = subject + " is not awaited: the code after it runs before it settles. It cannot reject (" +
                       rejection.reason + "), so this is background work; await it if the code after it needs its result.";
    }
    report.condition = fact.question;
    if (fact.answer == PromiseFact::Answer::Yes && !ts_node_is_null(fact.declaration)) {
      report.related_declaration = fact.declaration;
      report.related_message = fact.what + " is declared here";
    }
    if (context.wants_scenario() && dropped_sleep) report.scenario = dropped_sleep_scenario(syntax, statement, label);
    else if (context.wants_scenario()) report.scenario = rule_helpers::dropped_promise_scenario(
        syntax, model, statement, label,
        voided ? "`void` discards the promise on purpose, and no handler is attached: execution moves on at once"
               : "nothing awaits the promise and no handler is attached: execution moves on at once");
    // Suggestions, the ones that handle a rejection first: `await` (replacing a `void`), then a `.catch`
    // on the call; `void` last, for work the user means to leave alone.
    const std::uint32_t start = ts_node_start_byte(statement);
    const std::uint32_t awaited_from =
        voided ? ts_node_start_byte(syntax.field(syntax.first_named_child(statement), Field::argument)) : start;
    // `await` and `void` bind tighter than `?:`, `&&` and `,`: such an expression goes in parentheses.
    const Kind whole = syntax.kind(expression);
    const bool compound = whole == Kind::ternary_expression || whole == Kind::binary_expression || whole == Kind::sequence_expression;
    TSNode written = syntax.first_named_child(statement);
    if (voided) written = syntax.field(written, Field::argument);
    auto put_before = [&](const std::string& keyword, std::uint32_t from) -> std::vector<TextEdit> {
      if (!compound) return {{start, from, keyword + " "}};
      return {{start, from, keyword + " ("}, {ts_node_end_byte(written), ts_node_end_byte(written), ")"}};
    };
    if (rule_helpers::can_await_at(model, context.path(), statement))
      report.suggestions.push_back({"Await the promise", put_before("await", awaited_from)});
    if (can_reject && syntax.is(producer, Kind::call_expression))
      report.suggestions.push_back({"Handle a rejection: .catch((error) => { … })", {rule_helpers::catch_handler_after(syntax, model, producer)}});
    // Not for an async IIFE that can reject: behind `void` it is missing-catch's finding, since the `void`
    // in front of an IIFE's call catches nothing either.
    if (!voided && context.options().value("ignoreVoid", true) && !(fact.is_async_iife && can_reject))
      report.suggestions.push_back({"Leave it running with `void` (a rejection stays unhandled)", put_before("void", start)});
    context.report(std::move(report));
  }

 private:
  // A sleep nobody awaits: the timer runs on its own (100 ms here) while the code after it goes on at once.
  static std::string dropped_sleep_scenario(const Syntax& syntax, TSNode statement, const std::string& label) {
    using rule_helpers::at;
    using rule_helpers::js_string;
    std::string s;
    s += "__step(" + at(statement) + ", " + js_string(label + " starts a timer (100 ms in this run), and nothing awaits its promise") + ");\n";
    s += "new Promise((resolve) => setTimeout(resolve, 100)).then(() => __step(" + at(statement) + ", " +
         js_string("the timer fires: nothing was waiting for it") + "));\n";
    TSNode next = rule_helpers::next_statement(syntax, statement);
    s += "__step(" + at(ts_node_is_null(next) ? statement : next) + ", " +
         js_string(ts_node_is_null(next) ? "the function goes on at once, without the delay" : "the next statement runs at once, without the delay") + ");\n";
    return s;
  }

  // `xs.map(async (x) => …);` as a statement: an array of promises, one per element, that nobody awaits.
  // Reported like a single dropped promise: when the callback's promise can reject (for a visible reason,
  // or an unproven one with reportUnprovenRejections). True when the statement is this shape.
  static bool check_dropped_array(TSNode statement, TSNode expression, bool voided, RuleContext& context) {
    const Syntax& syntax = context.syntax();
    if (voided || !syntax.is(expression, Kind::call_expression)) return false;
    TSNode callee = syntax.unwrap(syntax.field(expression, Field::function));
    const std::string_view method = member_property(syntax, callee);
    if (method != "map" && method != "flatMap") return false;
    TSNode args[1];
    if (call_arguments(syntax, expression, args, 1) < 1) return false;
    const SemanticModel& model = context.model();
    TSNode callback = syntax.unwrap(args[0]);
    TSNode function = SemanticModel::is_function_kind(syntax.kind(callback)) ? callback : model.local_function_of(callback);
    if (ts_node_is_null(function) || model.is_generator_function(function)) return false;
    const bool is_async = model.is_async_function(function);
    if (!is_async && !model.function_returns_promise(function).maybe()) return false;
    const RejectionFact rejection = model.rejections().of_function(function);
    const Rejects threshold = context.options().value("reportUnprovenRejections", false) ? Rejects::Maybe : Rejects::Yes;
    if (!rejection.reaches(threshold) && !rejection.depends_on_imports(threshold)) return true;
    if (model.runtime().handles_unhandled_rejections) return true;
    if (model.runtime().kind == FileRuntime::Kind::Node && rule_helpers::is_last_top_level_statement(syntax, model, statement)) return true;

    RuleReport report;
    report.node = statement;
    const std::string label = rule_helpers::callee_label(syntax, expression) + "()";
    const std::string by = same_node(function, callback) ? (is_async ? "this async callback" : "this callback")
                                                         : "function '" + model.function_name(function) + "'";
    report.message = "The promises " + by + " returns for each element of " + label +
                     " are dropped: if one rejects, nothing catches the error (" + std::string(unhandled_rejection_outcome(model.runtime_around(statement))) +
                     "), and the code after it runs before they settle." +
                     (rejection.reaches(threshold) ? (rejection.answer == Rejects::Yes ? " They can reject: " : " They may reject: ") + rejection.reason + "."
                                                   : std::string(" They can reject through a function of another file (see the related locations)."));
    if (!rejection.reaches(threshold)) report.requirements.push_back({ImportRequirement::Question::CanReject, rejection.imports, threshold});
    if (!same_node(function, callback)) {
      report.related_declaration = function;
      report.related_message = std::string(is_async ? "async " : "") + "function '" + model.function_name(function) + "' is declared here";
    }
    if (context.wants_scenario())
      report.scenario = rule_helpers::dropped_promise_scenario(syntax, model, statement, label,
                                                               "the array of promises it returns is dropped: nothing awaits them and no handler is attached");
    context.report(std::move(report));
    return true;
  }

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
