// missing-catch: a rejection with nowhere to go — a chain without a handler, or an async callback whose
// caller ignores the promise it returns.
#include "rule_helpers.h"
#include "semantic/known_apis.h"

namespace asynclint {
namespace {

const RuleMeta kMeta{
    "missing-catch",
    "A promise chain ends without a rejection handler, or an async callback that can reject is given to an API "
    "that ignores its promise.",
    R"(Two shapes of the same bug: a rejection that has nowhere to go.

1. **A chain without a handler that can reject.** A statement whose promise chain ends in
   `.then(onFulfilled)` (no second argument), `.catch()` with no handler, or `.finally(f)`, when the chain can
   reject for a visible reason: its source can (`fetch`, an operation that does I/O, a callee that can
   reject, a stored promise followed to one of these), or one of its callbacks throws or returns a promise
   that can. A source asynclint cannot see into (an unknown call) may fail but shows no reason: reported
   only with `reportUnprovenRejections`. An async IIFE behind `void` (`void (async () => { … })()`) is such
   a chain too: `void` marks its promise as dropped on purpose but catches nothing.
2. **An async callback that can reject, given to an API that ignores promises.** `setTimeout`,
   `setInterval`, `setImmediate`, `queueMicrotask`, `process.nextTick`, `requestAnimationFrame`,
   `requestIdleCallback`, `addEventListener`, an EventEmitter's `.on`/`.once`/`.addListener`/
   `.prependListener`/`.prependOnceListener` (including `process.on`), the request listener of Node's
   `http`/`https`/`http2`/`net` `createServer`, the callback of `new MutationObserver`/`ResizeObserver`/
   `IntersectionObserver`/`PerformanceObserver`/`ReportingObserver`, and an event handler property of another
   object (`socket.onmessage = …`, `button.onclick = …`: `on` and a lower-case name; not `this.onx`, which
   the class itself may await) call the callback and drop what it returns. The callback may
   be inline, a function or method named by reference, or one bound with `.bind(…)` (`emitter.on('data',
   this.onData.bind(this))`). The callback can reject when it throws, or
   awaits something that can reject, outside a `try` with a `catch`. A plain callback that returns a promise
   counts the same way (`setTimeout(() => save(x))`, `emitter.on('tick', () => this.refresh())`) when that
   promise can reject for a visible reason; one that handles it (`() => save(x).catch(log)`) does not.

**Why it is a bug.** An unhandled rejection loses the error (the user sees nothing, the job is never
retried) and, since Node 15, ends the process; a browser logs it.

**Not reported:** a listener of a termination signal of `process` (`SIGINT`, `SIGTERM`, `SIGQUIT`, `SIGHUP`,
`SIGBREAK`): it runs when the process is asked to stop, and if its cleanup rejects Node prints the error and
ends the process, which was about to happen anyway (the review loop judged all 8 such findings not real or
unsure). Chains ending in `.catch(handler)` or `.then(onFulfilled, onRejected)`; chains that are
awaited, returned, assigned or passed on; `void chain` (the review loop judged none of 12 such chains
real: code that writes `void` works under a no-floating-promises rule, and handled the error where it
happened); chains that cannot reject: `Promise.resolve().then(f)`
(also through a variable), `Promise.allSettled(…)`, a resolve-only `new Promise`, a chain already handled
earlier (`p.catch(log).then(f)`), a source handed in as a parameter or read from an object asynclint cannot
see into (often a lifecycle signal such as `ready` or `closed`). A callback that could only fail by a
synchronous throw of some call is not counted (any call could throw). Async callbacks whose body catches
everything, or only awaits what cannot reject. A listener of an event that some file of the same package
emits with `await x.emit('event')` (or `emitAsync`, `emitSerial`, `emitPromised`, …; the event named by a
string, or by the same `Enum.Member` on both sides): such an emitter (Emittery, eventemitter2) hands the
listeners' rejections to the code awaiting the emit. asynclint searches the listener's package
(the nearest folder with a package.json or .git) for it, so linting one file, a shard or the whole package
gives the same answer; when a folder inside the package is linted, the search stays in that folder.
Cypress (`cy.…`) and jQuery (`$(…)`, `$.…`) chains. A file
that installs `process.on('unhandledRejection', …)`. A bare promise-valued call with no chain is
`floating-promise`'s finding; one statement never gets both.

**Fix.** End the chain with `.catch(handleError)`, or `await` it inside `try { … } catch`; wrap the body of
an async callback in `try { … } catch (error) { … }`.

**Suggestion** (for a chain): `.catch((error) => { … })` after the chain, indented like the line it ends on, or
as a line of its own (one level deeper, or level with a chain written one call per line) when the line would
grow past the file's longest line. For an async callback written inline: its body wrapped in
`try { … } catch (error) { console.error(error); }`, the body's lines one level deeper (on one line when a
one-line body still fits); an expression body becomes `return await expr` inside the try, since a returned
promise would escape the catch (a plain callback that returns a promise gets no suggestion: a `try` around
it would not catch the rejection). Not offered when the body returns a value of its own (`return promise`
inside the try would escape too) or holds a template literal, whose lines re-indenting would change.)",
    {{true, "poller.js", R"(function startPolling(url) {
  setInterval(async () => {
    const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
    render(await response.json());
  }, 10000);
}
)"},
     {false, "poller.js", R"(function startPolling(url) {
  setInterval(async () => {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
      render(await response.json());
    } catch (error) {
      showOffline(error);
    }
  }, 10000);
}
)"}},
    Severity::Error,
    {Kind::expression_statement, Kind::call_expression, Kind::new_expression, Kind::assignment_expression},
    {{"reportUnprovenRejections", RuleOption::Type::Boolean, false,
      "Also report chains and callbacks that may reject through an operation asynclint cannot see into (an unknown "
      "call), not only those with a visible reason."}},
    true,
};

