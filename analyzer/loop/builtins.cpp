// The host: built-in objects (Promise, Error, Array, Object, Math, JSON, console, process, timers), Node's
// util.inspect formatting for console.log, and the event loop with its queues on a virtual clock.
#include <cmath>
#include <cstring>
#include <set>

#include "loop/interp.h"
#include "syntax/parse.h"

extern "C" const TSLanguage* tree_sitter_javascript();

namespace asynclint::loop {

namespace {

bool is_new(const Value& self) { return self.is_str() && self.s == "\x01new"; }
Value arg(Args& a, std::size_t i) { return i < a.size() ? a[i] : Value::undef(); }

bool is_identifier_key(const std::string& k) {
  if (k.empty() || std::isdigit(static_cast<unsigned char>(k[0]))) return false;
  for (char c : k)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$')) return false;
  return true;
}

std::string quote(const std::string& s) {
  char q = '\'';
  if (s.find('\'') != std::string::npos) {
    if (s.find('"') == std::string::npos) q = '"';
    else if (s.find('`') == std::string::npos && s.find("${") == std::string::npos) q = '`';
  }
  std::string out(1, q);
  for (unsigned char c : s) {
    switch (c) {
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\v': out += "\\x0B"; break;
      case '\\': out += "\\\\"; break;
      default:
        if (c == static_cast<unsigned char>(q)) {
          out += '\\';
          out += static_cast<char>(c);
        } else if (c < 0x20 || c == 0x7f) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\x%02X", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += q;
  return out;
}

std::size_t display_width(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

}  // namespace

// --- console.log formatting (Node's util.inspect with its defaults) --------------------------------

struct Inspector {
  Interp& in;
  std::vector<Obj*> seen;
  static constexpr std::size_t kBreak = 80;

  std::vector<std::string> group(const std::vector<std::string>& output, std::size_t indent, Obj* arr) {
    std::size_t total = 0, max_len = 0;
    std::vector<std::size_t> lens;
    for (auto& o : output) {
      std::size_t len = display_width(o);
      lens.push_back(len);
      total += len + 2;
      max_len = std::max(max_len, len);
    }
    const double actual_max = static_cast<double>(max_len + 2);
    if (actual_max * 3 + static_cast<double>(indent) < kBreak &&
        (static_cast<double>(total) / actual_max > 5 || max_len <= 6)) {
      const double average_bias = std::sqrt(actual_max - static_cast<double>(total) / static_cast<double>(output.size()));
      const double biased_max = std::max(actual_max - 3 - average_bias, 1.0);
      const double columns_d = std::min({std::round(std::sqrt(2.5 * biased_max * static_cast<double>(output.size())) / biased_max),
                                         std::floor((static_cast<double>(kBreak) - static_cast<double>(indent)) / actual_max),
                                         12.0, 15.0});
      const std::size_t columns = static_cast<std::size_t>(columns_d);
      if (columns <= 1) return output;
      std::vector<std::size_t> max_line;
      for (std::size_t i = 0; i < columns; ++i) {
        std::size_t line_len = 0;
        for (std::size_t j = i; j < output.size(); j += columns) line_len = std::max(line_len, lens[j]);
        max_line.push_back(line_len + 2);
      }
      bool pad_start = true;
      for (auto& v : arr->elems)
        if (!v.is_num()) pad_start = false;
      std::vector<std::string> tmp;
      for (std::size_t i = 0; i < output.size(); i += columns) {
        const std::size_t max = std::min(i + columns, output.size());
        std::string str;
        std::size_t j = i;
        for (; j < max - 1; ++j) {
          std::string cell = output[j] + ", ";
          std::size_t pad = max_line[j - i];
          std::size_t w = display_width(cell);
          if (w < pad) cell = pad_start ? std::string(pad - w, ' ') + cell : cell + std::string(pad - w, ' ');
          str += cell;
        }
        if (pad_start) {
          std::size_t pad = max_line[j - i] - 2;
          std::size_t w = display_width(output[j]);
          str += (w < pad ? std::string(pad - w, ' ') : "") + output[j];
        } else {
          str += output[j];
        }
        tmp.push_back(str);
      }
      return tmp;
    }
    return output;
  }

  std::string reduce(std::vector<std::string> output, const std::string& open, const std::string& close, std::size_t indent,
                     Obj* arr) {
    const std::size_t entries = output.size();
    if (arr && entries > 6) output = group(output, indent, arr);
    if (entries == output.size()) {
      const std::size_t start = output.size() + indent + open.size() + 10;
      std::size_t total = output.size() + start;
      bool below = total + output.size() <= kBreak;
      if (below)
        for (auto& o : output) {
          total += display_width(o);
          if (total > kBreak) {
            below = false;
            break;
          }
        }
      if (below) {
        std::string joined;
        for (std::size_t i = 0; i < output.size(); ++i) joined += (i ? ", " : "") + output[i];
        if (joined.find('\n') == std::string::npos) return open + " " + joined + " " + close;
      }
    }
    std::string ind = "\n" + std::string(indent, ' ');
    std::string s = open + ind + "  ";
    for (std::size_t i = 0; i < output.size(); ++i) s += (i ? "," + ind + "  " : "") + output[i];
    return s + ind + close;
  }

  std::string format(const Value& v, int recurse, std::size_t indent, bool top) {
    switch (v.t) {
      case Value::T::Undef: return "undefined";
      case Value::T::Null: return "null";
      case Value::T::Bool: return v.b ? "true" : "false";
      case Value::T::Num: return (v.n == 0 && std::signbit(v.n)) ? "-0" : number_to_string(v.n);
      case Value::T::Str:
        if (top) return v.s;
        if (v.s.find('\n') != std::string::npos && v.s.size() > 16) in.unsupported(in.current_line, "console.log of a long multi-line string inside an object is not modelled");
        return quote(v.s);
      case Value::T::Obj: break;
    }
    Obj* o = v.o;
    in.refuse_opaque(v);
    std::string function_label;
    if (std::find(seen.begin(), seen.end(), o) != seen.end()) in.unsupported(in.current_line, "console.log of a circular structure is not modelled");
    switch (o->kind) {
      case ObjKind::Error: in.unsupported(in.current_line, "console.log of an Error object (its stack trace) is not modelled");
      case ObjKind::Timer: in.unsupported(in.current_line, "console.log of a Timeout/Immediate object is not modelled");
      case ObjKind::Function: {
        std::string label;
        if (o->is_class_ctor) {
          label = "[class " + (o->name.empty() ? std::string("(anonymous)") : o->name) +
                  (o->class_parent ? " extends " + (o->class_parent->name.empty() ? std::string("(anonymous)") : o->class_parent->name) : "") + "]";
        } else if (o->generator) {
          label = "[" + std::string(o->async ? "AsyncGeneratorFunction" : "GeneratorFunction") + ": " + o->name + "]";
        } else {
          std::string kind = o->async ? "AsyncFunction" : "Function";
          if (o->host && o->native && !o->name.empty() && std::isupper(static_cast<unsigned char>(o->name[0])) && o->name.find(' ') == std::string::npos)
            in.unsupported(in.current_line, "console.log of a built-in constructor is not modelled");
          label = o->name.empty() || o->name.find(' ') != std::string::npos ? "[" + kind + " (anonymous)]" : "[" + kind + ": " + o->name + "]";
        }
        bool has_props = false;
        for (auto& p : o->props) has_props = has_props || p.enumerable;
        if (!has_props) return label;
        if (recurse > 2) return o->is_class_ctor ? "[class]" : "[Function]";
        function_label = label;  // then its properties, as for an object
        break;
      }
      default: break;
    }
    if (recurse > 2) return o->kind == ObjKind::Array ? "[Array]" : "[Object]";
    seen.push_back(o);
    std::vector<std::string> output;
    std::string open, close;
    Obj* arr = nullptr;
    if (o->arguments_object) in.unsupported(in.current_line, "console.log of `arguments` is not modelled");
    if (o->emitter) in.unsupported(in.current_line, "console.log of an EventEmitter (or process) is not modelled");
    if (o->kind == ObjKind::Generator) {
      if (!o->props.empty()) in.unsupported(in.current_line, "console.log of a generator with properties is not modelled");
      return o->gen->async ? "Object [AsyncGenerator] {}" : "Object [Generator] {}";
    }
    if (o->kind == ObjKind::Array) {
      if (o->elems.size() > 100) in.unsupported(in.current_line, "console.log of an array longer than 100 elements is not modelled");
      for (auto& e : o->elems) output.push_back(format(e, recurse + 1, indent + 2, false));
      if (!o->props.empty()) in.unsupported(in.current_line, "console.log of an array with extra properties is not modelled");
      open = "[";
      close = "]";
      arr = o;
    } else if (o->kind == ObjKind::Promise) {
      open = "Promise {";
      close = "}";
      if (o->pstate == Obj::PState::Pending) output.push_back("<pending>");
      else if (o->pstate == Obj::PState::Fulfilled) output.push_back(format(o->presult, recurse + 1, indent + 2, false));
      else output.push_back("<rejected> " + format(o->presult, recurse + 1, indent + 2, false));
    } else if (!function_label.empty()) {
      open = function_label + " {";
      close = "}";
    } else {
      std::string prefix;
      if (o->proto == nullptr) in.unsupported(in.current_line, "console.log of a null-prototype object is not modelled");
      if (o->proto != in.object_proto()) {
        Value ctor;
        for (auto& p : o->proto->props)
          if (p.key == "constructor") ctor = p.value;
        if (!ctor.is_obj() || ctor.o->name.empty()) in.unsupported(in.current_line, "console.log of this object is not modelled");
        prefix = ctor.o->name + " ";
      }
      open = prefix + "{";
      close = "}";
    }
    if (o->kind != ObjKind::Array) {
      for (auto& key : in.own_keys(o, true)) {
        Value pv;
        const Prop* accessor = nullptr;
        for (auto& p : o->props)
          if (p.key == key) {
            pv = p.value;
            if (p.accessor) accessor = &p;
          }
        std::string k = is_identifier_key(key) ? key : quote(key);
        if (accessor) {
          const bool g = !accessor->getter.is_undef(), s = !accessor->setter.is_undef();
          output.push_back(k + ": " + (g && s ? "[Getter/Setter]" : g ? "[Getter]" : s ? "[Setter]" : "undefined"));
          continue;
        }
        output.push_back(k + ": " + format(pv, recurse + 1, indent + 2, false));
      }
    }
    seen.pop_back();
    if (output.empty()) return open + close;
    return reduce(output, open, close, indent, arr);
  }
};

std::string Interp::inspect(const Value& v) {
  Inspector insp{*this, {}};
  return insp.format(v, 0, 0, false);
}

// --- globals ---------------------------------------------------------------------------------------

Value Interp::host_object(const std::string& name) {
  static const std::set<std::string> known = {
      "module", "exports", "Map", "Set", "WeakMap", "WeakSet", "WeakRef",
      "Symbol", "Date", "Reflect", "Proxy", "fetch", "Buffer", "Intl", "RegExp", "BigInt", "structuredClone",
      "URL", "AbortController", "AbortSignal", "TextEncoder", "TextDecoder", "performance", "EventEmitter",
      "arguments", "eval", "Function", "Uint8Array", "Int32Array", "Float64Array", "ArrayBuffer", "SharedArrayBuffer",
      "Atomics", "FinalizationRegistry", "globalThis", "global", "encodeURIComponent", "decodeURIComponent", "escape",
      "unescape", "Iterator", "MessageChannel", "BroadcastChannel", "Worker", "crypto", "navigator", "Event", "EventTarget"};
  if (known.count(name)) unsupported(current_line, "`" + name + "` is not modelled");
  throw_error("ReferenceError", name + " is not defined");
}

namespace {

struct Registrar {
  Interp& in;
  Obj* target;
  void fn(const std::string& name, int params, NativeFn f) {
    Obj* o = in.new_native(name, params, std::move(f));
    target->props.push_back({name, Value::obj(o), false});
  }
  void val(const std::string& name, const Value& v) { target->props.push_back({name, v, false}); }
};

}  // namespace

struct Builtins {
  static void install(Interp& in);
};

static void install_emitter_methods(Interp& in, Obj* target);
static Obj* make_events_module(Interp& in, Obj*& proto_out);

static Value array_callback_loop(Interp& in, const Value& self, Args& a, const std::string& what) {
  if (!self.is_obj() || self.o->kind != ObjKind::Array) in.unsupported(in.current_line, what + " on a non-array is not modelled");
  Value fn = arg(a, 0);
  if (!in.callable(fn)) in.throw_error("TypeError", in.inspect(fn) + " is not a function");
  return fn;
}

void Builtins::install(Interp& in) {
  Env* g = in.global_;
  auto global = [&](const std::string& name, Obj* o) { g->vars[name] = Binding{Value::obj(o), false, true}; };
  auto global_fn = [&](const std::string& name, int params, NativeFn f) {
    Obj* o = in.new_native(name, params, std::move(f));
    o->host = true;
    global(name, o);
    return o;
  };

  // Object.prototype
  Registrar op{in, in.object_proto_};
  op.fn("hasOwnProperty", 1, [](Interp& in, const Value& self, Args& a) {
    std::string k = in.to_string(arg(a, 0));
    if (!self.is_obj()) return Value::boolean(false);
    if (self.o->kind == ObjKind::Array) {
      std::size_t idx;
      if (array_index(k, idx)) return Value::boolean(idx < self.o->elems.size());
    }
    for (auto& p : self.o->props)
      if (p.key == k) return Value::boolean(true);
    return Value::boolean(false);
  });
  op.fn("toString", 0, [](Interp& in, const Value& self, Args&) {
    if (self.is_obj() && self.o->kind == ObjKind::Array) {
      Args none;
      return in.call(in.get(self, "join"), self, none);
    }
    if (self.is_obj() && self.o->kind == ObjKind::Function) in.unsupported(in.current_line, "function source text is not modelled");
    return Value::str("[object Object]");
  });
  op.fn("valueOf", 0, [](Interp&, const Value& self, Args&) { return self; });

  // Function.prototype
  Registrar fp{in, in.function_proto_};
  fp.fn("call", 1, [](Interp& in, const Value& self, Args& a) {
    Args rest(a.size() > 1 ? a.begin() + 1 : a.end(), a.end());
    return in.call(self, arg(a, 0), rest);
  });
  fp.fn("apply", 2, [](Interp& in, const Value& self, Args& a) {
    Args rest;
    Value list = arg(a, 1);
    if (list.is_obj() && list.o->kind == ObjKind::Array) rest = list.o->elems;
    else if (!list.is_nullish()) in.unsupported(in.current_line, "apply with a non-array is not modelled");
    return in.call(self, arg(a, 0), rest);
  });
  fp.fn("bind", 1, [](Interp& in, const Value& self, Args& a) {
    if (!in.callable(self)) in.throw_error("TypeError", "Bind must be called on a function");
    Value target = self, bound_this = arg(a, 0);
    Args bound(a.size() > 1 ? a.begin() + 1 : a.end(), a.end());
    Obj* f = in.new_native("bound " + self.o->name, 0, [target, bound_this, bound](Interp& in, const Value&, Args& more) {
      Args all = bound;
      all.insert(all.end(), more.begin(), more.end());
      return in.call(target, bound_this, all);
    });
    return Value::obj(f);
  });

  // Errors
  auto make_error_ctor = [&](const std::string& name, Obj* proto) {
    Obj* ctor = global_fn(name, 1, [name](Interp& in, const Value&, Args& a) {
      Value msg = name == "AggregateError" ? arg(a, 1) : arg(a, 0);
      Obj* e = in.new_error(name, msg.is_undef() ? "" : in.to_string(msg));
      if (msg.is_undef())
        for (auto it = e->props.begin(); it != e->props.end(); ++it)
          if (it->key == "message") {
            e->props.erase(it);
            break;
          }
      Value opts = name == "AggregateError" ? arg(a, 2) : arg(a, 1);
      if (opts.is_obj())
        for (auto& p : opts.o->props)
          if (p.key == "cause") {
            e->props.push_back({"cause", in.get(opts, "cause"), false});
            break;
          }
      if (name == "AggregateError") {
        Value errs = arg(a, 0);
        if (!errs.is_obj() || errs.o->kind != ObjKind::Array) in.unsupported(in.current_line, "AggregateError of a non-array is not modelled");
        e->props.push_back({"errors", Value::obj(in.new_array(errs.o->elems)), false});
      }
      return Value::obj(e);
    });
    ctor->props.push_back({"prototype", Value::obj(proto), false});
    proto->props.push_back({"constructor", Value::obj(ctor), false});
    proto->props.push_back({"name", Value::str(name), false});
    proto->props.push_back({"message", Value::str(""), false});
    in.error_protos_[name] = proto;
  };
  make_error_ctor("Error", in.error_proto_);
  Registrar ep{in, in.error_proto_};
  ep.fn("toString", 0, [](Interp& in, const Value& self, Args&) {
    std::string name = in.to_string(in.get(self, "name")), msg = in.to_string(in.get(self, "message"));
    if (msg.empty()) return Value::str(name);
    if (name.empty()) return Value::str(msg);
    return Value::str(name + ": " + msg);
  });
  for (const char* name : {"TypeError", "RangeError", "ReferenceError", "SyntaxError", "EvalError", "URIError", "AggregateError"})
    make_error_ctor(name, in.new_obj(ObjKind::Plain, in.error_proto_));

  // Promise
  Obj* pctor = global_fn("Promise", 1, [](Interp& in, const Value& self, Args& a) {
    if (!is_new(self)) in.throw_error("TypeError", "Promise constructor cannot be invoked without 'new'");
    Value executor = arg(a, 0);
    if (!in.callable(executor)) in.throw_error("TypeError", "Promise resolver " + in.inspect(executor) + " is not a function");
    Obj* p = in.new_promise();
    auto fns = in.resolving_functions(p);
    try {
      Args ea{fns.first, fns.second};
      in.call(executor, Value::undef(), ea);
    } catch (JSThrow& t) {
      Args ra{t.value};
      in.call(fns.second, Value::undef(), ra);
    }
    return Value::obj(p);
  });
  in.promise_ctor_ = pctor;
  pctor->props.push_back({"prototype", Value::obj(in.promise_proto_), false});
  in.promise_proto_->props.push_back({"constructor", Value::obj(pctor), false});
  Registrar pp{in, in.promise_proto_};
  pp.fn("then", 2, [](Interp& in, const Value& self, Args& a) {
    if (!in.is_promise(self)) in.throw_error("TypeError", "Method Promise.prototype.then called on incompatible receiver");
    Obj* derived = in.new_promise();
    in.perform_then(self.o, arg(a, 0), arg(a, 1), derived);
    return Value::obj(derived);
  });
  pp.fn("catch", 1, [](Interp& in, const Value& self, Args& a) { return in.invoke_then(self, Value::undef(), arg(a, 0)); });
  pp.fn("finally", 1, [](Interp& in, const Value& self, Args& a) {
    Value on_finally = arg(a, 0);
    if (!in.callable(on_finally)) return in.invoke_then(self, on_finally, on_finally);
    const std::string label = in.fn_label(on_finally, "finally callback");
    Obj* then_finally = in.new_native(label, 1, [on_finally](Interp& in, const Value&, Args& x) {
      Value value = arg(x, 0);
      Args none;
      Value result = in.call(on_finally, Value::undef(), none);
      Obj* p = in.promise_resolve(result);
      Obj* thunk = in.new_native("finally: pass the value on", 0, [value](Interp&, const Value&, Args&) { return value; });
      return in.invoke_then(Value::obj(p), Value::obj(thunk), Value::undef());
    });
    Obj* catch_finally = in.new_native(label, 1, [on_finally](Interp& in, const Value&, Args& x) {
      Value reason = arg(x, 0);
      Args none;
      Value result = in.call(on_finally, Value::undef(), none);
      Obj* p = in.promise_resolve(result);
      Obj* thrower = in.new_native("finally: rethrow the reason", 0, [reason](Interp&, const Value&, Args&) -> Value { throw JSThrow{reason}; });
      return in.invoke_then(Value::obj(p), Value::obj(thrower), Value::undef());
    });
    return in.invoke_then(self, Value::obj(then_finally), Value::obj(catch_finally));
  });
  Registrar ps{in, pctor};
  // `this` of a static method is the constructor whose promises it makes: Promise itself, or a subclass
  // (`class Sub extends Promise`, whose instances have their own then) the model does not follow.
  auto check_ctor = [](Interp& in, const Value& self, const std::string& method, const std::string& abstract_op) {
    if (!self.is_obj()) in.throw_error("TypeError", abstract_op + " called on non-object");
    if (self.o != in.promise_ctor_)
      in.unsupported(in.current_line, "Promise." + method + " called on " +
                                          (self.o->is_class_ctor ? "a subclass of Promise (" + self.o->name + ")" : "another constructor") +
                                          " is not modelled");
  };
  ps.fn("resolve", 1, [check_ctor](Interp& in, const Value& self, Args& a) {
    check_ctor(in, self, "resolve", "PromiseResolve");
    return Value::obj(in.promise_resolve(arg(a, 0)));
  });
  ps.fn("reject", 1, [check_ctor](Interp& in, const Value& self, Args& a) {
    check_ctor(in, self, "reject", "PromiseReject");
    Obj* p = in.new_promise();
    in.reject_promise(p, arg(a, 0));
    return Value::obj(p);
  });
  enum class Combinator { All, AllSettled, Race, Any };
  auto combinator = [&](const std::string& name, Combinator kind) {
    ps.fn(name, 1, [name, kind, check_ctor](Interp& in, const Value& self, Args& a) {
      check_ctor(in, self, name, "Promise." + name);
      Value iterable = arg(a, 0);
      Obj* result = in.new_promise();
      auto fns = in.resolving_functions(result);
      if (!iterable.is_obj() || iterable.o->kind != ObjKind::Array) {
        if (iterable.is_str() || iterable.is_obj()) in.unsupported(in.current_line, "Promise." + name + " of a non-array iterable is not modelled");
        Args ra{Value::obj(in.new_error("TypeError", in.inspect(iterable) + " is not iterable (cannot read property Symbol(Symbol.iterator))"))};
        in.call(fns.second, Value::undef(), ra);
        return Value::obj(result);
      }
      std::vector<Value> items = iterable.o->elems;
      Obj* values = in.new_array();
      auto remaining = std::make_shared<std::size_t>(1);
      Value resolve_fn = in.get(Value::obj(in.promise_ctor_), "resolve");
      const std::string pname = "Promise." + name;
      auto finish = [kind, values, fns](Interp& in) {
        if (kind == Combinator::Any) {
          Obj* err = in.new_error("AggregateError", "All promises were rejected");
          err->props.push_back({"errors", Value::obj(in.new_array(values->elems)), false});
          Args ra{Value::obj(err)};
          in.call(fns.second, Value::undef(), ra);
        } else {
          Args ra{Value::obj(values)};
          in.call(fns.first, Value::undef(), ra);
        }
      };
      try {
        for (std::size_t i = 0; i < items.size(); ++i) {
          if (kind != Combinator::Race) values->elems.push_back(Value::undef());
          Args ra{items[i]};
          Value next = in.call(resolve_fn, Value::obj(in.promise_ctor_), ra);
          if (kind == Combinator::Race) {
            in.invoke_then(next, fns.first, fns.second);
            continue;
          }
          ++*remaining;
          auto called = std::make_shared<bool>(false);
          auto element = [&in, called, remaining, values, i, finish](const std::string& label, std::function<Value(Interp&, const Value&)> make) {
            return Value::obj(in.new_native(label, 1, [called, remaining, values, i, finish, make](Interp& in, const Value&, Args& x) {
              if (*called) return Value::undef();
              *called = true;
              values->elems[i] = make(in, arg(x, 0));
              if (--*remaining == 0) finish(in);
              return Value::undef();
            }));
          };
          auto status = [](const char* st, const char* field) {
            return [st, field](Interp& in, const Value& v) {
              Obj* o = in.new_plain();
              o->props.push_back({"status", Value::str(st), true});
              o->props.push_back({field, v, true});
              return Value::obj(o);
            };
          };
          auto identity = [](Interp&, const Value& v) { return v; };
          const std::string elabel = pname + ": element " + std::to_string(i) + " settled";
          if (kind == Combinator::All) in.invoke_then(next, element(elabel, identity), fns.second);
          else if (kind == Combinator::AllSettled) in.invoke_then(next, element(elabel, status("fulfilled", "value")), element(elabel, status("rejected", "reason")));
          else in.invoke_then(next, fns.first, element(elabel, identity));
        }
      } catch (JSThrow& t) {
        Args ra{t.value};
        in.call(fns.second, Value::undef(), ra);
        return Value::obj(result);
      }
      if (kind != Combinator::Race && --*remaining == 0) finish(in);
      return Value::obj(result);
    });
  };
  combinator("all", Combinator::All);
  combinator("allSettled", Combinator::AllSettled);
  combinator("race", Combinator::Race);
  combinator("any", Combinator::Any);

  // Array
  Obj* actor = global_fn("Array", 1, [](Interp& in, const Value&, Args& a) {
    if (a.size() == 1 && a[0].is_num()) {
      if (a[0].n == 0) return Value::obj(in.new_array());
      in.unsupported(in.current_line, "arrays with holes (new Array(n)) are not modelled");
    }
    return Value::obj(in.new_array(a));
  });
  actor->props.push_back({"prototype", Value::obj(in.array_proto_), false});
  in.array_proto_->props.push_back({"constructor", Value::obj(actor), false});
  Registrar as{in, actor};
  as.fn("isArray", 1, [](Interp&, const Value&, Args& a) { Value v = arg(a, 0); return Value::boolean(v.is_obj() && v.o->kind == ObjKind::Array); });
  as.fn("of", 0, [](Interp& in, const Value&, Args& a) { return Value::obj(in.new_array(a)); });
  as.fn("from", 1, [](Interp& in, const Value&, Args& a) {
    Value src = arg(a, 0), fn = arg(a, 1);
    std::vector<Value> items;
    if (src.is_obj() && src.o->kind == ObjKind::Array) items = src.o->elems;
    else if (src.is_str() && !in.non_ascii_public(src.s)) for (char c : src.s) items.push_back(Value::str(std::string(1, c)));
    else if (src.is_obj() && src.o->kind == ObjKind::Plain) {
      double n = in.to_number(in.get(src, "length"));
      if (std::isnan(n) || n < 0) n = 0;
      if (n > 1e6) in.unsupported(in.current_line, "very large arrays are not modelled");
      for (std::size_t i = 0; i < static_cast<std::size_t>(n); ++i) items.push_back(in.get(src, std::to_string(i)));
    } else in.unsupported(in.current_line, "Array.from of this value is not modelled");
    if (in.callable(fn))
      for (std::size_t i = 0; i < items.size(); ++i) {
        Args ca{items[i], Value::num(static_cast<double>(i))};
        items[i] = in.call(fn, Value::undef(), ca);
      }
    return Value::obj(in.new_array(items));
  });
  Registrar ap{in, in.array_proto_};
  auto self_arr = [](Interp& in, const Value& self) -> Obj* {
    if (!self.is_obj() || self.o->kind != ObjKind::Array) in.unsupported(in.current_line, "array methods on non-arrays are not modelled");
    return self.o;
  };
  ap.fn("push", 1, [self_arr](Interp& in, const Value& self, Args& a) {
    Obj* o = self_arr(in, self);
    for (auto& v : a) o->elems.push_back(v);
    return Value::num(static_cast<double>(o->elems.size()));
  });
  ap.fn("pop", 0, [self_arr](Interp& in, const Value& self, Args&) {
    Obj* o = self_arr(in, self);
    if (o->elems.empty()) return Value::undef();
    Value v = o->elems.back();
    o->elems.pop_back();
    return v;
  });
  ap.fn("shift", 0, [self_arr](Interp& in, const Value& self, Args&) {
    Obj* o = self_arr(in, self);
    if (o->elems.empty()) return Value::undef();
    Value v = o->elems.front();
    o->elems.erase(o->elems.begin());
    return v;
  });
  ap.fn("unshift", 1, [self_arr](Interp& in, const Value& self, Args& a) {
    Obj* o = self_arr(in, self);
    o->elems.insert(o->elems.begin(), a.begin(), a.end());
    return Value::num(static_cast<double>(o->elems.size()));
  });
  auto norm_index = [](Interp& in, const Value& v, std::size_t len, std::size_t dflt) -> std::size_t {
    if (v.is_undef()) return dflt;
    double d = std::trunc(in.to_number(v));
    if (std::isnan(d)) d = 0;
    if (d < 0) d = std::max(0.0, static_cast<double>(len) + d);
    return static_cast<std::size_t>(std::min(d, static_cast<double>(len)));
  };
  ap.fn("slice", 2, [self_arr, norm_index](Interp& in, const Value& self, Args& a) {
    Obj* o = self_arr(in, self);
    std::size_t b = norm_index(in, arg(a, 0), o->elems.size(), 0), e = norm_index(in, arg(a, 1), o->elems.size(), o->elems.size());
    std::vector<Value> out;
    for (std::size_t i = b; i < e; ++i) out.push_back(o->elems[i]);
    return Value::obj(in.new_array(out));
  });
  ap.fn("splice", 2, [self_arr, norm_index](Interp& in, const Value& self, Args& a) {
    Obj* o = self_arr(in, self);
    std::size_t b = norm_index(in, arg(a, 0), o->elems.size(), 0);
    std::size_t count = a.size() < 2 ? o->elems.size() - b : static_cast<std::size_t>(std::max(0.0, std::min(in.to_number(a[1]), static_cast<double>(o->elems.size() - b))));
    std::vector<Value> removed(o->elems.begin() + static_cast<long>(b), o->elems.begin() + static_cast<long>(b + count));
    o->elems.erase(o->elems.begin() + static_cast<long>(b), o->elems.begin() + static_cast<long>(b + count));
    if (a.size() > 2) o->elems.insert(o->elems.begin() + static_cast<long>(b), a.begin() + 2, a.end());
    return Value::obj(in.new_array(removed));
  });
  ap.fn("concat", 1, [self_arr](Interp& in, const Value& self, Args& a) {
    std::vector<Value> out = self_arr(in, self)->elems;
    for (auto& v : a) {
      if (v.is_obj() && v.o->kind == ObjKind::Array) out.insert(out.end(), v.o->elems.begin(), v.o->elems.end());
      else out.push_back(v);
    }
    return Value::obj(in.new_array(out));
  });
  ap.fn("join", 1, [self_arr](Interp& in, const Value& self, Args& a) {
    Obj* o = self_arr(in, self);
    std::string sep = arg(a, 0).is_undef() ? "," : in.to_string(a[0]), out;
    for (std::size_t i = 0; i < o->elems.size(); ++i) {
      if (i) out += sep;
      if (!o->elems[i].is_nullish()) out += in.to_string(o->elems[i]);
    }
    return Value::str(out);
  });
  ap.fn("reverse", 0, [self_arr](Interp& in, const Value& self, Args&) {
    Obj* o = self_arr(in, self);
    std::reverse(o->elems.begin(), o->elems.end());
    return self;
  });
  ap.fn("indexOf", 1, [self_arr](Interp& in, const Value& self, Args& a) {
    Obj* o = self_arr(in, self);
    for (std::size_t i = 0; i < o->elems.size(); ++i)
      if (in.strict_equals(o->elems[i], arg(a, 0))) return Value::num(static_cast<double>(i));
    return Value::num(-1);
  });
  ap.fn("includes", 1, [self_arr](Interp& in, const Value& self, Args& a) {
    Obj* o = self_arr(in, self);
    for (auto& e : o->elems) {
      if (in.strict_equals(e, arg(a, 0))) return Value::boolean(true);
      if (e.is_num() && std::isnan(e.n) && arg(a, 0).is_num() && std::isnan(a[0].n)) return Value::boolean(true);
    }
    return Value::boolean(false);
  });
  ap.fn("fill", 1, [self_arr](Interp& in, const Value& self, Args& a) {
    Obj* o = self_arr(in, self);
    if (a.size() > 1) in.unsupported(in.current_line, "fill with a range is not modelled");
    for (auto& e : o->elems) e = arg(a, 0);
    return self;
  });
  auto iterate = [](Interp& in, const Value& self, Args& a, const std::string& what,
                    const std::function<bool(std::size_t, const Value&, const Value&)>& each) {
    Value fn = array_callback_loop(in, self, a, what);
    Obj* o = self.o;
    for (std::size_t i = 0; i < o->elems.size(); ++i) {
      Value item = o->elems[i];
      Args ca{item, Value::num(static_cast<double>(i)), self};
      Value r = in.call(fn, arg(a, 1), ca);
      if (!each(i, item, r)) break;
    }
  };
  ap.fn("forEach", 1, [iterate](Interp& in, const Value& self, Args& a) {
    iterate(in, self, a, "forEach", [](std::size_t, const Value&, const Value&) { return true; });
    return Value::undef();
  });
  ap.fn("map", 1, [iterate](Interp& in, const Value& self, Args& a) {
    std::vector<Value> out;
    iterate(in, self, a, "map", [&](std::size_t, const Value&, const Value& r) { out.push_back(r); return true; });
    return Value::obj(in.new_array(out));
  });
  ap.fn("filter", 1, [iterate](Interp& in, const Value& self, Args& a) {
    std::vector<Value> out;
    iterate(in, self, a, "filter", [&](std::size_t, const Value& item, const Value& r) { if (in.truthy(r)) out.push_back(item); return true; });
    return Value::obj(in.new_array(out));
  });
  ap.fn("some", 1, [iterate](Interp& in, const Value& self, Args& a) {
    bool found = false;
    iterate(in, self, a, "some", [&](std::size_t, const Value&, const Value& r) { found = in.truthy(r); return !found; });
    return Value::boolean(found);
  });
  ap.fn("every", 1, [iterate](Interp& in, const Value& self, Args& a) {
    bool all = true;
    iterate(in, self, a, "every", [&](std::size_t, const Value&, const Value& r) { all = in.truthy(r); return all; });
    return Value::boolean(all);
  });
  ap.fn("find", 1, [iterate](Interp& in, const Value& self, Args& a) {
    Value found;
    iterate(in, self, a, "find", [&](std::size_t, const Value& item, const Value& r) { if (in.truthy(r)) { found = item; return false; } return true; });
    return found;
  });
  ap.fn("findIndex", 1, [iterate](Interp& in, const Value& self, Args& a) {
    double found = -1;
    iterate(in, self, a, "findIndex", [&](std::size_t i, const Value&, const Value& r) { if (in.truthy(r)) { found = static_cast<double>(i); return false; } return true; });
    return Value::num(found);
  });
  ap.fn("reduce", 1, [](Interp& in, const Value& self, Args& a) {
    Value fn = array_callback_loop(in, self, a, "reduce");
    Obj* o = self.o;
    std::size_t i = 0;
    Value acc;
    if (a.size() > 1) acc = a[1];
    else {
      if (o->elems.empty()) in.throw_error("TypeError", "Reduce of empty array with no initial value");
      acc = o->elems[0];
      i = 1;
    }
    for (; i < o->elems.size(); ++i) {
      Args ca{acc, o->elems[i], Value::num(static_cast<double>(i)), self};
      acc = in.call(fn, Value::undef(), ca);
    }
    return acc;
  });
  ap.fn("sort", 1, [self_arr](Interp& in, const Value& self, Args& a) {
    Obj* o = self_arr(in, self);
    Value fn = arg(a, 0);
    std::vector<Value> v = o->elems;
    std::stable_sort(v.begin(), v.end(), [&](const Value& x, const Value& y) {
      if (x.is_undef() || y.is_undef()) return !x.is_undef() && y.is_undef();
      if (in.callable(fn)) {
        Args ca{x, y};
        return in.to_number(in.call(fn, Value::undef(), ca)) < 0;
      }
      return in.to_string(x) < in.to_string(y);
    });
    o->elems = v;
    return self;
  });

  // Object
  Obj* octor = global_fn("Object", 1, [](Interp& in, const Value&, Args& a) {
    Value v = arg(a, 0);
    if (v.is_obj()) return v;
    if (v.is_nullish()) return Value::obj(in.new_plain());
    in.unsupported(in.current_line, "wrapper objects are not modelled");
  });
  octor->props.push_back({"prototype", Value::obj(in.object_proto_), false});
  in.object_proto_->props.push_back({"constructor", Value::obj(octor), false});
  Registrar os{in, octor};
  auto keys_of = [](Interp& in, const Value& v) {
    if (v.is_nullish()) in.throw_error("TypeError", "Cannot convert undefined or null to object");
    if (!v.is_obj()) in.unsupported(in.current_line, "Object.keys of a primitive is not modelled");
    return in.own_keys(v.o, true);
  };
  os.fn("keys", 1, [keys_of](Interp& in, const Value&, Args& a) {
    std::vector<Value> out;
    for (auto& k : keys_of(in, arg(a, 0))) out.push_back(Value::str(k));
    return Value::obj(in.new_array(out));
  });
  os.fn("values", 1, [keys_of](Interp& in, const Value&, Args& a) {
    std::vector<Value> out;
    for (auto& k : keys_of(in, arg(a, 0))) out.push_back(in.get(a[0], k));
    return Value::obj(in.new_array(out));
  });
  os.fn("entries", 1, [keys_of](Interp& in, const Value&, Args& a) {
    std::vector<Value> out;
    for (auto& k : keys_of(in, arg(a, 0))) out.push_back(Value::obj(in.new_array({Value::str(k), in.get(a[0], k)})));
    return Value::obj(in.new_array(out));
  });
  os.fn("assign", 2, [keys_of](Interp& in, const Value&, Args& a) {
    Value target = arg(a, 0);
    if (!target.is_obj()) in.unsupported(in.current_line, "Object.assign to a primitive is not modelled");
    for (std::size_t i = 1; i < a.size(); ++i)
      if (!a[i].is_nullish())
        for (auto& k : keys_of(in, a[i])) in.put(target, k, in.get(a[i], k));
    return target;
  });
  // Object.defineProperty for a new property: an accessor (get/set) or a data property; a read-only
  // one (writable: false, the default) is refused when written to. Redefining a property is refused.
  os.fn("defineProperty", 3, [](Interp& in, const Value&, Args& a) {
    Value target = arg(a, 0), desc = arg(a, 2);
    if (!target.is_obj()) in.throw_error("TypeError", "Object.defineProperty called on non-object");
    if (!desc.is_obj()) in.throw_error("TypeError", "Property description must be an object: " + in.inspect(desc));
    if (target.o->kind != ObjKind::Plain && target.o->kind != ObjKind::Function && target.o->kind != ObjKind::Error)
      in.unsupported(in.current_line, "Object.defineProperty on this kind of object is not modelled");
    if (target.o->host || target.o->emitter || target.o->arguments_object) in.unsupported(in.current_line, "Object.defineProperty on a built-in object is not modelled");
    const std::string key = in.to_string(arg(a, 1));
    for (auto& p : target.o->props)
      if (p.key == key) in.unsupported(in.current_line, "Object.defineProperty of an existing property is not modelled");
    auto has = [&](const char* field) {
      for (Obj* o = desc.o; o; o = o->proto)
        for (auto& p : o->props)
          if (p.key == field) return true;
      return false;
    };
    const bool enumerable = has("enumerable") && in.truthy(in.get(desc, "enumerable"));
    Value getter = has("get") ? in.get(desc, "get") : Value::undef();
    Value setter = has("set") ? in.get(desc, "set") : Value::undef();
    if (has("get") || has("set")) {
      if (has("value") || has("writable"))
        in.throw_error("TypeError", "Invalid property descriptor. Cannot both specify accessors and a value or writable attribute");
      if (!getter.is_undef() && !in.callable(getter)) in.throw_error("TypeError", "Getter must be a function: " + in.inspect(getter));
      if (!setter.is_undef() && !in.callable(setter)) in.throw_error("TypeError", "Setter must be a function: " + in.inspect(setter));
      Prop p;
      p.key = key;
      p.enumerable = enumerable;
      p.accessor = true;
      p.getter = getter;
      p.setter = setter;
      target.o->props.push_back(p);
      return target;
    }
    Prop p;
    p.key = key;
    p.value = has("value") ? in.get(desc, "value") : Value::undef();
    p.enumerable = enumerable;
    p.read_only = !(has("writable") && in.truthy(in.get(desc, "writable")));
    target.o->props.push_back(p);
    return target;
  });
  os.fn("freeze", 1, [](Interp& in, const Value&, Args& a) -> Value { in.unsupported(in.current_line, "Object.freeze is not modelled"); (void)a; });

  // Math, JSON, Number, String, Boolean, parse*
  Obj* math = in.new_plain();
  math->host = true;
  global("Math", math);
  Registrar ms{in, math};
  auto math1 = [&](const std::string& name, double (*f)(double)) {
    ms.fn(name, 1, [f](Interp& in, const Value&, Args& a) { return Value::num(f(in.to_number(arg(a, 0)))); });
  };
  math1("floor", [](double x) { return std::floor(x); });
  math1("ceil", [](double x) { return std::ceil(x); });
  math1("abs", [](double x) { return std::fabs(x); });
  math1("sqrt", [](double x) { return std::sqrt(x); });
  math1("trunc", [](double x) { return std::trunc(x); });
  math1("sign", [](double x) { return std::isnan(x) ? x : x > 0 ? 1.0 : x < 0 ? -1.0 : x; });
  math1("round", [](double x) { return std::isnan(x) || std::isinf(x) ? x : std::floor(x + 0.5) == 0 && x < 0 ? -0.0 : std::floor(x + 0.5); });
  ms.fn("pow", 2, [](Interp& in, const Value&, Args& a) { return Value::num(std::pow(in.to_number(arg(a, 0)), in.to_number(arg(a, 1)))); });
  ms.fn("max", 2, [](Interp& in, const Value&, Args& a) {
    double r = -INFINITY;
    for (auto& v : a) { double x = in.to_number(v); if (std::isnan(x)) return Value::num(NAN); if (x > r || (x == 0 && r == 0 && !std::signbit(x))) r = x; }
    return Value::num(r);
  });
  ms.fn("min", 2, [](Interp& in, const Value&, Args& a) {
    double r = INFINITY;
    for (auto& v : a) { double x = in.to_number(v); if (std::isnan(x)) return Value::num(NAN); if (x < r || (x == 0 && r == 0 && std::signbit(x))) r = x; }
    return Value::num(r);
  });
  ms.val("PI", Value::num(M_PI));

  Obj* json = in.new_plain();
  json->host = true;
  global("JSON", json);
  Registrar js{in, json};
  js.fn("stringify", 3, [](Interp& in, const Value&, Args& a) {
    if (a.size() > 1 && !(arg(a, 1).is_nullish() && arg(a, 2).is_undef())) in.unsupported(in.current_line, "JSON.stringify with a replacer or indentation is not modelled");
    std::function<bool(const Value&, std::string&)> ser = [&](const Value& v, std::string& out) -> bool {
      switch (v.t) {
        case Value::T::Undef: return false;
        case Value::T::Null: out += "null"; return true;
        case Value::T::Bool: out += v.b ? "true" : "false"; return true;
        case Value::T::Num: out += std::isfinite(v.n) ? number_to_string(v.n) : "null"; return true;
        case Value::T::Str: {
          out += '"';
          for (unsigned char c : v.s) {
            if (c == '"') out += "\\\"";
            else if (c == '\\') out += "\\\\";
            else if (c == '\n') out += "\\n";
            else if (c == '\t') out += "\\t";
            else if (c == '\r') out += "\\r";
            else if (c < 0x20) { char b[8]; std::snprintf(b, sizeof b, "\\u%04x", c); out += b; }
            else out += static_cast<char>(c);
          }
          out += '"';
          return true;
        }
        case Value::T::Obj: break;
      }
      Obj* o = v.o;
      if (o->kind == ObjKind::Function) return false;
      for (auto& p : o->props) if (p.key == "toJSON") in.unsupported(in.current_line, "toJSON is not modelled");
      if (o->kind == ObjKind::Array) {
        out += '[';
        for (std::size_t i = 0; i < o->elems.size(); ++i) {
          if (i) out += ',';
          if (!ser(o->elems[i], out)) out += "null";
        }
        out += ']';
        return true;
      }
      out += '{';
      bool first = true;
      for (auto& k : in.own_keys(o, true)) {
        std::string item;
        Value pv = in.get(v, k);
        if (!ser(pv, item)) continue;
        if (!first) out += ',';
        first = false;
        std::string key;
        ser(Value::str(k), key);
        out += key + ":" + item;
      }
      out += '}';
      return true;
    };
    std::string out;
    if (!ser(arg(a, 0), out)) return Value::undef();
    return Value::str(out);
  });

  Obj* number = global_fn("Number", 1, [](Interp& in, const Value& self, Args& a) {
    if (is_new(self)) in.unsupported(in.current_line, "wrapper objects are not modelled");
    return Value::num(a.empty() ? 0 : in.to_number(a[0]));
  });
  Registrar ns{in, number};
  ns.fn("isInteger", 1, [](Interp&, const Value&, Args& a) { Value v = arg(a, 0); return Value::boolean(v.is_num() && std::isfinite(v.n) && std::trunc(v.n) == v.n); });
  ns.fn("isNaN", 1, [](Interp&, const Value&, Args& a) { Value v = arg(a, 0); return Value::boolean(v.is_num() && std::isnan(v.n)); });
  ns.val("MAX_SAFE_INTEGER", Value::num(9007199254740991.0));
  global_fn("String", 1, [](Interp& in, const Value& self, Args& a) {
    if (is_new(self)) in.unsupported(in.current_line, "wrapper objects are not modelled");
    return Value::str(a.empty() ? "" : in.to_string(a[0]));
  });
  global_fn("Boolean", 1, [](Interp& in, const Value& self, Args& a) {
    if (is_new(self)) in.unsupported(in.current_line, "wrapper objects are not modelled");
    return Value::boolean(in.truthy(arg(a, 0)));
  });
  global_fn("isNaN", 1, [](Interp& in, const Value&, Args& a) { return Value::boolean(std::isnan(in.to_number(arg(a, 0)))); });
  global_fn("parseFloat", 1, [](Interp& in, const Value&, Args& a) {
    std::string s = in.to_string(arg(a, 0));
    const char* p = s.c_str();
    while (*p == ' ' || *p == '\t' || *p == '\n') ++p;
    char* end = nullptr;
    double d = std::strtod(p, &end);
    if (end == p) return Value::num(NAN);
    if (std::strpbrk(p, "xXnN") && std::strpbrk(p, "xXnN") < end) in.unsupported(in.current_line, "this parseFloat input is not modelled");
    return Value::num(d);
  });
  global_fn("parseInt", 2, [](Interp& in, const Value&, Args& a) {
    std::string s = in.to_string(arg(a, 0));
    int radix = arg(a, 1).is_undef() ? 10 : static_cast<int>(in.to_number(a[1]));
    if (radix == 0) radix = 10;
    const char* p = s.c_str();
    while (*p == ' ' || *p == '\t' || *p == '\n') ++p;
    bool neg = false;
    if (*p == '-' || *p == '+') { neg = *p == '-'; ++p; }
    if ((radix == 16 || arg(a, 1).is_undef()) && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) { radix = 16; p += 2; }
    double r = 0;
    bool any = false;
    for (; *p; ++p) {
      int d = std::isdigit(static_cast<unsigned char>(*p)) ? *p - '0' : std::isalpha(static_cast<unsigned char>(*p)) ? std::tolower(*p) - 'a' + 10 : 99;
      if (d >= radix) break;
      r = r * radix + d;
      any = true;
    }
    if (!any) return Value::num(NAN);
    return Value::num(neg ? -r : r);
  });

  // String.prototype and Number.prototype
  Registrar sp{in, in.string_proto_};
  auto str_self = [](Interp& in, const Value& self) {
    if (!self.is_str()) in.unsupported(in.current_line, "string methods on non-strings are not modelled");
    return self.s;
  };
  auto ascii = [](Interp& in, const std::string& s) {
    if (in.non_ascii_public(s)) in.unsupported(in.current_line, "index-based methods on non-ASCII strings are not modelled");
  };
  sp.fn("toUpperCase", 0, [str_self](Interp& in, const Value& self, Args&) { std::string s = str_self(in, self); for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c))); return Value::str(s); });
  sp.fn("toLowerCase", 0, [str_self](Interp& in, const Value& self, Args&) { std::string s = str_self(in, self); for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c))); return Value::str(s); });
  sp.fn("trim", 0, [str_self](Interp& in, const Value& self, Args&) {
    std::string s = str_self(in, self);
    std::size_t b = s.find_first_not_of(" \t\n\r"), e = s.find_last_not_of(" \t\n\r");
    return Value::str(b == std::string::npos ? "" : s.substr(b, e - b + 1));
  });
  sp.fn("includes", 1, [str_self](Interp& in, const Value& self, Args& a) { return Value::boolean(str_self(in, self).find(in.to_string(arg(a, 0))) != std::string::npos); });
  sp.fn("startsWith", 1, [str_self](Interp& in, const Value& self, Args& a) { std::string s = str_self(in, self), p = in.to_string(arg(a, 0)); return Value::boolean(s.compare(0, p.size(), p) == 0); });
  sp.fn("endsWith", 1, [str_self](Interp& in, const Value& self, Args& a) { std::string s = str_self(in, self), p = in.to_string(arg(a, 0)); return Value::boolean(s.size() >= p.size() && s.compare(s.size() - p.size(), p.size(), p) == 0); });
  sp.fn("indexOf", 1, [str_self, ascii](Interp& in, const Value& self, Args& a) { std::string s = str_self(in, self); ascii(in, s); auto i = s.find(in.to_string(arg(a, 0))); return Value::num(i == std::string::npos ? -1 : static_cast<double>(i)); });
  sp.fn("repeat", 1, [str_self](Interp& in, const Value& self, Args& a) {
    std::string s = str_self(in, self), out;
    double n = in.to_number(arg(a, 0));
    if (n < 0 || std::isinf(n)) in.throw_error("RangeError", "Invalid count value: " + number_to_string(n));
    if (n * static_cast<double>(s.size()) > 1e7) in.unsupported(in.current_line, "very long strings are not modelled");
    for (int i = 0; i < static_cast<int>(n); ++i) out += s;
    return Value::str(out);
  });
  auto pad = [str_self, ascii](bool start) {
    return [start, str_self, ascii](Interp& in, const Value& self, Args& a) {
      std::string s = str_self(in, self);
      ascii(in, s);
      std::size_t len = static_cast<std::size_t>(std::max(0.0, in.to_number(arg(a, 0))));
      std::string fill = arg(a, 1).is_undef() ? " " : in.to_string(a[1]);
      if (len <= s.size() || fill.empty()) return Value::str(s);
      std::string padding;
      while (padding.size() < len - s.size()) padding += fill;
      padding.resize(len - s.size());
      return Value::str(start ? padding + s : s + padding);
    };
  };
  sp.fn("padStart", 2, pad(true));
  sp.fn("padEnd", 2, pad(false));
  sp.fn("slice", 2, [str_self, ascii, norm_index](Interp& in, const Value& self, Args& a) {
    std::string s = str_self(in, self);
    ascii(in, s);
    std::size_t b = norm_index(in, arg(a, 0), s.size(), 0), e = norm_index(in, arg(a, 1), s.size(), s.size());
    return Value::str(b < e ? s.substr(b, e - b) : "");
  });
  sp.fn("substring", 2, [str_self, ascii](Interp& in, const Value& self, Args& a) {
    std::string s = str_self(in, self);
    ascii(in, s);
    auto clamp = [&](const Value& v, double d) { double x = v.is_undef() ? d : in.to_number(v); if (std::isnan(x)) x = 0; return static_cast<std::size_t>(std::min(std::max(x, 0.0), static_cast<double>(s.size()))); };
    std::size_t b = clamp(arg(a, 0), 0), e = clamp(arg(a, 1), static_cast<double>(s.size()));
    if (b > e) std::swap(b, e);
    return Value::str(s.substr(b, e - b));
  });
  sp.fn("charAt", 1, [str_self, ascii](Interp& in, const Value& self, Args& a) {
    std::string s = str_self(in, self);
    ascii(in, s);
    double i = arg(a, 0).is_undef() ? 0 : in.to_number(a[0]);
    return Value::str(i >= 0 && i < static_cast<double>(s.size()) ? std::string(1, s[static_cast<std::size_t>(i)]) : "");
  });
  sp.fn("split", 2, [str_self, ascii](Interp& in, const Value& self, Args& a) {
    std::string s = str_self(in, self);
    std::vector<Value> out;
    if (arg(a, 0).is_undef()) return Value::obj(in.new_array({Value::str(s)}));
    std::string sep = in.to_string(a[0]);
    if (sep.empty()) {
      ascii(in, s);
      for (char c : s) out.push_back(Value::str(std::string(1, c)));
    } else {
      std::size_t pos = 0, next;
      while ((next = s.find(sep, pos)) != std::string::npos) {
        out.push_back(Value::str(s.substr(pos, next - pos)));
        pos = next + sep.size();
      }
      out.push_back(Value::str(s.substr(pos)));
    }
    return Value::obj(in.new_array(out));
  });
  // replace/replaceAll with a string pattern (a regular expression is refused where it is written): the
  // replacement string's $$, $&, $` and $' patterns, or a function called with (match, offset, string)
  auto replace = [str_self](bool all) {
    return [all, str_self](Interp& in, const Value& self, Args& a) {
      std::string s = str_self(in, self);
      Value pattern = arg(a, 0), replacement = arg(a, 1);
      if (pattern.is_obj()) in.unsupported(in.current_line, "replace with an object pattern is not modelled");
      const std::string pat = in.to_string(pattern);
      const bool fn = in.callable(replacement);
      const std::string rep = fn ? "" : in.to_string(replacement);
      if ((fn || pat.empty()) && in.non_ascii_public(s))
        in.unsupported(in.current_line, "replace on a non-ASCII string with a function or an empty pattern is not modelled");
      std::vector<std::size_t> positions;
      std::size_t from = 0;
      for (;;) {
        std::size_t pos = s.find(pat, from);
        if (pos == std::string::npos) break;
        positions.push_back(pos);
        if (!all) break;
        from = pos + (pat.empty() ? 1 : pat.size());
        if (from > s.size()) break;
      }
      std::string out;
      std::size_t end_of_last = 0;
      for (std::size_t pos : positions) {
        out += s.substr(end_of_last, pos - end_of_last);
        if (fn) {
          Args ca{Value::str(pat), Value::num(static_cast<double>(pos)), Value::str(s)};
          out += in.to_string(in.call(replacement, Value::undef(), ca));
        } else {
          for (std::size_t i = 0; i < rep.size(); ++i) {
            if (rep[i] != '$' || i + 1 >= rep.size()) {
              out += rep[i];
              continue;
            }
            const char c = rep[i + 1];
            if (c == '$') out += '$';
            else if (c == '&') out += pat;
            else if (c == '`') out += s.substr(0, pos);
            else if (c == '\'') out += s.substr(pos + pat.size());
            else {
              out += '$';
              continue;
            }
            ++i;
          }
        }
        end_of_last = pos + pat.size();
      }
      out += s.substr(end_of_last);
      return Value::str(out);
    };
  };
  sp.fn("replace", 2, replace(false));
  sp.fn("replaceAll", 2, replace(true));
  sp.fn("concat", 1, [str_self](Interp& in, const Value& self, Args& a) { std::string s = str_self(in, self); for (auto& v : a) s += in.to_string(v); return Value::str(s); });
  sp.fn("toString", 0, [str_self](Interp& in, const Value& self, Args&) { return Value::str(str_self(in, self)); });
  Registrar np{in, in.number_proto_};
  np.fn("toFixed", 1, [](Interp& in, const Value& self, Args& a) {
    double d = in.to_number(self);
    int digits = static_cast<int>(in.to_number(arg(a, 0)));
    if (std::isnan(digits)) digits = 0;
    if (digits < 0 || digits > 100) in.throw_error("RangeError", "toFixed() digits argument must be between 0 and 100");
    if (!std::isfinite(d) || std::fabs(d) >= 1e21) return Value::str(number_to_string(d));
    char buf[160];
    std::snprintf(buf, sizeof buf, "%.*f", digits, d);
    // printf rounds exact ties to even; JavaScript rounds them up
    double scaled = d * std::pow(10, digits);
    if (std::fabs(scaled - std::trunc(scaled)) == 0.5) in.unsupported(in.current_line, "toFixed on an exact tie is not modelled");
    std::string r(buf);
    if (r == "-0" || (r.size() > 1 && r[0] == '-' && r.find_first_not_of("-0.") == std::string::npos)) r = r.substr(1);
    return Value::str(r);
  });
  np.fn("toString", 1, [](Interp& in, const Value& self, Args& a) {
    if (!arg(a, 0).is_undef() && in.to_number(a[0]) != 10) in.unsupported(in.current_line, "toString with a radix is not modelled");
    return Value::str(number_to_string(in.to_number(self)));
  });

  // console and process
  Obj* console = in.new_plain();
  console->host = true;
  global("console", console);
  Registrar cs{in, console};
  auto log = [](bool to_stdout) {
    return [to_stdout](Interp& in, const Value&, Args& a) {
      std::string line;
      if (a.size() > 1 && a[0].is_str()) {
        const std::string& f = a[0].s;
        for (std::size_t i = 0; i + 1 < f.size(); ++i)
          if (f[i] == '%' && std::strchr("sdifjoOc%", f[i + 1])) in.unsupported(in.current_line, "console.log format specifiers are not modelled");
      }
      for (std::size_t i = 0; i < a.size(); ++i) {
        if (i) line += ' ';
        if (a[i].is_str()) line += a[i].s;
        else line += in.inspect(a[i]);
      }
      if (to_stdout) in.out(line + "\n");
      return Value::undef();
    };
  };
  cs.fn("log", 0, log(true));
  cs.fn("info", 0, log(true));
  cs.fn("debug", 0, log(true));
  cs.fn("dir", 0, log(true));
  cs.fn("error", 0, log(false));
  cs.fn("warn", 0, log(false));

  Obj* process = in.new_plain();
  process->host = true;
  global("process", process);
  Registrar prs{in, process};
  prs.fn("nextTick", 1, [](Interp& in, const Value&, Args& a) {
    Value fn = arg(a, 0);
    if (!in.callable(fn)) in.throw_error("TypeError", "The \"callback\" argument must be of type function. Received " + in.inspect(fn));
    Args rest(a.begin() + 1, a.end());
    Job job;
    job.label = in.fn_label(fn, "nextTick callback");
    job.line = in.fn_line(fn);
    job.run = [&in, fn, rest]() mutable { in.call(fn, Value::undef(), rest); };
    in.enqueue_tick(std::move(job));
    return Value::undef();
  });
  // process is an EventEmitter: 'exit', 'beforeExit' and 'unhandledRejection' are emitted by the loop
  in.process_ = process;
  process->emitter = std::make_shared<EmitterState>();
  install_emitter_methods(in, process);
  prs.val("exitCode", Value::undef());
  Obj* stdout_obj = in.new_plain();
  stdout_obj->host = true;
  prs.val("stdout", Value::obj(stdout_obj));
  Registrar so{in, stdout_obj};
  so.fn("write", 1, [](Interp& in, const Value&, Args& a) {
    Value v = arg(a, 0);
    if (!v.is_str()) in.unsupported(in.current_line, "process.stdout.write of a non-string is not modelled");
    in.out(v.s);
    return Value::boolean(true);
  });
  global_fn("queueMicrotask", 1, [](Interp& in, const Value&, Args& a) {
    Value fn = arg(a, 0);
    if (!in.callable(fn)) in.throw_error("TypeError", "The \"callback\" argument must be of type function. Received " + in.inspect(fn));
    Job job;
    job.label = in.fn_label(fn, "queueMicrotask callback");
    job.line = in.fn_line(fn);
    job.run = [&in, fn] {
      Args none;
      in.call(fn, Value::undef(), none);
    };
    in.enqueue_microtask(std::move(job));
    return Value::undef();
  });
  // Timeout objects: ref()/unref() decide whether a pending timer keeps the event loop alive
  in.timeout_proto_ = in.new_obj(ObjKind::Plain, in.object_proto_);
  Registrar tp{in, in.timeout_proto_};
  auto timeout_self = [](Interp& in, const Value& self) -> Obj* {
    if (!self.is_obj() || self.o->kind != ObjKind::Timer) in.unsupported(in.current_line, "Timeout methods on other objects are not modelled");
    return self.o;
  };
  tp.fn("unref", 0, [timeout_self](Interp& in, const Value& self, Args&) { timeout_self(in, self)->refed = false; return self; });
  tp.fn("ref", 0, [timeout_self](Interp& in, const Value& self, Args&) { timeout_self(in, self)->refed = true; return self; });
  tp.fn("hasRef", 0, [timeout_self](Interp& in, const Value& self, Args&) { return Value::boolean(timeout_self(in, self)->refed); });
  tp.fn("close", 0, [timeout_self](Interp& in, const Value& self, Args&) {
    timeout_self(in, self);
    in.clear_timer(self);
    return self;
  });
  global_fn("setTimeout", 2, [](Interp& in, const Value&, Args& a) { return in.set_timer_public(a, false); });
  global_fn("setInterval", 2, [](Interp& in, const Value&, Args& a) { return in.set_timer_public(a, true); });
  auto clear = [](Interp& in, const Value&, Args& a) {
    in.clear_timer(arg(a, 0));
    return Value::undef();
  };
  global_fn("clearTimeout", 1, clear);
  global_fn("clearInterval", 1, clear);
  global_fn("setImmediate", 1, [](Interp& in, const Value&, Args& a) { return in.set_immediate(a); });
  global_fn("clearImmediate", 1, [](Interp& in, const Value&, Args& a) {
    in.clear_immediate(arg(a, 0));
    return Value::undef();
  });
  // The file system is never touched: names and contents are unknown values the model refuses to look into.
  in.global_->vars["__filename"] = Binding{Value::obj(in.new_opaque("__filename")), true, true};
  in.global_->vars["__dirname"] = Binding{Value::obj(in.new_opaque("__dirname")), true, true};
  global_fn("require", 1, [](Interp& in, const Value&, Args& a) { return in.require_module(arg(a, 0)); });
  if (in.limits_.scenario) in.install_scenario_host();
}

