#include "loop/interp.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <set>

extern "C" const TSLanguage* tree_sitter_javascript();

namespace asynclint::loop {

namespace {
constexpr std::size_t kStackMargin = 256 * 1024;
std::string with_commas(std::uint64_t n) {
  std::string s = std::to_string(n), out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (i && (s.size() - i) % 3 == 0) out += ',';
    out += s[i];
  }
  return out;
}

// Members the real runtime has on these kinds of objects. The model implements the common ones; reading one
// it lacks must stop the simulation, while reading any other name is an ordinary `undefined` (resolving a
// promise with an array asks the array for `then`, which is legitimately absent).
bool real_builtin_member(ObjKind kind, const std::string& key) {
  static const std::set<std::string> object_members = {"constructor", "hasOwnProperty", "isPrototypeOf",
      "propertyIsEnumerable", "toLocaleString", "toString", "valueOf", "__proto__", "__defineGetter__",
      "__defineSetter__", "__lookupGetter__", "__lookupSetter__"};
  static const std::set<std::string> array_members = {"at", "concat", "copyWithin", "entries", "every", "fill",
      "filter", "find", "findIndex", "findLast", "findLastIndex", "flat", "flatMap", "forEach", "includes",
      "indexOf", "join", "keys", "lastIndexOf", "map", "pop", "push", "reduce", "reduceRight", "reverse", "shift",
      "slice", "some", "sort", "splice", "unshift", "values", "toReversed", "toSorted", "toSpliced", "with"};
  static const std::set<std::string> promise_members = {"then", "catch", "finally"};
  static const std::set<std::string> function_members = {"call", "apply", "bind", "arguments", "caller"};
  static const std::set<std::string> timer_members = {"ref", "unref", "hasRef", "refresh", "close"};
  static const std::set<std::string> error_members = {"stack", "cause"};
  switch (kind) {
    case ObjKind::Array: if (array_members.count(key)) return true; break;
    case ObjKind::Promise: if (promise_members.count(key)) return true; break;
    case ObjKind::Function: if (function_members.count(key)) return true; break;
    case ObjKind::Timer: if (timer_members.count(key)) return true; break;
    case ObjKind::Error: if (error_members.count(key)) return true; break;
    case ObjKind::Plain: case ObjKind::Generator: break;
  }
  return object_members.count(key) > 0;
}

}  // namespace

std::string Interp::with_commas_public(std::uint64_t n) { return with_commas(n); }

Interp::Interp(std::string_view source, LanguageId language, const ExplainLimits& limits)
    : limits_(limits), source_(source), language_(language), tables_(SyntaxTables::for_language(language)),
      syntax_(tables_, source_) {}

// --- heap ------------------------------------------------------------------------------------------

Obj* Interp::new_obj(ObjKind kind, Obj* proto) {
  if (heap_.size() >= limits_.max_heap_objects)
    throw Stop{"stopped after allocating " + with_commas(limits_.max_heap_objects) +
                   " objects: the program uses more memory than the model allows",
               Stop::Why::Limit};
  heap_.push_back(std::make_unique<Obj>());
  Obj* o = heap_.back().get();
  o->kind = kind;
  o->proto = proto;
  return o;
}

Obj* Interp::new_array(std::vector<Value> elems) {
  Obj* a = new_obj(ObjKind::Array, array_proto_);
  a->elems = std::move(elems);
  return a;
}

Obj* Interp::new_native(std::string name, int params, NativeFn fn) {
  Obj* f = new_obj(ObjKind::Function, function_proto_);
  f->name = std::move(name);
  f->param_count = params;
  f->native = std::move(fn);
  return f;
}

Obj* Interp::new_error(const std::string& ctor, const std::string& message) {
  auto it = error_protos_.find(ctor);
  Obj* e = new_obj(ObjKind::Error, it == error_protos_.end() ? error_proto_ : it->second);
  e->props.push_back({"stack", Value::str(ctor + ": " + message + "\n    at <anonymous>"), false});
  e->props.push_back({"message", Value::str(message), false});
  return e;
}

void Interp::throw_error(const std::string& ctor, const std::string& message) {
  throw JSThrow{Value::obj(new_error(ctor, message))};
}