class MissingCatch final : public Rule {
 public:
  const RuleMeta& meta() const override { return kMeta; }

  void check(TSNode node, Kind kind, RuleContext& context) const override {
    if (kind == Kind::expression_statement) check_chain(node, context);
    else if (kind == Kind::call_expression) check_callback(node, context);
    else if (kind == Kind::new_expression) check_observer(node, context);
    else check_handler_property(node, context);
  }

 private:
  static void check_chain(TSNode statement, RuleContext& context) {
    const Syntax& syntax = context.syntax();
    TSNode expression = syntax.unwrap(syntax.first_named_child(statement));
    // `void (async () => { … })()`: `void` says the promise is dropped on purpose, but nothing catches what
    // the body throws. A voided chain (`void p.then(f)`) stays unreported: in the review loop all 12 such
    // chains were written under a no-floating-promises rule, and their errors were already logged or shown
    // to the user where they happened (none judged real).
    if (syntax.is(expression, Kind::unary_expression) && syntax.kind(syntax.field(expression, Field::operator_)) == Kind::kw_void) {
      TSNode argument = syntax.unwrap(syntax.field(expression, Field::argument));
      if (is_async_iife(syntax, context.model(), argument)) check_voided_iife(statement, argument, context);
      return;
    }
    const std::string_view method = rule_helpers::chain_method(syntax, expression);
    if (method.empty() || rule_helpers::chain_is_handled(syntax, expression)) return;
    if (rule_helpers::chain_starts_with_await(syntax, expression)) return;
    TSNode first_receiver = expression;
    while (!rule_helpers::chain_method(syntax, first_receiver).empty())
      first_receiver = syntax.unwrap(syntax.field(syntax.field(syntax.unwrap(first_receiver), Field::function), Field::object));
    TSNode root = rule_helpers::chain_root(syntax, expression);
    const std::string_view root_name = syntax.text(root);
    // Cypress commands and jQuery deferreds look like promise chains but are not promises.
    if (syntax.is(root, Kind::identifier) && (root_name == "cy" || root_name == "$" || root_name == "jQuery" || root_name == "Cypress"))
      return;
    // Only a chain that can reject needs a handler: its source can (an operation, a visible reason), or a
    // callback throws or returns a promise that can. `Promise.resolve().then(f)`, a `.catch(h)` earlier in
    // the chain, a resolve-only `new Promise`, a stored promise of unknown origin: not reported.
    const SemanticModel& model = context.model();
    RuleReport report;
    if (!dropped_rejection(context, statement, expression, report)) return;
    const std::string ending = method == "catch" ? "`.catch()` without a handler" : "`." + std::string(method) + "()` without a rejection handler";
    report.message = "This promise chain ends in " + ending + ": if it rejects, " + report.message;
    const std::string what = syntax.is(first_receiver, Kind::call_expression) ? rule_helpers::callee_label(syntax, first_receiver) + "()" : "the promise";
    // The same chain shape, with the operation failing: the model passes the rejection along the chain.
    const std::string chain = method == "then" ? ".then(() => {})" : method == "finally" ? ".finally(() => {})" : ".catch()";
    if (context.wants_scenario()) report.scenario = rule_helpers::dropped_promise_scenario(
        syntax, model, statement, what,
        "the chain ends in ." + std::string(method) + "() without a rejection handler: a rejection passes through it to the promise it returns, which nothing handles",
        "__operation()" + chain + ";");
    report.suggestions.push_back({"Add a rejection handler: .catch((error) => { … })",
                                  {rule_helpers::catch_handler_after(syntax, model, expression)}});
    context.report(std::move(report));
  }