// Host functions of scenario programs (scenario.h): the narration a rule writes, stamped by the model.
void Interp::install_scenario_host() {
  auto host = [this](const std::string& name, int params, NativeFn f) {
    global_->vars[name] = Binding{Value::obj(new_native(name, params, std::move(f))), true, true};
  };
  auto offset_of = [](Interp& in, const Value& v) { return static_cast<std::uint32_t>(std::max(0.0, in.to_number(v))); };
  host("__step", 3, [offset_of](Interp& in, const Value&, Args& a) {
    in.record_scenario_step(offset_of(in, arg(a, 0)), in.to_string(arg(a, 1)),
                            a.size() > 2 ? static_cast<std::uint32_t>(in.to_number(a[2])) : 0);
    return Value::undef();
  });
  host("__now", 0, [](Interp& in, const Value&, Args&) { return Value::num(static_cast<double>(in.now_)); });
  host("__unhandled", 2, [offset_of](Interp& in, const Value&, Args& a) {
    in.unhandled_narration_ = {offset_of(in, arg(a, 0)), in.to_string(arg(a, 1))};
    return Value::undef();
  });
  host("__atEnd", 3, [offset_of](Interp& in, const Value&, Args& a) {
    Value p = arg(a, 0);
    if (!in.is_promise(p)) in.throw_error("TypeError", "__atEnd expects a promise");
    in.at_end_.push_back({p.o, offset_of(in, arg(a, 1)), in.to_string(arg(a, 2))});
    return Value::undef();
  });
}