void Interp::unsupported(std::uint32_t line, const std::string& what) {
  throw Stop{"line " + std::to_string(line) + ": " + what, Stop::Why::Unsupported};
}
void Interp::unsupported(TSNode node, const std::string& what) { unsupported(line_of(node), what); }

Env* Interp::new_env(Env* parent) {
  envs_.push_back(std::make_unique<Env>());
  Env* e = envs_.back().get();
  e->parent = parent;
  if (parent) e->async_body = parent->async_body;
  return e;
}

void Interp::step() {
  if (++steps_ > limits_.max_steps)
    throw Stop{"stopped after " + with_commas(limits_.max_steps) + " steps: the program does not terminate",
               Stop::Why::Limit};
}

// --- conversions -----------------------------------------------------------------------------------

std::string number_to_string(double d) {
  if (std::isnan(d)) return "NaN";
  if (d == 0) return "0";
  if (std::isinf(d)) return d < 0 ? "-Infinity" : "Infinity";
  if (d < 0) return "-" + number_to_string(-d);
  char buf[64];
  int precision = 1;
  for (; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*e", precision - 1, d);
    if (std::strtod(buf, nullptr) == d) break;
  }
  // buf = d.ddddde±x
  std::string s(buf);
  const auto e_pos = s.find('e');
  std::string digits;
  for (std::size_t i = 0; i < e_pos; ++i)
    if (s[i] != '.') digits += s[i];
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  const int exp10 = std::atoi(s.c_str() + e_pos + 1);
  const int k = static_cast<int>(digits.size());
  const int n = exp10 + 1;
  if (k <= n && n <= 21) return digits + std::string(n - k, '0');
  if (0 < n && n <= 21) return digits.substr(0, n) + "." + digits.substr(n);
  if (-6 < n && n <= 0) return "0." + std::string(-n, '0') + digits;
  std::string out = digits.substr(0, 1);
  if (k > 1) out += "." + digits.substr(1);
  out += "e";
  out += (n - 1 >= 0) ? "+" : "-";
  out += std::to_string(std::abs(n - 1));
  return out;
}

void Interp::refuse_opaque(const Value& v) const {
  if (!v.is_obj() || v.o->opaque.empty()) return;
  if (v.o == global_this_ || v.o == module_exports_this_)
    throw Stop{"line " + std::to_string(current_line) + ": looking into " + v.o->opaque + " is not modelled", Stop::Why::Unsupported};
  throw Stop{"line " + std::to_string(current_line) + ": " + v.o->opaque +
                 " depends on the machine (files, paths): the model never performs real I/O",
             Stop::Why::Unsupported};
}

bool Interp::truthy(const Value& v) const {
  refuse_opaque(v);
  switch (v.t) {
    case Value::T::Undef: case Value::T::Null: return false;
    case Value::T::Bool: return v.b;
    case Value::T::Num: return !(v.n == 0 || std::isnan(v.n));
    case Value::T::Str: return !v.s.empty();
    case Value::T::Obj: return true;
  }
  return false;
}

Value Interp::to_primitive(const Value& v, bool prefer_string) {
  refuse_opaque(v);
  if (!v.is_obj()) return v;
  const char* order[2] = {prefer_string ? "toString" : "valueOf", prefer_string ? "valueOf" : "toString"};
  for (const char* name : order) {
    Value fn = get(v, name);
    if (callable(fn)) {
      Args none;
      Value r = call(fn, v, none);
      if (!r.is_obj()) return r;
    }
  }
  throw_error("TypeError", "Cannot convert object to primitive value");
}