  static bool is_async_iife(const Syntax& syntax, const SemanticModel& model, TSNode call) {
    if (!syntax.is(call, Kind::call_expression)) return false;
    TSNode function = syntax.unwrap(syntax.field(call, Field::function));
    return (syntax.is(function, Kind::arrow_function) || syntax.is(function, Kind::function_expression)) && model.is_async_function(function);
  }

  // `void (async () => { … })()`: the IIFE's promise rejects when its body does, and `void` handles nothing.
  static void check_voided_iife(TSNode statement, TSNode call, RuleContext& context) {
    const Syntax& syntax = context.syntax();
    const SemanticModel& model = context.model();
    RuleReport report;
    if (!dropped_rejection(context, statement, call, report)) return;
    report.message = "`void` drops the promise of this async IIFE, and nothing handles it: if it rejects, " + report.message;
    if (context.wants_scenario()) report.scenario = rule_helpers::dropped_promise_scenario(
        syntax, model, statement, "the async IIFE", "`void` discards the promise and no handler is attached: execution moves on at once");
    report.suggestions.push_back({"Add a rejection handler: .catch((error) => { … })", {rule_helpers::catch_handler_after(syntax, model, call)}});
    context.report(std::move(report));
  }

  // Whether a dropped promise's rejection is worth a finding: it can reject for a visible reason (or an
  // imported function may, a question for the project index), and no unhandledRejection handler of the file
  // reports it instead. Fills in the report's node, requirements and the message's end: "nothing catches
  // the error (…). It can reject: …".
  static bool dropped_rejection(const RuleContext& context, TSNode statement, TSNode promise, RuleReport& report) {
    const SemanticModel& model = context.model();
    const RejectionFact rejection = model.rejections().of_expression(promise);
    const Rejects threshold = threshold_of(context);
    if (!rejection.reaches(threshold) && !rejection.depends_on_imports(threshold)) return false;
    if (model.runtime().handles_unhandled_rejections) return false;
    report.node = statement;
    report.message = "nothing catches the error (" + std::string(unhandled_rejection_outcome(model.runtime_around(statement))) + ")." +
                     (rejection.reaches(threshold) ? " It can reject: " + rejection.reason + "." : "");
    if (!rejection.reaches(threshold)) report.requirements.push_back({ImportRequirement::Question::CanReject, rejection.imports, threshold});
    return true;
  }

  // Yes (a visible reason) unless the user asked for unproven rejections too (rejection.h).
  static Rejects threshold_of(const RuleContext& context) {
    return context.options().value("reportUnprovenRejections", false) ? Rejects::Maybe : Rejects::Yes;
  }

