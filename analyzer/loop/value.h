#pragma once
// Values and heap objects of the loop model's JavaScript subset.
#include <tree_sitter/api.h>

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace asynclint::loop {

struct Obj;
class Interp;

struct Value {
  enum class T : std::uint8_t { Undef, Null, Bool, Num, Str, Obj };
  T t = T::Undef;
  bool b = false;
  double n = 0;
  std::string s;
  Obj* o = nullptr;

  static Value undef() { return {}; }
  static Value null() { Value v; v.t = T::Null; return v; }
  static Value boolean(bool x) { Value v; v.t = T::Bool; v.b = x; return v; }
  static Value num(double x) { Value v; v.t = T::Num; v.n = x; return v; }
  static Value str(std::string x) { Value v; v.t = T::Str; v.s = std::move(x); return v; }
  static Value obj(Obj* x) { Value v; v.t = T::Obj; v.o = x; return v; }
  bool is_undef() const { return t == T::Undef; }
  bool is_nullish() const { return t == T::Undef || t == T::Null; }
  bool is_obj() const { return t == T::Obj; }
  bool is_str() const { return t == T::Str; }
  bool is_num() const { return t == T::Num; }
};

using Args = std::vector<Value>;
using NativeFn = std::function<Value(Interp&, const Value& self, Args& args)>;

enum class ObjKind : std::uint8_t { Plain, Array, Function, Promise, Error, Timer, Generator };

struct Prop {
  std::string key;
  Value value;
  bool enumerable = true;
  // an accessor property (get/set in a literal or class, Object.defineProperty): `value` is unused
  bool accessor = false;
  Value getter, setter;
  bool read_only = false;  // a data property defined with writable: false
};

struct Env;
struct Activation;

// A generator's or async generator's state beside its activation (ECMAScript's [[GeneratorState]] and,
// for async generators, [[AsyncGeneratorQueue]]).
struct GeneratorState {
  enum class State : std::uint8_t { SuspendedStart, SuspendedYield, Executing, AwaitingReturn, Completed };
  State state = State::SuspendedStart;
  bool async = false;
  Activation* act = nullptr;
  Value yielded;            // sync: the value of the last `yield`
  bool threw = false;       // sync: the body ended by throwing `completion`
  Value completion;         // the body's return value or exception
  struct Request {
    int mode;               // 0 next, 1 throw, 2 return
    Value value;
    Obj* promise;
  };
  std::deque<Request> queue;  // async: requests waiting for the generator
};

// node:events: an EventEmitter's listeners, event by event in the order the names were first added
// (integer-like names first, as object keys are ordered).
struct Listener {
  Value fn;
  bool once = false;
  std::shared_ptr<bool> fired;  // a once-listener runs at most once, even if two emits hold it
};
struct EmitterState {
  std::vector<std::pair<std::string, std::vector<Listener>>> events;
  double max_listeners = 10;
};

struct Reaction {
  Obj* derived = nullptr;  // capability promise; null for await and internal reactions
  bool fulfill = true;
  Value handler;           // undefined: pass-through
  std::string label;       // "then callback (line 7)"
  std::uint32_t line = 0;
};

struct Obj {
  ObjKind kind = ObjKind::Plain;
  Obj* proto = nullptr;
  std::vector<Prop> props;
  std::vector<Value> elems;  // arrays
  // functions
  TSNode node{};             // JS function: its syntax node; null for natives
  Env* closure = nullptr;
  bool arrow = false, async = false, is_class_ctor = false, generator = false;
  GeneratorState* gen = nullptr;  // generator objects
  bool arguments_object = false;  // `arguments`: indexed like an array, but not one
  // classes
  Obj* class_parent = nullptr;           // `extends` target of a class constructor
  Obj* home_object = nullptr;            // where `super.x` starts looking (a method's prototype object)
  bool is_method = false;
  std::vector<TSNode> instance_fields;   // field definitions run on each new instance
  std::string name;
  NativeFn native;
  int param_count = 0;
  // promises
  enum class PState : std::uint8_t { Pending, Fulfilled, Rejected } pstate = PState::Pending;
  Value presult;
  std::vector<Reaction> reactions;
  bool handled = false;
  // timers
  std::uint64_t timer_id = 0;
  bool refed = true;  // a Timeout keeps the event loop alive until unref()
  std::shared_ptr<EmitterState> emitter;  // an EventEmitter (node:events) or `process`
  std::string opaque;  // non-empty: a value the model cannot know (file contents, paths); using it stops
  bool host = false;  // a built-in namespace or constructor: reading a property it lacks is unsupported
};

struct Binding {
  Value value;
  bool is_const = false;
  bool initialized = true;
};

struct Env {
  std::unordered_map<std::string, Binding> vars;
  Env* parent = nullptr;
  bool function_scope = false;  // `var` lands here
  bool has_this = false;
  Value this_value;
  Obj* home_function = nullptr;
  bool async_body = false;      // inside an async function (await allowed)
  std::vector<Value> call_args;  // a non-arrow function's arguments, for `arguments`
  Obj* new_target = nullptr;     // set when called by `new`
  bool this_bound = true;        // false in a derived constructor until super(…) returns
};

}  // namespace asynclint::loop
