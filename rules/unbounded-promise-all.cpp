// unbounded-promise-all: Promise.all over a collection nobody bounded starts every operation at once.
#include <cctype>

#include "rule_helpers.h"

namespace asynclint {
namespace {

const RuleMeta kMeta{
    "unbounded-promise-all",
    "Promise.all over a collection of unknown size starts one operation per element, all at once.",
    R"(`Promise.all` / `allSettled` / `any` / `race` over `xs.map(…)` whose callback starts async work, or over an
array filled by `push` in a loop, when nothing bounds the size of `xs`.

**Why it is a bug.** `xs.map(async …)` starts every operation in the same tick: the in-flight count equals the
collection's size. With 20 rows in development that is fine; with 20,000 in production it opens 20,000
sockets or queries at once, trips rate limits, exhausts connection pools and spikes memory.

**Not reported:** array literals; a `const` array literal, `.slice(0, N)` or `Array.from({ length: N })` of at
most `maxKnownSize` elements; `Object.keys/values/entries(…)` (configuration-sized); chunked work (a
collection named like `chunk`, `batch`, `page`, `slice`, the variable of a loop over chunks, or
`.slice(i, i + N)`); work wrapped by a concurrency limiter in the callback (p-limit's `limit(() => …)`,
p-queue's `queue.add`, Bottleneck's `limiter.schedule`, a semaphore or mutex); callbacks that start no work
(`xs.map((x) => x.ready)`).

**Fix.** Bound the concurrency: `const limit = pLimit(8); await Promise.all(xs.map((x) => limit(() => work(x))))`,
or `await pMap(xs, work, { concurrency: 8 })`, or process the collection in chunks.)",
    {{true, "notify.ts", R"(export async function notifySubscribers(subscribers: Subscriber[]) {
  await Promise.all(subscribers.map((s) => deliver(s.url)));
}
)"},
     {false, "notify.ts", R"(import pLimit from "p-limit";

export async function notifySubscribers(subscribers: Subscriber[]) {
  const limit = pLimit(8);
  await Promise.all(subscribers.map((s) => limit(() => deliver(s.url))));
}
)"}},
    Severity::Warn,
    {Kind::call_expression},
    {{"maxKnownSize", RuleOption::Type::Integer, 10,
      "A collection of known size above this many elements counts as unbounded."}},
    false,
};

bool contains_word(std::string_view text, std::initializer_list<std::string_view> words) {
  std::string lower(text);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (std::string_view word : words)
    if (lower.find(word) != std::string::npos) return true;
  return false;
}

bool is_small_number(const Syntax& syntax, TSNode node, long long max) {
  node = syntax.unwrap(node);
  if (!syntax.is(node, Kind::number)) return false;
  try {
    return std::stoll(std::string(syntax.text(node))) <= max;
  } catch (...) {
    return false;
  }
}

class UnboundedPromiseAll final : public Rule {
 public:
  const RuleMeta& meta() const override { return kMeta; }

  void check(TSNode call, Kind, RuleContext& context) const override {
    const Syntax& syntax = context.syntax();
    TSNode callee = syntax.unwrap(syntax.field(call, Field::function));
    if (!syntax.is(callee, Kind::member_expression)) return;
    TSNode object = syntax.unwrap(syntax.field(callee, Field::object));
    const std::string_view method = syntax.text(syntax.field(callee, Field::property));
    if (!syntax.is(object, Kind::identifier) || syntax.text(object) != "Promise" || context.model().resolve(object)) return;
    if (method != "all" && method != "allSettled" && method != "any" && method != "race") return;
    TSNode args[1];
    if (call_arguments(syntax, call, args, 1) != 1) return;
    const long long max = context.options().value("maxKnownSize", 10LL);

    TSNode argument = syntax.unwrap(args[0]);
    TSNode collection{};
    if (syntax.is(argument, Kind::call_expression) && member_property(syntax, syntax.field(argument, Field::function)) == "map") {
      TSNode map_args[1];
      if (call_arguments(syntax, argument, map_args, 1) != 1 || !starts_async_work(context, syntax.unwrap(map_args[0]))) return;
      collection = syntax.unwrap(syntax.field(syntax.unwrap(syntax.field(argument, Field::function)), Field::object));
    } else if (syntax.is(argument, Kind::identifier)) {
      collection = pushed_in_loop_over(context, argument, call);
      if (ts_node_is_null(collection)) return;
    } else {
      return;
    }
    if (is_bounded(context, collection, max)) return;

    std::string name(syntax.text(collection));
    for (char& c : name)
      if (c == '\n' || c == '\r') c = ' ';
    if (name.size() > 40) name = name.substr(0, 37) + "...";
    RuleReport report;
    report.node = call;
    report.message = "Promise." + std::string(method) + " starts one operation per element of `" + name +
                     "` at once, with no bound: a large collection opens that many requests or queries together, trips "
                     "rate limits and spikes memory. Limit the concurrency (p-limit, p-map with { concurrency }) or "
                     "process it in chunks.";
    if (context.wants_scenario()) report.scenario = scenario(call, "Promise." + std::string(method) + "(…)", name);
    context.report(std::move(report));
  }