void Interp::record_scenario_step(std::uint32_t offset, const std::string& message, std::uint32_t nesting) {
  if (result_.scenario_steps.size() >= limits_.max_trace_steps) return;
  result_.scenario_steps.push_back({offset, message, now_, nesting});
}

// An I/O operation that completes in the poll phase, kIoLatencyMs after it starts; its callback gets
// (err, data), both unknown.
static void start_io(Interp& in, const std::string& what, const Value& callback) {
  Job job;
  job.label = in.fn_label(callback, what + " callback");
  job.line = in.fn_line(callback);
  job.run = [&in, callback, what] {
    Args results{Value::obj(in.new_opaque("the error of " + what)), Value::obj(in.new_opaque("the result of " + what))};
    in.call(callback, Value::undef(), results);
  };
  in.add_io(std::move(job));
}

Value Interp::require_module(const Value& name) {
  if (!name.is_str()) unsupported(current_line, "`require` of a computed name is not modelled");
  std::string id = name.s;
  if (id.rfind("node:", 0) == 0) id = id.substr(5);
  auto it = modules_.find(id);
  if (it != modules_.end()) return Value::obj(it->second);
  Obj* m = new_plain();
  m->host = true;
  Registrar r{*this, m};
  if (id == "events") {
    Obj* ee = make_events_module(*this, emitter_proto_);
    modules_[id] = ee;
    return Value::obj(ee);
  }
  if (id == "fs") {
    for (const char* op : {"readFile", "writeFile", "stat", "readdir", "access", "open", "unlink", "mkdir"}) {
      const std::string what = std::string("fs.") + op;
      r.fn(op, 2, [what](Interp& in, const Value&, Args& a) {
        Value cb = a.empty() ? Value::undef() : a.back();
        if (!in.callable(cb)) in.unsupported(in.current_line, what + " without a callback is not modelled");
        start_io(in, what, cb);
        return Value::undef();
      });
    }
  } else if (id == "timers/promises") {
    r.fn("setTimeout", 2, [](Interp& in, const Value&, Args& a) {
      if (a.size() > 2 && !a[2].is_undef()) in.unsupported(in.current_line, "the options of timers/promises setTimeout (signal, ref) are not modelled");
      Obj* p = in.new_promise();
      auto fns = in.resolving_functions(p);
      Args timer_args{fns.first, a.size() > 0 ? a[0] : Value::undef(), a.size() > 1 ? a[1] : Value::undef()};
      in.set_timer_public(timer_args, false);
      return Value::obj(p);
    });
    r.fn("setImmediate", 1, [](Interp& in, const Value&, Args& a) {
      if (a.size() > 1 && !a[1].is_undef()) in.unsupported(in.current_line, "the options of timers/promises setImmediate (signal, ref) are not modelled");
      Obj* p = in.new_promise();
      auto fns = in.resolving_functions(p);
      Args immediate_args{fns.first, a.empty() ? Value::undef() : a[0]};
      in.set_immediate(immediate_args);
      return Value::obj(p);
    });
  } else {
    unsupported(current_line, "`require('" + name.s + "')` is not modelled (only events, fs and timers/promises are)");
  }
  modules_[id] = m;
  return Value::obj(m);
}