  // Which argument of this call is a callback whose returned promise the callee drops, or -1.
  static int ignored_callback_index(const RuleContext& context, TSNode call) {
    const Syntax& syntax = context.syntax();
    TSNode callee = syntax.unwrap(syntax.field(call, Field::function));
    auto is_timer = [](std::string_view name) {
      return name == "setTimeout" || name == "setInterval" || name == "setImmediate" || name == "queueMicrotask" ||
             name == "requestAnimationFrame" || name == "requestIdleCallback";
    };
    // Node's `http.createServer([options], listener)` (and https, http2, net): the request listener's promise
    // is dropped like an emitter listener's.
    auto server_listener = [&](std::string_view module) {
      if (!is_node_server_module(module)) return -1;
      TSNode arguments = syntax.field(call, Field::arguments);
      const std::uint32_t count = ts_node_is_null(arguments) ? 0 : ts_node_named_child_count(arguments);
      return count == 0 || count > 2 ? -1 : static_cast<int>(count - 1);
    };
    if (syntax.is(callee, Kind::identifier)) {
      const std::string_view name = syntax.text(callee);
      if (name == "createServer") {  // `import { createServer } from 'node:http'`
        const Binding* binding = context.model().resolve(callee);
        return binding && binding->kind == BindingKind::Import && binding->imported == "createServer" ? server_listener(binding->module) : -1;
      }
      if (!is_timer(name)) return -1;
      const Binding* binding = context.model().resolve(callee);
      if (!binding) return 0;
      const bool from_timers = binding->kind == BindingKind::Import && (binding->module == "timers" || binding->module == "node:timers");
      return from_timers ? 0 : -1;
    }
    if (!syntax.is(callee, Kind::member_expression)) return -1;
    const std::string_view property = syntax.text(syntax.field(callee, Field::property));
    if (is_timer(property) || property == "nextTick") {
      TSNode object = syntax.unwrap(syntax.field(callee, Field::object));
      if (!syntax.is(object, Kind::identifier) || context.model().resolve(object)) return -1;
      const std::string_view owner = syntax.text(object);
      return (property == "nextTick" ? owner == "process" : is_global_object_name(owner)) ? 0 : -1;
    }
    if (property == "addEventListener" || property == "on" || property == "once" || property == "addListener" ||
        property == "prependListener" || property == "prependOnceListener")
      return 1;
    if (property == "createServer") {
      TSNode object = syntax.unwrap(syntax.field(callee, Field::object));
      const Binding* binding = syntax.is(object, Kind::identifier) ? context.model().resolve(object) : nullptr;
      return binding && binding->kind == BindingKind::Import ? server_listener(binding->module) : -1;
    }
    return -1;
  }

  static void check_callback(TSNode call, RuleContext& context) {
    const int index = ignored_callback_index(context, call);
    if (index < 0) return;
    const Syntax& syntax = context.syntax();
    TSNode args[2];
    if (call_arguments(syntax, call, args, 2) <= static_cast<std::uint32_t>(index)) return;
    if (index == 1 && is_termination_signal_listener(context, call, args[0])) return;
    const std::string callee = rule_helpers::callee_label(syntax, call);
    report_ignored_callback(call, args[index], index == 1 ? args[0] : TSNode{}, callee, callee + "()", context);
  }

  // `process.on('SIGTERM', async () => { await server.close(); process.exit(0); })`: the listener runs when
  // the process is asked to stop. If its cleanup rejects, Node prints the error and ends the process with
  // code 1, which is what was about to happen anyway. The review loop judged 8 of 8 such findings not real
  // or unsure (hocuspocus's server in two corpora, faktory-worker); what may be worth a change, an exit
  // code of 1 instead of 0 after a failed cleanup, is not the crash the message describes.
  static bool is_termination_signal_listener(const RuleContext& context, TSNode call, TSNode event) {
    const Syntax& syntax = context.syntax();
    TSNode object = syntax.unwrap(syntax.field(syntax.unwrap(syntax.field(call, Field::function)), Field::object));
    // `process.once('SIGTERM', stop).once('SIGINT', stop)`: `on` and `once` return the emitter.
    for (int hops = 0; hops < 16 && syntax.is(object, Kind::call_expression); ++hops) {
      TSNode callee = syntax.unwrap(syntax.field(object, Field::function));
      if (!syntax.is(callee, Kind::member_expression)) return false;
      object = syntax.unwrap(syntax.field(callee, Field::object));
    }
    if (!syntax.is(object, Kind::identifier) || !context.model().is_unshadowed_global(object, "process")) return false;
    const std::string_view name = context.model().event_name(event);
    return name == "SIGINT" || name == "SIGTERM" || name == "SIGQUIT" || name == "SIGHUP" || name == "SIGBREAK";
  }