 private:
  // 20 elements, each operation taking 100 ms: started all at once, then through a pool of 5. Small enough
  // to simulate in well under a millisecond; the point (in flight = collection size) does not need more.
  static std::string scenario(TSNode call, const std::string& combinator, const std::string& collection) {
    using rule_helpers::at;
    using rule_helpers::js_string;
    const std::string where = at(call);
    std::string s;
    s += "let __inFlight = 0, __peak = 0;\n";
    s += "function __start() {\n  __inFlight++;\n  if (__inFlight > __peak) __peak = __inFlight;\n"
         "  return __work(100).then(() => { __inFlight--; });\n}\n";
    s += "async function __unbounded() {\n  const t0 = __now();\n  const operations = [];\n"
         "  for (let i = 0; i < 20; i++) operations.push(__start());\n";
    s += "  __step(" + where + ", " + js_string(combinator + " with 20 elements in `" + collection + "`: ") +
         " + __peak + ' operations were started in the same tick, before any of them finished');\n";
    s += "  await Promise.all(operations);\n";
    s += "  __step(" + where + ", 'all done after ' + (__now() - t0) + ' ms with ' + __peak + " +
         js_string(" in flight at the peak: the in-flight count is the collection's size, whatever that is in production") + ");\n}\n";
    s += "async function __pooled() {\n  __inFlight = 0;\n  __peak = 0;\n  const t0 = __now();\n  let next = 0;\n"
         "  async function worker() { while (next < 20) { next++; await __start(); } }\n"
         "  const workers = [];\n  for (let w = 0; w < 5; w++) workers.push(worker());\n  await Promise.all(workers);\n";
    s += "  __step(" + where + ", " + js_string("with a limit of 5 (p-limit, p-map { concurrency: 5 }): at most ") +
         " + __peak + ' in flight, all done after ' + (__now() - t0) + ' ms');\n}\n";
    s += "__unbounded().then(__pooled);\n";
    return s;
  }

  // Whether a map callback starts async work, and does so without a limiter.
  static bool starts_async_work(const RuleContext& context, TSNode callback) {
    const Syntax& syntax = context.syntax();
    const SemanticModel& model = context.model();
    TSNode function = SemanticModel::is_function_kind(syntax.kind(callback)) ? callback : model.local_function_of(callback);
    if (ts_node_is_null(function)) return syntax.is(callback, Kind::identifier) || syntax.is(callback, Kind::member_expression);
    if (uses_limiter(context, function)) return false;
    if (model.is_async_function(function)) return true;
    TSNode body = syntax.unwrap(syntax.field(function, Field::body));
    if (!syntax.is(body, Kind::statement_block)) return syntax.is(body, Kind::call_expression) || syntax.is(body, Kind::new_expression);
    const std::uint32_t count = ts_node_named_child_count(body);
    for (std::uint32_t i = 0; i < count; ++i) {
      TSNode statement = ts_node_named_child(body, i);
      if (!syntax.is(statement, Kind::return_statement)) continue;
      TSNode value = syntax.unwrap(syntax.first_named_child(statement));
      if (syntax.is(value, Kind::call_expression) || syntax.is(value, Kind::new_expression)) return true;
    }
    return false;
  }

  static bool names_limiter(std::string_view callee) {
    return contains_word(callee, {"limit", "queue", "sema", "mutex", "throttle", "pool", "sem.", "schedule", "acquire"});
  }

