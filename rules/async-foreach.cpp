// async-foreach: `forEach` with an async callback — nobody waits for the callbacks.
#include "rule_helpers.h"

namespace asynclint {
namespace {

const RuleMeta kMeta{
    "async-foreach",
    "An async function is passed to forEach, which neither waits for it nor handles its rejections.",
    R"(`.forEach(callback)` where the callback is an async function (inline, or a name that resolves to one, in this
file or imported), on any receiver: arrays, `Map`, `Set`, `NodeList`, `Object.keys(o)`, `xs.filter(f)`. A plain
callback that returns a promise counts too when that promise can reject for a visible reason
(`ids.forEach((id) => save(id))` where `save` writes a file); `xs.forEach((x) => send(x).catch(log))` does not.
An async callback that never awaits (no `await`, no `for await`) and returns nothing runs to its end inside
`forEach` like a plain one: not reported.

**Left alone: background fan-outs that handle their own errors.** When nothing runs after the `forEach`
(it is the last statement on every level of a function that is not async, of an async method whose every
call in the file drops its promise (`this.onAfterDelete(message);` as a statement: nobody awaits its end),
or of the module; a `finally` counts as running after it) and the callback cannot reject for a visible
reason (its body catches everything, or only calls what asynclint cannot see into), neither harm below can
happen: no code runs too early and no rejection is lost. Such loops are deliberate concurrent work
(`requestIds.forEach(async (id) => { try { … } catch (e) { send(e) } })` at the end of an event handler).
With the option
`reportUnprovenRejections`, a callback that may reject through an unknown call is reported there too.

**Why it is a bug.** `forEach` calls the callback once per element and throws away what it returns. Each
async callback runs until its first `await`, then `forEach` moves on to the next element and finally
returns — while every callback is still pending. The code after the loop runs too early (a response is
sent, a transaction committed, a process exits before the work is done), the calls run concurrently even if
the author meant one at a time, and a rejection in any callback is unhandled (Node terminates the process).

Reported where the value of the `forEach` call is unused, as with `Array.prototype.forEach`, which returns
`undefined`. Where the value is used (`await xs.forEach(async …)`, `Promise.all([xs.forEach(async …)])`),
only when the receiver is visibly an array (a literal, `Object.keys(o)`, `Array.from(…)`, `s.split(…)`, `.map`
/ `.filter` / `.slice` … of one, or a name bound once to one or declared `T[]` / `Array<T>`): awaiting
`undefined` waits for nothing, but `await cursor.forEach(async …)` may be some library's promise-returning
`forEach`. `async.forEach(items, fn)` (the `async` package) takes its callback second.

**Fix.** To run one at a time: `for (const item of items) { await handle(item); }`. To run concurrently and
wait for all: `await Promise.all(items.map(async (item) => { … }))` (bound the concurrency for large
collections).

**Suggestions** (where `await` is possible): first the loop, `for (const item of items) { … }`, for an inline
callback with one parameter (a name or a destructuring pattern; `let` when the body reassigns it), no
`return` of its own, no `this`/`arguments` in a `function` callback, a receiver that is not a `Map` (whose
for…of yields pairs) and not `xs?.forEach`; an expression body becomes `{ await …; }`. Then
`await Promise.all(….map(…))`, only over a list whose length is in the source (an array literal, or a
never-reassigned variable holding one): over data it would be an unbounded fan-out that
unbounded-promise-all reports.)",
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
    {{"reportUnprovenRejections", RuleOption::Type::Boolean, false,
      "Where nothing runs after the loop, also report callbacks that may reject through an operation asynclint "
      "cannot see into (an unknown call), not only those with a visible reason."}},
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
    bool is_async = true;
    if (!ts_node_is_null(function)) {
      if (model.is_generator_function(function)) return;
      // A plain callback that returns a promise may well have handled it (`x => send(x).catch(log)`): it
      // counts only when the promise it returns can reject for a visible reason (`id => save(id)`).
      if (!model.is_async_function(function)) {
        if (!model.function_returns_promise(function).maybe()) return;
        const RejectionFact rejection = model.rejections().of_function(function);
        if (!rejection.reaches(Rejects::Yes) && !rejection.depends_on_imports(Rejects::Yes)) return;
        if (!rejection.reaches(Rejects::Yes)) report.requirements.push_back({ImportRequirement::Question::CanReject, rejection.imports, Rejects::Yes});
        is_async = false;
      } else if (!rule_helpers::suspends(syntax, function) && !returns_a_value(syntax, function)) {
        // An async callback that never awaits and returns nothing runs to its end inside forEach, like a
        // plain one.
        return;
      }
      if (!same_node(function, callback)) {
        name = model.function_name(function);
        report.related_declaration = function;
        report.related_message = std::string(is_async ? "async " : "") + "function '" + name + "' is declared here";
      }
    } else {
      report.condition = model.import_of(callback);
      if (report.condition.empty()) return;
      name = std::string(syntax.text(callback));
    }
    // Array#forEach returns undefined, so a used value usually means another library's forEach (a MongoDB
    // cursor's returns a promise); over a value that is visibly an array, `await xs.forEach(…)` and
    // `Promise.all([xs.forEach(…)])` wait for nothing all the same.
    if (!value_is_unused(syntax, call, context.parent()) && !is_array(syntax, model, receiver, 0)) return;
    // Both harms the message names need something to happen: code that runs after the loop (or a caller
    // that awaits the enclosing async function), or a callback that can reject. With neither, the forEach
    // is deliberate concurrent background work that handles its own errors (the review loop judged all
    // such findings not real: parse-server's LiveQuery fan-outs, matrix-js-sdk's pending-event restore).
    if (is_async && !ts_node_is_null(function) && nothing_waits_after(syntax, model, call)) {
      const Rejects threshold = context.options().value("reportUnprovenRejections", false) ? Rejects::Maybe : Rejects::Yes;
      const RejectionFact rejection = model.rejections().of_function(function);
      if (!rejection.reaches(threshold) && !rejection.depends_on_imports(threshold)) return;
      if (!rejection.reaches(threshold)) report.requirements.push_back({ImportRequirement::Question::CanReject, rejection.imports, threshold});
    }

