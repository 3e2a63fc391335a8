// promise-in-condition: a promise tested as a truth value — always truthy, the real answer never read.
#include "rule_helpers.h"

namespace asynclint {
namespace {

const RuleMeta kMeta{
    "promise-in-condition",
    "A call that returns a promise is used as a condition: a promise is always truthy, so the test never sees the answer.",
    R"(A call whose result asynclint knows to be a promise (an async function or method of this file or imported
from another project file, a function that visibly returns one, `Promise.resolve(…)`, a `.then` chain) used
as a truth value: the condition of `if`, `while`, `do … while` and `for (…; condition; …)`, the test of
`condition ? a : b`, the operand of `!`, the left operand of `&&` and `||`, and the right one when the
whole `&&`/`||` is itself tested.

**Why it is a bug.** A promise is an object, and every object is truthy. `if (isAllowed(user))` takes the
branch for every user, whatever `isAllowed` would answer: the check runs later, and nothing reads its
result. `!isAllowed(user)` is always `false`, `canEdit() && save()` always saves, `validate() || fallback`
never falls back. A rejection of the promise is not handled either. TypeScript's own checker accepts all of
these (typescript-eslint's `no-misused-promises` reports them, with type information).

**Not reported:** an awaited call (`if (await isAllowed(user))`); a promise kept in a variable or a field and
tested for existence (`if (this.loading) return this.loading;`: a cache of the pending work, on purpose);
a function tested without calling it (`if (onSave)`); comparisons (`f() === x`), `typeof`, `??`; calls
asynclint cannot show return a promise (methods of objects it cannot type, functions of packages).

**Fix.** Await the answer: `if (await isAllowed(user))` inside an async function, or
`isAllowed(user).then((allowed) => { if (allowed) … })`.

**Suggestion** (where `await` is possible: in an async function, or at the top level of an ES module):
`await` before the call (`if (!await isAllowed(user))` reads as `!(await isAllowed(user))`).)",
    {{true, "routes.ts", R"(async function isAllowed(user: User): Promise<boolean> {
  const roles = await db.rolesOf(user.id);
  return roles.includes("admin");
}

export async function deleteProject(user: User, id: string) {
  if (!isAllowed(user)) {
    throw new Forbidden();
  }
  await db.projects.delete(id);
}
)"},
     {false, "routes.ts", R"(async function isAllowed(user: User): Promise<boolean> {
  const roles = await db.rolesOf(user.id);
  return roles.includes("admin");
}

export async function deleteProject(user: User, id: string) {
  if (!(await isAllowed(user))) {
    throw new Forbidden();
  }
  await db.projects.delete(id);
}
)"}},
    Severity::Error,
    {Kind::call_expression, Kind::for_statement},
    {},
    true,
};

class PromiseInCondition final : public Rule {
 public:
  const RuleMeta& meta() const override { return kMeta; }

  void check(TSNode node, Kind kind, RuleContext& context) const override {
    const Syntax& syntax = context.syntax();
    if (kind == Kind::for_statement) {
      check_for_condition(node, context);
      return;
    }
    // The truth test first: it looks at a few parents, while asking whether a call returns a promise can
    // follow functions through the file.
    TSNode tested_at{};
    if (!truth_tested(syntax, node, context.parent(), tested_at)) return;
    report_if_promise(node, tested_at, context);
  }

 private:
  // `for (…; condition; …)`: the condition is an expression statement of the loop, and reaching the loop
  // from a call would cost a climb through ts_node_parent for every call statement of the file; so the
  // loop looks down at its condition instead (what `!`, `? :` and a left operand reach is found from the
  // call, which stops at them).
  static void check_for_condition(TSNode loop, RuleContext& context) {
    const Syntax& syntax = context.syntax();
    TSNode condition = syntax.field(loop, Field::condition);
    if (syntax.is(condition, Kind::expression_statement)) condition = syntax.first_named_child(condition);
    for (int level = 0; level < 16 && !ts_node_is_null(condition); ++level) {
      const Kind kind = syntax.kind(condition);
      if (kind == Kind::parenthesized_expression || kind == Kind::as_expression || kind == Kind::satisfies_expression ||
          kind == Kind::non_null_expression) {
        condition = syntax.first_named_child(condition);
      } else if (kind == Kind::binary_expression) {
        const Kind op = syntax.kind(syntax.field(condition, Field::operator_));
        if (op != Kind::op_and && op != Kind::op_or) return;
        condition = syntax.field(condition, Field::right);
      } else {
        if (kind == Kind::call_expression) report_if_promise(condition, loop, context);
        return;
      }
    }
  }

