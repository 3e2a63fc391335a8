// Generators, async generators, for…of over iterators and for await…of, as ECMAScript 2023 defines them.
// Each generator body runs on its own coroutine (like an async function), so `yield` is a suspend and
// next() a resume; the async generator request queue follows the specification's abstract operations
// (AsyncGeneratorEnqueue, …CompleteStep, …DrainQueue, …AwaitReturn) so that tick counts match Node.
#include "loop/interp.h"

namespace asynclint::loop {

namespace {
constexpr int kNext = 0, kThrow = 1, kReturn = 2;
using State = GeneratorState::State;

Value arg(Args& a, std::size_t i) { return i < a.size() ? a[i] : Value::undef(); }
}  // namespace

// An async iterator as for await…of and yield* in an async generator see it: an async generator itself, or a
// sync iterable (array, string, generator) through CreateAsyncFromSyncIterator. The sync iterator is stepped
// lazily, one request at a time, as %AsyncFromSyncIteratorPrototype% does: the value it gives is wrapped in a
// promise and unwrapped by a then job, and (as in Node 20) a yielded promise that rejects does not close it.
struct AsyncSource {
  Interp& in;
  Value target;
  bool async_gen = false, sync_gen = false, array = false;
  std::vector<Value> chars;  // a string's characters
  std::size_t index = 0;
  bool sync_done = false;

  AsyncSource(Interp& interp, const Value& v, TSNode where, const char* what) : in(interp), target(v) {
    async_gen = v.is_obj() && v.o->kind == ObjKind::Generator && v.o->gen->async;
    sync_gen = v.is_obj() && v.o->kind == ObjKind::Generator && !v.o->gen->async;
    array = v.is_obj() && v.o->kind == ObjKind::Array;
    if (async_gen || sync_gen || array) return;
    if (!v.is_str()) in.unsupported(where, std::string(what) + " over this value (not an array, string or generator) is not modelled");
    in.iterate(v, where, [&](const Value& x) {
      chars.push_back(x);
      return true;
    });
  }

  // AsyncFromSyncIteratorContinuation: the promise settles with the value once PromiseResolve(value) fulfils.
  void continuation(Obj* result, const Value& iter_res) {
    if (!iter_res.is_obj()) {
      in.reject_promise(result, Value::obj(in.new_error("TypeError", "Iterator result " + in.inspect(iter_res) + " is not an object")));
      return;
    }
    const bool done = in.truthy(in.get(iter_res, "done"));
    const Value value = in.get(iter_res, "value");
    Obj* wrapper = in.promise_resolve(value);
    Obj* unwrap = in.new_native("async-from-sync iterator: unwrap the value", 1, [done](Interp& in, const Value&, Args& a) {
      return in.iter_result(a.empty() ? Value::undef() : a[0], done);
    });
    in.perform_then(wrapper, Value::obj(unwrap), Value::undef(), result);
  }