    const std::string subject = !is_async     ? (name.empty() ? std::string("the promise this callback returns")
                                                              : "the promise that function '" + name + "' returns")
                                : name.empty() ? "this async callback"
                                               : "the async function '" + name + "'";
    report.message = "forEach does not wait for " + subject +
                     ": it returns while the callbacks are still pending, so the code after it runs too early, "
                     "and a rejection in any callback is unhandled. Use for…of with await, or "
                     "await Promise.all(….map(…)).";
    if (context.wants_scenario()) report.scenario = scenario(syntax, model, call, receiver, function);
    // The sequential rewrite first: it is what most forEach loops meant, and it starts nothing another
    // rule would report. Promise.all(….map(…)) only over a fixed list: over data it is an unbounded fan-out.
    if (rule_helpers::can_await_at(model, context.path(), call)) {
      if (auto loop = for_of_rewrite(syntax, model, call, context.parent(), callee, function)) report.suggestions.push_back(std::move(*loop));
      if (is_fixed_list(syntax, model, receiver)) {
        TSNode property = syntax.field(callee, Field::property);
        report.suggestions.push_back(
            {"Run the callbacks together and wait for all: await Promise.all(….map(…))",
             {{ts_node_start_byte(call), ts_node_start_byte(call), "await Promise.all("},
              {ts_node_start_byte(property), ts_node_end_byte(property), "map"},
              {ts_node_end_byte(call), ts_node_end_byte(call), ")"}}});
      }
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
                   std::string(unhandled_rejection_step(model.runtime_around(call))) + " (element 3's callback never finishes)") + ");\n";
    return s;
  }

  // `xs.forEach(async (x) => { … });` → `for (const x of xs) { … }`, for an inline callback whose meaning
  // survives the move: one plain parameter (no index, no default), no `return` of its own (it would return
  // from the enclosing function), no `this`/`arguments` of a `function` expression, and a receiver that
  // is not a Map (whose for…of yields [key, value] pairs, not values).
  static std::optional<Suggestion> for_of_rewrite(const Syntax& syntax, const SemanticModel& model, TSNode call, TSNode statement,
                                                  TSNode callee, TSNode function) {
    if (ts_node_is_null(function)) return std::nullopt;
    if (!syntax.is(statement, Kind::expression_statement) || !same_node(syntax.first_named_child(statement), call)) return std::nullopt;
    TSNode args = syntax.field(call, Field::arguments);
    if (ts_node_named_child_count(args) != 1 || !same_node(ts_node_named_child(args, 0), function)) return std::nullopt;
    for (std::uint32_t i = 0; i < ts_node_child_count(callee); ++i)
      if (syntax.is(ts_node_child(callee, i), Kind::optional_chain)) return std::nullopt;  // `xs?.forEach`
    TSNode object = syntax.field(callee, Field::object);
    if (is_map(syntax, model, syntax.unwrap(object))) return std::nullopt;

    TSNode pattern = single_parameter(syntax, function);
    if (ts_node_is_null(pattern)) return std::nullopt;
    TSNode body = syntax.field(function, Field::body);
    // A callback this long is rewritten by hand; the cap also keeps nested callbacks from costing
    // quadratic time (each level would scan and copy all the levels inside it).
    if (ts_node_end_byte(body) - ts_node_start_byte(body) > kLongestRewrittenBody) return std::nullopt;
    const bool plain_function = !syntax.is(function, Kind::arrow_function);
    std::vector<std::string_view> names;
    walk_preorder(pattern, [&](TSNode n, std::uint32_t) {
      if (syntax.is(n, Kind::identifier) || syntax.is(n, Kind::shorthand_property_identifier_pattern)) names.push_back(syntax.text(n));
      return true;
    });
    bool movable = true, reassigned = false;
    std::vector<std::uint32_t> arrows_open;  // depths of the nested arrows around the node being visited
    walk_preorder(body, [&](TSNode n, std::uint32_t depth) {
      while (!arrows_open.empty() && arrows_open.back() >= depth) arrows_open.pop_back();
      const Kind k = syntax.kind(n);
      if (depth > 0 && SemanticModel::is_function_kind(k)) {
        if (k != Kind::arrow_function) return false;  // its own return, this and arguments
        arrows_open.push_back(depth);
      }
      if (k == Kind::return_statement && arrows_open.empty()) movable = false;
      if (plain_function && (k == Kind::this_ || (k == Kind::identifier && syntax.text(n) == "arguments"))) movable = false;
      TSNode target = k == Kind::assignment_expression || k == Kind::augmented_assignment_expression ? syntax.field(n, Field::left)
                      : k == Kind::update_expression                                                 ? syntax.field(n, Field::argument)
                                                                                                     : TSNode{};
      if (!ts_node_is_null(target) && syntax.is(syntax.unwrap(target), Kind::identifier))
        for (std::string_view name : names)
          if (syntax.text(syntax.unwrap(target)) == name) reassigned = true;
      return movable;
    });
    if (!movable) return std::nullopt;

    const std::string_view source = syntax.source();
    const std::string indent = indentation_of_line(source, ts_node_start_byte(statement));
    std::string loop_body;
    if (syntax.is(body, Kind::statement_block)) {
      loop_body = std::string(syntax.text(body));
    } else {
      TSNode value = syntax.unwrap(body);
      const Kind k = syntax.kind(value);
      const bool simple = k == Kind::call_expression || k == Kind::member_expression || k == Kind::identifier ||
                          k == Kind::new_expression || k == Kind::await_expression;
      const std::string text(syntax.text(value));
      loop_body = "{\n" + indent + model.layout().unit + (k == Kind::await_expression ? text : simple ? "await " + text : "await (" + text + ")") +
                  ";\n" + indent + "}";
    }
    std::string replacement = std::string("for (") + (reassigned ? "let " : "const ") + std::string(syntax.text(pattern)) + " of " +
                              std::string(syntax.text(object)) + ") " + loop_body;
    return Suggestion{"Run the callbacks one at a time: for (… of …) { … } with await",
                      {{ts_node_start_byte(statement), ts_node_end_byte(statement), std::move(replacement)}}};
  }

  static constexpr std::uint32_t kLongestRewrittenBody = 16 * 1024;

  // The one parameter of a callback, as a pattern a `for (const … of …)` can declare; null otherwise.
  static TSNode single_parameter(const Syntax& syntax, TSNode function) {
    TSNode single = syntax.field(function, Field::parameter);  // `async x => …`
    if (!ts_node_is_null(single)) return syntax.is(single, Kind::identifier) ? single : TSNode{};
    TSNode parameters = syntax.field(function, Field::parameters);
    if (ts_node_is_null(parameters) || ts_node_named_child_count(parameters) != 1) return TSNode{};
    TSNode parameter = ts_node_named_child(parameters, 0);
    if (syntax.is(parameter, Kind::required_parameter)) {
      if (!ts_node_is_null(syntax.field(parameter, Field::value))) return TSNode{};  // a default value
      parameter = syntax.field(parameter, Field::pattern);
    }
    const Kind k = syntax.kind(parameter);
    return k == Kind::identifier || k == Kind::object_pattern || k == Kind::array_pattern ? parameter : TSNode{};
  }

  // `new Map(…)` held in a variable, or a name that says Map.
  static bool is_map(const Syntax& syntax, const SemanticModel& model, TSNode receiver) {
    const std::string_view text = syntax.text(receiver);
    if (text.size() >= 3 && (text.substr(text.size() - 3) == "Map" || text.substr(text.size() - 3) == "map")) return true;
    if (!syntax.is(receiver, Kind::identifier)) return false;
    const Binding* binding = model.resolve(receiver);
    if (!binding || ts_node_is_null(binding->value)) return false;
    TSNode value = syntax.unwrap(binding->value);
    return syntax.is(value, Kind::new_expression) && syntax.text(syntax.field(value, Field::constructor)) == "Map";
  }

  // An array literal, or a never-reassigned variable initialised with one: its length is in the source.
  static bool is_fixed_list(const Syntax& syntax, const SemanticModel& model, TSNode receiver) {
    if (syntax.is(receiver, Kind::array)) return true;
    if (!syntax.is(receiver, Kind::identifier)) return false;
    const Binding* binding = model.resolve(receiver);
    return binding && binding->kind == BindingKind::Variable && !ts_node_is_null(binding->value) &&
           syntax.is(syntax.unwrap(binding->value), Kind::array) && model.assignments_of(*binding) == nullptr;
  }

  // A concise body, or a `return value;` of the function's own.
  static bool returns_a_value(const Syntax& syntax, TSNode function) {
    TSNode body = syntax.field(function, Field::body);
    if (!syntax.is(body, Kind::statement_block)) return true;
    bool found = false;
    walk_preorder(body, [&](TSNode n, std::uint32_t depth) {
      if (found) return false;
      if (depth > 0 && SemanticModel::is_function_kind(syntax.kind(n))) return false;
      if (syntax.is(n, Kind::return_statement) && ts_node_named_child_count(n) > 0) found = true;
      return !found;
    });
    return found;
  }

  // Visibly an array: a literal (spreads included), `Object.keys/values/entries(…)`, `Array.from/of(…)`,
  // `s.split(…)`, an array method that returns a new array called on an array, or a name bound once to one
  // of these or declared with an array type (`xs: T[]`, `Array<T>`, `readonly T[]`).
  static bool is_array(const Syntax& syntax, const SemanticModel& model, TSNode value, int depth) {
    if (depth > 8 || ts_node_is_null(value)) return false;
    value = syntax.unwrap(value);
    if (syntax.is(value, Kind::array)) return true;
    if (syntax.is(value, Kind::call_expression)) {
      TSNode callee = syntax.unwrap(syntax.field(value, Field::function));
      const std::string_view text = syntax.text(callee);
      if (text == "Object.keys" || text == "Object.values" || text == "Object.entries" || text == "Array.from" || text == "Array.of")
        return true;
      if (!syntax.is(callee, Kind::member_expression)) return false;
      const std::string_view method = syntax.text(syntax.field(callee, Field::property));
      if (method == "split") return true;
      const bool new_array = method == "map" || method == "filter" || method == "slice" || method == "concat" || method == "flat" ||
                             method == "flatMap" || method == "sort" || method == "reverse" || method == "toSorted" ||
                             method == "toReversed";
      return new_array && is_array(syntax, model, syntax.field(callee, Field::object), depth + 1);
    }
    if (!syntax.is(value, Kind::identifier)) return false;
    const Binding* binding = model.resolve(value);
    if (!binding || model.assignments_of(*binding) != nullptr) return false;
    if (binding->kind == BindingKind::Variable && !ts_node_is_null(binding->value) && is_array(syntax, model, binding->value, depth + 1))
      return true;
    if (binding->kind != BindingKind::Variable && binding->kind != BindingKind::Parameter) return false;
    TSNode declared = ts_node_parent(binding->declaration);
    TSNode annotation = ts_node_is_null(declared) ? TSNode{} : syntax.field(declared, Field::type);
    if (ts_node_is_null(annotation)) return false;
    std::string_view type = syntax.text(annotation);
    while (!type.empty() && (type.front() == ':' || type.front() == ' ')) type.remove_prefix(1);
    while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
    const bool top_level_union = type.find('|') != std::string_view::npos;
    return !top_level_union && (type.size() > 2 && type.substr(type.size() - 2) == "[]" ? true
                                : type.rfind("Array<", 0) == 0 || type.rfind("ReadonlyArray<", 0) == 0);
  }

  // Whether nothing runs after this forEach that could expect its callbacks to be done: it is the last
  // statement on every level up to its function (a loop around it only starts more of the same work; a
  // `finally` runs after it), and that function is not async (a caller awaiting it would take its
  // settling for "done"). At the top level of a module, nothing after it either.
  static bool nothing_waits_after(const Syntax& syntax, const SemanticModel& model, TSNode call) {
    TSNode node = call;
    int climbed = 0;
    for (TSNode parent = ts_node_parent(node); !ts_node_is_null(parent); node = parent, parent = ts_node_parent(parent)) {
      if (++climbed > 64) return false;
      const Kind k = syntax.kind(parent);
      if (SemanticModel::is_function_kind(k)) {
        if (model.is_generator_function(parent)) return false;
        if (model.is_async_function(parent) && !only_dropped_by_its_callers(syntax, parent)) return false;
        if (k == Kind::arrow_function && same_node(syntax.field(parent, Field::body), node)) return true;
        return syntax.is(node, Kind::statement_block);
      }
      switch (k) {
        case Kind::expression_statement:
        case Kind::parenthesized_expression:
        case Kind::if_statement:
        case Kind::else_clause:
        case Kind::for_statement:
        case Kind::for_in_statement:
        case Kind::while_statement:
        case Kind::do_statement:
        case Kind::catch_clause:
        case Kind::labeled_statement:
          continue;
        case Kind::try_statement:
          if (!ts_node_is_null(syntax.field(parent, Field::finalizer))) return false;
          continue;
        case Kind::statement_block:
        case Kind::program:
          for (TSNode next = ts_node_next_named_sibling(node); !ts_node_is_null(next); next = ts_node_next_named_sibling(next))
            if (!syntax.is(next, Kind::comment)) return false;
          if (k == Kind::program) return true;
          continue;
        default:
          return false;  // a switch case, an expression around the call, …: not worth guessing
      }
    }
    return false;
  }

  // An async method of a class whose every call in this file drops the promise (`this.onDelete(message);`
  // as a statement): nobody takes its end for "the callbacks are done" (parse-server's LiveQuery handlers).
  // A method never called here, or called once in any other way, may be awaited: false.
  static bool only_dropped_by_its_callers(const Syntax& syntax, TSNode function) {
    if (!syntax.is(function, Kind::method_definition)) return false;
    const std::string_view name = syntax.text(syntax.field(function, Field::name));
    if (name.empty()) return false;
    const std::string_view source = syntax.source();
    const std::string needle = "this." + std::string(name) + "(";
    const TSNode root = ts_tree_root_node(function.tree);
    int calls = 0;
    for (std::size_t at = source.find(needle); at != std::string_view::npos; at = source.find(needle, at + 1)) {
      if (++calls > 16) return false;
      const auto start = static_cast<std::uint32_t>(at);
      TSNode node = ts_node_descendant_for_byte_range(root, start, start + static_cast<std::uint32_t>(needle.size()) - 1);
      // Up from the `this` token to the call whose callee is `this.name`.
      for (int up = 0; up < 4 && !ts_node_is_null(node) && !syntax.is(node, Kind::call_expression); ++up) node = ts_node_parent(node);
      if (!syntax.is(node, Kind::call_expression)) return false;
      TSNode parent = ts_node_parent(node);
      if (!syntax.is(parent, Kind::expression_statement)) return false;  // awaited, returned, assigned, passed on
    }
    return calls > 0;
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