  // p-limit, p-queue, Bottleneck, semaphores: a call whose callee names a limiter, or is bound to what a
  // limiter factory made (`const gate = pLimit(6); … gate(() => work(x))`).
  static bool uses_limiter(const RuleContext& context, TSNode function) {
    const Syntax& syntax = context.syntax();
    std::vector<TSNode> stack{syntax.field(function, Field::body)};
    while (!stack.empty()) {
      TSNode node = stack.back();
      stack.pop_back();
      if (ts_node_is_null(node)) continue;
      if (syntax.is(node, Kind::call_expression)) {
        TSNode callee = syntax.unwrap(syntax.field(node, Field::function));
        if (names_limiter(syntax.text(callee))) return true;
        if (syntax.is(callee, Kind::identifier)) {
          const Binding* binding = context.model().resolve(callee);
          TSNode value = binding ? syntax.unwrap(binding->value) : TSNode{};
          if (syntax.is(value, Kind::call_expression) && names_limiter(syntax.text(syntax.field(value, Field::function)))) return true;
        }
      }
      const std::uint32_t count = ts_node_named_child_count(node);
      for (std::uint32_t i = 0; i < count; ++i) stack.push_back(ts_node_named_child(node, i));
    }
    return false;
  }

  bool is_bounded(const RuleContext& context, TSNode collection, long long max) const {
    const Syntax& syntax = context.syntax();
    for (int guard = 0; guard < 64; ++guard) {
      collection = syntax.unwrap(collection);
      const Kind k = syntax.kind(collection);
      if (k == Kind::array) return array_size(syntax, collection) <= max;
      if (k == Kind::identifier || k == Kind::member_expression) {
        const std::string_view text = syntax.is(collection, Kind::member_expression)
                                          ? syntax.text(syntax.field(collection, Field::property))
                                          : syntax.text(collection);
        if (contains_word(text, {"chunk", "batch", "page", "slice"})) return true;
        if (k != Kind::identifier) return false;
        const Binding* binding = context.model().resolve(collection);
        if (!binding) return false;
        // The variable of a loop over chunks: each iteration awaits one group.
        if (binding->kind == BindingKind::Variable && ts_node_is_null(binding->value) && in_for_of_left(syntax, binding->declaration))
          return true;
        if (binding->kind != BindingKind::Variable || ts_node_is_null(binding->value)) return false;
        TSNode value = syntax.unwrap(binding->value);
        if (syntax.is(value, Kind::array)) return array_size(syntax, value) <= max;
        collection = value;
        if (!syntax.is(value, Kind::call_expression)) return false;
        continue;
      }
      if (k != Kind::call_expression) return false;
      TSNode callee = syntax.unwrap(syntax.field(collection, Field::function));
      const std::string_view callee_text = syntax.text(callee);
      if (callee_text == "Object.keys" || callee_text == "Object.values" || callee_text == "Object.entries") return true;
      TSNode args[2];
      const std::uint32_t count = call_arguments(syntax, collection, args, 2);
      if (callee_text == "Array.from" && count >= 1 && syntax.is(syntax.unwrap(args[0]), Kind::object)) {
        TSNode object = syntax.unwrap(args[0]);
        for (std::uint32_t i = 0; i < ts_node_named_child_count(object); ++i) {
          TSNode pair = ts_node_named_child(object, i);
          if (syntax.is(pair, Kind::pair) && syntax.text(syntax.field(pair, Field::key)) == "length")
            return is_small_number(syntax, syntax.field(pair, Field::value), max);
        }
        return false;
      }
      const std::string_view method = member_property(syntax, callee);
      if (method == "slice" && count == 2) {
        if (is_small_number(syntax, args[0], 0) && is_small_number(syntax, args[1], max)) return true;
        // .slice(i, i + N)
        TSNode end = syntax.unwrap(args[1]);
        if (syntax.is(end, Kind::binary_expression) && syntax.text(syntax.field(end, Field::left)) == syntax.text(args[0]) &&
            is_small_number(syntax, syntax.field(end, Field::right), max))
          return true;
      }
      if (method == "filter" || method == "map" || method == "slice" || method == "flat" || method == "concat") {
        collection = syntax.field(callee, Field::object);
        continue;
      }
      return false;
    }
    return false;
  }