Obj* Interp::new_opaque(const std::string& what) {
  Obj* o = new_plain();
  o->opaque = what;
  return o;
}

void Interp::add_io(Job job) { io_.emplace(std::make_pair(now_ + kIoLatencyMs, timer_seq_++), std::move(job)); }

void Interp::setup_globals() {
  global_ = new_env(nullptr);
  global_->function_scope = true;
  global_->has_this = true;  // module.exports in CommonJS: `this` at the top level is {}
  object_proto_ = new_obj(ObjKind::Plain, nullptr);
  function_proto_ = new_obj(ObjKind::Plain, object_proto_);
  array_proto_ = new_obj(ObjKind::Plain, object_proto_);
  promise_proto_ = new_obj(ObjKind::Plain, object_proto_);
  error_proto_ = new_obj(ObjKind::Plain, object_proto_);
  string_proto_ = new_obj(ObjKind::Plain, object_proto_);
  number_proto_ = new_obj(ObjKind::Plain, object_proto_);
  for (Obj* o : {array_proto_, promise_proto_, string_proto_, number_proto_}) o->host = true;
  global_->this_value = Value::obj(new_plain());
  Builtins::install(*this);
  install_generator_protos();
}

// --- node:events ------------------------------------------------------------------------------------
// EventEmitter as lib/events.js does it: listeners run synchronously in the order added, over a copy of the
// list taken when emit starts; a once-listener is removed just before it runs; 'newListener' and
// 'removeListener' are emitted; an 'error' without listeners throws. Async listeners' promises are ignored
// (captureRejections is off), so their rejections are unhandled.

