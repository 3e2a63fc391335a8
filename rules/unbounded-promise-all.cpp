// unbounded-promise-all: Promise.all over a collection nobody bounded starts one I/O operation per element
// at once.
#include <cctype>

#include "rule_helpers.h"
#include "semantic/io.h"
#include "semantic/known_apis.h"

namespace asynclint {
namespace {

const RuleMeta kMeta{
    "unbounded-promise-all",
    "Promise.all over a collection of unknown size starts one I/O operation per element, all at once.",
    R"(`Promise.all` / `allSettled` / `any` / `race` over `xs.map(…)` (also `const jobs = xs.map(…)` awaited
later, or an array filled by `push` in a loop over `xs`) when each element starts I/O that holds a resource
while pending, and nothing bounds the size of `xs`.

**Why it is a bug.** `xs.map(async …)` starts every operation in the same tick: the in-flight count equals the
collection's size. With 20 rows in development that is fine; with 20,000 in production it opens 20,000
sockets, queries or files at once, trips rate limits, exhausts connection pools and spikes memory.

**Reported only when both hold.**
- *Each element does I/O*, as the code shows it, never guessed from a name: `fetch`; a function or object
  of a module known to do I/O (`fs`, `child_process`, `http`, `pg`, `mysql2`, `mongodb`, `ioredis`, `axios`,
  `got`, `@aws-sdk/*`, `@google-cloud/*`, `execa`, `globby`, … and the instances they create:
  `const pool = new Pool()`, `this.db = knex(config)`); a function of the project whose body makes such a
  call, in this file or another. A callback with no such call — CPU work, a lazy local `require`, a method of
  an object asynclint cannot trace, a callback handed in — is not reported.
- *The collection is sized by data*, as the code shows it: request input (`req.body.items`, `req.query.ids`,
  `ctx.request.body`, `event.Records`), the rows or items an awaited query or API call returned (`const { rows }
  = await pool.query(…)`, a `findMany()`, a listing), or an element of one of these. Through `const`s,
  destructuring, `.filter/.map/.slice/.flat/.concat/.sort`, spreads, `Array.from` and
  `Object.keys/values/entries`. A file listing or glob counts only when each element does more than file
  work (Node's thread pool already bounds file I/O). A parameter, a field, a CLI or configuration list or a
  constant is not evidence: on real code those were configuration-sized far more often than data-sized.
- Even then, a collection bounded by construction is left alone: `.slice(0, N)` and `Array.from({ length: N })`
  up to `maxKnownSize`, chunked work (`.slice(i, i + N)`, a collection named like `chunk`/`batch`/`page`, the
  variable of a loop over chunks).

**Limiters are recognised by what they are:** a function made by `p-limit` (`const limit = pLimit(8)`,
`jobs.push(limit(() => …))`), a `p-queue` queue, a `bottleneck` limiter, an `async-mutex` / `async-sema`
semaphore or mutex, `p-throttle`, any object made with a `concurrency` (`maxConcurrency`, `maxConcurrent`)
option (`new Retrier(check, { concurrency: 100 })`), used in the callback or handed to the function it calls,
and any `acquire()` … `release()` pair in the callback. A callee whose name merely contains "limit", "queue"
or "pool" is not one.

**Fix.** Bound the concurrency: `const limit = pLimit(8); await Promise.all(xs.map((x) => limit(() => work(x))))`,
or `await pMap(xs, work, { concurrency: 8 })`, or process the collection in chunks.)",
    {{true, "notify.ts", R"(import { Pool } from "pg";
const db = new Pool();

export async function notifySubscribers(topic: string) {
  const { rows } = await db.query("SELECT url FROM subscribers WHERE topic = $1", [topic]);
  await Promise.all(rows.map((s) => fetch(s.url, { method: "POST", signal: AbortSignal.timeout(5000) })));
}
)"},
     {false, "notify.ts", R"(import pLimit from "p-limit";
import { Pool } from "pg";
const db = new Pool();

export async function notifySubscribers(topic: string) {
  const { rows } = await db.query("SELECT url FROM subscribers WHERE topic = $1", [topic]);
  const limit = pLimit(8);
  await Promise.all(rows.map((s) => limit(() => fetch(s.url, { method: "POST", signal: AbortSignal.timeout(5000) }))));
}
)"}},
    Severity::Warn,
    {Kind::call_expression},
    {{"maxKnownSize", RuleOption::Type::Integer, 10,
      "A collection built by `.slice(0, N)` or `Array.from({ length: N })` counts as bounded up to this many elements."}},
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

// Modules whose functions and objects bound concurrency.
bool is_limiter_module(std::string_view module) {
  return module == "p-limit" || module == "p-queue" || module == "bottleneck" || module == "async-sema" ||
         module == "async-mutex" || module == "p-throttle" || module == "limiter" || module == "@supercharge/promise-pool";
}

// The root of the options objects a CLI or a configuration hands around: their lists are small by construction.
bool is_option_root(std::string_view name) {
  return name == "options" || name == "opts" || name == "config" || name == "configuration" || name == "settings" ||
         name == "argv" || name == "args" || name == "flags" || name == "cliOptions" || name == "program";
}

// What shows that a collection is sized by data: a phrase for the message, or imported functions whose
// results would show it if they do I/O (asked of the project index).
struct SizeEvidence {
  std::string text;
  std::vector<ImportQuestion> imports;
};

// The fan-out a Promise combinator waits on: the collection mapped over and the function run per element.
struct FanOut {
  TSNode collection{};
  TSNode work{};       // the map callback, or the call pushed in the loop
  bool work_is_call = false;
};

class UnboundedPromiseAll final : public Rule {
 public:
  const RuleMeta& meta() const override { return kMeta; }

  void check(TSNode call, Kind, RuleContext& context) const override {
    const Syntax& syntax = context.syntax();
    const SemanticModel& model = context.model();
    TSNode callee = syntax.unwrap(syntax.field(call, Field::function));
    if (!syntax.is(callee, Kind::member_expression)) return;
    TSNode object = syntax.unwrap(syntax.field(callee, Field::object));
    const std::string_view method = syntax.text(syntax.field(callee, Field::property));
    if (!syntax.is(object, Kind::identifier) || syntax.text(object) != "Promise" || model.resolve(object)) return;
    if (method != "all" && method != "allSettled" && method != "any" && method != "race") return;
    TSNode args[1];
    if (call_arguments(syntax, call, args, 1) != 1) return;
    const long long max = context.options().value("maxKnownSize", 10LL);

    FanOut fan_out = fan_out_of(context, syntax.unwrap(args[0]), call);
    if (ts_node_is_null(fan_out.collection) || ts_node_is_null(fan_out.work)) return;
    if (is_bounded(context, fan_out.collection, max)) return;
    if (uses_limiter(context, fan_out.work)) return;

    // Each element must start I/O the code shows (semantic/io.h); an imported function is asked of its file.
    const IoModel& io = model.io();
    IoFact evidence;
    if (fan_out.work_is_call) {
      evidence = io.of_call(fan_out.work);
    } else {
      TSNode function = SemanticModel::is_function_kind(syntax.kind(fan_out.work)) ? fan_out.work : model.local_function_of(fan_out.work);
      if (!ts_node_is_null(function)) evidence = io.of_function(function);
      else if (syntax.is(fan_out.work, Kind::identifier) || syntax.is(fan_out.work, Kind::member_expression)) {
        // `xs.map(fetchPage)` with `fetchPage` imported: its file answers.
        ImportQuestion imported = model.import_of(fan_out.work);
        if (!imported.empty()) evidence.imports.push_back(std::move(imported));
      }
    }
    if (!evidence.does_io && !evidence.depends_on_imports()) return;
    // The collection must be sized by data, as the code shows it. A file listing counts only when each
    // element does more than file-system work (Node's thread pool already bounds that).
    const bool file_work = evidence.does_io && IoModel::is_file_system_module(evidence.module);
    const SizeEvidence sized = data_size_evidence(context, fan_out.collection, !file_work, 0);
    if (sized.text.empty() && sized.imports.empty()) return;

    std::string name(syntax.text(fan_out.collection));
    for (char& c : name)
      if (c == '\n' || c == '\r') c = ' ';
    if (name.size() > 40) name = name.substr(0, 37) + "...";
    RuleReport report;
    report.node = call;
    report.message = "Promise." + std::string(method) + " starts one I/O operation per element of `" + name + "` (" +
                     (sized.text.empty() ? std::string("what an imported function returned") : sized.text) + ") at once" +
                     (evidence.does_io ? ": each calls " + evidence.reason : "") +
                     ", with no bound: a large collection opens that many requests, queries or files together, trips "
                     "rate limits and spikes memory. Limit the concurrency (p-limit, p-map with { concurrency }) or "
                     "process it in chunks.";
    if (!evidence.does_io) report.requirements.push_back({ImportRequirement::Question::DoesIo, evidence.imports});
    if (sized.text.empty()) report.requirements.push_back({ImportRequirement::Question::DoesIo, sized.imports});
    if (context.wants_scenario()) {
      report.scenario = scenario(call, "Promise." + std::string(method) + "(…)", name);
      report.fixed_scenario = fixed_scenario(call);
    }
    context.report(std::move(report));
  }

 private:
  // The code as written, with 20 elements and each operation taking 100 ms: all started at once. Small
  // enough to simulate in well under a millisecond; the point (in flight = collection size) needs no more.
  static std::string scenario(TSNode call, const std::string& combinator, const std::string& collection) {
    using rule_helpers::at;
    using rule_helpers::js_string;
    const std::string where = at(call);
    std::string s = counting_prelude();
    s += "async function __unbounded() {\n  const t0 = __now();\n  const operations = [];\n"
         "  for (let i = 0; i < 20; i++) operations.push(__start());\n";
    s += "  __step(" + where + ", " + js_string(combinator + " with 20 elements in `" + collection + "`: ") +
         " + __peak + ' operations were started in the same tick, before any of them finished');\n";
    s += "  await Promise.all(operations);\n";
    s += "  __step(" + where + ", 'all done after ' + (__now() - t0) + ' ms with ' + __peak + " +
         js_string(" in flight at the peak: the in-flight count is the collection's size, whatever that is in production") + ");\n}\n";
    s += "__unbounded();\n";
    return s;
  }

  // The fix, run on its own: the same 20 operations through a pool of 5 workers.
  static std::string fixed_scenario(TSNode call) {
    using rule_helpers::at;
    using rule_helpers::js_string;
    const std::string where = at(call);
    std::string s = counting_prelude();
    s += "async function __pooled() {\n  const t0 = __now();\n  let next = 0;\n"
         "  async function worker() { while (next < 20) { next++; await __start(); } }\n"
         "  const workers = [];\n  for (let w = 0; w < 5; w++) workers.push(worker());\n";
    s += "  __step(" + where + ", " + js_string("with a limit of 5 (p-limit, p-map { concurrency: 5 }) over the same 20 elements: ") +
         " + __peak + ' operations start, and each one that finishes makes room for the next');\n";
    s += "  await Promise.all(workers);\n";
    s += "  __step(" + where + ", 'all done after ' + (__now() - t0) + ' ms with at most ' + __peak + ' in flight');\n}\n";
    s += "__pooled();\n";
    return s;
  }

  // Operations of 100 ms that count how many are in flight.
  static std::string counting_prelude() {
    return "let __inFlight = 0, __peak = 0;\n"
           "function __start() {\n  __inFlight++;\n  if (__inFlight > __peak) __peak = __inFlight;\n"
           "  return __work(100).then(() => { __inFlight--; });\n}\n";
  }

  // What the combinator's argument fans out over: `xs.map(f)`, `[...xs].map(f)`, `Array.from(xs, f)`, a
  // `const` bound to one of those, or an empty array filled by `push(call)` in a loop over `xs`.
  static FanOut fan_out_of(const RuleContext& context, TSNode argument, TSNode promise_all) {
    const Syntax& syntax = context.syntax();
    FanOut fan_out;
    if (syntax.is(argument, Kind::identifier)) {
      const Binding* binding = context.model().resolve(argument);
      if (!binding || binding->kind != BindingKind::Variable) return fan_out;
      TSNode value = syntax.unwrap(binding->value);
      if (syntax.is(value, Kind::array)) return pushed_in_loop(context, argument, promise_all);
      if (context.model().assignments_of(*binding)) return fan_out;
      argument = value;
    }
    if (!syntax.is(argument, Kind::call_expression)) return fan_out;
    TSNode callee = syntax.unwrap(syntax.field(argument, Field::function));
    TSNode args[2];
    const std::uint32_t count = call_arguments(syntax, argument, args, 2);
    if (member_property(syntax, callee) == "map" && count == 1) {
      fan_out.collection = syntax.unwrap(syntax.field(callee, Field::object));
      fan_out.work = syntax.unwrap(args[0]);
    } else if (syntax.text(callee) == "Array.from" && count == 2) {
      fan_out.collection = syntax.unwrap(args[0]);
      fan_out.work = syntax.unwrap(args[1]);
    }
    return fan_out;
  }

  // A limiter made by a limiter module's export (`pLimit(8)`, `new PQueue()`, `new Semaphore(2)`), called or
  // used as the receiver of a call in the work; or an `acquire()` … `release()` pair.
  static bool uses_limiter(const RuleContext& context, TSNode work) {
    const Syntax& syntax = context.syntax();
    const SemanticModel& model = context.model();
    // Options that say a made object runs work with a bound: `new Retrier(check, { concurrency: 100 })`.
    auto bounded_by_options = [&](TSNode made) {
      bool bounded = false;
      for_each_named_child(syntax.field(made, Field::arguments), [&](TSNode argument) {
        argument = syntax.unwrap(argument);
        if (!syntax.is(argument, Kind::object)) return true;
        for_each_named_child(argument, [&](TSNode pair) {
          const std::string_view key = syntax.is(pair, Kind::pair) ? syntax.text(syntax.field(pair, Field::key)) : std::string_view{};
          bounded = key == "concurrency" || key == "maxConcurrency" || key == "maxConcurrent";
          return !bounded;
        });
        return !bounded;
      });
      return bounded;
    };
    auto made_by_limiter = [&](TSNode value) {
      for (int guard = 0; guard < 8 && !ts_node_is_null(value); ++guard) {
        value = syntax.unwrap(value);
        const Kind k = syntax.kind(value);
        if ((k == Kind::call_expression || k == Kind::new_expression) && bounded_by_options(value)) return true;
        if (k == Kind::call_expression) value = syntax.field(value, Field::function);
        else if (k == Kind::new_expression) value = syntax.field(value, Field::constructor);
        else if (k == Kind::member_expression) value = syntax.field(value, Field::object);
        else if (k == Kind::identifier) {
          const Binding* binding = model.resolve(value);
          if (!binding) return false;
          if (binding->kind == BindingKind::Import) return is_limiter_module(binding->module);
          if (binding->kind != BindingKind::Variable) return false;
          value = binding->value;
        } else if (k == Kind::this_) {
          return false;
        } else {
          return false;
        }
      }
      return false;
    };
    bool acquires = false, releases = false, limited = false;
    TSNode body = SemanticModel::is_function_kind(syntax.kind(work)) ? syntax.field(work, Field::body) : work;
    walk_preorder(body, [&](TSNode node, std::uint32_t) {
      if (limited) return false;
      if (!syntax.is(node, Kind::call_expression)) return true;
      TSNode callee = syntax.unwrap(syntax.field(node, Field::function));
      const std::string_view property = member_property(syntax, callee);
      if (property == "acquire") acquires = true;
      if (property == "release") releases = true;
      // `this.semaphore.runExclusive(…)`: a field holding a limiter.
      TSNode receiver = syntax.is(callee, Kind::member_expression) ? syntax.unwrap(syntax.field(callee, Field::object)) : callee;
      if (syntax.is(receiver, Kind::member_expression) && syntax.is(syntax.unwrap(syntax.field(receiver, Field::object)), Kind::this_))
        limited = this_field_made_by_limiter(context, receiver, made_by_limiter);
      if (!limited) limited = made_by_limiter(callee);
      // A limiter handed to the function doing the work (`lintFile(path, retrier)`), which runs through it.
      if (!limited)
        for_each_named_child(syntax.field(node, Field::arguments), [&](TSNode argument) {
          argument = syntax.unwrap(argument);
          limited = syntax.is(argument, Kind::identifier) && made_by_limiter(argument);
          return !limited;
        });
      return !limited;
    });
    return limited || (acquires && releases);
  }

  template <typename Predicate>
  static bool this_field_made_by_limiter(const RuleContext& context, TSNode member, Predicate&& made_by_limiter) {
    const Syntax& syntax = context.syntax();
    TSNode class_node = context.model().enclosing_class_for_this(ts_node_start_byte(member));
    if (ts_node_is_null(class_node)) return false;
    const std::string_view name = syntax.text(syntax.field(member, Field::property));
    for (const SemanticModel::FieldWrite& write : context.model().this_field_writes(class_node, name)) {
      if (write.form == SemanticModel::FieldWrite::Form::ParameterProperty) continue;
      const Field value = write.form == SemanticModel::FieldWrite::Form::Declaration ? Field::value : Field::right;
      if (made_by_limiter(syntax.field(write.node, value))) return true;
    }
    return false;
  }

  // What shows that a collection is sized by data ("request input", "the result of pool.query()", "each
  // element of …"), or nothing. A parameter is not: the review loop found parameters of exported functions
  // to be configuration or command-line lists far more often than data.
  // `remote_work`: each element does more than file-system work. Only then do a listing or an imported
  // function's result count: file work over a project's files is bounded by Node's thread pool and usually by
  // the project itself, and the review loop judged such fan-outs not worth reporting.
  static SizeEvidence data_size_evidence(const RuleContext& context, TSNode collection, bool remote_work, int depth) {
    const Syntax& syntax = context.syntax();
    const SemanticModel& model = context.model();
    auto text = [](std::string phrase) { return SizeEvidence{std::move(phrase), {}}; };
    if (depth > 12) return {};
    collection = syntax.unwrap(collection);
    switch (syntax.kind(collection)) {
      case Kind::identifier: {
        const Binding* binding = model.resolve(collection);
        if (!binding) return {};
        if (binding->kind == BindingKind::Parameter) {
          if (!remote_work) return {};
          TSNode function = model.enclosing_function(binding->declaration);
          // A parameter outside any function body: a function type's (`(x: T) => void`) in broken code.
          if (ts_node_is_null(function)) return {};
          // An element of a data-sized collection, and its properties: `rows.map(async (row) => … row.contacts …)`.
          TSNode arguments = ts_node_parent(function);
          TSNode call = ts_node_is_null(arguments) ? TSNode{} : ts_node_parent(arguments);
          if (syntax.is(arguments, Kind::arguments) && syntax.is(call, Kind::call_expression)) {
            const std::string_view method = member_property(syntax, syntax.field(call, Field::function));
            if (method == "map" || method == "forEach" || method == "flatMap" || method == "filter") {
              SizeEvidence outer = data_size_evidence(
                  context, syntax.field(syntax.unwrap(syntax.field(call, Field::function)), Field::object), remote_work, depth + 1);
              if (!outer.text.empty()) outer.text = "each element of a collection sized by data";
              return outer;
            }
          }
          return callers_evidence(context, function, binding->declaration, remote_work, depth);
        }
        if (binding->kind != BindingKind::Variable || ts_node_is_null(binding->value) || model.assignments_of(*binding)) return {};
        return data_size_evidence(context, binding->value, remote_work, depth + 1);
      }
      case Kind::member_expression:
      case Kind::subscript_expression: {
        // Request input: `req.body.items`, `request.query.ids`, `ctx.request.body`, `event.Records`, `req.url`.
        for (TSNode part = collection; syntax.is(part, Kind::member_expression) || syntax.is(part, Kind::subscript_expression);
             part = syntax.unwrap(syntax.field(part, Field::object))) {
          const std::string_view property = syntax.is(part, Kind::member_expression) ? syntax.text(syntax.field(part, Field::property)) : "";
          TSNode root = rule_helpers::chain_root(syntax, part);
          const Binding* binding = syntax.is(root, Kind::identifier) ? model.resolve(root) : nullptr;
          if (!binding || binding->kind != BindingKind::Parameter) continue;
          // `body` and `query` of any parameter; `params`, `url` and `Records` only of a request or an event
          // (`instance.params` is configuration).
          const std::string_view root_name = syntax.text(root);
          const bool request = root_name == "req" || root_name == "request" || root_name == "ctx" || root_name == "event";
          if (property == "body" || property == "query" ||
              (request && (property == "params" || property == "url" || property == "Records")))
            return text("request input");
        }
        // A property of data: `result.rows`, `response.data.items`.
        return data_size_evidence(context, syntax.field(collection, Field::object), remote_work, depth + 1);
      }
      case Kind::await_expression: {
        TSNode awaited = syntax.unwrap(syntax.first_named_child(collection));
        if (syntax.is(awaited, Kind::call_expression)) {
          // What a query, an API call or (when it counts) a listing returned.
          const IoFact io = model.io().of_call(awaited);
          if (io.does_io && (remote_work || !IoModel::is_file_system_module(io.module)))
            return text("the result of " + rule_helpers::callee_label(syntax, awaited) + "()");
          if (io.depends_on_imports() && remote_work) return SizeEvidence{{}, io.imports};
          TSNode callee = syntax.unwrap(syntax.field(awaited, Field::function));
          if (member_property(syntax, callee) == "json")  // `await response.json()` of a request
            return data_size_evidence(context, syntax.field(callee, Field::object), remote_work, depth + 1);
        }
        return data_size_evidence(context, awaited, remote_work, depth + 1);
      }
      case Kind::new_expression: {
        // `new URL(req.url, base)`, `new Set(ids)`.
        TSNode args[1];
        if (call_arguments(syntax, collection, args, 1) == 1) return data_size_evidence(context, args[0], remote_work, depth + 1);
        return {};
      }
      case Kind::call_expression: {
        TSNode callee = syntax.unwrap(syntax.field(collection, Field::function));
        // `await getJSON<T[]>(url)`: TypeScript reads the callee as `await getJSON`; the call is awaited.
        if (syntax.is(callee, Kind::await_expression)) {
          const IoFact io = model.io().of_call(collection);
          if (io.does_io && (remote_work || !IoModel::is_file_system_module(io.module)))
            return text("the result of " + std::string(syntax.text(syntax.first_named_child(callee))) + "()");
          if (io.depends_on_imports() && remote_work) return SizeEvidence{{}, io.imports};
          return {};
        }
        const std::string_view name = syntax.text(callee);
        TSNode args[1];
        const bool one = call_arguments(syntax, collection, args, 1) >= 1;
        if ((name == "Object.keys" || name == "Object.values" || name == "Object.entries" || name == "Array.from" ||
             name == "JSON.parse" || name == "String") && one)
          return data_size_evidence(context, args[0], remote_work, depth + 1);
        const std::string_view method = member_property(syntax, callee);
        if (method == "filter" || method == "map" || method == "slice" || method == "flat" || method == "flatMap" ||
            method == "concat" || method == "sort" || method == "reverse" || method == "split" || method == "values" ||
            method == "keys" || method == "entries" || method == "getAll")
          return data_size_evidence(context, syntax.field(callee, Field::object), remote_work, depth + 1);
        return {};
      }
      case Kind::array: {
        // `[...xs]`: the spread's evidence.
        for (std::uint32_t i = 0, n = ts_node_named_child_count(collection); i < n; ++i) {
          TSNode element = ts_node_named_child(collection, i);
          if (!syntax.is(element, Kind::spread_element)) continue;
          SizeEvidence evidence = data_size_evidence(context, syntax.first_named_child(element), remote_work, depth + 1);
          if (!evidence.text.empty() || !evidence.imports.empty()) return evidence;
        }
        return {};
      }
      case Kind::ternary_expression: {
        SizeEvidence evidence = data_size_evidence(context, syntax.field(collection, Field::consequence), remote_work, depth + 1);
        if (!evidence.text.empty()) return evidence;
        return data_size_evidence(context, syntax.field(collection, Field::alternative), remote_work, depth + 1);
      }
      case Kind::binary_expression:
        return data_size_evidence(context, syntax.field(collection, Field::left), remote_work, depth + 1);
      default:
        return {};
    }
  }

  // A parameter of a local function (not exported: this file holds every call): evidence when every call
  // passes a collection sized by data (`const traverse = async (vars) => Promise.all(vars.map(…));
  // traverse(await api.list())`).
  static SizeEvidence callers_evidence(const RuleContext& context, TSNode function, TSNode parameter, bool remote_work, int depth) {
    const Syntax& syntax = context.syntax();
    const SemanticModel& model = context.model();
    // The name the function is called by, and the parameter's position.
    TSNode name = syntax.field(function, Field::name);
    if (ts_node_is_null(name)) {
      TSNode declarator = ts_node_parent(function);
      if (syntax.is(declarator, Kind::variable_declarator)) name = syntax.field(declarator, Field::name);
    }
    if (!syntax.is(name, Kind::identifier)) return {};
    const Binding* callee_binding = model.resolve(name);
    if (!callee_binding || model.assignments_of(*callee_binding)) return {};
    TSNode parameters = syntax.field(function, Field::parameters);
    int position = -1, index = 0;
    for (std::uint32_t i = 0, n = ts_node_is_null(parameters) ? 0 : ts_node_named_child_count(parameters); i < n; ++i) {
      TSNode declared = ts_node_named_child(parameters, i);
      if (syntax.is(declared, Kind::comment)) continue;
      if (rule_helpers::contains(declared, parameter)) position = index;
      ++index;
    }
    if (position < 0) return {};
    SizeEvidence found;
    bool every = true;
    int calls = 0;
    walk_preorder(model.scopes()[callee_binding->scope].node, [&](TSNode node, std::uint32_t) {
      if (!every) return false;
      if (syntax.is(node, Kind::identifier) && syntax.text(node) == syntax.text(name) && !same_node(node, name) &&
          model.resolve(node) == callee_binding) {
        TSNode call = ts_node_parent(node);
        // Any use other than a direct call (handed on, exported) lets callers out of sight.
        if (!syntax.is(call, Kind::call_expression) || !same_node(syntax.field(call, Field::function), node)) {
          every = false;
          return false;
        }
        TSNode args[8];
        const std::uint32_t count = call_arguments(syntax, call, args, 8);
        SizeEvidence passed = static_cast<std::uint32_t>(position) < count
                                  ? data_size_evidence(context, args[position], remote_work, depth + 1)
                                  : SizeEvidence{};
        if (passed.text.empty() && passed.imports.empty()) every = false;
        else if (calls++ == 0) found = passed;
        else if (found.text.empty() && !passed.text.empty()) found.text = passed.text;
      }
      return true;
    });
    if (!every || calls == 0) return {};
    if (!found.text.empty()) {
      found.text = "what its callers pass: " + found.text;
      found.imports.clear();
    }
    return found;
  }

  bool is_bounded(const RuleContext& context, TSNode collection, long long max) const {
    const Syntax& syntax = context.syntax();
    for (int guard = 0; guard < 64; ++guard) {
      collection = syntax.unwrap(collection);
      const Kind k = syntax.kind(collection);
      if (k == Kind::array) return array_is_bounded(context, collection, max);
      if (k == Kind::identifier && syntax.text(collection) == "arguments" && !context.model().resolve(collection)) return true;
      if (k == Kind::identifier || k == Kind::member_expression || k == Kind::subscript_expression) {
        const std::string_view text = syntax.is(collection, Kind::member_expression)
                                          ? syntax.text(syntax.field(collection, Field::property))
                                          : syntax.text(collection);
        if (contains_word(text, {"chunk", "batch", "page", "slice"})) return true;
        TSNode root = rule_helpers::chain_root(syntax, collection);
        if (k != Kind::identifier) {
          // process.argv, options.ignorePath, this.options.plugins: lists a person typed.
          if (syntax.text(collection).substr(0, 12) == "process.argv") return true;
          TSNode option = syntax.is(root, Kind::this_) ? syntax.field(ts_node_parent(root), Field::property) : root;
          return is_option_root(syntax.text(option));
        }
        const Binding* binding = context.model().resolve(collection);
        if (!binding) return false;
        // The variable of a loop over chunks: each iteration awaits one group.
        if (binding->kind == BindingKind::Variable && ts_node_is_null(binding->value) && in_for_of_left(syntax, binding->declaration))
          return true;
        if (binding->kind == BindingKind::Parameter) return is_option_root(binding->name);
        if (binding->kind != BindingKind::Variable || ts_node_is_null(binding->value) || context.model().assignments_of(*binding))
          return false;
        collection = binding->value;
        continue;
      }
      if (k != Kind::call_expression) return false;
      TSNode callee = syntax.unwrap(syntax.field(collection, Field::function));
      const std::string_view callee_text = syntax.text(callee);
      TSNode args[2];
      const std::uint32_t count = call_arguments(syntax, collection, args, 2);
      if (callee_text == "Object.keys" || callee_text == "Object.values" || callee_text == "Object.entries") {
        // Of an object literal (or a const bound to one): its keys are in the code.
        if (count != 1) return false;
        TSNode target = syntax.unwrap(args[0]);
        if (syntax.is(target, Kind::identifier)) {
          const Binding* binding = context.model().resolve(target);
          if (binding && binding->kind == BindingKind::Variable && !context.model().assignments_of(*binding)) target = syntax.unwrap(binding->value);
        }
        return syntax.is(target, Kind::object) || is_bounded(context, args[0], max);
      }
      if (callee_text == "Array.from" && count >= 1 && syntax.is(syntax.unwrap(args[0]), Kind::object)) {
        TSNode object = syntax.unwrap(args[0]);
        for (std::uint32_t i = 0; i < ts_node_named_child_count(object); ++i) {
          TSNode pair = ts_node_named_child(object, i);
          if (syntax.is(pair, Kind::pair) && syntax.text(syntax.field(pair, Field::key)) == "length")
            return is_small_number(syntax, syntax.field(pair, Field::value), max);
        }
        return false;
      }
      if (callee_text == "Array.from" && count >= 1) {
        collection = args[0];
        continue;
      }
      const std::string_view method = member_property(syntax, callee);
      if (method == "slice" && count == 2) {
        if (is_small_number(syntax, args[0], 0) && is_small_number(syntax, args[1], max)) return true;
        // .slice(i, i + N): chunked work, N at a time whatever N is (a literal or a named chunk size).
        TSNode end = syntax.unwrap(args[1]);
        TSNode step = syntax.unwrap(syntax.field(end, Field::right));
        if (syntax.is(end, Kind::binary_expression) && syntax.text(syntax.field(end, Field::left)) == syntax.text(args[0]) &&
            (syntax.is(step, Kind::number) || syntax.is(step, Kind::identifier)))
          return true;
      }
      if (method == "filter" || method == "map" || method == "slice" || method == "flat" || method == "concat" ||
          method == "sort" || method == "reverse" || method == "flatMap") {
        collection = syntax.field(callee, Field::object);
        continue;
      }
      return false;
    }
    return false;
  }

  // An array literal is bounded by its text, unless it spreads something unbounded.
  bool array_is_bounded(const RuleContext& context, TSNode array, long long max) const {
    const Syntax& syntax = context.syntax();
    const std::uint32_t count = ts_node_named_child_count(array);
    for (std::uint32_t i = 0; i < count; ++i) {
      TSNode element = ts_node_named_child(array, i);
      if (!syntax.is(element, Kind::spread_element)) continue;
      TSNode spread = syntax.unwrap(syntax.first_named_child(element));
      // `...(cond ? xs : new Map())`: each branch must be bounded.
      if (syntax.is(spread, Kind::ternary_expression)) {
        if (!is_bounded_or_empty(context, syntax.field(spread, Field::consequence), max) ||
            !is_bounded_or_empty(context, syntax.field(spread, Field::alternative), max))
          return false;
        continue;
      }
      if (!is_bounded(context, spread, max)) return false;
    }
    return true;
  }

  bool is_bounded_or_empty(const RuleContext& context, TSNode node, long long max) const {
    const Syntax& syntax = context.syntax();
    node = syntax.unwrap(node);
    if (syntax.is(node, Kind::new_expression)) {
      TSNode args = syntax.field(node, Field::arguments);
      if (ts_node_is_null(args) || ts_node_named_child_count(args) == 0) return true;  // `new Map()`: empty
    }
    return is_bounded(context, node, max);
  }

  static bool in_for_of_left(const Syntax& syntax, TSNode declaration) {
    TSNode parent = ts_node_parent(declaration);
    for (int guard = 0; guard < 8 && !ts_node_is_null(parent); ++guard, parent = ts_node_parent(parent)) {
      if (syntax.is(parent, Kind::for_in_statement)) return rule_helpers::contains(syntax.field(parent, Field::left), declaration);
    }
    return false;
  }

  // `const tasks = []; for (const x of xs) tasks.push(work(x)); await Promise.all(tasks)`: the loop's
  // collection (`xs`) and the pushed call.
  static FanOut pushed_in_loop(const RuleContext& context, TSNode identifier, TSNode promise_all) {
    const Syntax& syntax = context.syntax();
    FanOut fan_out;
    const Binding* binding = context.model().resolve(identifier);
    if (!binding || ts_node_named_child_count(syntax.unwrap(binding->value)) != 0) return fan_out;
    TSNode function = context.model().enclosing_function(promise_all);
    TSNode scope = ts_node_is_null(function) ? context.model().scopes().front().node : syntax.field(function, Field::body);
    std::vector<TSNode> stack{scope};
    while (!stack.empty() && ts_node_is_null(fan_out.work)) {
      TSNode node = stack.back();
      stack.pop_back();
      if (ts_node_is_null(node)) continue;
      if (syntax.is(node, Kind::for_in_statement) && syntax.text(syntax.field(node, Field::operator_)) == "of") {
        TSNode pushed = pushed_call(context, syntax.field(node, Field::body), binding);
        if (!ts_node_is_null(pushed)) return {syntax.field(node, Field::right), pushed, true};
      }
      // for (let i = 0; i < xs.length; i++) tasks.push(work(xs[i]))
      if (syntax.is(node, Kind::for_statement)) {
        TSNode condition = syntax.unwrap(syntax.field(node, Field::condition));
        if (syntax.is(condition, Kind::expression_statement)) condition = syntax.unwrap(syntax.first_named_child(condition));
        TSNode bound = syntax.is(condition, Kind::binary_expression) ? syntax.unwrap(syntax.field(condition, Field::right)) : TSNode{};
        TSNode pushed = member_property(syntax, bound) == "length" ? pushed_call(context, syntax.field(node, Field::body), binding) : TSNode{};
        if (!ts_node_is_null(pushed)) return {syntax.field(bound, Field::object), pushed, true};
      }
      append_named_children(node, stack);
    }
    return fan_out;
  }

  // The call pushed onto `array` in a loop body (`tasks.push(work(x))`), or a null node.
  static TSNode pushed_call(const RuleContext& context, TSNode body, const Binding* array) {
    const Syntax& syntax = context.syntax();
    TSNode found{};
    walk_preorder(body, [&](TSNode node, std::uint32_t) {
      if (!ts_node_is_null(found) || SemanticModel::is_function_kind(syntax.kind(node))) return false;
      if (syntax.is(node, Kind::call_expression) && member_property(syntax, syntax.field(node, Field::function)) == "push") {
        TSNode target = syntax.unwrap(syntax.field(syntax.unwrap(syntax.field(node, Field::function)), Field::object));
        TSNode pushed[1];
        if (syntax.is(target, Kind::identifier) && context.model().resolve(target) == array && call_arguments(syntax, node, pushed, 1) == 1 &&
            syntax.is(syntax.unwrap(pushed[0]), Kind::call_expression))
          found = syntax.unwrap(pushed[0]);
      }
      return true;
    });
    return found;
  }
};

}  // namespace
ASYNCLINT_REGISTER_RULE(UnboundedPromiseAll);
}  // namespace asynclint