  static long long array_size(const Syntax& syntax, TSNode array) {
    long long size = 0;
    const std::uint32_t count = ts_node_named_child_count(array);
    for (std::uint32_t i = 0; i < count; ++i) {
      TSNode element = ts_node_named_child(array, i);
      if (syntax.is(element, Kind::spread_element)) return 1LL << 40;  // unknown: as large as it gets
      if (!syntax.is(element, Kind::comment)) ++size;
    }
    return size;
  }

  static bool in_for_of_left(const Syntax& syntax, TSNode declaration) {
    TSNode parent = ts_node_parent(declaration);
    for (int guard = 0; guard < 8 && !ts_node_is_null(parent); ++guard, parent = ts_node_parent(parent)) {
      if (syntax.is(parent, Kind::for_in_statement)) return rule_helpers::contains(syntax.field(parent, Field::left), declaration);
    }
    return false;
  }

  // `const tasks = []; for (const x of xs) tasks.push(work(x)); await Promise.all(tasks)`: the loop's
  // collection (`xs`), or a null node.
  static TSNode pushed_in_loop_over(const RuleContext& context, TSNode identifier, TSNode promise_all) {
    const Syntax& syntax = context.syntax();
    const Binding* binding = context.model().resolve(identifier);
    if (!binding || binding->kind != BindingKind::Variable || !syntax.is(syntax.unwrap(binding->value), Kind::array)) return TSNode{};
    if (ts_node_named_child_count(syntax.unwrap(binding->value)) != 0) return TSNode{};
    TSNode function = context.model().enclosing_function(promise_all);
    TSNode scope = ts_node_is_null(function) ? context.model().scopes().front().node : syntax.field(function, Field::body);
    std::vector<TSNode> stack{scope};
    while (!stack.empty()) {
      TSNode node = stack.back();
      stack.pop_back();
      if (ts_node_is_null(node)) continue;
      if (syntax.is(node, Kind::for_in_statement) && syntax.text(syntax.field(node, Field::operator_)) == "of") {
        if (pushes_call(context, syntax.field(node, Field::body), binding)) return syntax.field(node, Field::right);
      }
      // for (let i = 0; i < xs.length; i++) tasks.push(work(xs[i]))
      if (syntax.is(node, Kind::for_statement)) {
        TSNode condition = syntax.unwrap(syntax.field(node, Field::condition));
        if (syntax.is(condition, Kind::expression_statement)) condition = syntax.unwrap(syntax.first_named_child(condition));
        TSNode bound = syntax.is(condition, Kind::binary_expression) ? syntax.unwrap(syntax.field(condition, Field::right)) : TSNode{};
        if (member_property(syntax, bound) == "length" && pushes_call(context, syntax.field(node, Field::body), binding))
          return syntax.field(bound, Field::object);
      }
      const std::uint32_t count = ts_node_named_child_count(node);
      for (std::uint32_t i = 0; i < count; ++i) stack.push_back(ts_node_named_child(node, i));
    }
    return TSNode{};
  }

  static bool pushes_call(const RuleContext& context, TSNode body, const Binding* array) {
    const Syntax& syntax = context.syntax();
    std::vector<TSNode> stack{body};
    while (!stack.empty()) {
      TSNode node = stack.back();
      stack.pop_back();
      if (ts_node_is_null(node) || SemanticModel::is_function_kind(syntax.kind(node))) continue;
      if (syntax.is(node, Kind::call_expression)) {
        TSNode callee = syntax.unwrap(syntax.field(node, Field::function));
        if (member_property(syntax, callee) == "push") {
          TSNode target = syntax.unwrap(syntax.field(callee, Field::object));
          TSNode pushed[1];
          if (syntax.is(target, Kind::identifier) && context.model().resolve(target) == array &&
              call_arguments(syntax, node, pushed, 1) == 1 && syntax.is(syntax.unwrap(pushed[0]), Kind::call_expression))
            return true;
        }
      }
      const std::uint32_t count = ts_node_named_child_count(node);
      for (std::uint32_t i = 0; i < count; ++i) stack.push_back(ts_node_named_child(node, i));
    }
    return false;
  }
};

}  // namespace
ASYNCLINT_REGISTER_RULE(UnboundedPromiseAll);
}  // namespace asynclint