namespace {
bool integer_like(const std::string& k) {
  std::size_t idx;
  return array_index(k, idx);
}
std::vector<Listener>* find_listeners(EmitterState& st, const std::string& name) {
  for (auto& [n, list] : st.events)
    if (n == name) return &list;
  return nullptr;
}
void drop_empty(EmitterState& st, const std::string& name) {
  for (auto it = st.events.begin(); it != st.events.end(); ++it)
    if (it->first == name) {
      if (it->second.empty()) st.events.erase(it);
      return;
    }
}
// the events `process` emits that the model does not produce: listening for them would be a silent guess
bool unmodelled_process_event(const std::string& name) {
  static const std::set<std::string> names = {"uncaughtException", "uncaughtExceptionMonitor", "rejectionHandled",
      "warning", "message", "disconnect", "multipleResolves", "worker", "SIGINT", "SIGTERM", "SIGHUP", "SIGUSR1",
      "SIGUSR2", "SIGBREAK", "SIGWINCH", "SIGPIPE"};
  return names.count(name) > 0;
}
}  // namespace

EmitterState& Interp::emitter_state(const Value& self) {
  if (!self.is_obj()) unsupported(current_line, "EventEmitter methods on a non-object are not modelled");
  if (!self.o->emitter) self.o->emitter = std::make_shared<EmitterState>();
  return *self.o->emitter;
}