  // `new MutationObserver(async (records) => …)`: the observers call their callback and drop what it returns.
  static void check_observer(TSNode expression, RuleContext& context) {
    const Syntax& syntax = context.syntax();
    TSNode constructor = syntax.unwrap(syntax.field(expression, Field::constructor));
    const std::string_view name = syntax.text(constructor);
    if (name != "MutationObserver" && name != "ResizeObserver" && name != "IntersectionObserver" && name != "PerformanceObserver" &&
        name != "ReportingObserver")
      return;
    if (!context.model().is_unshadowed_global(constructor, name)) return;
    TSNode args[1];
    if (call_arguments(syntax, expression, args, 1) < 1) return;
    const std::string label = "new " + std::string(name);
    report_ignored_callback(expression, args[0], TSNode{}, label, label + "()", context);
  }

  // `socket.onmessage = async (event) => …`, `button.onclick = this.save.bind(this)`: an event handler
  // property (`on` and a lower-case event name, DOM and WebSocket style) of another object is called by that
  // object's events, which drop what it returns. `this.onx = …` is left alone: a class's own callback
  // property may be awaited by the class.
  static void check_handler_property(TSNode assignment, RuleContext& context) {
    const Syntax& syntax = context.syntax();
    TSNode left = syntax.unwrap(syntax.field(assignment, Field::left));
    if (!syntax.is(left, Kind::member_expression)) return;
    if (syntax.is(syntax.unwrap(syntax.field(left, Field::object)), Kind::this_)) return;
    const std::string_view property = syntax.text(syntax.field(left, Field::property));
    if (property.size() < 3 || property.substr(0, 2) != "on") return;
    for (char c : property.substr(2))
      if (c < 'a' || c > 'z') return;
    const std::string label(syntax.text(left));
    report_ignored_callback(assignment, syntax.field(assignment, Field::right), TSNode{}, label, label + "'s caller", context);
  }

