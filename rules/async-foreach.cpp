// async-foreach: `forEach` with an async callback — nobody waits for the callbacks.
#include "rule_helpers.h"

namespace asynclint {
namespace {

const RuleMeta kMeta{
    "async-foreach",
    "An async function is passed to forEach, which neither waits for it nor handles its rejections.",
    R"(`.forEach(callback)` where the callback is an async function (inline, or a name that resolves to one, in this
file or imported), on any receiver: arrays, `Map`, `Set`, `NodeList`, `Object.keys(o)`, `xs.filter(f)`.

**Why it is a bug.** `forEach` calls the callback once per element and throws away what it returns. Each
async callback runs until its first `await`, then `forEach` moves on to the next element and finally
returns — while every callback is still pending. The code after the loop runs too early (a response is
sent, a transaction committed, a process exits before the work is done), the calls run concurrently even if
the author meant one at a time, and a rejection in any callback is unhandled (Node terminates the process).

Only reported where the value of the `forEach` call is unused, as with `Array.prototype.forEach`, which
returns `undefined`: `await cursor.forEach(async …)` is some library's promise-returning `forEach`, and
`async.forEach(items, fn)` (the `async` package) takes its callback second.

**Fix.** To run one at a time: `for (const item of items) { await handle(item); }`. To run concurrently and
wait for all: `await Promise.all(items.map(async (item) => { … }))` (bound the concurrency for large
collections).)",
    {{true, "users.ts", R"(async function notifyAll(users: User[]) {
  users.forEach(async (user) => {
    await mailer.send(user.email, "Your invoice is ready");
  });
  console.log("all notified");
}
)"},
     {false, "users.ts", R"(async function notifyAll(users: User[]) {
  for (const user of users) {
    await mailer.send(user.email, "Your invoice is ready");
  }
  console.log("all notified");
}
)"}},
    Severity::Error,
    {Kind::call_expression},
    {},
    true,
};

class AsyncForEach final : public Rule {
 public:
  const RuleMeta& meta() const override { return kMeta; }

  void check(TSNode call, Kind, RuleContext& context) const override {
    const Syntax& syntax = context.syntax();
    TSNode callee = syntax.unwrap(syntax.field(call, Field::function));
    if (member_property(syntax, callee) != "forEach") return;
    TSNode receiver = syntax.unwrap(syntax.field(callee, Field::object));
    if (syntax.is(receiver, Kind::identifier) && syntax.text(receiver) == "async") return;  // the async library
    TSNode args[1];
    if (call_arguments(syntax, call, args, 1) < 1) return;
    TSNode callback = syntax.unwrap(args[0]);
    const SemanticModel& model = context.model();

    RuleReport report;
    report.node = call;
    std::string name;
    TSNode function = SemanticModel::is_function_kind(syntax.kind(callback)) ? callback : model.local_function_of(callback);
    if (!ts_node_is_null(function)) {
      if (model.is_generator_function(function)) return;
      // Only async functions: a plain callback that returns a promise may well have handled it
      // (`x => send(x).catch(log)`).
      if (!model.is_async_function(function)) return;
      if (!same_node(function, callback)) {
        name = model.function_name(function);
        report.related_declaration = function;
        report.related_message = "async function '" + name + "' is declared here";
      }
    } else {
      report.condition = model.import_of(callback);
      if (report.condition.empty()) return;
      name = std::string(syntax.text(callback));
    }
    if (!value_is_unused(syntax, call, context.parent())) return;

    const std::string subject = name.empty() ? "this async callback" : "the async function '" + name + "'";
    report.message = "forEach does not wait for " + subject +
                     ": it returns while the callbacks are still pending, so the code after it runs too early, "
                     "and a rejection in any callback is unhandled. Use for…of with await, or "
                     "await Promise.all(….map(…)).";
    if (context.wants_scenario()) report.scenario = scenario(syntax, model, call, receiver, function);
    if (rule_helpers::in_async_function(model, call)) {
      // forEach → map, wrapped in `await Promise.all(…)`: the same concurrency, now awaited.
      TSNode property = syntax.field(callee, Field::property);
      report.suggestions.push_back(
          {"Wait for every callback: await Promise.all(….map(…)) (for arrays)",
           {{ts_node_start_byte(call), ts_node_start_byte(call), "await Promise.all("},
            {ts_node_start_byte(property), ts_node_end_byte(property), "map"},
            {ts_node_end_byte(call), ts_node_end_byte(call), ")"}}});
    }
    context.report(std::move(report));
  }

 private:
  // Three elements; each callback's first await takes 100 ms, and the second one fails.
  static std::string scenario(const Syntax& syntax, const SemanticModel& model, TSNode call, TSNode receiver, TSNode function) {
    using rule_helpers::at;
    using rule_helpers::js_string;
    TSNode awaited = ts_node_is_null(function) ? TSNode{} : rule_helpers::first_await(syntax, function);
    const std::string where = !ts_node_is_null(awaited) ? at(awaited) : !ts_node_is_null(function) ? at(function) : at(call);
    std::string collection(syntax.text(receiver));
    for (char& c : collection)
      if (c == '\n' || c == '\r') c = ' ';
    if (collection.size() > 40) collection = collection.substr(0, 37) + "...";
    std::string s;
    s += "async function __callback(element) {\n";
    s += "  __step(" + where + ", 'the callback for ' + element + " + js_string(" runs until its first await and suspends") + ", 1);\n";
    s += "  await __work(100, element === 'element 2' ? 'element 2 failed' : '');\n";
    s += "  __step(" + where + ", 'the callback for ' + element + ' resumes', 1);\n}\n";
    s += "__step(" + at(call) + ", " + js_string(collection + ".forEach(…) calls the async callback once per element (3 in this run) and drops the promises it returns") + ");\n";
    s += "['element 1', 'element 2', 'element 3'].forEach(__callback);\n";
    s += "__step(" + at(call) + ", " + js_string("forEach returns: all 3 callbacks are still pending") + ");\n";
    TSNode next = rule_helpers::next_statement(syntax, call);
    if (!ts_node_is_null(next))
      s += "__step(" + at(next) + ", " + js_string("the next statement runs before any callback has finished") + ");\n";
    s += "__unhandled(" + where + ", " +
         js_string("the callback for element 2 fails: its promise rejects and nothing handles it: " +
                   std::string(unhandled_rejection_step(model.runtime())) + " (element 3's callback never finishes)") + ");\n";
    return s;
  }

  // Array#forEach returns undefined: only a call whose value is dropped can be it.
  static bool value_is_unused(const Syntax& syntax, TSNode call, TSNode parent) {
    TSNode child = call;
    while (!ts_node_is_null(parent) && syntax.is(parent, Kind::parenthesized_expression)) {
      child = parent;
      parent = ts_node_parent(parent);
    }
    if (syntax.is(parent, Kind::expression_statement)) return true;
    if (syntax.is(parent, Kind::arrow_function)) return same_node(syntax.field(parent, Field::body), child);
    return false;
  }
};

}  // namespace
ASYNCLINT_REGISTER_RULE(AsyncForEach);
}  // namespace asynclint