std::size_t Interp::listener_count(const Value& self, const std::string& name) {
  if (!self.is_obj() || !self.o->emitter) return 0;
  auto* list = find_listeners(*self.o->emitter, name);
  return list ? list->size() : 0;
}

void Interp::add_listener(const Value& self, const std::string& name, const Value& fn, bool once, bool prepend) {
  if (!callable(fn)) unsupported(current_line, "an EventEmitter listener that is not a function is not modelled");
  if (self.is_obj() && self.o == process_ && unmodelled_process_event(name))
    unsupported(current_line, "the process event '" + name + "' is not modelled");
  emitter_state(self);
  if (listener_count(self, "newListener") > 0) {
    Args a{Value::str(name), fn};
    emit_event(self, "newListener", a);
  }
  EmitterState& st = emitter_state(self);
  auto* list = find_listeners(st, name);
  if (!list) {
    // object key order: integer-like names before the others
    auto pos = st.events.end();
    if (integer_like(name)) {
      pos = st.events.begin();
      while (pos != st.events.end() && integer_like(pos->first) && std::stod(pos->first) < std::stod(name)) ++pos;
    }
    list = &st.events.insert(pos, {name, {}})->second;
  }
  Listener l{fn, once, std::make_shared<bool>(false)};
  if (prepend) list->insert(list->begin(), l);
  else list->push_back(l);
}