  // `node` hands `callback_argument` to a caller that ignores its promise. `event` (may be null) is the
  // event name of a listener; `callee` names the caller for the explanation, `caller` for the message.
  static void report_ignored_callback(TSNode node, TSNode callback_argument, TSNode event, const std::string& callee,
                                      const std::string& caller, RuleContext& context) {
    const Syntax& syntax = context.syntax();
    const TSNode call = node;
    TSNode callback = syntax.unwrap(callback_argument);
    // `this.onData.bind(this)`: what runs is the method itself.
    if (syntax.is(callback, Kind::call_expression)) {
      TSNode bound = syntax.unwrap(syntax.field(callback, Field::function));
      if (syntax.is(bound, Kind::member_expression) && syntax.text(syntax.field(bound, Field::property)) == "bind")
        callback = syntax.unwrap(syntax.field(bound, Field::object));
    }
    const SemanticModel& model = context.model();

    RuleReport report;
    report.node = call;
    // An emitter whose emit returns a promise (Emittery, Eleventy's, eventemitter2's emitAsync) hands the
    // listeners' rejections to whoever awaits the emit: the finding stands only if no file of the project
    // awaits an emit of this event (umzug's FileLocker listens to events Umzug emits with `await this.emit`).
    if (!ts_node_is_null(event)) {
      const std::string_view name = context.model().event_name(event);
      if (!name.empty()) report.requirements.push_back({ImportRequirement::Question::EventNotAwaited, {{"", std::string(name)}}});
    }
    TSNode function = SemanticModel::is_function_kind(syntax.kind(callback)) ? callback : model.local_function_of(callback);
    if (!ts_node_is_null(function)) {
      if (model.is_generator_function(function)) return;
      // A plain callback counts when it returns a promise (`() => this.refresh()`): the caller drops it all the same.
      const bool is_async = model.is_async_function(function);
      if (!is_async && !model.function_returns_promise(function).maybe()) return;
      const RejectionFact rejection = model.rejections().of_function(function);
      const Rejects threshold = threshold_of(context);
      if (!rejection.reaches(threshold) && !rejection.depends_on_imports(threshold)) return;
      if (model.runtime().handles_unhandled_rejections) return;
      if (!rejection.reaches(threshold)) report.requirements.push_back({ImportRequirement::Question::CanReject, rejection.imports, threshold});
      const bool inline_callback = same_node(function, callback);
      const std::string what = is_async ? "async " : "";
      report.message = (inline_callback ? (is_async ? std::string("This async callback") : std::string("This callback returns a promise that"))
                                        : "The " + what + "function '" + model.function_name(function) + "'" + (is_async ? "" : " returns a promise that")) +
                       " can reject" +
                       (rejection.reaches(threshold) ? " (" + rejection.reason + ")" : " (through a function of another file: see the related locations)") +
                       ", but " + caller +
                       " ignores the promise it returns: nothing catches the error (" +
                       std::string(unhandled_rejection_outcome(model.runtime_around(call))) + ")." +
                       (is_async ? " Catch errors inside the callback." : " Handle its rejection: add .catch(…) to the promise it returns.");
      if (!inline_callback) {
        report.related_declaration = function;
        report.related_message = what + "function '" + model.function_name(function) + "' is declared here";
      }
      if (context.wants_scenario()) report.scenario = ignored_callback_scenario(syntax, model, call, function, callee, caller);
      if (inline_callback && is_async)
        if (auto wrap = rule_helpers::try_catch_around_body(syntax, model, function))
          report.suggestions.push_back({"Catch errors inside the callback: try { … } catch (error) { … }", {std::move(*wrap)}});
      context.report(std::move(report));
      return;
    }
    ImportQuestion imported = model.import_of(callback);
    if (imported.empty()) return;
    report.message = "The async function '" + std::string(syntax.text(callback)) + "' (imported from '" + std::string(model.written_specifier(imported.module)) +
                     "') is passed to " + caller + ", which ignores the promise it returns: if it rejects, nothing catches the error (" +
                     std::string(unhandled_rejection_outcome(model.runtime_around(call))) + "). Wrap it: (...args) => " +
                     std::string(syntax.text(callback)) + "(...args).catch(handleError).";
    if (model.runtime().handles_unhandled_rejections) return;
    report.requirements.push_back({ImportRequirement::Question::CanReject, {imported}, threshold_of(context)});
    report.condition = std::move(imported);
    if (context.wants_scenario()) report.scenario = ignored_callback_scenario(syntax, model, call, TSNode{}, callee, caller);
    context.report(std::move(report));
  }