  // next / throw / return: a promise of the iterator result
  Value request(int mode, const Value& v, TSNode where) {
    if (async_gen) return in.async_generator_request(target.o, mode, v);
    Obj* result = in.new_promise();
    if (sync_gen) {
      try {
        continuation(result, in.generator_resume(target.o, mode, v));
      } catch (JSThrow& t) {
        in.reject_promise(result, t.value);  // IfAbruptRejectPromise
      }
      return Value::obj(result);
    }
    if (mode == kThrow) in.unsupported(where, "throw() through an async-from-sync iterator over an array or string is not modelled");
    if (mode == kReturn) {
      // the array iterator has no return(): AsyncFromSyncIterator's return() resolves at once
      sync_done = true;
      in.resolve_promise(result, in.iter_result(v, true));
      return Value::obj(result);
    }
    const std::size_t size = array ? target.o->elems.size() : chars.size();  // an array is read live
    if (sync_done || index >= size) {
      sync_done = true;
      continuation(result, in.iter_result(Value::undef(), true));
    } else {
      continuation(result, in.iter_result(array ? target.o->elems[index] : chars[index], false));
      ++index;
    }
    return Value::obj(result);
  }
};

Value Interp::iter_result(const Value& value, bool done) {
  Obj* r = new_plain();
  r->props.push_back({"value", value, true});
  r->props.push_back({"done", Value::boolean(done), true});
  return Value::obj(r);
}

// --- starting a generator --------------------------------------------------------------------------

Value Interp::start_generator(Obj* f, Env* fenv) {
  Obj* gen = new_obj(ObjKind::Generator, f->async ? async_generator_proto_ : generator_proto_);
  generators_.push_back(std::make_unique<GeneratorState>());
  GeneratorState* st = generators_.back().get();
  st->async = f->async;
  gen->gen = st;
  gen->name = f->name;
  TSNode body = syntax_.field(f->node, Field::body);
  Activation* act = new_activation(f, [this, body, fenv, st, gen](Activation* self) {
    self->co->suspend();  // created suspended at the start: the body runs on the first next()
    after_resume(self);
    bool threw = false;
    Value result;
    if (self->resume_throw) {
      threw = true;
      result = self->resume_value;
    } else {
      try {
        hoist_vars(body, fenv);
        Completion c = exec_block_body(body, fenv);
        if (c.type == Completion::Type::Return) result = st->async ? await_value(c.value, current_line) : c.value;
      } catch (JSThrow& t) {
        threw = true;
        result = t.value;
      } catch (GeneratorReturn& r) {
        result = r.value;
      }
    }
    st->state = State::Completed;
    st->threw = threw;
    st->completion = result;
    st->act = nullptr;
    if (st->async) {
      // AsyncGeneratorStart, when the body ends: complete the current request, then drain the queue.
      GeneratorState::Request req = st->queue.front();
      st->queue.pop_front();
      if (threw) reject_promise(req.promise, result);
      else resolve_promise(req.promise, iter_result(result, true));
      async_generator_request(gen, -1, Value::undef());  // drain
    }
  });
  act->generator = st;
  st->act = act;
  enter(act);  // runs up to the initial suspend
  return Value::obj(gen);
}

// A generator closed before it ever ran: its activation unwinds without running the body.
void Interp::abandon_unstarted(GeneratorState* st) {
  Activation* act = st->act;
  st->act = nullptr;
  if (act) {
    act->abandon = true;
    enter(act);
  }
}

// --- sync generators -------------------------------------------------------------------------------

Value Interp::generator_resume(Obj* gen, int mode, const Value& v) {
  GeneratorState* st = gen->gen;
  if (st->state == State::Executing) throw_error("TypeError", "Generator is already running");
  if (st->state == State::SuspendedStart && mode != kNext) {
    st->state = State::Completed;
    abandon_unstarted(st);
  }
  if (st->state == State::Completed) {
    if (mode == kThrow) throw JSThrow{v};
    return iter_result(mode == kReturn ? v : Value::undef(), true);
  }
  Activation* act = st->act;
  act->resume_value = v;
  act->resume_throw = mode == kThrow;
  act->resume_return = mode == kReturn;
  st->state = State::Executing;
  enter(act);
  if (st->state == State::Completed) {
    if (st->threw) throw JSThrow{st->completion};
    return iter_result(st->completion, true);
  }
  st->state = State::SuspendedYield;
  return iter_result(st->yielded, false);
}

// --- async generators ------------------------------------------------------------------------------

// mode -1 only drains the queue of a completed generator (AsyncGeneratorDrainQueue).
Value Interp::async_generator_request(Obj* gen, int mode, const Value& v) {
  GeneratorState* st = gen->gen;
  Obj* promise = nullptr;
  auto complete_step = [this, st](bool threw, const Value& value, bool done) {
    GeneratorState::Request req = st->queue.front();
    st->queue.pop_front();
    if (threw) reject_promise(req.promise, value);
    else resolve_promise(req.promise, iter_result(value, done));
  };
  std::function<void()> drain;
  std::function<void()> await_return = [this, st, complete_step, gen]() {
    const Value value = st->queue.front().value;
    Obj* p = promise_resolve(value);
    Obj* on_ok = new_native("async generator return: value settled", 1, [st, complete_step, gen](Interp& in, const Value&, Args& a) {
      st->state = State::Completed;
      complete_step(false, arg(a, 0), true);
      in.async_generator_request(gen, -1, Value::undef());
      return Value::undef();
    });
    Obj* on_err = new_native("async generator return: value rejected", 1, [st, complete_step, gen](Interp& in, const Value&, Args& a) {
      st->state = State::Completed;
      complete_step(true, arg(a, 0), true);
      in.async_generator_request(gen, -1, Value::undef());
      return Value::undef();
    });
    perform_then(p, Value::obj(on_ok), Value::obj(on_err), nullptr);
  };
  drain = [this, st, complete_step, await_return]() {
    while (!st->queue.empty()) {
      const auto& next = st->queue.front();
      if (next.mode == kReturn) {
        st->state = State::AwaitingReturn;
        await_return();
        return;
      }
      if (next.mode == kThrow) complete_step(true, next.value, true);
      else complete_step(false, Value::undef(), true);
    }
  };
  if (mode == -1) {
    if (st->state == State::Completed) drain();
    return Value::undef();
  }
  promise = new_promise();
  if (mode == kThrow && st->state == State::SuspendedStart) {
    st->state = State::Completed;
    abandon_unstarted(st);
  }
  if (mode != kReturn && st->state == State::Completed) {
    if (mode == kThrow) reject_promise(promise, v);
    else resolve_promise(promise, iter_result(Value::undef(), true));
    return Value::obj(promise);
  }
  const State before = st->state;
  st->queue.push_back({mode, v, promise});
  if (mode == kReturn && (before == State::SuspendedStart || before == State::Completed)) {
    if (before == State::SuspendedStart) abandon_unstarted(st);
    st->state = State::AwaitingReturn;
    await_return();
  } else if (before == State::SuspendedStart || before == State::SuspendedYield) {
    Activation* act = st->act;
    act->resume_value = v;
    act->resume_throw = mode == kThrow;
    act->resume_return = mode == kReturn;
    st->state = State::Executing;
    enter(act);
  }
  return Value::obj(promise);
}

// --- yield ------------------------------------------------------------------------------------------

Value Interp::eval_yield(TSNode node, Env* env) {
  Activation* act = current_activation_;
  if (!act || !act->generator) unsupported(node, "`yield` outside a generator is not modelled");
  GeneratorState* st = act->generator;
  bool delegate = false;
  for (std::uint32_t i = 0; i < ts_node_child_count(node); ++i)
    if (syntax_.is(ts_node_child(node, i), Kind::star)) delegate = true;
  TSNode operand = syntax_.first_named_child(node);
  Value v = ts_node_is_null(operand) ? Value::undef() : eval(operand, env);
  const std::uint32_t line = line_of(node);

  // AsyncGeneratorYield (the value already awaited, or not awaited at all for yield*): completes the current
  // request, then takes the next one or suspends until one comes. Leaves the resumption in act->resume_*.
  auto async_generator_yield = [&](const Value& value) {
    GeneratorState::Request req = st->queue.front();
    st->queue.pop_front();
    resolve_promise(req.promise, iter_result(value, false));
    if (st->queue.empty()) {
      st->state = State::SuspendedYield;
      act->co->suspend();
      after_resume(act);
      current_line = line;
    } else {
      const auto& next = st->queue.front();
      act->resume_value = next.value;
      act->resume_throw = next.mode == kThrow;
      act->resume_return = next.mode == kReturn;
    }
  };

  // Suspends at a plain `yield v`; returns what next(x) sent, or throws what throw(x)/return(x) sent.
  auto yield_once = [&](const Value& value) -> Value {
    if (!st->async) {
      st->yielded = value;
      act->co->suspend();
      after_resume(act);
      current_line = line;
      if (act->resume_throw) throw JSThrow{act->resume_value};
      if (act->resume_return) throw GeneratorReturn{act->resume_value};
      return act->resume_value;
    }
    // the value is awaited first, then the current request completes
    async_generator_yield(await_value(value, line));
    if (act->resume_throw) throw JSThrow{act->resume_value};
    if (act->resume_return) {
      // AsyncGeneratorUnwrapYieldResumption: a return(x) request awaits x first
      Value r = await_value(act->resume_value, line);
      throw GeneratorReturn{r};
    }
    return act->resume_value;
  };

  if (!delegate) return yield_once(v);
  if (st->async) {
    // yield* in an async generator (ECMAScript 2023, 15.5.5): every request goes to the inner async iterator,
    // whose results are awaited; the values it gives are passed on without another await.
    AsyncSource inner(*this, v, node, "`yield*`");
    int mode = kNext;
    Value received;
    for (;;) {
      step();
      Value r = await_value(inner.request(mode, received, node), line);
      if (!r.is_obj()) throw_error("TypeError", "Iterator result " + inspect(r) + " is not an object");
      const bool done = truthy(get(r, "done"));
      Value value = get(r, "value");
      if (done) {
        if (mode == kReturn) throw GeneratorReturn{await_value(value, line)};
        return value;
      }
      async_generator_yield(value);
      received = act->resume_value;
      mode = act->resume_throw ? kThrow : act->resume_return ? kReturn : kNext;
      if (mode == kReturn) {
        // AsyncGeneratorUnwrapYieldResumption: the return value is awaited before it is passed on; a
        // rejection becomes a throw request
        try {
          received = await_value(received, line);
        } catch (JSThrow& t) {
          received = t.value;
          mode = kThrow;
        }
      }
    }
  }
  if (v.is_obj() && v.o->kind == ObjKind::Generator && !v.o->gen->async) {
    // yield* hands every next/throw/return straight to the inner generator
    int mode = kNext;
    Value sent;
    for (;;) {
      step();
      Value r = generator_resume(v.o, mode, sent);
      if (truthy(get(r, "done"))) {
        Value value = get(r, "value");
        if (mode == kReturn) throw GeneratorReturn{value};
        return value;
      }
      st->yielded = get(r, "value");
      act->co->suspend();
      after_resume(act);
      current_line = line;
      sent = act->resume_value;
      mode = act->resume_throw ? kThrow : act->resume_return ? kReturn : kNext;
    }
  }
  std::vector<Value> items;
  iterate(v, node, [&](const Value& x) {
    items.push_back(x);
    return true;
  });
  for (const Value& x : items) yield_once(x);
  return Value::undef();
}

// --- iteration ---------------------------------------------------------------------------------------

void Interp::iterate(const Value& iterable, TSNode where, const std::function<bool(const Value&)>& visit) {
  if (iterable.is_obj() && iterable.o->kind == ObjKind::Array) {
    // arrays are iterated live: elements pushed during the loop are visited
    for (std::size_t i = 0;; ++i) {
      step();
      if (i >= iterable.o->elems.size()) return;
      if (!visit(iterable.o->elems[i])) return;
    }
  }
  if (iterable.is_str()) {
    if (non_ascii(iterable.s)) unsupported(where, "iterating a non-ASCII string is not modelled");
    const std::string text = iterable.s;
    for (char ch : text)
      if (!visit(Value::str(std::string(1, ch)))) return;
    return;
  }
  if (iterable.is_obj() && iterable.o->kind == ObjKind::Generator && !iterable.o->gen->async) {
    for (;;) {
      step();
      Value r = generator_resume(iterable.o, kNext, Value::undef());
      if (truthy(get(r, "done"))) return;
      bool go_on = false;
      try {
        go_on = visit(get(r, "value"));
      } catch (JSThrow&) {
        generator_resume(iterable.o, kReturn, Value::undef());  // IteratorClose, then the original throw
        throw;
      } catch (GeneratorReturn&) {
        generator_resume(iterable.o, kReturn, Value::undef());
        throw;
      }
      if (!go_on) {
        generator_resume(iterable.o, kReturn, Value::undef());
        return;
      }
    }
  }
  // V8 words this TypeError after the source expression; the model does not reproduce that text
  unsupported(where, "iterating this value (not an array, string or generator) is not modelled");
}

// for await (x of it)
Completion Interp::exec_for_await(TSNode node, Env* env, TSNode left, int kind, const Value& right,
                                  const std::vector<std::string>& labels) {
  const std::uint32_t line = line_of(node);
  if (!current_activation_ || !env->async_body) unsupported(node, "`for await` outside an async function is not modelled");
  AsyncSource source(*this, right, node, "`for await`");
  // AsyncIteratorClose: call return() and await its promise; after a throw, the throw wins.
  auto close = [&](bool after_throw) {
    try {
      await_value(source.request(kReturn, Value::undef(), node), line);
    } catch (JSThrow&) {
      if (!after_throw) throw;
    }
  };
  auto own = [&](const Completion& c) {
    return c.label.empty() || std::find(labels.begin(), labels.end(), c.label) != labels.end();
  };
  const BindKind bind = static_cast<BindKind>(kind);
  for (;;) {
    step();
    Value r = await_value(source.request(kNext, Value::undef(), node), line);
    if (!r.is_obj()) throw_error("TypeError", "Iterator result " + inspect(r) + " is not an object");
    if (truthy(get(r, "done"))) return {};
    Completion c;
    try {
      Env* iter = new_env(env);
      bind_pattern(left, get(r, "value"), iter, bind);
      c = exec(syntax_.field(node, Field::body), iter);
    } catch (JSThrow&) {
      close(true);
      throw;
    } catch (GeneratorReturn&) {
      // the async generator around this loop was closed by return() while suspended in the body
      close(false);
      throw;
    }
    if (c.type == Completion::Type::Normal) continue;
    if (c.type == Completion::Type::Continue && own(c)) continue;
    close(false);
    if (c.type == Completion::Type::Break && own(c)) return {};
    return c;
  }
}

// --- %GeneratorPrototype% and %AsyncGeneratorPrototype% ------------------------------------------------

void Interp::install_generator_protos() {
  generator_proto_ = new_obj(ObjKind::Plain, object_proto_);
  async_generator_proto_ = new_obj(ObjKind::Plain, object_proto_);
  auto method = [this](Obj* proto, const std::string& name, int mode, bool async) {
    Obj* f = new_native(name, 1, [mode, async, name](Interp& in, const Value& self, Args& a) {
      if (!self.is_obj() || self.o->kind != ObjKind::Generator || self.o->gen->async != async)
        in.throw_error("TypeError", name + " method called on incompatible receiver " + in.inspect(self));
      if (async) return in.async_generator_request(self.o, mode, arg(a, 0));
      return in.generator_resume(self.o, mode, arg(a, 0));
    });
    proto->props.push_back({name, Value::obj(f), false});
  };
  for (auto [proto, async] : {std::pair{generator_proto_, false}, std::pair{async_generator_proto_, true}}) {
    method(proto, "next", kNext, async);
    method(proto, "throw", kThrow, async);
    method(proto, "return", kReturn, async);
  }
}

}  // namespace asynclint::loop