bool Interp::remove_listener(const Value& self, const std::string& name, const Value& fn) {
  if (!self.is_obj() || !self.o->emitter) return false;
  EmitterState& st = *self.o->emitter;
  auto* list = find_listeners(st, name);
  if (!list) return false;
  for (std::size_t i = list->size(); i-- > 0;) {
    if ((*list)[i].fn.o != fn.o || !fn.is_obj()) continue;
    list->erase(list->begin() + static_cast<long>(i));
    drop_empty(st, name);
    if (listener_count(self, "removeListener") > 0) {
      Args a{Value::str(name), fn};
      emit_event(self, "removeListener", a);
    }
    return true;
  }
  return false;
}

bool Interp::emit_event(const Value& self, const std::string& name, Args& args) {
  std::vector<Listener> copy;
  if (self.is_obj() && self.o->emitter)
    if (auto* list = find_listeners(*self.o->emitter, name)) copy = *list;
  if (copy.empty()) {
    if (name != "error") return false;
    Value er = args.empty() ? Value::undef() : args[0];
    if (er.is_obj() && er.o->kind == ObjKind::Error) throw JSThrow{er};
    Obj* err = new_error("Error", "Unhandled error. (" + inspect(er) + ")");
    err->props.push_back({"code", Value::str("ERR_UNHANDLED_ERROR"), true});
    err->props.push_back({"context", er, true});
    throw JSThrow{Value::obj(err)};
  }
  for (const Listener& l : copy) {
    if (l.once) {
      if (*l.fired) continue;
      *l.fired = true;
      // the once wrapper removes itself first (the last occurrence of it)
      if (auto* list = find_listeners(*self.o->emitter, name))
        for (std::size_t i = list->size(); i-- > 0;)
          if ((*list)[i].fired == l.fired) {
            list->erase(list->begin() + static_cast<long>(i));
            drop_empty(*self.o->emitter, name);
            if (listener_count(self, "removeListener") > 0) {
              Args a{Value::str(name), l.fn};
              emit_event(self, "removeListener", a);
            }
            break;
          }
    }
    Args a = args;
    call(l.fn, self, a);
  }
  return true;
}

static void install_emitter_methods(Interp& in, Obj* target) {
  Registrar r{in, target};
  auto name_of = [](Interp& in, const Value& v) {
    if (!v.is_str()) in.unsupported(in.current_line, "event names that are not strings are not modelled");
    return v.s;
  };
  for (const char* m : {"on", "addListener", "once", "prependListener", "prependOnceListener"}) {
    const std::string method = m;
    const bool once = method == "once" || method == "prependOnceListener";
    const bool prepend = method.rfind("prepend", 0) == 0;
    r.fn(method, 2, [name_of, once, prepend](Interp& in, const Value& self, Args& a) {
      in.add_listener(self, name_of(in, arg(a, 0)), arg(a, 1), once, prepend);
      return self;
    });
  }
  for (const char* m : {"off", "removeListener"})
    r.fn(m, 2, [name_of](Interp& in, const Value& self, Args& a) {
      in.remove_listener(self, name_of(in, arg(a, 0)), arg(a, 1));
      return self;
    });
  r.fn("emit", 1, [name_of](Interp& in, const Value& self, Args& a) {
    const std::string name = name_of(in, arg(a, 0));
    Args rest(a.size() > 1 ? a.begin() + 1 : a.end(), a.end());
    return Value::boolean(in.emit_event(self, name, rest));
  });
  r.fn("listenerCount", 1, [name_of](Interp& in, const Value& self, Args& a) {
    return Value::num(static_cast<double>(in.listener_count(self, name_of(in, arg(a, 0)))));
  });
  r.fn("listeners", 1, [name_of](Interp& in, const Value& self, Args& a) {
    const std::string name = name_of(in, arg(a, 0));
    std::vector<Value> out;
    if (self.is_obj() && self.o->emitter)
      if (auto* list = find_listeners(*self.o->emitter, name))
        for (auto& l : *list) out.push_back(l.fn);
    return Value::obj(in.new_array(out));
  });
  r.fn("eventNames", 0, [](Interp& in, const Value& self, Args&) {
    std::vector<Value> out;
    if (self.is_obj() && self.o->emitter)
      for (auto& [n, list] : self.o->emitter->events) out.push_back(Value::str(n));
    return Value::obj(in.new_array(out));
  });
  r.fn("removeAllListeners", 1, [name_of](Interp& in, const Value& self, Args& a) {
    if (!self.is_obj() || !self.o->emitter) return self;
    if (in.listener_count(self, "removeListener") > 0)
      in.unsupported(in.current_line, "removeAllListeners with a 'removeListener' listener is not modelled");
    EmitterState& st = *self.o->emitter;
    if (arg(a, 0).is_undef()) {
      st.events.clear();
    } else {
      const std::string name = name_of(in, a[0]);
      if (auto* list = find_listeners(st, name)) list->clear();
      drop_empty(st, name);
    }
    return self;
  });
  r.fn("setMaxListeners", 1, [](Interp& in, const Value& self, Args& a) {
    double n = in.to_number(arg(a, 0));
    if (std::isnan(n) || n < 0) in.unsupported(in.current_line, "setMaxListeners with this value is not modelled");
    in.emitter_state(self).max_listeners = n;
    return self;
  });
  r.fn("getMaxListeners", 0, [](Interp& in, const Value& self, Args&) { return Value::num(in.emitter_state(self).max_listeners); });
}

// require('events'): the EventEmitter constructor, which is also the module.
static Obj* make_events_module(Interp& in, Obj*& proto_out) {
  Obj* proto = in.new_obj(ObjKind::Plain, in.object_proto());
  proto_out = proto;
  install_emitter_methods(in, proto);
  Obj* ctor = in.new_native("EventEmitter", 1, [proto](Interp& in, const Value& self, Args& a) {
    if (!arg(a, 0).is_undef()) in.unsupported(in.current_line, "EventEmitter options (captureRejections) are not modelled");
    if (is_new(self)) {
      Obj* e = in.new_obj(ObjKind::Plain, proto);
      e->emitter = std::make_shared<EmitterState>();
      return Value::obj(e);
    }
    if (!self.is_obj()) in.unsupported(in.current_line, "calling EventEmitter without `new` on a non-object is not modelled");
    in.emitter_state(self);  // EventEmitter.call(this)
    return Value::undef();
  });
  ctor->host = true;
  ctor->props.push_back({"prototype", Value::obj(proto), false});
  proto->props.push_back({"constructor", Value::obj(ctor), false});
  ctor->props.push_back({"EventEmitter", Value::obj(ctor), false});
  ctor->props.push_back({"defaultMaxListeners", Value::num(10), true});
  // events.once(emitter, name): a promise of the next emit's arguments; an 'error' first rejects it
  Obj* once = in.new_native("once", 2, [](Interp& in, const Value&, Args& a) {
    Value emitter = arg(a, 0);
    if (!emitter.is_obj() || !emitter.o->emitter) in.unsupported(in.current_line, "events.once on something other than an EventEmitter is not modelled");
    if (!arg(a, 1).is_str()) in.unsupported(in.current_line, "event names that are not strings are not modelled");
    if (!arg(a, 2).is_undef()) in.unsupported(in.current_line, "events.once options (signal) are not modelled");
    const std::string name = a[1].s;
    Obj* p = in.new_promise();
    auto error_listener = std::make_shared<Value>();
    Obj* resolver = in.new_native("events.once resolver", 0, [p, emitter, error_listener, name](Interp& in, const Value&, Args& x) {
      if (name != "error") in.remove_listener(emitter, "error", *error_listener);
      in.resolve_promise(p, Value::obj(in.new_array(x)));
      return Value::undef();
    });
    in.add_listener(emitter, name, Value::obj(resolver), true, false);
    if (name != "error") {
      Obj* on_error = in.new_native("events.once error listener", 1, [p, emitter, resolver, name](Interp& in, const Value&, Args& x) {
        in.remove_listener(emitter, name, Value::obj(resolver));
        in.reject_promise(p, arg(x, 0));
        return Value::undef();
      });
      *error_listener = Value::obj(on_error);
      in.add_listener(emitter, "error", Value::obj(on_error), true, false);
    }
    return Value::obj(p);
  });
  ctor->props.push_back({"once", Value::obj(once), false});
  return ctor;
}

// --- timers and immediates -------------------------------------------------------------------------

Value Interp::set_timer_public(Args& a, bool repeat) {
  Value fn = arg(a, 0);
  if (!callable(fn)) throw_error("TypeError", "The \"callback\" argument must be of type function. Received " + inspect(fn));
  double delay = a.size() > 1 ? to_number(a[1]) : 1;
  if (!(delay >= 1 && delay <= 2147483647)) delay = 1;
  if (delay != std::floor(delay)) unsupported(current_line, "fractional timer delays are not modelled");
  if (racing_context_ && delay <= 1 && race_timer_line_ == 0) race_timer_line_ = current_line;
  Timer t;
  t.id = next_timer_id_++;
  t.due = now_ + static_cast<std::uint64_t>(delay);
  t.seq = timer_seq_++;
  t.repeat = repeat ? static_cast<std::uint64_t>(delay) : 0;
  t.callback = fn;
  t.args.assign(a.size() > 2 ? a.begin() + 2 : a.end(), a.end());
  t.line = fn_line(fn);
  t.label = fn_label(fn, std::string(repeat ? "interval " : "timer ") + std::to_string(static_cast<long long>(delay)) + "ms");
  t.handle = new_obj(ObjKind::Timer, timeout_proto_);
  t.handle->timer_id = t.id;
  const auto key = std::make_pair(t.due, t.seq);
  timer_keys_[t.id] = key;
  Obj* h = t.handle;
  timers_.emplace(key, std::move(t));
  return Value::obj(h);
}

void Interp::clear_timer(const Value& handle) {
  if (!handle.is_obj() || handle.o->kind != ObjKind::Timer) {
    if (!handle.is_nullish()) unsupported(current_line, "clearTimeout with a non-timer argument is not modelled");
    return;
  }
  auto it = timer_keys_.find(handle.o->timer_id);
  if (it == timer_keys_.end()) {
    cleared_running_.insert(handle.o->timer_id);
    return;
  }
  timers_.erase(it->second);
  timer_keys_.erase(it);
}

Value Interp::set_immediate(Args& a) {
  Value fn = arg(a, 0);
  if (!callable(fn)) throw_error("TypeError", "The \"callback\" argument must be of type function. Received " + inspect(fn));
  if (racing_context_ && race_immediate_line_ == 0) race_immediate_line_ = current_line;
  Obj* h = new_obj(ObjKind::Timer, object_proto_);
  Args rest(a.begin() + 1, a.end());
  Job job;
  job.label = fn_label(fn, "immediate");
  job.line = fn_line(fn);
  job.run = [this, fn, rest]() mutable { call(fn, Value::undef(), rest); };
  immediates_.push_back({h, std::move(job)});
  return Value::obj(h);
}

void Interp::clear_immediate(const Value& handle) {
  if (!handle.is_obj()) return;
  for (auto it = immediates_.begin(); it != immediates_.end(); ++it)
    if (it->first == handle.o) {
      immediates_.erase(it);
      return;
    }
  cleared_immediates_.insert(handle.o);
}

// --- the event loop --------------------------------------------------------------------------------

namespace {
std::vector<std::string> labels(const std::deque<Job>& q) {
  std::vector<std::string> out;
  for (const auto& j : q) {
    if (out.size() == 20) {
      out.push_back("… " + std::to_string(q.size() - 20) + " more");
      break;
    }
    out.push_back(j.label);
  }
  return out;
}
}  // namespace

void Interp::record_step(std::uint32_t line, const std::string& what) {
  // A scenario tells only its own __step()s: the job-by-job trace and its queue snapshots would be wasted.
  if (limits_.scenario || result_.steps.size() >= limits_.max_trace_steps) return;
  TraceStep s;
  s.line = line;
  s.what = what;
  s.call_stack = {what};
  result_.steps.push_back(std::move(s));
  snapshot_queues();
}