  // The callee keeps the async callback and later calls it: a timer when its delay (the code's own, when
  // it is a constant) has passed, an event when it is emitted (the model emits it once, after the main
  // code). The callback's awaited operation fails, and the promise it returns has nobody listening.
  static std::string ignored_callback_scenario(const Syntax& syntax, const SemanticModel& model, TSNode call, TSNode function,
                                               const std::string& callee, const std::string& caller) {
    using rule_helpers::at;
    using rule_helpers::js_string;
    TSNode awaited = ts_node_is_null(function) ? TSNode{} : rule_helpers::first_await(syntax, function);
    const std::string where = !ts_node_is_null(awaited) ? at(awaited) : !ts_node_is_null(function) ? at(function) : at(call);
    const std::string_view label = callee;
    const std::string_view name = label.substr(label.rfind('.') == std::string_view::npos ? 0 : label.rfind('.') + 1);
    const bool timer = name == "setTimeout" || name == "setInterval";
    std::optional<long long> delay;
    if (timer) {
      TSNode args[2];
      delay = call_arguments(syntax, call, args, 2) < 2 ? std::optional<long long>(0) : constant_milliseconds(syntax, model, args[1]);
    }
    std::string s;
    s += "async function __callback() {\n";
    s += "  __step(" + where + ", " + js_string("the async callback runs until its first await and suspends") + ", 1);\n";
    s += "  await __work(100, 'failed');\n}\n";
    std::string keeps = caller + " keeps the callback; ";
    if (timer && delay)
      keeps += (name == "setInterval" ? "it will call it every " + std::to_string(*delay) + " ms, first at " : "it will call it at ") +
               std::to_string(*delay) + " ms";
    else if (timer)
      keeps += "it will call it when the delay has passed (not a constant here: the model uses 0 ms)";
    else if (name == "setImmediate")
      keeps += "it will call it in the next check phase";
    else if (name == "queueMicrotask")
      keeps += "it will call it as a microtask, as soon as the current code has run";
    else if (name == "nextTick")
      keeps += "it will call it from the nextTick queue, as soon as the current code has run";
    else if (name == "requestAnimationFrame" || name == "requestIdleCallback")
      keeps += std::string("it will call it ") + (name == "requestIdleCallback" ? "when the page is idle" : "before the next repaint") +
               " (the model calls it once, right after this code)";
    else if (name == "createServer")
      keeps += "it will call it for every request (the model sends one, right after this code)";
    else if (name.size() > 8 && name.substr(name.size() - 8) == "Observer")
      keeps += "it will call it when it observes a change (the model calls it once, right after this code)";
    else
      keeps += "it will call it when the event is emitted (the model emits it once, right after this code)";
    s += "__step(" + at(call) + ", " + js_string(keeps + ", and ignore the promise it returns") + ");\n";
    if (timer) s += "setTimeout(__callback, " + std::to_string(delay.value_or(0)) + ");\n";
    else if (name == "queueMicrotask") s += "queueMicrotask(__callback);\n";
    else if (name == "nextTick") s += "process.nextTick(__callback);\n";
    else s += "setImmediate(__callback);\n";
    s += "__unhandled(" + where + ", " +
         js_string("if the awaited operation fails (here 100 ms later), the callback's promise rejects and " + caller +
                   " ignores it: " + std::string(unhandled_rejection_step(model.runtime_around(call)))) + ");\n";
    return s;
  }

  // A timer's delay when the code spells it as a constant: `60_000`, `5 * 60 * 1000`, a `const` bound to
  // one. Anything else is not known here.
  static std::optional<long long> constant_milliseconds(const Syntax& syntax, const SemanticModel& model, TSNode node, int depth = 0) {
    node = syntax.unwrap(node);
    if (depth > 8) return std::nullopt;
    if (syntax.is(node, Kind::number)) {
      std::string digits;
      for (char c : syntax.text(node))
        if (c != '_') digits += c;
      if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos || digits.size() > 12) return std::nullopt;
      return std::stoll(digits);
    }
    if (syntax.is(node, Kind::binary_expression)) {
      const std::string_view op = syntax.text(syntax.field(node, Field::operator_));
      const auto left = constant_milliseconds(syntax, model, syntax.field(node, Field::left), depth + 1);
      const auto right = constant_milliseconds(syntax, model, syntax.field(node, Field::right), depth + 1);
      if (!left || !right) return std::nullopt;
      const long long value = op == "*" ? *left * *right : op == "+" ? *left + *right : -1;
      if (value < 0 || value > 24LL * 3600 * 1000) return std::nullopt;  // beyond what the model simulates
      return value;
    }
    if (syntax.is(node, Kind::identifier)) {
      const Binding* binding = model.resolve(node);
      if (!binding || binding->kind != BindingKind::Variable || ts_node_is_null(binding->value) || ts_node_is_null(binding->declared_by)) return std::nullopt;
      TSNode statement = ts_node_parent(binding->declared_by);
      if (!syntax.is(statement, Kind::lexical_declaration) || syntax.text(ts_node_child(statement, 0)) != "const") return std::nullopt;
      return constant_milliseconds(syntax, model, binding->value, depth + 1);
    }
    return std::nullopt;
  }
};

}  // namespace
ASYNCLINT_REGISTER_RULE(MissingCatch);
}  // namespace asynclint
