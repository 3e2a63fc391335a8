#pragma once
// "Can this promise reject?" — the second question rules ask about a promise, after "is it one?".
//
// A dropped promise that cannot reject is background work, not a crash; a chain whose source cannot reject
// needs no handler. The answer is one of four, ordered so that joining two answers takes the larger:
//
//   No        provably cannot reject: Promise.resolve(v), allSettled, a `.catch(h)` whose handler does not
//             rethrow, an executor that never calls reject, an async body that catches everything, …
//   Untraced  a stored promise whose origin is out of sight (a parameter, a property of an unknown object):
//             nothing says it can reject, and such values are often lifecycle signals (`ready`, `closed`)
//   Maybe     an operation we cannot see into: an unknown call awaited or chained, an import that does
//             not resolve to project code. It may fail; nothing shows it can
//   Yes       a visible reason: a `throw`, `Promise.reject`, `fetch`, an operation that does I/O (semantic/
//             io.h: a request, a query, a file, a process), an executor's `reject`, a callee that rejects
//             for one of these reasons
//
// The rules report Yes. On real code the review loop found Maybe wrong too often to report by default
// (floating-promise: 52% of the judged Maybe-or-Yes findings were real, 80% of the Yes ones): a method
// named `getStats` or `close` on an object asynclint cannot type rarely fails in practice. The option
// `reportUnprovenRejections` lowers the threshold to Maybe.
//
// What does not count: a merely possible synchronous throw of a call inside a callback or an async body
// (any call can throw; counting that would make every promise rejecting and the answer useless). Only an
// explicit `throw`, an awaited or returned promise that can reject, or an executor's `reject` count.
//
// Cross-file: a call of a function imported from the project is answered by that file's export facts.
// Locally it counts as No and is listed in `imports`; the project index raises the answer to the import's
// own (an import that does not resolve to project code counts as Maybe).
#include <tree_sitter/api.h>

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "semantic/semantic_model.h"

namespace asynclint {

enum class Rejects : std::uint8_t { No, Untraced, Maybe, Yes };
std::string_view rejects_name(Rejects answer);

struct RejectionFact {
  Rejects answer = Rejects::No;
  std::string reason;                  // why it can (or cannot) reject, for messages: "it awaits db.query() outside a try/catch"
  std::vector<ImportQuestion> imports;  // project imports whose own rejection still counts (see above)

  // Whether the answer reaches a rule's threshold (Yes by default: a visible reason; Maybe with the rules'
  // reportUnprovenRejections option) without asking another file.
  bool reaches(Rejects threshold) const { return answer >= threshold; }
  // Whether the imports could still raise the answer to the threshold once another file is asked.
  bool depends_on_imports(Rejects threshold) const { return answer < threshold && !imports.empty(); }
};

class RejectionModel {
 public:
  // `setTimeout(ms)` / `setImmediate()` of timers/promises without options: a promise that cannot reject.
  bool is_plain_promise_timer(TSNode call) const;
  explicit RejectionModel(const SemanticModel& model) : model_(model), syntax_(model.syntax()) {}

  // The promise an expression evaluates to: can it reject? (An expression that is not a promise: No.)
  RejectionFact of_expression(TSNode expression) const;
  // The promise a call of this function returns (async functions, and functions returning promises).
  RejectionFact of_function(TSNode function) const;
  // A callback given to `.then`/`.catch`/`.finally`, or called by an API: can running it reject the
  // promise it returns (an async callback's body, a `throw`, a returned rejecting promise)?
  RejectionFact of_callback(TSNode callback) const;

 private:
  RejectionFact expression_at(TSNode expression, int depth) const;
  RejectionFact call_at(TSNode call, int depth) const;
  RejectionFact function_at(TSNode function, int depth) const;
  RejectionFact callback_at(TSNode callback, int depth) const;
  RejectionFact executor_at(TSNode executor, int depth) const;
  bool rejects_only_a_synchronous_throw(TSNode reject_use, TSNode executor) const;
  // A call with an object-literal argument that sets `key: value` (`execa(cmd, { reject: false })`).
  bool has_literal_option(TSNode call, std::string_view key, std::string_view value) const;
  // An executor's reject handed to `source.catch(reject)` or `source.then(ok, reject)` and used nowhere else:
  // the executor rejects exactly when source does.
  std::optional<RejectionFact> forwarded_rejection(TSNode executor, TSNode reject, const Binding* binding, TSNode used, int depth) const;
  RejectionFact binding_value_at(const Binding& binding, TSNode use, int depth) const;
  RejectionFact this_field_at(TSNode member, int depth) const;
  RejectionFact property_at(TSNode member, int depth) const;
  bool is_unrejected_deferred(TSNode receiver) const;
  // How a function's body is read, by what its caller does with it.
  enum class BodyRole : std::uint8_t {
    Async,             // an async function: its throws and awaits reject its promise
    PromiseReturning,  // a plain function whose value is used as a promise: only what it returns counts
    Callback,          // a plain callback run by a promise (`.then(cb)`): a throw rejects, and so does a returned
                       // promise that visibly is one and can reject
    Executor,          // `new Promise(executor)`: a throw rejects; what it returns is ignored
  };
  RejectionFact body_at(TSNode function, BodyRole role, int depth) const;
  RejectionFact combinator_at(TSNode call, std::string_view method, int depth) const;
  // `throw e` after `console.error(…, e)` in the statements before it (see the definition).
  bool rethrows_logged_error(TSNode throw_statement) const;
  std::string line_of(TSNode node) const;
  std::string short_text(TSNode node) const;

  const SemanticModel& model_;
  const Syntax& syntax_;
  mutable std::unordered_map<std::uintptr_t, RejectionFact> functions_;  // by function node
  mutable std::unordered_map<std::uintptr_t, bool> in_progress_;
  // A call's literal `true`/`false` arguments, by the parameter binding they fill, while body_at reads the
  // called function for that call alone (call_at): `if (enabled) { … }` is then read as taken or not.
  struct ConstantArguments {
    TSNode function{};
    std::vector<std::pair<const Binding*, bool>> values;
  };
  mutable const ConstantArguments* constants_ = nullptr;
  std::vector<std::pair<const Binding*, bool>> boolean_arguments(TSNode call, TSNode function) const;
  int constant_condition(TSNode condition) const;  // 1 true, 0 false, -1 not decided by constants_
};

}  // namespace asynclint