// The queues as the last recorded step left them (called again when its callback returns).
void Interp::snapshot_queues() {
  if (result_.steps.empty() || result_.steps.size() > limits_.max_trace_steps) return;
  TraceStep& s = result_.steps.back();
  s.next_ticks = labels(ticks_);
  s.microtasks = labels(microtasks_);
  s.timers.clear();
  for (auto& [key, t] : timers_) {
    if (s.timers.size() == 20) {
      s.timers.push_back("… more");
      break;
    }
    s.timers.push_back(t.label + " due at " + std::to_string(key.first) + "ms");
  }
  s.immediates.clear();
  s.pending_io.clear();
  for (auto& [h, j] : immediates_) {
    if (s.immediates.size() == 20) {
      s.immediates.push_back("… more");
      break;
    }
    s.immediates.push_back(j.label);
  }
  for (auto& [key, job] : io_) {
    if (s.pending_io.size() >= 20) break;
    s.pending_io.push_back(job.label + " completes at " + std::to_string(key.first) + "ms");
  }
}

bool Interp::has_ref_timer() const {
  for (const auto& [key, t] : timers_)
    if (t.handle->refed) return true;
  return false;
}

int Interp::exit_code() {
  for (const Prop& p : process_->props)
    if (p.key == "exitCode") {
      if (p.value.is_undef()) return 0;
      if (!p.value.is_num() || p.value.n != std::floor(p.value.n)) unsupported(current_line, "a process.exitCode that is not an integer is not modelled");
      return static_cast<int>(p.value.n);
    }
  return 0;
}

// process.emit('exit', code): once, when the loop is done or the process dies. After a normal end the
// microtasks its listeners queue still run (nextTicks and timers do not); after a crash nothing more runs.
void Interp::emit_exit(int code, bool crashed) {
  if (exit_emitted_) return;
  exit_emitted_ = true;
  if (crashed) put(Value::obj(process_), "exitCode", Value::num(code));
  if (listener_count(Value::obj(process_), "exit") == 0) return;
  record_step(current_line, "process 'exit' event (code " + std::to_string(code) + ")");
  ticks_.clear();
  try {
    Args a{Value::num(code)};
    emit_event(Value::obj(process_), "exit", a);
    if (!crashed)
      while (!microtasks_.empty()) {
        Job j = std::move(microtasks_.front());
        microtasks_.pop_front();
        run_job(j, "microtask: " + j.label);
      }
  } catch (JSThrow&) {
    unsupported(current_line, "an exception thrown while the process exits is not modelled");
  }
}

void Interp::uncaught(const Value& v, const std::string& where) {
  std::string text;
  try {
    if (v.is_obj() && v.o->kind == ObjKind::Error) text = to_string(v);
    else text = "Uncaught " + inspect(v);
  } catch (...) {
    text = "an exception";
  }
  record_step(current_line, "uncaught exception in " + where + ": " + text + " — Node prints it to stderr and exits with code 1");
  if (exit_emitted_) unsupported(current_line, "an exception thrown while the process exits is not modelled");
  emit_exit(1, true);
  exited_ = true;
  throw Stop{"", Stop::Why::Exit};
}

void Interp::run_job(const Job& job, const std::string& what) {
  step();
  record_step(job.line, what);
  const std::size_t step_index = result_.steps.size();
  current_line = job.line;
  try {
    job.run();
  } catch (JSThrow& t) {
    uncaught(t.value, what);
  }
  if (result_.steps.size() == step_index) snapshot_queues();
}

void Interp::check_unhandled_rejections() {
  // Node's processPromiseRejections: in rejection order, including those its handlers cause
  while (!pending_rejections_.empty()) {
    Obj* p = pending_rejections_.front();
    pending_rejections_.erase(pending_rejections_.begin());
    if (p->handled) continue;
    if (listener_count(Value::obj(process_), "unhandledRejection") > 0) {
      // a listener replaces the crash; it runs now, and what it queues runs before the loop goes on
      p->handled = true;
      Job job;
      job.label = "process 'unhandledRejection' event";
      job.run = [this, p] {
        Args a{p->presult, Value::obj(p)};
        emit_event(Value::obj(process_), "unhandledRejection", a);
      };
      run_job(job, job.label);
      continue;
    }
    std::string text;
    try {
      text = p->presult.is_obj() && p->presult.o->kind == ObjKind::Error ? to_string(p->presult) : inspect(p->presult);
    } catch (Stop&) {
      text = "a value";
    }
    record_step(current_line, "unhandled promise rejection (" + text + "): Node prints it to stderr and exits with code 1");
    if (limits_.scenario && !unhandled_narration_.second.empty())
      record_scenario_step(unhandled_narration_.first, unhandled_narration_.second, 0);
    emit_exit(1, true);
    exited_ = true;
    throw Stop{"", Stop::Why::Exit};
  }
}

void Interp::drain() {
  for (;;) {
    while (!ticks_.empty() || !microtasks_.empty()) {
      while (!ticks_.empty()) {
        Job j = std::move(ticks_.front());
        ticks_.pop_front();
        run_job(j, "nextTick: " + j.label);
      }
      while (!microtasks_.empty()) {
        Job j = std::move(microtasks_.front());
        microtasks_.pop_front();
        run_job(j, "microtask: " + j.label);
      }
    }
    check_unhandled_rejections();
    if (ticks_.empty() && microtasks_.empty()) return;
  }
}

void Interp::run_event_loop() {
  drain();
  end_race_context("before the event loop starts");
  now_ += 1;  // the main script is modelled as taking 1ms: a top-level setTimeout(0) runs before setImmediate
  for (;;) {
    // timers phase: every timer due by now, in (due time, creation) order; new ones are due later
    for (;;) {
      auto it = timers_.begin();
      if (it == timers_.end() || it->first.first > now_) break;
      Timer t = std::move(it->second);
      timers_.erase(it);
      timer_keys_.erase(t.id);
      Job job;
      job.label = t.label;
      job.line = t.line;
      Value cb = t.callback, handle = Value::obj(t.handle);
      Args args = t.args;
      job.run = [this, cb, handle, args]() mutable { call(cb, handle, args); };
      cleared_running_.erase(t.id);
      run_job(job, std::string(t.repeat ? "interval" : "timer") + " fired at " + std::to_string(now_) + "ms: " + t.label);
      if (t.repeat && !cleared_running_.count(t.id)) {
        t.due = now_ + t.repeat;
        t.seq = timer_seq_++;
        const auto key = std::make_pair(t.due, t.seq);
        timer_keys_[t.id] = key;
        timers_.emplace(key, std::move(t));
      }
      drain();
    }
    // poll: the callbacks of I/O that has completed by now
    while (!io_.empty() && io_.begin()->first.first <= now_) {
      Job job = std::move(io_.begin()->second);
      io_.erase(io_.begin());
      run_job(job, "poll phase: " + job.label);
      drain();
    }
    // with nothing to run now, wait for the next timer or I/O completion
    if (immediates_.empty()) {
      if (!loop_alive()) {
        // nothing keeps the loop alive (unref'd timers do not): 'beforeExit', and go on if it scheduled work
        if (listener_count(Value::obj(process_), "beforeExit") == 0) return;
        Job job;
        job.label = "process 'beforeExit' event";
        job.run = [this] {
          Args a{Value::num(exit_code())};
          emit_event(Value::obj(process_), "beforeExit", a);
        };
        run_job(job, job.label);
        drain();
        if (!loop_alive()) return;
        continue;
      }
      std::uint64_t next = UINT64_MAX;
      if (!timers_.empty()) next = timers_.begin()->first.first;
      if (!io_.empty()) next = std::min(next, io_.begin()->first.first);
      if (next > limits_.max_virtual_ms)
        throw Stop{"stopped after " + with_commas_public(limits_.max_virtual_ms / 1000) + " seconds of virtual time: the program does not terminate",
                   Stop::Why::Limit};
      now_ = std::max(now_, next);
      continue;
    }
    // check phase: the immediates queued before it started
    std::deque<std::pair<Obj*, Job>> batch;
    batch.swap(immediates_);
    racing_context_ = true;
    while (!batch.empty()) {
      auto [h, job] = std::move(batch.front());
      batch.pop_front();
      if (cleared_immediates_.count(h)) continue;
      run_job(job, "check phase: " + job.label);
      drain();
      // an immediate cleared by a callback of this batch
      for (auto it = batch.begin(); it != batch.end();)
        it = cleared_immediates_.count(it->first) ? batch.erase(it) : it + 1;
    }
    end_race_context("by setImmediate callbacks of one check phase");
  }
}

void Interp::end_race_context(const std::string& where) {
  constexpr std::size_t kMaxRaceWarnings = 3;
  if (race_timer_line_ != 0 && race_immediate_line_ != 0 && !limits_.scenario && result_.warnings.size() < kMaxRaceWarnings)
    result_.warnings.push_back("the setTimeout(…, 0) of line " + std::to_string(race_timer_line_) + " and the setImmediate of line " +
                               std::to_string(race_immediate_line_) + " are both scheduled " + where +
                               ": Node runs them in either order (the timer first only if a millisecond has passed when the "
                               "loop next checks its timers); this trace shows one of the two");
  race_timer_line_ = race_immediate_line_ = 0;
  racing_context_ = false;
}

ExplainResult Interp::run() {
  TSParser* parser = ts_parser_new();
  ts_parser_set_language(parser, ts_language(language_));
  tree_ = parse_bounded(parser, nullptr, source_);
  ts_parser_delete(parser);
  if (!tree_) {
    result_.supported = false;
    result_.unsupported_message = "the program could not be parsed: the parser gave up (its error recovery ran past its budget)";
    return result_;
  }
  TSNode root = ts_tree_root_node(tree_);
  bool stopped = false;
  if (ts_node_has_error(root)) {
    std::uint32_t line = 1;
    walk_preorder(root, [&](TSNode n, std::uint32_t) {
      if (line == 1 && (ts_node_is_error(n) || ts_node_is_missing(n))) line = ts_node_start_point(n).row + 1;
      return line == 1;
    });
    result_.supported = false;
    result_.unsupported_message = "line " + std::to_string(line) + ": syntax error";
    ts_tree_delete(tree_);
    return result_;
  }
  Coroutine main(1u << 29, [&] {
    try {
      setup_globals();
      record_step(1, "run main script");
      try {
        Env* module = new_env(global_);
        module->function_scope = true;
        module->has_this = true;
        module->this_value = global_->this_value;
        hoist_vars(root, module);
        declare_block(root, module);
        exec_statements(root, module);
        if (result_.steps.size() == 1) snapshot_queues();
      } catch (JSThrow& t) {
        uncaught(t.value, "the main script");
      }
      run_event_loop();
      emit_exit(exit_code(), false);
    } catch (Stop& s) {
      stopped = true;
      if (s.why != Stop::Why::Exit) {
        result_.supported = false;
        result_.unsupported_message = s.message;
      }
    } catch (JSThrow&) {
      result_.supported = false;
      result_.unsupported_message = "internal error: an exception escaped the model";
    } catch (ShortCircuit&) {
      result_.supported = false;
      result_.unsupported_message = "internal error: an optional chain escaped the model";
    } catch (std::exception& e) {
      result_.supported = false;
      result_.unsupported_message = std::string("internal error: ") + e.what();
    }
    // scenario: what is still pending when nothing is left to run
    for (const auto& [promise, offset, message] : at_end_)
      if (promise->pstate == Obj::PState::Pending && !exited_) record_scenario_step(offset, message, 0);
    abandon_suspended_activations();
  });
  if (!main.ok()) {
    result_.supported = false;
    result_.unsupported_message = "could not allocate the model's stack";
  } else {
    stack_low_ = main.stack_low();
    main_stack_low_ = main.stack_low();
    main.resume();
  }
  (void)stopped;
  result_.output = output_;
  ts_tree_delete(tree_);
  return result_;
}

ExplainResult explain_program(std::string_view source, LanguageId language, const ExplainLimits& limits) {
  Interp interp(source, language, limits);
  return interp.run();
}

}  // namespace asynclint::loop
