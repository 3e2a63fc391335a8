#include "semantic/rejection.h"

#include <algorithm>

#include "semantic/io.h"
#include "semantic/known_apis.h"
#include "syntax/tree_walk.h"

namespace asynclint {

namespace {
constexpr int kMaxDepth = 10;                  // call → function → awaited call …; deeper is Untraced
constexpr std::size_t kMaxBodyNodes = 200000;  // bounds a body scan on pathological input


RejectionFact fact(Rejects answer, std::string reason) {
  RejectionFact f;
  f.answer = answer;
  f.reason = std::move(reason);
  return f;
}

// The larger answer wins, with its reason; imports accumulate while nothing local can reject yet.
void join(RejectionFact& into, RejectionFact other) {
  if (other.answer > into.answer || (other.answer == into.answer && into.reason.empty())) {
    into.answer = other.answer;
    into.reason = std::move(other.reason);
  }
  for (auto& question : other.imports) {
    const bool known = std::any_of(into.imports.begin(), into.imports.end(), [&](const ImportQuestion& q) {
      return q.module == question.module && q.name == question.name;
    });
    if (!known) into.imports.push_back(std::move(question));
  }
  if (into.answer == Rejects::Yes) into.imports.clear();  // nothing another file says can raise it
}
}  // namespace

std::string_view rejects_name(Rejects answer) {
  switch (answer) {
    case Rejects::No: return "no";
    case Rejects::Untraced: return "untraced";
    case Rejects::Maybe: return "maybe";
    case Rejects::Yes: return "yes";
  }
  return "no";
}

// `await setTimeout(ms)` from timers/promises only rejects when its options carry an AbortSignal that
// aborts: without the options argument it always resolves.
bool RejectionModel::is_plain_promise_timer(TSNode call) const {
  TSNode callee = real_callee(syntax_, call);  // compiled CommonJS calls `(0, promises_1.setTimeout)(ms)`
  std::string_view name;
  const Binding* binding = nullptr;
  if (syntax_.is(callee, Kind::identifier)) {
    binding = model_.resolve(callee);
    if (binding) name = binding->imported;
  } else if (syntax_.is(callee, Kind::member_expression)) {
    TSNode object = syntax_.unwrap(syntax_.field(callee, Field::object));
    if (syntax_.is(object, Kind::identifier)) binding = model_.resolve(object);
    if (binding && (binding->imported == "*" || binding->imported == "default")) name = syntax_.text(syntax_.field(callee, Field::property));
  }
  if (!binding || binding->kind != BindingKind::Import) return false;
  const std::string_view module = binding->module.substr(0, 5) == "node:" ? binding->module.substr(5) : binding->module;
  if (module != "timers/promises") return false;
  TSNode args[3];
  const std::uint32_t count = call_arguments(syntax_, call, args, 3);
  if (name == "setTimeout") return count < 3;
  if (name == "setImmediate") return count < 2;
  return false;
}

// `console.error('…', e); throw e;`, `for (…) console.error(errors[i]); throw errors[0];`: the thrown value
// (by its root name) was passed to a logging call in a statement before the throw, in its block or in the
// blocks around it up to the function. In a browser an unhandled rejection is only logged again: nothing
// is lost, so such a throw is not a reason the promise matters (in Node it still ends the process).
bool RejectionModel::rethrows_logged_error(TSNode throw_statement) const {
  TSNode thrown = syntax_.unwrap(syntax_.first_named_child(throw_statement));
  while (syntax_.is(thrown, Kind::subscript_expression) || syntax_.is(thrown, Kind::member_expression))
    thrown = syntax_.unwrap(syntax_.field(thrown, Field::object));
  if (!syntax_.is(thrown, Kind::identifier)) return false;
  const std::string_view name = syntax_.text(thrown);
  auto is_logging_call_of_name = [&](TSNode call) {
    TSNode callee = syntax_.unwrap(syntax_.field(call, Field::function));
    if (!syntax_.is(callee, Kind::member_expression)) return false;
    const std::string_view method = member_property(syntax_, callee);
    if (method != "error" && method != "warn") return false;
    bool names_it = false;
    walk_preorder(syntax_.field(call, Field::arguments), [&](TSNode node, std::uint32_t) {
      if (syntax_.is(node, Kind::identifier) && syntax_.text(node) == name) names_it = true;
      return !names_it;
    });
    return names_it;
  };
  int levels = 0;
  for (TSNode statement = throw_statement; !ts_node_is_null(statement) && levels < 4; ++levels) {
    for (TSNode before = ts_node_prev_named_sibling(statement); !ts_node_is_null(before); before = ts_node_prev_named_sibling(before)) {
      bool logged = false;
      walk_preorder(before, [&](TSNode node, std::uint32_t) {
        if (SemanticModel::is_function_kind(syntax_.kind(node))) return false;
        if (syntax_.is(node, Kind::call_expression) && is_logging_call_of_name(node)) logged = true;
        return !logged;
      });
      if (logged) return true;
    }
    // Up to the statement around this block (a catch clause, an if, a loop), not past the function.
    TSNode parent = ts_node_parent(statement);
    while (!ts_node_is_null(parent) && !syntax_.is(parent, Kind::statement_block)) parent = ts_node_parent(parent);
    if (ts_node_is_null(parent)) break;
    TSNode owner = ts_node_parent(parent);
    if (ts_node_is_null(owner) || SemanticModel::is_function_kind(syntax_.kind(owner))) break;
    statement = syntax_.is(owner, Kind::catch_clause) || syntax_.is(owner, Kind::else_clause) ? ts_node_parent(owner) : owner;
  }
  return false;
}

std::string RejectionModel::line_of(TSNode node) const { return "line " + std::to_string(ts_node_start_point(node).row + 1); }

std::string RejectionModel::short_text(TSNode node) const {
  std::string text(syntax_.text(node));
  for (char& c : text)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  if (text.size() > 50) text = text.substr(0, 47) + "...";
  return text;
}

RejectionFact RejectionModel::of_expression(TSNode expression) const { return expression_at(expression, 0); }
RejectionFact RejectionModel::of_function(TSNode function) const { return function_at(function, 0); }
RejectionFact RejectionModel::of_callback(TSNode callback) const { return callback_at(callback, 0); }

RejectionFact RejectionModel::expression_at(TSNode expression, int depth) const {
  if (depth > kMaxDepth) return fact(Rejects::Untraced, "too many calls deep to follow");
  expression = syntax_.unwrap(expression);
  switch (syntax_.kind(expression)) {
    case Kind::call_expression:
      return call_at(expression, depth);
    case Kind::new_expression: {
      TSNode constructor = syntax_.field(expression, Field::constructor);
      if (!syntax_.is(constructor, Kind::identifier) || syntax_.text(constructor) != "Promise" || model_.resolve(constructor))
        return fact(Rejects::Untraced, "an object asynclint cannot see into");
      TSNode args[1];
      if (call_arguments(syntax_, expression, args, 1) != 1) return fact(Rejects::Maybe, "a new Promise() without an executor");
      return executor_at(syntax_.unwrap(args[0]), depth + 1);
    }
    case Kind::identifier: {
      const Binding* binding = model_.resolve(expression);
      if (!binding) return fact(Rejects::Untraced, "a global value");
      return binding_value_at(*binding, expression, depth + 1);
    }
    case Kind::member_expression: {
      TSNode object = syntax_.unwrap(syntax_.field(expression, Field::object));
      if (syntax_.is(object, Kind::this_)) return this_field_at(expression, depth + 1);
      return property_at(expression, depth + 1);
    }
    case Kind::ternary_expression: {
      RejectionFact result = expression_at(syntax_.field(expression, Field::consequence), depth + 1);
      join(result, expression_at(syntax_.field(expression, Field::alternative), depth + 1));
      return result;
    }
    case Kind::binary_expression: {
      const Kind op = syntax_.kind(syntax_.field(expression, Field::operator_));
      if (op != Kind::op_and && op != Kind::op_or && op != Kind::op_nullish) return fact(Rejects::No, "not a promise");
      RejectionFact result = expression_at(syntax_.field(expression, Field::left), depth + 1);
      join(result, expression_at(syntax_.field(expression, Field::right), depth + 1));
      return result;
    }
    case Kind::sequence_expression: {
      const std::uint32_t count = ts_node_named_child_count(expression);
      return count ? expression_at(ts_node_named_child(expression, count - 1), depth + 1) : fact(Rejects::No, "not a promise");
    }
    case Kind::await_expression:
      return fact(Rejects::No, "an awaited value, not a promise");
    case Kind::subscript_expression:
      return fact(Rejects::Untraced, "an element asynclint cannot see into");
    default:
      return fact(Rejects::No, "not a promise");
  }
}

RejectionFact RejectionModel::call_at(TSNode call, int depth) const {
  TSNode callee = syntax_.unwrap(syntax_.field(call, Field::function));
  // `await f<T>(x)` (TypeScript reads the callee as `await f`), `await (f)(x)` (read as a call of `await`)
  // and compiled `(0, m.f)(x)`.
  if (syntax_.is(callee, Kind::await_expression)) callee = syntax_.unwrap(syntax_.first_named_child(callee));
  if (TSNode real = syntax_.misparsed_await_callee(call); !ts_node_is_null(real)) callee = real;
  if (syntax_.is(callee, Kind::sequence_expression) && ts_node_named_child_count(callee) > 0)
    callee = syntax_.unwrap(ts_node_named_child(callee, ts_node_named_child_count(callee) - 1));
  const Kind callee_kind = syntax_.kind(callee);
  const std::string label = short_text(callee) + "()";
  if (callee_kind == Kind::import) return fact(Rejects::Maybe, "import() rejects when the module cannot be loaded");
  if (SemanticModel::is_function_kind(callee_kind)) return function_at(callee, depth + 1);

  if (callee_kind == Kind::member_expression) {
    TSNode object = syntax_.unwrap(syntax_.field(callee, Field::object));
    const std::string_view property = syntax_.text(syntax_.field(callee, Field::property));
    TSNode args[2];
    const std::uint32_t count = call_arguments(syntax_, call, args, 2);
    auto handler = [&](std::uint32_t i) { return i < count && !is_nullish_literal(syntax_, args[i]) ? syntax_.unwrap(args[i]) : TSNode{}; };
    if (property == "then") {
      TSNode on_rejected = handler(1);
      RejectionFact result = callback_at(handler(0), depth + 1);
      if (!ts_node_is_null(on_rejected)) {
        join(result, callback_at(on_rejected, depth + 1));
        if (result.answer == Rejects::No && result.imports.empty()) result.reason = "the rejection handler given to .then() does not rethrow";
        return result;
      }
      join(result, expression_at(object, depth + 1));
      return result;
    }
    if (property == "catch") {
      TSNode on_rejected = handler(0);
      if (ts_node_is_null(on_rejected)) return expression_at(object, depth + 1);
      RejectionFact result = callback_at(on_rejected, depth + 1);
      if (result.answer == Rejects::No && result.imports.empty()) result.reason = "its .catch() handler does not rethrow";
      return result;
    }
    if (property == "finally") {
      RejectionFact result = expression_at(object, depth + 1);
      join(result, callback_at(handler(0), depth + 1));
      return result;
    }
    // `deferred.valueOrThrow()`, `deferred.promise`: a deferred made without options (so without a timeout)
    // that nothing in this file rejects.
    if (property != "reject" && is_unrejected_deferred(object)) return fact(Rejects::No, "a deferred that nothing in this file rejects");
    if (syntax_.is(object, Kind::identifier) && syntax_.text(object) == "Promise" && !model_.resolve(object)) {
      if (property == "resolve") {
        if (count == 0 || !model_.produces_promise(args[0]).maybe()) return fact(Rejects::No, "Promise.resolve() of a value never rejects");
        return expression_at(args[0], depth + 1);
      }
      if (property == "reject") return fact(Rejects::Yes, "it is Promise.reject()");
      if (property == "allSettled") return fact(Rejects::No, "Promise.allSettled() never rejects");
      if (property == "all" || property == "race" || property == "any") return combinator_at(call, property, depth);
      if (property == "try") return callback_at(handler(0), depth + 1);
      return fact(Rejects::Untraced, "Promise." + std::string(property) + "()");
    }
    if (syntax_.is(object, Kind::identifier) && is_global_object_name(syntax_.text(object)) && property == "fetch" && !model_.resolve(object))
      return fact(Rejects::Yes, "fetch() rejects when the network or the server fails");
  } else if (callee_kind == Kind::identifier && syntax_.text(callee) == "fetch" && !model_.resolve(callee)) {
    return fact(Rejects::Yes, "fetch() rejects when the network or the server fails");
  }

  TSNode function = model_.local_function_of(callee);
  // `save.call(this, row)`, `save.apply(this, args)`: the function itself runs.
  if (ts_node_is_null(function) && callee_kind == Kind::member_expression) {
    const std::string_view property = syntax_.text(syntax_.field(callee, Field::property));
    if (property == "call" || property == "apply") function = model_.local_function_of(syntax_.unwrap(syntax_.field(callee, Field::object)));
  }
  if (!ts_node_is_null(function)) {
    RejectionFact result = function_at(function, depth + 1);
    // `setScreensharingEnabled(false)`: when every reason to reject sits in a branch that a literal
    // argument rules out, this call cannot reject, whatever other calls do.
    if (result.answer == Rejects::Yes && !constants_ && !model_.is_generator_function(function)) {
      ConstantArguments constants{function, boolean_arguments(call, function)};
      if (!constants.values.empty()) {
        constants_ = &constants;
        RejectionFact narrowed = body_at(function, model_.is_async_function(function) ? BodyRole::Async : BodyRole::PromiseReturning, depth + 1);
        constants_ = nullptr;
        if (narrowed.answer < result.answer) {
          narrowed.reason = label + " cannot reject with the arguments given here: " + narrowed.reason;
          return narrowed;
        }
      }
    }
    if (result.answer >= Rejects::Maybe) result.reason = label + " can reject: " + result.reason;
    return result;
  }
  const PromiseFact promise = model_.produces_promise(call);
  if (promise.answer == PromiseFact::Answer::IfImportReturnsPromise) {
    RejectionFact result = fact(Rejects::No, "");
    result.imports.push_back(promise.question);
    return result;
  }
  if (promise.answer == PromiseFact::Answer::Yes) {
    if (is_plain_promise_timer(call)) return fact(Rejects::No, label + " is a timer with no signal, which cannot reject");
    return fact(Rejects::Yes, promise.what + " can fail");
  }
  // An operation that does I/O (a request, a query, a file, a process) can fail: a visible reason.
  if (const IoFact io = model_.io().of_call(call); io.does_io) {
    // execa's `reject: false` resolves with the failure (`result.failed`, `exitCode`) instead of rejecting.
    if (io.module == "execa" && has_literal_option(call, "reject", "false"))
      return fact(Rejects::No, label + " is execa with reject: false, which resolves with the failure");
    const std::string_view called = callee_kind == Kind::identifier ? syntax_.text(callee) : member_property(syntax_, callee);
    if (io_call_cannot_reject(io.module, called))
      return fact(Rejects::No, label + " resolves with its answer even when the operation fails");
    return fact(Rejects::Yes, io.reason + " does I/O, which can fail");
  }
  return fact(Rejects::Maybe, label + " is an operation asynclint cannot see into");
}

RejectionFact RejectionModel::combinator_at(TSNode call, std::string_view method, int depth) const {
  TSNode args[1];
  if (call_arguments(syntax_, call, args, 1) != 1) return fact(Rejects::No, "Promise." + std::string(method) + "() of nothing");
  TSNode argument = syntax_.unwrap(args[0]);
  if (syntax_.is(argument, Kind::array)) {
    RejectionFact result = fact(Rejects::No, "none of the promises given to Promise." + std::string(method) + "() can reject");
    const std::uint32_t count = ts_node_named_child_count(argument);
    for (std::uint32_t i = 0; i < count; ++i) {
      TSNode element = ts_node_named_child(argument, i);
      if (syntax_.is(element, Kind::comment)) continue;
      if (syntax_.is(element, Kind::spread_element)) join(result, fact(Rejects::Maybe, "a spread list of operations"));
      else join(result, expression_at(element, depth + 1));
    }
    return result;
  }
  // Promise.all(xs.map(f)): what one call of f returns.
  if (syntax_.is(argument, Kind::call_expression) && member_property(syntax_, syntax_.field(argument, Field::function)) == "map") {
    TSNode map_args[1];
    if (call_arguments(syntax_, argument, map_args, 1) == 1) {
      TSNode callback = syntax_.unwrap(map_args[0]);
      TSNode function = SemanticModel::is_function_kind(syntax_.kind(callback)) ? callback : model_.local_function_of(callback);
      if (!ts_node_is_null(function)) return function_at(function, depth + 1);
    }
  }
  return fact(Rejects::Maybe, "a list of operations asynclint cannot see into");
}

RejectionFact RejectionModel::function_at(TSNode function, int depth) const {
  if (ts_node_is_null(function) || !SemanticModel::is_function_kind(syntax_.kind(function))) return fact(Rejects::Untraced, "");
  if (model_.is_generator_function(function)) return fact(Rejects::No, "a generator, not a promise");
  return body_at(function, model_.is_async_function(function) ? BodyRole::Async : BodyRole::PromiseReturning, depth);
}

RejectionFact RejectionModel::callback_at(TSNode callback, int depth) const {
  if (ts_node_is_null(callback)) return fact(Rejects::No, "");
  callback = syntax_.unwrap(callback);
  TSNode function = SemanticModel::is_function_kind(syntax_.kind(callback)) ? callback : model_.local_function_of(callback);
  // A callback out of sight (`noop`, `console.error`, a parameter) could throw as any call could: not counted.
  if (ts_node_is_null(function)) return fact(Rejects::No, "");
  if (model_.is_generator_function(function)) return fact(Rejects::No, "");
  return body_at(function, model_.is_async_function(function) ? BodyRole::Async : BodyRole::Callback, depth);
}

// `try { …setup… } catch (error) { reject(error); }` in an executor: the reject runs only when a call in the
// try block throws synchronously, which is not counted as a reason to reject (any call can throw; counting
// it would make every promise rejecting), unless the block throws visibly or parses JSON.
bool RejectionModel::rejects_only_a_synchronous_throw(TSNode reject_use, TSNode executor) const {
  TSNode call = ts_node_parent(reject_use);
  if (!syntax_.is(call, Kind::call_expression) || !same_node(syntax_.field(call, Field::function), reject_use)) return false;
  TSNode clause{};
  for (TSNode up = ts_node_parent(call); !ts_node_is_null(up) && !same_node(up, executor); up = ts_node_parent(up)) {
    if (SemanticModel::is_function_kind(syntax_.kind(up))) return false;
    if (syntax_.is(up, Kind::catch_clause)) {
      clause = up;
      break;
    }
  }
  if (ts_node_is_null(clause)) return false;
  TSNode try_block = syntax_.field(ts_node_parent(clause), Field::body);
  if (ts_node_is_null(try_block)) return false;
  bool visible = false;
  walk_preorder(try_block, [&](TSNode node, std::uint32_t) {
    if (visible) return false;
    const Kind kind = syntax_.kind(node);
    if (SemanticModel::is_function_kind(kind)) return false;  // runs later, or is a callback: its throws are its own
    if (kind == Kind::throw_statement || kind == Kind::await_expression) visible = true;
    if (kind == Kind::call_expression && syntax_.text(syntax_.field(node, Field::function)) == "JSON.parse") visible = true;
    return !visible;
  });
  return !visible;
}

std::optional<RejectionFact> RejectionModel::forwarded_rejection(TSNode executor, TSNode reject, const Binding* binding, TSNode used,
                                                                 int depth) const {
  TSNode arguments = ts_node_parent(used);
  if (!syntax_.is(arguments, Kind::arguments)) return std::nullopt;
  TSNode call = ts_node_parent(arguments);
  TSNode callee = syntax_.unwrap(syntax_.field(call, Field::function));
  if (!syntax_.is(callee, Kind::member_expression)) return std::nullopt;
  const std::string_view method = syntax_.text(syntax_.field(callee, Field::property));
  const std::uint32_t position = method == "catch" ? 0 : method == "then" ? 1 : UINT32_MAX;
  if (position == UINT32_MAX || ts_node_named_child_count(arguments) <= position ||
      !same_node(ts_node_named_child(arguments, position), used))
    return std::nullopt;
  // Any other use of reject (a call, or a second hand-off) is not covered by the forwarded promise.
  bool other_use = false;
  walk_preorder(syntax_.field(executor, Field::body), [&](TSNode node, std::uint32_t) {
    if (other_use) return false;
    if (!same_node(node, used) && syntax_.is(node, Kind::identifier) && syntax_.text(node) == syntax_.text(reject) &&
        model_.resolve(node) == binding && !rejects_only_a_synchronous_throw(node, executor))
      other_use = true;
    return !other_use;
  });
  if (other_use) return std::nullopt;
  RejectionFact source = expression_at(syntax_.field(callee, Field::object), depth + 1);
  if (source.answer == Rejects::No) source.reason = "its executor forwards to reject only the rejection of a promise that cannot reject";
  else if (!source.reason.empty()) source.reason = "its executor forwards a rejection to reject (" + line_of(used) + "): " + source.reason;
  return source;
}

bool RejectionModel::has_literal_option(TSNode call, std::string_view key, std::string_view value) const {
  TSNode arguments = syntax_.field(call, Field::arguments);
  for (std::uint32_t i = 0; !ts_node_is_null(arguments) && i < ts_node_named_child_count(arguments); ++i) {
    TSNode object = syntax_.unwrap(ts_node_named_child(arguments, i));
    if (!syntax_.is(object, Kind::object)) continue;
    for (std::uint32_t j = 0; j < ts_node_named_child_count(object); ++j) {
      TSNode pair = ts_node_named_child(object, j);
      if (syntax_.is(pair, Kind::pair) && syntax_.text(syntax_.field(pair, Field::key)) == key &&
          syntax_.text(syntax_.unwrap(syntax_.field(pair, Field::value))) == value)
        return true;
    }
  }
  return false;
}

RejectionFact RejectionModel::executor_at(TSNode executor, int depth) const {
  TSNode function = SemanticModel::is_function_kind(syntax_.kind(executor)) ? executor : model_.local_function_of(executor);
  if (ts_node_is_null(function)) return fact(Rejects::Maybe, "a new Promise() whose executor asynclint cannot see");
  // The executor's second parameter is `reject`: any use of it (a call, or handing it on) can reject.
  TSNode parameters = syntax_.field(function, Field::parameters);
  TSNode reject{};
  std::uint32_t seen = 0;
  for (std::uint32_t i = 0; !ts_node_is_null(parameters) && i < ts_node_named_child_count(parameters); ++i) {
    TSNode parameter = ts_node_named_child(parameters, i);
    if (syntax_.is(parameter, Kind::comment)) continue;
    if (seen++ == 1) reject = parameter;
  }
  if (!ts_node_is_null(reject)) {
    if (syntax_.is(reject, Kind::required_parameter) || syntax_.is(reject, Kind::optional_parameter))
      reject = syntax_.field(reject, Field::pattern);
    if (!syntax_.is(reject, Kind::identifier)) return fact(Rejects::Maybe, "its executor takes reject in a form asynclint cannot follow");
    const Binding* binding = model_.resolve(reject);
    TSNode used{};
    walk_preorder(syntax_.field(function, Field::body), [&](TSNode node, std::uint32_t) {
      if (!ts_node_is_null(used)) return false;
      if (syntax_.is(node, Kind::identifier) && syntax_.text(node) == syntax_.text(reject) && model_.resolve(node) == binding &&
          !rejects_only_a_synchronous_throw(node, function))
        used = node;
      return true;
    });
    if (!ts_node_is_null(used)) {
      TSNode parent = ts_node_parent(used);
      // `source.catch(reject)` / `source.then(ok, reject)`: reject is called exactly when source rejects, so
      // the executor rejects when (and for the reason) that promise does — provided reject is used nowhere
      // else.
      if (auto forwarded = forwarded_rejection(function, reject, binding, used, depth)) return *forwarded;
      const bool called = syntax_.is(parent, Kind::call_expression) && same_node(syntax_.field(parent, Field::function), used);
      return fact(Rejects::Yes, called ? "its executor calls reject (" + line_of(used) + ")"
                                       : "its executor hands its reject function on (" + line_of(used) + ")");
    }
  }
  RejectionFact thrown = body_at(function, BodyRole::Executor, depth);
  if (thrown.answer == Rejects::Yes) return thrown;
  return fact(Rejects::No, "its executor never calls reject");
}

RejectionFact RejectionModel::binding_value_at(const Binding& binding, TSNode use, int depth) const {
  (void)use;
  switch (binding.kind) {
    case BindingKind::Function:
    case BindingKind::Class:
      return fact(Rejects::No, "not a promise");
    case BindingKind::Parameter:
    case BindingKind::CatchParameter:
      return fact(Rejects::Untraced, "a parameter");
    case BindingKind::Import:
      return fact(Rejects::Untraced, "an imported value");
    case BindingKind::Variable:
      break;
  }
  RejectionFact result = fact(Rejects::No, "");
  bool any = false;
  if (!ts_node_is_null(binding.value)) {
    join(result, expression_at(binding.value, depth + 1));
    any = true;
  }
  if (const auto* assignments = model_.assignments_of(binding)) {
    for (TSNode value : assignments->values) {
      join(result, expression_at(value, depth + 1));
      any = true;
    }
    if (!assignments->complete) join(result, fact(Rejects::Untraced, "a variable written in ways asynclint cannot follow"));
  }
  if (!any) return fact(Rejects::No, "a variable that holds no promise");
  return result;
}

RejectionFact RejectionModel::this_field_at(TSNode member, int depth) const {
  TSNode class_node = model_.enclosing_class_for_this(ts_node_start_byte(member));
  if (ts_node_is_null(class_node)) return fact(Rejects::Untraced, "a property of `this` asynclint cannot see into");
  const std::string_view name = syntax_.text(syntax_.field(member, Field::property));
  // Every write of the field in the class: its initializer, and `this.name = value` in methods and arrows
  // (not in nested non-arrow functions or classes, where `this` is another object).
  std::vector<TSNode> values;
  bool complete = true;
  TSNode body = syntax_.field(class_node, Field::body);
  std::size_t visited = 0;
  walk_preorder(body, [&](TSNode node, std::uint32_t) {
    if (++visited > kMaxBodyNodes) {
      complete = false;
      return false;
    }
    const Kind k = syntax_.kind(node);
    if (k == Kind::public_field_definition || k == Kind::field_definition) {
      TSNode field_name = syntax_.field(node, k == Kind::field_definition ? Field::property : Field::name);
      if (syntax_.text(field_name) == name) {
        TSNode value = syntax_.field(node, Field::value);
        if (!ts_node_is_null(value)) values.push_back(value);
      }
      return true;
    }
    if (k == Kind::class_ || k == Kind::class_declaration || k == Kind::function_expression || k == Kind::function_declaration ||
        k == Kind::generator_function || k == Kind::generator_function_declaration)
      return false;
    if (k == Kind::assignment_expression || k == Kind::augmented_assignment_expression) {
      TSNode left = syntax_.unwrap(syntax_.field(node, Field::left));
      if (syntax_.is(left, Kind::member_expression) && syntax_.is(syntax_.unwrap(syntax_.field(left, Field::object)), Kind::this_) &&
          syntax_.text(syntax_.field(left, Field::property)) == name) {
        // `this.p ??= start()` (also `||=`, `&&=`) keeps the old value or takes the new one: both are values.
        const std::string_view op = k == Kind::augmented_assignment_expression ? syntax_.text(syntax_.field(node, Field::operator_)) : "=";
        if (op == "=" || op == "??=" || op == "||=" || op == "&&=") values.push_back(syntax_.field(node, Field::right));
        else complete = false;
      }
    }
    return true;
  });
  if (values.empty()) return fact(Rejects::Untraced, "a field set outside this class");
  RejectionFact result = fact(Rejects::No, "");
  for (TSNode value : values) join(result, expression_at(value, depth + 1));
  if (!complete) join(result, fact(Rejects::Untraced, "a field written in ways asynclint cannot follow"));
  return result;
}

// `x.promise` where `x` is a `const` object literal, or what a local factory returns (`const w = waitFor();
// w.promise` with `return { promise, cancel }`): the property's value, read where it is written.
RejectionFact RejectionModel::property_at(TSNode member, int depth) const {
  const RejectionFact unseen = fact(Rejects::Untraced, "a property of an object asynclint cannot see into");
  TSNode object = syntax_.unwrap(syntax_.field(member, Field::object));
  const std::string_view name = syntax_.text(syntax_.field(member, Field::property));
  if (!syntax_.is(object, Kind::identifier)) return unseen;
  const Binding* binding = model_.resolve(object);
  if (!binding || binding->kind != BindingKind::Variable || model_.assignments_of(*binding)) return unseen;
  // The object literals the value can be: itself, a ternary's branches, what a local factory returns.
  std::vector<TSNode> objects;
  std::vector<TSNode> pending{binding->value};
  for (int guard = 0; !pending.empty() && guard < 32; ++guard) {
    TSNode value = syntax_.unwrap(pending.back());
    pending.pop_back();
    if (syntax_.is(value, Kind::ternary_expression)) {
      pending.push_back(syntax_.field(value, Field::consequence));
      pending.push_back(syntax_.field(value, Field::alternative));
    } else if (syntax_.is(value, Kind::call_expression)) {
      TSNode factory = model_.local_function_of(syntax_.field(value, Field::function));
      if (ts_node_is_null(factory) || model_.is_async_function(factory) || model_.is_generator_function(factory)) return unseen;
      TSNode body = syntax_.field(factory, Field::body);
      if (!syntax_.is(body, Kind::statement_block)) {
        pending.push_back(body);
        continue;
      }
      walk_preorder(body, [&](TSNode node, std::uint32_t) {
        if (SemanticModel::is_function_kind(syntax_.kind(node)) || syntax_.is(node, Kind::class_body)) return false;
        if (syntax_.is(node, Kind::return_statement)) {
          pending.push_back(syntax_.first_named_child(node));
          return false;
        }
        return true;
      });
    } else {
      objects.push_back(value);
    }
  }
  if (objects.empty()) return unseen;
  RejectionFact result = fact(Rejects::No, "");
  for (TSNode literal : objects) {
    if (!syntax_.is(literal, Kind::object)) return unseen;
    TSNode found{};
    for (std::uint32_t i = 0, n = ts_node_named_child_count(literal); i < n && ts_node_is_null(found); ++i) {
      TSNode part = ts_node_named_child(literal, i);
      if (syntax_.is(part, Kind::shorthand_property_identifier) && syntax_.text(part) == name) found = part;
      else if (syntax_.is(part, Kind::pair) && syntax_.text(syntax_.field(part, Field::key)) == name) found = syntax_.field(part, Field::value);
      else if (syntax_.is(part, Kind::spread_element)) return unseen;
    }
    if (ts_node_is_null(found)) return unseen;
    if (syntax_.is(found, Kind::shorthand_property_identifier)) {
      const Binding* local = model_.resolve(found);
      join(result, local ? binding_value_at(*local, found, depth + 1) : unseen);
    } else {
      join(result, expression_at(found, depth + 1));
    }
  }
  return result;
}

// A field or variable every write of which makes a deferred (`Deferred.create()`, `new Deferred()`,
// `createDeferred()`) without options, and on which this file never calls `reject`.
bool RejectionModel::is_unrejected_deferred(TSNode receiver) const {
  receiver = syntax_.unwrap(receiver);
  std::vector<TSNode> writes;
  if (syntax_.is(receiver, Kind::member_expression) && syntax_.is(syntax_.unwrap(syntax_.field(receiver, Field::object)), Kind::this_)) {
    TSNode class_node = model_.enclosing_class_for_this(ts_node_start_byte(receiver));
    if (ts_node_is_null(class_node)) return false;
    const std::string_view name = syntax_.text(syntax_.field(receiver, Field::property));
    for (const SemanticModel::FieldWrite& write : model_.this_field_writes(class_node, name)) {
      if (write.form == SemanticModel::FieldWrite::Form::ParameterProperty) return false;  // given by the caller
      TSNode value = syntax_.field(write.node, write.form == SemanticModel::FieldWrite::Form::Declaration ? Field::value : Field::right);
      if (!ts_node_is_null(value)) writes.push_back(value);
    }
  } else if (syntax_.is(receiver, Kind::identifier)) {
    const Binding* binding = model_.resolve(receiver);
    if (!binding || binding->kind != BindingKind::Variable) return false;
    if (!ts_node_is_null(binding->value)) writes.push_back(binding->value);
    if (const auto* assignments = model_.assignments_of(*binding)) {
      if (!assignments->complete) return false;
      writes.insert(writes.end(), assignments->values.begin(), assignments->values.end());
    }
  } else {
    return false;
  }
  if (writes.empty()) return false;
  for (TSNode write : writes) {
    write = syntax_.unwrap(write);
    const Kind k = syntax_.kind(write);
    if (k != Kind::call_expression && k != Kind::new_expression) return false;
    TSNode callee = syntax_.field(write, k == Kind::call_expression ? Field::function : Field::constructor);
    if (syntax_.text(callee).find("eferred") == std::string_view::npos) return false;
    TSNode args = syntax_.field(write, Field::arguments);
    if (!ts_node_is_null(args) && ts_node_named_child_count(args) > 0) return false;  // options: maybe a timeout
  }
  const std::string text(syntax_.text(receiver));
  const std::string_view source = syntax_.source();
  return source.find(text + ".reject(") == std::string_view::npos && source.find(text + "?.reject(") == std::string_view::npos;
}

// Reads a function body once per role: its own throws, awaits, `for await` loops and returns (not those of
// nested functions), each outside or inside the `try` block of a try statement that has a catch clause.
std::vector<std::pair<const Binding*, bool>> RejectionModel::boolean_arguments(TSNode call, TSNode function) const {
  std::vector<std::pair<const Binding*, bool>> values;
  TSNode arguments = syntax_.field(call, Field::arguments);
  TSNode parameters = syntax_.field(function, Field::parameters);
  if (ts_node_is_null(arguments) || ts_node_is_null(parameters)) return values;
  std::vector<TSNode> argument_list, parameter_list;
  append_named_children(arguments, argument_list);
  append_named_children(parameters, parameter_list);
  auto is_comment = [&](TSNode n) { return syntax_.is(n, Kind::comment); };
  argument_list.erase(std::remove_if(argument_list.begin(), argument_list.end(), is_comment), argument_list.end());
  parameter_list.erase(std::remove_if(parameter_list.begin(), parameter_list.end(), is_comment), parameter_list.end());
  for (std::size_t i = 0; i < argument_list.size() && i < parameter_list.size(); ++i) {
    if (syntax_.is(argument_list[i], Kind::spread_element)) break;
    const std::string_view value = syntax_.text(syntax_.unwrap(argument_list[i]));
    if (value != "true" && value != "false") continue;
    TSNode name = parameter_list[i];
    if (syntax_.is(name, Kind::required_parameter) || syntax_.is(name, Kind::optional_parameter)) name = syntax_.field(name, Field::pattern);
    if (syntax_.is(name, Kind::assignment_pattern)) name = syntax_.field(name, Field::left);
    if (!syntax_.is(name, Kind::identifier)) continue;
    if (const Binding* binding = model_.resolve(name)) values.emplace_back(binding, value == "true");
  }
  return values;
}

int RejectionModel::constant_condition(TSNode condition) const {
  condition = syntax_.unwrap(condition);
  if (syntax_.is(condition, Kind::unary_expression) && syntax_.text(condition).substr(0, 1) == "!") {
    const int inner = constant_condition(syntax_.field(condition, Field::argument));
    return inner < 0 ? -1 : 1 - inner;
  }
  if (!syntax_.is(condition, Kind::identifier)) return -1;
  const Binding* binding = model_.resolve(condition);
  for (const auto& [parameter, value] : constants_->values)
    if (parameter == binding) return value ? 1 : 0;
  return -1;
}

RejectionFact RejectionModel::body_at(TSNode function, BodyRole role, int depth) const {
  const bool is_async = role == BodyRole::Async;
  // Read for one call's literal arguments (call_at): neither cached nor read from the cache, and the
  // functions it calls are read as usual.
  const bool narrowed = constants_ && same_node(constants_->function, function);
  const ConstantArguments* const outer_constants = constants_;
  if (!narrowed) constants_ = nullptr;
  struct Restore {
    const ConstantArguments*& slot;
    const ConstantArguments* value;
    ~Restore() { slot = value; }
  } restore{constants_, outer_constants};
  const std::uintptr_t key = node_key(function) * 8 + static_cast<std::uintptr_t>(role) + (narrowed ? 4 : 0);
  if (!narrowed)
    if (auto found = functions_.find(key); found != functions_.end()) return found->second;
  if (in_progress_[key] || depth > kMaxDepth) return fact(Rejects::Untraced, "a recursive call");
  in_progress_[key] = true;

  const bool throws_count = role != BodyRole::PromiseReturning;
  RejectionFact result = fact(Rejects::No, is_async ? "its body catches every error it can meet" : "");
  // The value a function returns: an unknown call counts as an operation unless the function is a plain
  // callback, whose return value is a promise only when it visibly is one.
  auto returned = [&](TSNode value) {
    value = syntax_.unwrap(value);
    if (ts_node_is_null(value) || role == BodyRole::Executor) return;
    if (syntax_.is(value, Kind::await_expression)) return;  // read as an await below
    // A plain callback's return value counts only when this file shows it is a promise (a call of a
    // function imported from another file may not return one at all).
    if (role == BodyRole::Callback && model_.produces_promise(value).answer != PromiseFact::Answer::Yes) return;
    // `return resolve(x)`, `return callback(error)`: a function handed in as a parameter is a callback,
    // not an operation whose promise the function passes on.
    if (syntax_.is(value, Kind::call_expression)) {
      TSNode callee = syntax_.unwrap(syntax_.field(value, Field::function));
      const Binding* binding = syntax_.is(callee, Kind::identifier) ? model_.resolve(callee) : nullptr;
      if (binding && binding->kind == BindingKind::Parameter && !model_.produces_promise(value).maybe()) return;
    }
    RejectionFact r = expression_at(value, depth + 1);
    if (r.answer == Rejects::Untraced && role == BodyRole::Callback) return;
    if (r.answer >= Rejects::Maybe) r.reason = "it returns " + short_text(value) + " (" + line_of(value) + "), which can reject: " + r.reason;
    join(result, std::move(r));
  };

  TSNode body = syntax_.field(function, Field::body);
  struct Item {
    TSNode node;
    bool caught;          // inside the try block of a try statement with a catch clause
    bool opt_in = false;  // inside `if (flag)` of a parameter that defaults to false (`throwError = false`)
    bool guard = false;   // a `throw` that is the branch of an `if` checking the object's state (below)
  };
  // `configure(device, event, force = false, throwError = false)` … `if (throwError) throw error;`: the throw
  // happens only for callers that ask for it, so it is not a reason the function's promise rejects.
  auto opt_in_flag = [&](TSNode condition) {
    condition = syntax_.unwrap(condition);
    if (!syntax_.is(condition, Kind::identifier)) return false;
    const Binding* binding = model_.resolve(condition);
    if (!binding || binding->kind != BindingKind::Parameter) return false;
    TSNode declared = binding->declared_by;
    // JavaScript: an assignment pattern; TypeScript: a parameter with a `value`.
    TSNode default_value = syntax_.is(declared, Kind::assignment_pattern) ? syntax_.field(declared, Field::right)
                           : syntax_.is(declared, Kind::required_parameter) || syntax_.is(declared, Kind::optional_parameter)
                               ? syntax_.field(declared, Field::value)
                               : TSNode{};
    return syntax_.text(default_value) == "false" && same_node(model_.enclosing_function(declared), function);
  };
  // `if (!this.listener) throw …`, `if (this.destroyed) throw …`: a check of the object's own state that
  // calls nothing and tests presence or identity. Such a throw reports a caller's mistake (a method called
  // before start() or after destroy()); whether it can happen depends on the call site (the review loop found
  // 8 findings resting on one, each call site having just set or checked the same state), so it counts as
  // unproven. A check of an argument stays a reason (the argument may be a request's input), and so does a
  // check of something the function computed (`const res = await get(u); if (!res.ok) throw …`).
  auto state_check = [&](TSNode condition) {
    bool only_state = true, reads_this = false;
    std::size_t seen = 0;
    walk_preorder(condition, [&](TSNode node, std::uint32_t) {
      if (!only_state) return false;
      if (++seen > 64) return only_state = false;
      const Kind k = syntax_.kind(node);
      if (k == Kind::call_expression || k == Kind::await_expression || k == Kind::new_expression || k == Kind::assignment_expression ||
          (k == Kind::identifier && syntax_.text(node) != "undefined") || SemanticModel::is_function_kind(k))
        return only_state = false;
      // Presence and identity (`!this.socket`, `this.state !== 'open'`), not a count or a measure:
      // `this.attempts > 5` after an increment is a failure the function reached.
      if (k == Kind::number) return only_state = false;
      if (k == Kind::binary_expression) {
        const std::string_view op = syntax_.text(syntax_.field(node, Field::operator_));
        if (op != "&&" && op != "||" && op != "===" && op != "!==" && op != "==" && op != "!=") return only_state = false;
      }
      if (k == Kind::this_) reads_this = true;
      return true;
    });
    return only_state && reads_this;
  };
  std::vector<Item> stack;
  if (!ts_node_is_null(body) && !syntax_.is(body, Kind::statement_block)) {
    returned(body);  // an expression body is the returned value
    stack.push_back({body, false});
  } else if (!ts_node_is_null(body)) {
    stack.push_back({body, false});
  }
  std::size_t visited = 0;
  while (!stack.empty() && ++visited < kMaxBodyNodes && result.answer != Rejects::Yes) {
    const Item item = stack.back();
    stack.pop_back();
    const Kind k = syntax_.kind(item.node);
    if (SemanticModel::is_function_kind(k) || k == Kind::class_body || k == Kind::class_declaration || k == Kind::class_) continue;
    if (k == Kind::try_statement) {
      TSNode handler = syntax_.field(item.node, Field::handler);
      TSNode finalizer = syntax_.field(item.node, Field::finalizer);
      // `finally { process.exit(…) }`: whatever the try block throws, the process ends first.
      const bool exits = !ts_node_is_null(finalizer) && syntax_.text(finalizer).find("process.exit(") != std::string_view::npos;
      stack.push_back({syntax_.field(item.node, Field::body), item.caught || !ts_node_is_null(handler) || exits, item.opt_in, item.guard});
      if (!ts_node_is_null(handler)) stack.push_back({handler, item.caught, item.opt_in, item.guard});
      if (!ts_node_is_null(finalizer)) stack.push_back({finalizer, item.caught, item.opt_in, item.guard});
      continue;
    }
    if (k == Kind::if_statement && narrowed) {
      const int taken = constant_condition(syntax_.field(item.node, Field::condition));
      if (taken >= 0) {
        TSNode live = syntax_.field(item.node, taken ? Field::consequence : Field::alternative);
        if (!ts_node_is_null(live)) stack.push_back({live, item.caught, item.opt_in, item.guard});
        continue;
      }
    }
    if (k == Kind::if_statement && state_check(syntax_.field(item.node, Field::condition))) {
      // The throw the check leads to: the branch itself, or a statement of the branch's block (`{ log(…);
      // throw … }`); code nested deeper is behind other conditions and counts as usual. Both branches:
      // `if (typeof hook === 'function') … else throw new TypeError(…)` is the same check.
      auto push_branch = [&](TSNode branch) {
        if (syntax_.is(branch, Kind::else_clause)) branch = syntax_.first_named_child(branch);
        if (ts_node_is_null(branch)) return;
        if (!syntax_.is(branch, Kind::statement_block)) {
          stack.push_back({branch, item.caught, item.opt_in, item.guard || syntax_.is(branch, Kind::throw_statement)});
          return;
        }
        const std::size_t first = stack.size();
        for_each_named_child(branch, [&](TSNode child) {
          stack.push_back({child, item.caught, item.opt_in, item.guard || syntax_.is(child, Kind::throw_statement)});
          return true;
        });
        std::reverse(stack.begin() + static_cast<std::ptrdiff_t>(first), stack.end());
      };
      push_branch(syntax_.field(item.node, Field::alternative));
      push_branch(syntax_.field(item.node, Field::consequence));
      continue;
    }
    if (k == Kind::if_statement && opt_in_flag(syntax_.field(item.node, Field::condition))) {
      TSNode alternative = syntax_.field(item.node, Field::alternative);
      if (!ts_node_is_null(alternative)) stack.push_back({alternative, item.caught, item.opt_in, item.guard});
      stack.push_back({syntax_.field(item.node, Field::consequence), item.caught, true, item.guard});
      continue;
    }
    if (k == Kind::return_statement) returned(syntax_.first_named_child(item.node));  // `return p` in a try is not caught
    if (!item.caught) {
      if (k == Kind::throw_statement && throws_count) {
        if (item.opt_in)
          join(result, fact(Rejects::Maybe, "it throws (" + line_of(item.node) + ") only when the caller asks for it"));
        else if (item.guard)
          join(result, fact(Rejects::Maybe, "it throws (" + line_of(item.node) + ") when a check of the object's state fails"));
        else if (model_.runtime_at(function) == FileRuntime::Kind::Browser && rethrows_logged_error(item.node))
          join(result, fact(Rejects::Maybe, "it throws (" + line_of(item.node) + ") an error it has just logged"));
        else
          join(result, fact(Rejects::Yes, "it throws (" + line_of(item.node) + ")"));
      }
      if (is_async && k == Kind::for_in_statement && syntax_.has_token(item.node, Kind::kw_await))
        join(result, fact(Rejects::Maybe, "its for await loop (" + line_of(item.node) + ") reads a stream that can fail"));
      if (is_async && (k == Kind::await_expression ||
                       (k == Kind::call_expression && (syntax_.is(syntax_.field(item.node, Field::function), Kind::await_expression) ||
                                                       !ts_node_is_null(syntax_.misparsed_await_callee(item.node)))))) {
        TSNode awaited = k == Kind::await_expression ? syntax_.unwrap(syntax_.first_named_child(item.node)) : syntax_.misparsed_await_extent(item.node);
        RejectionFact r = expression_at(awaited, depth + 1);
        if (r.answer >= Rejects::Maybe) {
          std::string shown = short_text(awaited);
          if (shown.rfind("await ", 0) == 0) shown = shown.substr(6);
          r.reason = "it awaits " + shown + " (" + line_of(item.node) + ") outside a try/catch" +
                     (r.answer == Rejects::Yes ? ": " + r.reason : "");
        }
        join(result, std::move(r));
      }
    }
    const std::size_t first = stack.size();
    for_each_named_child(item.node, [&](TSNode child) {
      stack.push_back({child, item.caught, item.opt_in, item.guard});
      return true;
    });
    std::reverse(stack.begin() + static_cast<std::ptrdiff_t>(first), stack.end());
  }
  in_progress_[key] = false;
  if (result.answer < Rejects::Maybe && result.reason.empty()) result.reason = "nothing in it can reject";
  if (!narrowed) functions_[key] = result;
  return result;
}

}  // namespace asynclint