double Interp::to_number(const Value& v) {
  switch (v.t) {
    case Value::T::Undef: return NAN;
    case Value::T::Null: return 0;
    case Value::T::Bool: return v.b ? 1 : 0;
    case Value::T::Num: return v.n;
    case Value::T::Str: {
      std::size_t b = v.s.find_first_not_of(" \t\n\r\v\f"), e = v.s.find_last_not_of(" \t\n\r\v\f");
      if (b == std::string::npos) return 0;
      std::string t = v.s.substr(b, e - b + 1);
      if (t == "Infinity" || t == "+Infinity") return INFINITY;
      if (t == "-Infinity") return -INFINITY;
      if (t.size() > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X')) {
        char* end = nullptr;
        double r = static_cast<double>(std::strtoull(t.c_str() + 2, &end, 16));
        return *end ? NAN : r;
      }
      for (char c : t)
        if (!(std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-')) return NAN;
      char* end = nullptr;
      double r = std::strtod(t.c_str(), &end);
      return *end ? NAN : r;
    }
    case Value::T::Obj: return to_number(to_primitive(v, false));
  }
  return NAN;
}

std::string Interp::to_string(const Value& v) {
  switch (v.t) {
    case Value::T::Undef: return "undefined";
    case Value::T::Null: return "null";
    case Value::T::Bool: return v.b ? "true" : "false";
    case Value::T::Num: return number_to_string(v.n);
    case Value::T::Str: return v.s;
    case Value::T::Obj: return to_string(to_primitive(v, true));
  }
  return "";
}

bool Interp::non_ascii(const std::string& s) const {
  for (unsigned char c : s)
    if (c >= 0x80) return true;
  return false;
}

// --- properties ------------------------------------------------------------------------------------

Value Interp::get(const Value& target, const std::string& key, const Value& receiver) {
  refuse_opaque(target);
  if (target.is_nullish())
    throw_error("TypeError", "Cannot read properties of " + to_string(target) + " (reading '" + key + "')");
  if (target.is_str()) {
    std::size_t idx;
    if (key == "length") {
      if (non_ascii(target.s)) unsupported(current_line, "the length of a non-ASCII string is not modelled");
      return Value::num(static_cast<double>(target.s.size()));
    }
    if (array_index(key, idx)) {
      if (non_ascii(target.s)) unsupported(current_line, "indexing a non-ASCII string is not modelled");
      return idx < target.s.size() ? Value::str(std::string(1, target.s[idx])) : Value::undef();
    }
    return get(Value::obj(string_proto_), key, receiver);
  }
  if (target.is_num()) return get(Value::obj(number_proto_), key, receiver);
  if (target.t == Value::T::Bool) return get(Value::obj(object_proto_), key, receiver);
  Obj* o = target.o;
  if (o->kind == ObjKind::Array) {
    std::size_t idx;
    if (key == "length") return Value::num(static_cast<double>(o->elems.size()));
    if (array_index(key, idx)) return idx < o->elems.size() ? o->elems[idx] : Value::undef();
  }
  for (Obj* cur = o; cur; cur = cur->proto) {
    for (const Prop& p : cur->props)
      if (p.key == key) {
        if (!p.accessor) return p.value;
        Value getter = p.getter;  // the call may add properties to this object
        if (!callable(getter)) return Value::undef();
        Args none;
        return call(getter, receiver, none);
      }
    if (cur->kind == ObjKind::Function && cur->native && key == "prototype") break;
    if (cur->kind == ObjKind::Function) {
      if (key == "name") return Value::str(cur->name);
      if (key == "length") return Value::num(cur->param_count);
      if (key == "prototype" && !cur->native && !cur->arrow && !cur->async && !cur->generator) {
        Obj* proto = new_plain();
        proto->props.push_back({"constructor", Value::obj(cur), false});
        cur->props.push_back({"prototype", Value::obj(proto), false});
        return Value::obj(proto);
      }
    }
  }
  static const std::set<std::string> emitter_members = {"_events", "_eventsCount", "_maxListeners", "rawListeners",
      "captureRejections", "domain"};
  if (o->host || real_builtin_member(o->kind, key) || (o->emitter && emitter_members.count(key)))
    unsupported(current_line, "the property `" + key + "` of a built-in object is not modelled");
  return Value::undef();
}

void Interp::put(const Value& target, const std::string& key, const Value& v) {
  refuse_opaque(target);
  if (target.is_nullish())
    throw_error("TypeError", "Cannot set properties of " + to_string(target) + " (setting '" + key + "')");
  if (!target.is_obj()) return;  // sloppy-mode assignment to a primitive's property is ignored
  Obj* o = target.o;
  // in sloppy mode `arguments[i]` and the i-th parameter are one variable; the model keeps them apart
  if (o->arguments_object) unsupported(current_line, "writing to `arguments` is not modelled");
  if (o->kind == ObjKind::Array) {
    std::size_t idx;
    if (key == "length") {
      double n = to_number(v);
      if (n < 0 || n != std::floor(n)) throw_error("RangeError", "Invalid array length");
      if (n > 1e7) unsupported(current_line, "very large arrays are not modelled");
      o->elems.resize(static_cast<std::size_t>(n));
      return;
    }
    if (array_index(key, idx)) {
      if (idx > o->elems.size()) unsupported(current_line, "arrays with holes are not modelled");
      if (idx == o->elems.size()) o->elems.push_back(v);
      else o->elems[idx] = v;
      return;
    }
  }
  // a setter (own or inherited) takes the assignment; an inherited data property is shadowed
  for (Obj* cur = o; cur; cur = cur->proto)
    for (Prop& p : cur->props) {
      if (p.key != key) continue;
      if (p.accessor) {
        Value setter = p.setter;
        if (!callable(setter))
          unsupported(current_line, "assigning to a property that has only a getter is not modelled (ignored in sloppy code, a TypeError in strict code)");
        Args a{v};
        call(setter, target, a);
        return;
      }
      if (p.read_only) unsupported(current_line, "assigning to a read-only property is not modelled (ignored in sloppy code, a TypeError in strict code)");
      if (cur != o) goto shadow;
      p.value = v;
      return;
    }
shadow:
  o->props.push_back({key, v, true});
}

void Interp::define_data(Obj* o, const std::string& key, const Value& v) {
  if (o->kind == ObjKind::Array || o->arguments_object) {
    put(Value::obj(o), key, v);
    return;
  }
  for (Prop& p : o->props)
    if (p.key == key) {
      p.accessor = p.read_only = false;
      p.getter = p.setter = Value::undef();
      p.value = v;
      p.enumerable = true;
      return;
    }
  o->props.push_back({key, v, true});
}

void Interp::define_accessor(Obj* o, const std::string& key, const Value& fn, bool setter, bool enumerable) {
  for (Prop& p : o->props)
    if (p.key == key) {
      if (!p.accessor) {  // a data property becomes an accessor, keeping its place among the keys
        p.accessor = true;
        p.value = Value::undef();
        p.getter = p.setter = Value::undef();
        p.read_only = false;
      }
      (setter ? p.setter : p.getter) = fn;
      p.enumerable = enumerable;
      return;
    }
  Prop p;
  p.key = key;
  p.enumerable = enumerable;
  p.accessor = true;
  (setter ? p.setter : p.getter) = fn;
  o->props.push_back(p);
}

std::vector<std::string> Interp::own_keys(Obj* o, bool only_enumerable) {
  // Node's emitters carry _events, _eventsCount, _maxListeners (and process its many members)
  if (o->emitter) unsupported(current_line, "the own properties of an EventEmitter (or process) are not modelled");
  std::vector<std::string> ints, strs;
  if (o->kind == ObjKind::Array)
    for (std::size_t i = 0; i < o->elems.size(); ++i) ints.push_back(std::to_string(i));
  std::vector<std::pair<std::size_t, std::string>> numeric;
  for (const Prop& p : o->props) {
    if (only_enumerable && !p.enumerable) continue;
    std::size_t idx;
    if (array_index(p.key, idx)) numeric.push_back({idx, p.key});
    else strs.push_back(p.key);
  }
  std::sort(numeric.begin(), numeric.end());
  for (auto& n : numeric) ints.push_back(n.second);
  ints.insert(ints.end(), strs.begin(), strs.end());
  return ints;
}

// --- calls -----------------------------------------------------------------------------------------

Value Interp::call(const Value& fn, const Value& self, Args& args) {
  if (!callable(fn)) throw_error("TypeError", inspect(fn) + " is not a function");
  return call_function(fn.o, self, args, nullptr);
}

Value Interp::call_function(Obj* f, const Value& self, Args& args, Obj* new_target) {
  step();
  char probe;
  if (depth_ >= limits_.max_call_depth || (stack_low_ && &probe - stack_low_ < static_cast<std::ptrdiff_t>(kStackMargin)))
    throw Stop{"stopped at call depth " + with_commas(depth_) +
                   ": the program recurses too deeply (Node would throw RangeError: Maximum call stack size exceeded)",
               Stop::Why::Limit};
  struct DepthGuard {
    std::size_t& d;
    explicit DepthGuard(std::size_t& x) : d(x) { ++d; }
    ~DepthGuard() { --d; }
  } guard(depth_);
  if (f->native) return f->native(*this, self, args);
  if (f->is_class_ctor && !new_target) throw_error("TypeError", "Class constructor " + f->name + " cannot be invoked without 'new'");
  if (f->is_class_ctor && ts_node_is_null(f->node)) return construct_class(f, args, new_target);
  TSNode node = f->node;
  Env* fenv = new_env(f->closure);
  fenv->function_scope = true;
  fenv->async_body = f->async;
  if (!f->arrow) {
    fenv->has_this = true;
    fenv->this_value = self;
    fenv->home_function = f;
    fenv->new_target = new_target;
    fenv->this_bound = !(f->is_class_ctor && f->class_parent);
  }
  // a named function expression sees its own name
  if (syntax_.is(node, Kind::function_expression)) {
    TSNode name = syntax_.field(node, Field::name);
    if (!ts_node_is_null(name)) fenv->vars[identifier_name(name)] = Binding{Value::obj(f), false, true};
  }
  TSNode params = syntax_.field(node, Field::parameters);
  if (ts_node_is_null(params)) {
    TSNode single = syntax_.field(node, Field::parameter);
    if (!ts_node_is_null(single)) define(fenv, identifier_name(single), args.empty() ? Value::undef() : args[0], BindKind::Let);
  } else {
    std::size_t index = 0;
    const std::uint32_t count = ts_node_named_child_count(params);
    for (std::uint32_t i = 0; i < count; ++i) {
      TSNode p = ts_node_named_child(params, i);
      Kind k = syntax_.kind(p);
      if (k == Kind::comment) continue;
      if (k == Kind::required_parameter || k == Kind::optional_parameter) {
        TSNode pattern = syntax_.field(p, Field::pattern);
        TSNode dflt = syntax_.field(p, Field::value);
        if (syntax_.is(pattern, Kind::this_)) continue;
        Value v = index < args.size() ? args[index] : Value::undef();
        ++index;
        if (syntax_.is(pattern, Kind::rest_pattern)) {
          std::vector<Value> rest;
          for (std::size_t j = index - 1; j < args.size(); ++j) rest.push_back(args[j]);
          bind_pattern(syntax_.first_named_child(pattern), Value::obj(new_array(rest)), fenv, BindKind::Let);
          continue;
        }
        if (v.is_undef() && !ts_node_is_null(dflt)) v = eval(dflt, fenv);
        bind_pattern(pattern, v, fenv, BindKind::Let);
        continue;
      }
      if (k == Kind::rest_pattern) {
        std::vector<Value> rest;
        for (std::size_t j = index; j < args.size(); ++j) rest.push_back(args[j]);
        bind_pattern(syntax_.first_named_child(p), Value::obj(new_array(rest)), fenv, BindKind::Let);
        index = args.size();
        continue;
      }
      Value v = index < args.size() ? args[index] : Value::undef();
      ++index;
      bind_pattern(p, v, fenv, BindKind::Let);
    }
  }
  if (!f->arrow) fenv->call_args = args;
  if (f->generator) return start_generator(f, fenv);
  if (f->async) return run_async(f, fenv);
  TSNode body = syntax_.field(node, Field::body);
  if (syntax_.is(body, Kind::statement_block)) {
    hoist_vars(body, fenv);
    Completion c = exec_block_body(body, fenv);
    if (f->is_class_ctor) {
      // a constructor's result: an object it returns, else its `this`
      if (c.type == Completion::Type::Return && c.value.is_obj()) return c.value;
      return this_value(fenv);
    }
    if (c.type == Completion::Type::Return) return c.value;
    return Value::undef();
  }
  return eval(body, fenv);
}

Value Interp::construct(const Value& ctor, Args& args, TSNode where) {
  if (!callable(ctor)) throw_error("TypeError", std::string(syntax_.text(where)) + " is not a constructor");
  Obj* f = ctor.o;
  if (f->native) {
    Value self = Value::undef();
    self.t = Value::T::Undef;
    // natives used as constructors recognise construction by a `new.target` marker in `self`
    Value marker = Value::str("\x01new");
    return call_function(f, marker, args, f);
  }
  if (f->arrow || f->async || f->generator || f->is_method) throw_error("TypeError", f->name + " is not a constructor");
  if (f->is_class_ctor) return construct_class(f, args, f);
  Value proto = get(ctor, "prototype");
  Obj* self = new_obj(ObjKind::Plain, proto.is_obj() ? proto.o : object_proto_);
  Value r = call_function(f, Value::obj(self), args, f);
  return r.is_obj() ? r : Value::obj(self);
}

// --- async functions -------------------------------------------------------------------------------

// Runs an activation (async function or generator) until it suspends or finishes, on its own stack.
void Interp::enter(Activation* act) {
  Activation* saved_act = current_activation_;
  const std::size_t saved_depth = depth_;
  const char* saved_low = stack_low_;
  Coroutine* saved_co = current_co_;
  current_activation_ = act;
  depth_ = act->depth;
  stack_low_ = act->co->stack_low();
  current_co_ = act->co.get();
  act->co->resume();
  act->depth = depth_;
  current_activation_ = saved_act;
  depth_ = saved_depth;
  stack_low_ = saved_low;
  current_co_ = saved_co;
  if (act->has_stop) {
    Stop s = act->stop;
    throw s;
  }
  if (act->co->done()) {
    --live_coroutines_;
    live_activations_.erase(act);
    delete act;  // its stack is no longer in use
  }
}

// Suspended activations that never finished (a promise never settled, a generator never exhausted) still
// hold C++ frames on their stacks: resume each with an order to unwind, so their memory is released.
void Interp::abandon_suspended_activations() {
  while (!live_activations_.empty()) {
    Activation* act = *live_activations_.begin();
    act->abandon = true;
    try {
      enter(act);
    } catch (...) {
    }
    if (live_activations_.count(act)) {  // it could not unwind: drop it without running it
      live_activations_.erase(act);
      delete act;
    }
  }
}

Activation* Interp::new_activation(Obj* f, std::function<void(Activation*)> body) {
  if (live_coroutines_ >= 20000)
    throw Stop{"stopped: more than 20,000 async functions or generators are suspended at once", Stop::Why::Limit};
  auto* act = new Activation();
  act->name = f->name.empty() ? "anonymous" : f->name;
  act->co = std::make_unique<Coroutine>(32u << 20, [this, act, body] {
    try {
      body(act);
    } catch (Abandon&) {
    } catch (Stop& s) {
      act->has_stop = true;
      act->stop = s;
    } catch (JSThrow&) {
      act->has_stop = true;
      act->stop = Stop{"internal error: an exception escaped an activation", Stop::Why::Unsupported};
    } catch (ShortCircuit&) {
      act->has_stop = true;
      act->stop = Stop{"internal error: optional chain escaped", Stop::Why::Unsupported};
    } catch (GeneratorReturn&) {
      act->has_stop = true;
      act->stop = Stop{"internal error: a generator return escaped", Stop::Why::Unsupported};
    } catch (std::exception& e) {
      act->has_stop = true;
      act->stop = Stop{std::string("internal error: ") + e.what(), Stop::Why::Unsupported};
    }
  });
  if (!act->co->ok()) {
    delete act;
    throw Stop{"stopped: could not allocate a stack for an async function", Stop::Why::Limit};
  }
  ++live_coroutines_;
  live_activations_.insert(act);
  return act;
}

// Back on an activation's stack after suspend(): an abandoned activation unwinds instead of resuming.
void Interp::after_resume(Activation* act) {
  if (act->abandon) throw Abandon{};
}

Value Interp::run_async(Obj* f, Env* fenv) {
  Obj* promise = new_promise();
  TSNode body = syntax_.field(f->node, Field::body);
  Activation* act = new_activation(f, [this, body, fenv, promise](Activation*) {
    try {
      Value v;
      if (syntax_.is(body, Kind::statement_block)) {
        hoist_vars(body, fenv);
        Completion c = exec_block_body(body, fenv);
        if (c.type == Completion::Type::Return) v = c.value;
      } else {
        v = eval(body, fenv);
      }
      resolve_promise(promise, v);
    } catch (JSThrow& t) {
      reject_promise(promise, t.value);
    }
  });
  enter(act);
  return Value::obj(promise);
}

Value Interp::eval_await(TSNode node, Env* env) {
  Value v = eval(syntax_.first_named_child(node), env);
  if (!current_activation_ || !env->async_body) unsupported(node, "`await` outside an async function is not modelled");
  return await_value(v, line_of(node));
}

// Await(v) as the specification defines it: PromiseResolve(v), then a reaction that resumes this activation.
Value Interp::await_value(const Value& v, std::uint32_t line) {
  Activation* act = current_activation_;
  Obj* p = promise_resolve(v);
  const std::string label = "resume " + act->name + " after await (line " + std::to_string(line) + ")";
  Obj* on_ok = new_native(label, 1, [act](Interp& in, const Value&, Args& a) {
    act->resume_value = a.empty() ? Value::undef() : a[0];
    act->resume_throw = false;
    in.enter(act);
    return Value::undef();
  });
  Obj* on_err = new_native(label, 1, [act](Interp& in, const Value&, Args& a) {
    act->resume_value = a.empty() ? Value::undef() : a[0];
    act->resume_throw = true;
    in.enter(act);
    return Value::undef();
  });
  perform_then(p, Value::obj(on_ok), Value::obj(on_err), nullptr, label, line);
  act->co->suspend();
  after_resume(act);
  current_line = line;
  if (act->resume_throw) throw JSThrow{act->resume_value};
  return act->resume_value;
}

// --- promises --------------------------------------------------------------------------------------

Obj* Interp::new_promise() { return new_obj(ObjKind::Promise, promise_proto_); }

std::pair<Value, Value> Interp::resolving_functions(Obj* promise) {
  auto already = std::make_shared<bool>(false);
  Obj* res = new_native("", 1, [promise, already](Interp& in, const Value&, Args& a) {
    if (*already) return Value::undef();
    *already = true;
    in.resolve_promise(promise, a.empty() ? Value::undef() : a[0]);
    return Value::undef();
  });
  Obj* rej = new_native("", 1, [promise, already](Interp& in, const Value&, Args& a) {
    if (*already) return Value::undef();
    *already = true;
    in.reject_promise(promise, a.empty() ? Value::undef() : a[0]);
    return Value::undef();
  });
  return {Value::obj(res), Value::obj(rej)};
}

void Interp::resolve_promise(Obj* p, const Value& resolution) {
  if (resolution.is_obj() && resolution.o == p) {
    reject_promise(p, Value::obj(new_error("TypeError", "Chaining cycle detected for promise #<Promise>")));
    return;
  }
  if (!resolution.is_obj()) {
    fulfill_promise(p, resolution);
    return;
  }
  Value then;
  try {
    then = get(resolution, "then");
  } catch (JSThrow& t) {
    reject_promise(p, t.value);
    return;
  }
  if (!callable(then)) {
    fulfill_promise(p, resolution);
    return;
  }
  Job job;
  job.line = fn_line(then);
  job.label = is_promise(resolution) ? "resolve with a promise: call its then" : fn_label(then, "resolve with a thenable: call its then");
  job.run = [this, p, resolution, then] {
    auto fns = resolving_functions(p);
    try {
      Args a{fns.first, fns.second};
      call(then, resolution, a);
    } catch (JSThrow& t) {
      Args a{t.value};
      call(fns.second, Value::undef(), a);
    }
  };
  enqueue_microtask(std::move(job));
}

static void trigger_reactions(Interp& in, std::vector<Reaction> reactions, bool fulfilled, const Value& arg);

void Interp::fulfill_promise(Obj* p, const Value& v) {
  if (p->pstate != Obj::PState::Pending) return;
  p->pstate = Obj::PState::Fulfilled;
  p->presult = v;
  auto reactions = std::move(p->reactions);
  p->reactions.clear();
  trigger_reactions(*this, std::move(reactions), true, v);
}

void Interp::reject_promise(Obj* p, const Value& reason) {
  if (p->pstate != Obj::PState::Pending) return;
  p->pstate = Obj::PState::Rejected;
  p->presult = reason;
  auto reactions = std::move(p->reactions);
  p->reactions.clear();
  if (!p->handled) pending_rejections_.push_back(p);
  trigger_reactions(*this, std::move(reactions), false, reason);
}

static void enqueue_reaction(Interp& in, const Reaction& r, const Value& arg) {
  Job job;
  job.label = r.label;
  job.line = r.line;
  job.run = [&in, r, arg] {
    if (r.handler.is_undef()) {
      if (r.derived) {
        if (r.fulfill) in.resolve_promise(r.derived, arg);
        else in.reject_promise(r.derived, arg);
      }
      return;
    }
    Value result;
    try {
      Args a{arg};
      result = in.call(r.handler, Value::undef(), a);
    } catch (JSThrow& t) {
      if (r.derived) in.reject_promise(r.derived, t.value);
      return;
    }
    if (r.derived) in.resolve_promise(r.derived, result);
  };
  in.enqueue_microtask(std::move(job));
}

static void trigger_reactions(Interp& in, std::vector<Reaction> reactions, bool fulfilled, const Value& arg) {
  for (const Reaction& r : reactions)
    if (r.fulfill == fulfilled) enqueue_reaction(in, r, arg);
}

void Interp::perform_then(Obj* p, const Value& on_fulfilled, const Value& on_rejected, Obj* derived, const std::string& what,
                          std::uint32_t line) {
  Reaction f, r;
  f.derived = r.derived = derived;
  f.fulfill = true;
  r.fulfill = false;
  if (callable(on_fulfilled)) f.handler = on_fulfilled;
  if (callable(on_rejected)) r.handler = on_rejected;
  f.label = !what.empty() ? what : f.handler.is_undef() ? "promise pass-through (fulfilled)" : fn_label(f.handler, "then callback");
  r.label = !what.empty() ? what : r.handler.is_undef() ? "promise pass-through (rejected)" : fn_label(r.handler, "catch callback");
  f.line = line ? line : fn_line(f.handler);
  r.line = line ? line : fn_line(r.handler);
  if (p->pstate == Obj::PState::Pending) {
    p->reactions.push_back(f);
    p->reactions.push_back(r);
  } else if (p->pstate == Obj::PState::Fulfilled) {
    enqueue_reaction(*this, f, p->presult);
  } else {
    enqueue_reaction(*this, r, p->presult);
  }
  p->handled = true;
}

Obj* Interp::promise_resolve(const Value& v) {
  if (is_promise(v)) return v.o;
  Obj* p = new_promise();
  resolve_promise(p, v);
  return p;
}

Value Interp::invoke_then(const Value& target, const Value& on_fulfilled, const Value& on_rejected) {
  Value then = get(target, "then");
  Args a{on_fulfilled, on_rejected};
  return call(then, target, a);
}

void Interp::enqueue_microtask(Job job) { microtasks_.push_back(std::move(job)); }

std::uint32_t Interp::fn_line(const Value& fn) const {
  if (!fn.is_obj() || fn.o->kind != ObjKind::Function || fn.o->native) return 0;
  return ts_node_start_point(fn.o->node).row + 1;
}

std::string Interp::fn_label(const Value& fn, const std::string& role) {
  if (!fn.is_obj()) return role;
  if (fn.o->native) return fn.o->name.empty() ? role + " (built-in)" : fn.o->name;
  std::string s = role;
  if (!fn.o->name.empty()) s += " " + fn.o->name;
  return s + " (line " + std::to_string(fn_line(fn)) + ")";
}

}  // namespace asynclint::loop