  static void report_if_promise(TSNode call, TSNode tested_at, RuleContext& context) {
    const Syntax& syntax = context.syntax();
    // `await (0, f)(x)` (compiled code) and `await f<T>(x)`: tree-sitter puts the await inside the callee,
    // where JavaScript awaits the whole call. The test sees the answer.
    if (!ts_node_is_null(syntax.misparsed_await_callee(call)) ||
        syntax.is(syntax.unwrap(syntax.field(call, Field::function)), Kind::await_expression))
      return;
    const PromiseFact fact = context.model().produces_promise(call);
    if (!fact.maybe()) return;

    RuleReport report;
    report.node = call;
    const std::string label = rule_helpers::callee_label(syntax, call) + "()";
    std::string shown = label;
    if (shown.size() > 2) shown.insert(shown.size() - 1, "…");
    report.message = label + " returns a promise (" + fact.what +
                     "), and a promise is always truthy: this test never sees its answer. Await it: `await " + shown + "`.";
    if (rule_helpers::can_await_at(context.model(), context.path(), call)) {
      const std::uint32_t start = ts_node_start_byte(call);
      report.suggestions.push_back({"Await the answer: await " + shown, {{start, start, "await "}}});
    }
    report.condition = fact.question;
    if (fact.answer == PromiseFact::Answer::Yes && !ts_node_is_null(fact.declaration)) {
      report.related_declaration = fact.declaration;
      report.related_message = fact.what + " is declared here";
    }
    if (context.wants_scenario()) report.scenario = scenario(call, tested_at, label);
    context.report(std::move(report));
  }

  // Whether the value of `call` decides a branch: climbing through parentheses, `!`, and the operands of
  // `&&`/`||`, up to a condition. `tested_at` receives the node whose truth is tested.
  // `parent` is the call's parent as the engine's walk knows it: ts_node_parent costs time proportional to
  // the depth, so it is asked only past a parent that can lead to a test (calls nested in arguments, the
  // common deep case, stop at once).
  static bool truth_tested(const Syntax& syntax, TSNode call, TSNode call_parent, TSNode& tested_at) {
    TSNode node = call;
    for (int level = 0; level < 16; ++level) {
      TSNode parent = level == 0 ? call_parent : ts_node_parent(node);
      if (ts_node_is_null(parent)) return false;
      const Kind kind = syntax.kind(parent);
      switch (kind) {
        case Kind::parenthesized_expression:
        case Kind::as_expression:  // TypeScript's `f() as boolean`, `f()!`: types only, the promise stays
        case Kind::satisfies_expression:
        case Kind::non_null_expression:
          break;
        case Kind::unary_expression:
          if (syntax.text(syntax.field(parent, Field::operator_)) != "!") return false;
          tested_at = parent;
          return true;
        case Kind::binary_expression: {
          const Kind op = syntax.kind(syntax.field(parent, Field::operator_));
          if (op != Kind::op_and && op != Kind::op_or) return false;
          if (same_node(syntax.field(parent, Field::left), node)) {
            tested_at = parent;
            return true;
          }
          break;  // the right operand: tested only if the whole expression is
        }
        case Kind::ternary_expression:
          if (!same_node(syntax.field(parent, Field::condition), node)) return false;
          tested_at = parent;
          return true;
        case Kind::if_statement:
        case Kind::while_statement:
        case Kind::do_statement:
          if (!same_node(syntax.field(parent, Field::condition), node)) return false;
          tested_at = parent;
          return true;
        default:  // a `for` condition included: check_for_condition finds those
          return false;
      }
      node = parent;
    }
    return false;
  }

  // The promise is created, the condition tests the object at once, and the answer arrives later.
  static std::string scenario(TSNode call, TSNode tested_at, const std::string& label) {
    using rule_helpers::at;
    using rule_helpers::js_string;
    std::string s;
    s += "async function __check() {\n";
    s += "  __step(" + at(call) + ", " + js_string(label + " starts and returns a pending promise at once") + ", 1);\n";
    s += "  await __work(50);\n";
    s += "  __step(" + at(call) + ", " + js_string("its real answer is ready (here after 50 ms), but nothing reads it: the test is long past") + ", 1);\n";
    s += "  return false;\n}\n";
    s += "const __answer = __check();\n";
    s += "if (__answer) {\n";
    s += "  __step(" + at(tested_at) + ", " +
         js_string("the test reads the promise object, which is truthy whatever the answer will be: it goes on as if the answer were yes") + ");\n";
    s += "}\n";
    return s;
  }
};

}  // namespace
ASYNCLINT_REGISTER_RULE(PromiseInCondition);
}  // namespace asynclint
