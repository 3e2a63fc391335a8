// sequential-await: independent awaits that run one after another.
#include <algorithm>
#include <cctype>
#include <set>

#include "rule_helpers.h"
#include "semantic/io.h"

namespace asynclint {
namespace {

const RuleMeta kMeta{
    "sequential-await",
    "Independent awaits run one after another: the function takes the sum of their latencies instead of the longest.",
    R"(Two or more `await`s in a row whose operations do not depend on each other, or a loop that awaits one
independent operation per iteration.

**Why it is a bug.** Each `await` suspends the function until its operation settles, so independent
operations written one after another run one at a time: three 100 ms requests take 300 ms instead of 100 ms.
In a loop over N elements it is N round trips in a row.

**What is reported.**
- *Straight line:* adjacent statements `const a = await f()` or `a = await f()` whose later operands read
  nothing the earlier ones produced (asynclint follows the names: destructuring, property reads, template
  strings, spreads, closures). Any other statement between two awaits ends the group, and so does an
  `await f();` whose result is not kept: it is done for its effect, and effects are where order matters.
- *Loops:* a `for…of` or counting `for` loop whose body awaits exactly once and keeps the result
  (`const r = await f(x)`, `r = await f(x)`, `results.push(await f(x))`, `.set`/`.add`; a loop awaiting an
  effect, or asserting on each result in a test, is often sequential on purpose, and an effect loop is what
  `async-foreach` recommends), with no `break`, `continue`,
  `return`, `throw` or `yield`, no other call made for its effect before the await (hooks run around each
  step), and no value carried from one iteration to the next (assigning a variable declared outside the
  loop; pushing onto an outer array is fine). `while` loops are never reported: their
  condition usually depends on the awaited result (pagination, polling).

**Only operations with latency.** Each awaited operation must visibly do I/O (`analyzer/semantic/io.h`):
`fetch`, a function or object of a module that does I/O (database drivers, HTTP clients, cloud SDKs, `fs`,
child processes) or an instance it made, or a function of the project — in this file or another — that
calls one. A memoised computation, local crypto, a dynamic `import()` of a module or a call asynclint
cannot see into has nothing to overlap, or nothing shows it has: not reported. Nor is an operation whose only
I/O reads or writes single local files (`readFile`, fs-extra's `readJSON`, `mkdir`, `stat`): a config or a
`package.json` read takes too little to be worth a `Promise.all` (the review loop judged every such finding
not worth a change). Directory walks and globs, child processes and anything remote still count; so does
local file work next to a call that reaches further. The same holds in loops: one local file check per
element (`await fse.pathExists(dir)` per plugin) is not reported.

**Where order is the point, it stays silent:** awaits on one shared receiver (`this.x()` then `this.y()`,
`tx.a()` then `tx.b()`, `db.users…` then `db.orders…`), operations that share an options object (`await prompt(options); await
needProject(options)`: the first may fill it in for the second), and operations whose names say order matters:
writes (`save`, `insert`, `update`, `delete`, `send`, `write`, …), transactions and locks (`begin`,
`commit`, `lock`, `acquire`, …), sleeps and retries (`sleep`, `wait`, `delay`, `retry`), queries and
commands (`query`, `exec`, `run`), UI steps (`click`, `type`, `goto`). Missing a case is better than telling
someone to parallelise a transaction.

**Fix.** `const [a, b] = await Promise.all([f(), g()]);` (offered as a suggestion, never applied by plain
`--fix`). Do not "start early, await later" (`const pa = f(); const b = await g(); const a = await pa;`):
if `f()` rejects while `g()` is pending, that rejection is unhandled. For loops, run the iterations
concurrently with a bound (p-map's `concurrency`, or `Promise.all` over chunks).)",
    {{true, "dashboard.ts", R"(import Stripe from "stripe";
const stripe = new Stripe(process.env.STRIPE_KEY ?? "");

async function loadDashboard(userId: string, customerId: string) {
  const profile = await fetch(`https://profiles.example.com/${userId}`, { signal: AbortSignal.timeout(5000) });
  const invoices = await stripe.invoices.list({ customer: customerId });
  return { profile: await profile.json(), invoices };
}
)"},
     {false, "dashboard.ts", R"(import Stripe from "stripe";
const stripe = new Stripe(process.env.STRIPE_KEY ?? "");

async function loadDashboard(userId: string, customerId: string) {
  const [profile, invoices] = await Promise.all([
    fetch(`https://profiles.example.com/${userId}`, { signal: AbortSignal.timeout(5000) }),
    stripe.invoices.list({ customer: customerId }),
  ]);
  return { profile: await profile.json(), invoices };
}
)"}},
    Severity::Warn,
    {Kind::statement_block, Kind::program, Kind::for_in_statement, Kind::for_statement},
    {},
    true,
};

// Operation names (prefixes of the last name segment) that say the order of calls matters.
constexpr std::string_view kOrderSensitiveVerbs[] = {
    "write", "append", "insert", "update", "upsert", "delete", "remove", "save", "put", "post", "patch",
    "send", "publish", "commit", "rollback", "begin", "lock", "unlock", "acquire", "release", "close", "open",
    "connect", "disconnect", "sleep", "wait", "delay", "retry", "next", "read", "pipe", "flush", "drain",
    "click", "type", "press", "goto", "fill", "navigate", "exec", "execute", "run", "query", "transaction",
    "create", "set", "add", "push", "pop", "shift", "login", "logout", "init", "start", "stop", "listen",
    "migrate", "seed", "reset", "clear", "kill", "spawn", "schedule", "ping", "check", "verify", "ensure",
    "validate", "authenticate", "authorize", "prepare", "enqueue", "dequeue", "emit", "dispatch", "notify"};

bool is_order_sensitive(std::string_view name) {
  std::string lower(name);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (std::string_view verb : kOrderSensitiveVerbs)
    if (lower.compare(0, verb.size(), verb) == 0) return true;
  return false;
}

struct AwaitStatement {
  enum class Shape { Declaration, Assignment } shape;
  TSNode statement{};
  TSNode operand{};           // the awaited call
  TSNode pattern{};           // declaration / assignment target
  TSNode type_annotation{};   // declaration's `: T`
  std::string_view declaration_keyword;  // const / let / var
  std::set<std::string_view> produced;   // names this statement declares or assigns
  std::string receiver;                  // root of the callee (`db` of `db.users.find`), empty for a plain call
  IoFact io;                             // what shows the operation has latency (semantic/io.h)
};

class SequentialAwait final : public Rule {
 public:
  const RuleMeta& meta() const override { return kMeta; }

  void check(TSNode node, Kind kind, RuleContext& context) const override {
    if (kind == Kind::statement_block || kind == Kind::program) check_block(node, context);
    else check_loop(node, kind, context);
  }

 private:
  // The call an `await` waits for. tree-sitter-typescript reads `await f<T>(x)` as a call whose callee is
  // `await f`; JavaScript awaits the whole call, so both shapes give the call.
  static TSNode awaited_call(const Syntax& syntax, TSNode expression) {
    expression = syntax.unwrap(expression);
    if (syntax.is(expression, Kind::call_expression) && (syntax.is(syntax.field(expression, Field::function), Kind::await_expression) ||
                                                          !ts_node_is_null(syntax.misparsed_await_callee(expression))))
      return expression;
    if (!syntax.is(expression, Kind::await_expression)) return TSNode{};
    TSNode operand = syntax.unwrap(syntax.first_named_child(expression));
    return syntax.is(operand, Kind::call_expression) ? operand : TSNode{};
  }
  // The callee of an awaited call, looking through the `await f<T>` shape.
  static TSNode callee_of(const Syntax& syntax, TSNode call) {
    if (TSNode real = syntax.misparsed_await_callee(call); !ts_node_is_null(real)) return real;
    TSNode callee = syntax.unwrap(syntax.field(call, Field::function));
    return syntax.is(callee, Kind::await_expression) ? syntax.unwrap(syntax.first_named_child(callee)) : callee;
  }
  static std::string_view last_name(const Syntax& syntax, TSNode call) {
    TSNode callee = callee_of(syntax, call);
    if (syntax.is(callee, Kind::member_expression)) return syntax.text(syntax.field(callee, Field::property));
    return syntax.is(callee, Kind::identifier) ? syntax.text(callee) : std::string_view{};
  }
  // The call's source text without a leading `await ` of the TypeScript shape.
  static std::string_view call_text(const Syntax& syntax, TSNode call) {
    const std::uint32_t start = ts_node_start_byte(callee_of(syntax, call));
    return syntax.source().substr(start, ts_node_end_byte(call) - start);
  }
  static std::string label(const Syntax& syntax, TSNode call) {
    std::string text(syntax.text(callee_of(syntax, call)));
    for (char& c : text)
      if (c == '\n' || c == '\r' || c == '\t') c = ' ';
    return text.size() > 60 ? text.substr(0, 57) + "..." : text;
  }

  static void collect_names(const Syntax& syntax, TSNode pattern, std::set<std::string_view>& out) {
    std::vector<TSNode> stack{pattern};
    while (!stack.empty()) {
      TSNode node = stack.back();
      stack.pop_back();
      const Kind k = syntax.kind(node);
      if (k == Kind::identifier || k == Kind::shorthand_property_identifier_pattern) {
        out.insert(syntax.text(node));
        continue;
      }
      if (k == Kind::pair_pattern) {
        stack.push_back(syntax.field(node, Field::value));
        continue;
      }
      append_named_children(node, stack);
    }
  }

  static std::string receiver_of(const Syntax& syntax, TSNode call) {
    TSNode callee = callee_of(syntax, call);
    if (!syntax.is(callee, Kind::member_expression)) return {};
    TSNode root = rule_helpers::chain_root(syntax, callee);
    return std::string(syntax.text(root));
  }

  static std::optional<AwaitStatement> classify(const SemanticModel& model, TSNode statement) {
    const Syntax& syntax = model.syntax();
    AwaitStatement result;
    result.statement = statement;
    const Kind k = syntax.kind(statement);
    if (k == Kind::expression_statement) {
      TSNode expression = syntax.unwrap(syntax.first_named_child(statement));
      if (syntax.is(expression, Kind::assignment_expression)) {
        TSNode left = syntax.field(expression, Field::left);
        if (!syntax.is(left, Kind::identifier)) return std::nullopt;  // `this.x = await …` writes state
        result.operand = awaited_call(syntax, syntax.field(expression, Field::right));
        if (ts_node_is_null(result.operand)) return std::nullopt;
        result.shape = AwaitStatement::Shape::Assignment;
        result.pattern = left;
        result.produced.insert(syntax.text(left));
      } else {
        // `await notify();` keeps no result: it is done for its effect, and effects are where order
        // tends to matter (`await ping(); const data = await load();`). Such a statement ends a group.
        return std::nullopt;
      }
    } else if (k == Kind::lexical_declaration || k == Kind::variable_declaration) {
      if (ts_node_named_child_count(statement) != 1) return std::nullopt;
      TSNode declarator = ts_node_named_child(statement, 0);
      if (!syntax.is(declarator, Kind::variable_declarator)) return std::nullopt;
      // Most declarations await nothing: ask that first, before collecting their names.
      result.operand = awaited_call(syntax, syntax.field(declarator, Field::value));
      if (ts_node_is_null(result.operand)) return std::nullopt;
      result.shape = AwaitStatement::Shape::Declaration;
      result.pattern = syntax.field(declarator, Field::name);
      result.type_annotation = syntax.field(declarator, Field::type);
      result.declaration_keyword = syntax.text(ts_node_child(statement, 0));
      collect_names(syntax, result.pattern, result.produced);
    } else {
      return std::nullopt;
    }
    if (ts_node_is_null(result.operand) || ts_node_has_error(statement)) return std::nullopt;
    if (is_order_sensitive(last_name(syntax, result.operand))) return std::nullopt;
    result.receiver = receiver_of(syntax, result.operand);
    if (result.receiver == "this" || result.receiver == "super") return std::nullopt;
    // Only operations that wait on something outside the process have latency to overlap: a memoised
    // computation, local crypto or a dynamic import of a module has none, and reading or writing a local
    // file (a config, a package.json, a cache entry) too little to be worth a rewrite.
    result.io = model.io().of_call(result.operand);
    if (!result.io.has_latency() && !result.io.latency_depends_on_imports()) return std::nullopt;
    return result;
  }

  // Whether an operand reads a name that earlier statements of the group produced.
  static bool reads_any(const Syntax& syntax, TSNode operand, const std::set<std::string_view>& names) {
    if (names.empty()) return false;
    std::vector<TSNode> stack{operand};
    while (!stack.empty()) {
      TSNode node = stack.back();
      stack.pop_back();
      const Kind k = syntax.kind(node);
      if ((k == Kind::identifier || k == Kind::shorthand_property_identifier) && names.count(syntax.text(node))) return true;
      append_named_children(node, stack);
    }
    return false;
  }

  // The options object a command hands around (`options`, `ctx`, …), passed as an argument: the first call
  // may fill it in (a prompt that sets `options.project`) for the second to read.
  static std::string_view shared_options_argument(const Syntax& syntax, TSNode call) {
    TSNode args = syntax.field(call, Field::arguments);
    std::string_view found;
    // As an argument, spread into one (`{ ...options, app }`), or read from (`options.config`).
    walk_preorder(args, [&](TSNode node, std::uint32_t) {
      if (!found.empty() || SemanticModel::is_function_kind(syntax.kind(node))) return false;
      if (!syntax.is(node, Kind::identifier)) return true;
      const std::string_view name = syntax.text(node);
      if (name == "options" || name == "opts" || name == "context" || name == "ctx" || name == "config" || name == "args" ||
          name == "argv" || name == "settings" || name == "state" || name == "env")
        found = name;
      return true;
    });
    return found;
  }

  static bool joins(const Syntax& syntax, const std::vector<AwaitStatement>& group, const AwaitStatement& next) {
    std::set<std::string_view> produced;
    const std::string_view next_options = shared_options_argument(syntax, next.operand);
    for (const auto& member : group) {
      produced.insert(member.produced.begin(), member.produced.end());
      if (!next.receiver.empty() && next.receiver == member.receiver) return false;
      if (!next_options.empty() && next_options == shared_options_argument(syntax, member.operand)) return false;
    }
    return !reads_any(syntax, next.operand, produced);
  }

  void check_block(TSNode block, RuleContext& context) const {
    const Syntax& syntax = context.syntax();
    std::vector<AwaitStatement> group;
    std::vector<TSNode> comments_in_group;
    auto flush = [&] {
      if (group.size() >= 2) report_group(group, comments_in_group, context);
      group.clear();
      comments_in_group.clear();
    };
    for_each_named_child(block, [&](TSNode statement) {
      if (syntax.is(statement, Kind::comment)) {
        if (!group.empty()) comments_in_group.push_back(statement);
        return true;
      }
      auto classified = classify(context.model(), statement);
      if (!classified) {
        flush();
        return true;
      }
      if (!group.empty() && !joins(syntax, group, *classified)) flush();
      group.push_back(std::move(*classified));
      return true;
    });
    flush();
  }

  void report_group(const std::vector<AwaitStatement>& group, const std::vector<TSNode>& comments, RuleContext& context) const {
    const Syntax& syntax = context.syntax();
    std::string operations;
    for (std::size_t i = 0; i < group.size(); ++i) {
      if (i) operations += i + 1 == group.size() ? " and " : ", ";
      operations += "`" + label(syntax, group[i].operand) + "()`";
    }
    RuleReport report;
    report.node = group.front().statement;
    report.message = "These " + std::to_string(group.size()) + " awaits do not depend on each other but run one after another: " +
                     operations + ". Together they take the sum of their latencies instead of the longest; run them together with Promise.all.";
    if (auto suggestion = promise_all_rewrite(group, comments, syntax)) report.suggestions.push_back(std::move(*suggestion));
    // An operation whose latency depends on another file: the finding stands only if each such one does I/O.
    for (const auto& member : group)
      if (!member.io.has_latency()) report.requirements.push_back({ImportRequirement::Question::HasLatency, member.io.imports});
    std::vector<std::pair<TSNode, std::string>> awaits;
    for (const auto& a : group) awaits.push_back({a.statement, label(syntax, a.operand) + "()"});
    if (context.wants_scenario()) {
      report.scenario = in_turn_scenario(awaits, "one after another");
      report.fixed_scenario = together_scenario(awaits, "with Promise.all the " + std::to_string(awaits.size()) + " operations run together");
    }
    context.report(std::move(report));
  }

  // The code as written, with every operation taking 100 ms: each awaited in turn.
  static std::string in_turn_scenario(const std::vector<std::pair<TSNode, std::string>>& awaits, const std::string& how) {
    using rule_helpers::at;
    using rule_helpers::js_string;
    std::string s = "async function __in_turn() {\n  const t0 = __now();\n";
    for (const auto& [statement, what] : awaits) {
      s += "  __step(" + at(statement) + ", " + js_string("await " + what + " starts it, then waits") + ");\n";
      s += "  await __work(100);\n";
      s += "  __step(" + at(statement) + ", " + js_string(what + " finishes") + ", 1);\n";
    }
    s += "  __step(" + at(awaits.front().first) + ", " + js_string(how + ", with each operation taking 100 ms: done after ") +
         " + (__now() - t0) + ' ms');\n}\n";
    s += "__in_turn();\n";
    return s;
  }

  // The fix, run on its own: the same operations started together (`fix`: how), each taking 100 ms.
  static std::string together_scenario(const std::vector<std::pair<TSNode, std::string>>& awaits, const std::string& fix) {
    using rule_helpers::at;
    using rule_helpers::js_string;
    std::string s = "async function __together() {\n  const t0 = __now();\n  const __all = [];\n";
    for (const auto& [statement, what] : awaits) {
      s += "  __step(" + at(statement) + ", " + js_string(what + " starts") + ");\n";
      s += "  __all.push(__work(100).then(() => __step(" + at(statement) + ", " + js_string(what + " finishes") + ", 1)));\n";
    }
    s += "  await Promise.all(__all);\n";
    s += "  __step(" + at(awaits.front().first) + ", " + js_string(fix + ": done after ") + " + (__now() - t0) + ' ms');\n}\n";
    s += "__together();\n";
    return s;
  }

  // `const [a, b] = await Promise.all([f(), g()]);` (or `[a, b] = …` for assignments) for a group of one shape.
  static std::optional<Suggestion> promise_all_rewrite(const std::vector<AwaitStatement>& group, const std::vector<TSNode>& comments,
                                                       const Syntax& syntax) {
    using Shape = AwaitStatement::Shape;
    bool any_declaration = false, any_assignment = false;
    std::string_view keyword;
    std::size_t annotated = 0, declarations = 0;
    for (const auto& member : group) {
      if (member.shape == Shape::Declaration) {
        if (any_declaration && member.declaration_keyword != keyword) return std::nullopt;
        keyword = member.declaration_keyword;
        any_declaration = true;
        ++declarations;
        if (!ts_node_is_null(member.type_annotation)) ++annotated;
      } else if (member.shape == Shape::Assignment) {
        any_assignment = true;
      }
    }
    if (any_declaration && any_assignment) return std::nullopt;
    if (annotated != 0 && annotated != declarations) return std::nullopt;

    std::string targets, operands, types;
    for (std::size_t i = 0; i < group.size(); ++i) {
      const auto& member = group[i];
      if (i) {
        targets += ", ";
        operands += ", ";
        types += ", ";
      }
      targets += std::string(syntax.text(member.pattern));
      operands += std::string(call_text(syntax, member.operand));
      if (annotated) {
        std::string_view annotation = syntax.text(member.type_annotation);  // ": T"
        while (!annotation.empty() && (annotation.front() == ':' || annotation.front() == ' ')) annotation.remove_prefix(1);
        types += std::string(annotation);
      }
    }
    const std::string indent = indentation_of_line(syntax.source(), ts_node_start_byte(group.front().statement));
    std::string replacement;
    // Comments between the statements move above the new one; a comment after the last statement is
    // outside the replaced range and stays where it is.
    for (TSNode comment : comments)
      if (ts_node_start_byte(comment) < ts_node_start_byte(group.back().statement))
        replacement += std::string(syntax.text(comment)) + "\n" + indent;
    const std::string call = "await Promise.all([" + operands + "]);";
    if (any_declaration) replacement += std::string(keyword) + " [" + targets + "]" + (annotated ? ": [" + types + "]" : "") + " = " + call;
    else replacement += "[" + targets + "] = " + call;
    Suggestion suggestion;
    suggestion.description = "Run them together: [...] = await Promise.all([...])";
    suggestion.edits.push_back({ts_node_start_byte(group.front().statement), ts_node_end_byte(group.back().statement), replacement});
    return suggestion;
  }

  void check_loop(TSNode loop, Kind kind, RuleContext& context) const {
    const Syntax& syntax = context.syntax();
    if (kind == Kind::for_in_statement) {
      if (syntax.text(syntax.field(loop, Field::operator_)) != "of") return;
      if (syntax.has_token(loop, Kind::kw_await)) return;  // for await: the iteration itself is sequential
    } else if (ts_node_is_null(syntax.field(loop, Field::increment))) {
      return;  // a `for` without an update is a while loop in disguise
    }
    TSNode body = syntax.field(loop, Field::body);
    if (!syntax.is(body, Kind::statement_block)) return;

    TSNode the_await{};
    int awaits = 0;
    std::vector<TSNode> stack{body};
    while (!stack.empty()) {
      TSNode node = stack.back();
      stack.pop_back();
      const Kind k = syntax.kind(node);
      if (SemanticModel::is_function_kind(k) || k == Kind::class_body) continue;
      switch (k) {
        case Kind::break_statement:
        case Kind::continue_statement:
        case Kind::return_statement:
        case Kind::throw_statement:
        case Kind::yield_expression:
          return;
        case Kind::await_expression:
          ++awaits;
          the_await = node;
          break;
        case Kind::call_expression:
          // `await (0, f)(x)`, which tree-sitter reads as a call of a function named `await`.
          if (!ts_node_is_null(syntax.misparsed_await_callee(node))) {
            ++awaits;
            the_await = node;
          }
          break;
        case Kind::for_in_statement:
          if (syntax.has_token(node, Kind::kw_await)) return;
          break;
        case Kind::assignment_expression:
        case Kind::augmented_assignment_expression:
        case Kind::update_expression:
          if (assigns_outer_variable(context, node, loop)) return;
          break;
        default:
          break;
      }
      append_named_children(node, stack);
    }
    if (awaits != 1) return;
    // Only loops that collect results (`results.push(await f(x))`, `const r = await f(x)`): a loop that
    // awaits an effect (`await markSeen(n)`) is often sequential on purpose, and is what async-foreach
    // recommends instead of forEach(async …).
    if (!stores_result(syntax, the_await)) return;
    TSNode call = awaited_call(syntax, the_await);
    if (ts_node_is_null(call) || is_order_sensitive(last_name(syntax, call))) return;
    // As for a group of awaits: only latency is worth overlapping, not one local file per element (a
    // `pathExists` per plugin folder).
    const IoFact io = context.model().io().of_call(call);
    if (!io.has_latency() && !io.latency_depends_on_imports()) return;
    // `await Promise.all(batch.map(…))` per chunk is how a fan-out is bounded: the loop is the limiter.
    if (syntax.text(callee_of(syntax, call)).substr(0, 8) == "Promise.") return;
    const std::string receiver = receiver_of(syntax, call);
    if (receiver == "this" || receiver == "super") return;

    // The statement of the body that holds the await.
    TSNode statement = the_await;
    for (TSNode parent = ts_node_parent(statement); !ts_node_is_null(parent) && !same_node(parent, body); parent = ts_node_parent(parent))
      statement = parent;
    // Other calls made for their effect before the await (`hooks.beforeEach(x); r.push(await f(x))`) are
    // sequenced with it on purpose.
    bool effect_before = false;
    for_each_named_child(body, [&](TSNode earlier) {
      if (same_node(earlier, statement)) return false;
      if (!syntax.is(earlier, Kind::expression_statement)) return true;
      TSNode expression = syntax.unwrap(syntax.first_named_child(earlier));
      if (!syntax.is(expression, Kind::call_expression)) return true;
      const std::string_view method = member_property(syntax, syntax.field(expression, Field::function));
      effect_before = method != "push" && method != "set" && method != "add" && method != "unshift";
      return !effect_before;
    });
    if (effect_before) return;
    std::string collection = kind == Kind::for_in_statement ? std::string(syntax.text(syntax.field(loop, Field::right))) : "the loop";
    if (collection.size() > 40) collection = collection.substr(0, 37) + "...";
    RuleReport report;
    report.node = statement;
    report.message = "Each iteration waits for the previous one: `" + label(syntax, call) +
                     "()` runs once per element of `" + collection +
                     "`, one at a time, although the iterations do not depend on each other. Run them concurrently "
                     "with a bound (p-map with { concurrency }, or Promise.all over chunks).";
    const std::string what = label(syntax, call) + "()";
    if (!io.has_latency()) report.requirements.push_back({ImportRequirement::Question::HasLatency, io.imports});
    if (context.wants_scenario()) {
      const std::vector<std::pair<TSNode, std::string>> iterations = {
          {statement, what + " for element 1"}, {statement, what + " for element 2"}, {statement, what + " for element 3"}};
      report.scenario = in_turn_scenario(iterations, "iteration after iteration over 3 elements");
      report.fixed_scenario = together_scenario(iterations, "run concurrently (with a bound larger than 3) the 3 iterations overlap");
    }
    context.report(std::move(report));
  }

  // The awaited value is kept: a declaration, an assignment, or an argument of `.push/.set/.add/.unshift`
  // (possibly spread). `expect(await f(x))` in a test loop, or an awaited effect, is not collecting.
  static bool stores_result(const Syntax& syntax, TSNode await_expression) {
    TSNode parent = ts_node_parent(await_expression);
    while (!ts_node_is_null(parent) && (syntax.is(parent, Kind::parenthesized_expression) || syntax.is(parent, Kind::spread_element)))
      parent = ts_node_parent(parent);
    const Kind k = syntax.kind(parent);
    if (k == Kind::variable_declarator || k == Kind::assignment_expression) return true;
    if (k != Kind::arguments) return false;
    const std::string_view method = member_property(syntax, syntax.field(ts_node_parent(parent), Field::function));
    return method == "push" || method == "set" || method == "add" || method == "unshift";
  }

  // An assignment in the loop body whose target was declared outside the loop carries a value from one
  // iteration to the next (a running total, a cursor): the iterations are not independent.
  static bool assigns_outer_variable(const RuleContext& context, TSNode assignment, TSNode loop) {
    const Syntax& syntax = context.syntax();
    TSNode target = syntax.kind(assignment) == Kind::update_expression ? syntax.field(assignment, Field::argument)
                                                                        : syntax.field(assignment, Field::left);
    TSNode root = rule_helpers::chain_root(syntax, target);
    if (!syntax.is(root, Kind::identifier)) return true;  // `this.total += …` carries state too
    const Binding* binding = context.model().resolve(root);
    if (!binding) return true;  // a global
    return !rule_helpers::contains(loop, binding->declaration);
  }
};

}  // namespace
ASYNCLINT_REGISTER_RULE(SequentialAwait);
}  // namespace asynclint
