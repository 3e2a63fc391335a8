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
    // AsyncGeneratorYield: the value is awaited first, then the current request completes.
    Value awaited = await_value(value, line);
    GeneratorState::Request req = st->queue.front();
    st->queue.pop_front();
    resolve_promise(req.promise, iter_result(awaited, false));
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
    if (act->resume_throw) throw JSThrow{act->resume_value};
    if (act->resume_return) {
      // AsyncGeneratorUnwrapYieldResumption: a return(x) request awaits x first
      Value r = await_value(act->resume_value, line);
      throw GeneratorReturn{r};
    }
    return act->resume_value;
  };

  if (!delegate) return yield_once(v);
  if (st->async) unsupported(node, "`yield*` in an async generator is not modelled");
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

// for await (x of it): over an async generator, or over a sync iterable through CreateAsyncFromSyncIterator.
Completion Interp::exec_for_await(TSNode node, Env* env, TSNode left, int kind, const Value& right) {
  const std::uint32_t line = line_of(node);
  if (!current_activation_ || !env->async_body) unsupported(node, "`for await` outside an async function is not modelled");
  const bool async_source = right.is_obj() && right.o->kind == ObjKind::Generator && right.o->gen->async;
  std::vector<Value> sync_items;
  std::size_t sync_index = 0;
  if (!async_source) {
    if (right.is_obj() && right.o->kind == ObjKind::Generator) unsupported(node, "`for await` over a sync generator is not modelled");
    iterate(right, node, [&](const Value& x) {
      sync_items.push_back(x);
      return true;
    });
  }
  // %AsyncFromSyncIteratorPrototype%.next: the value is wrapped in a promise, unwrapped by a then job.
  auto next_result = [&]() -> Value {
    if (async_source) return async_generator_request(right.o, kNext, Value::undef());
    const bool done = sync_index >= sync_items.size();
    const Value value = done ? Value::undef() : sync_items[sync_index++];
    Obj* result = new_promise();
    Obj* wrapper = promise_resolve(value);
    Obj* unwrap = new_native("for await: unwrap the value", 1, [done](Interp& in, const Value&, Args& a) {
      return in.iter_result(arg(a, 0), done);
    });
    perform_then(wrapper, Value::obj(unwrap), Value::undef(), result);
    return Value::obj(result);
  };
  auto close = [&]() {
    if (async_source) {
      await_value(async_generator_request(right.o, kReturn, Value::undef()), line);
    } else {
      // the array iterator has no return(): AsyncFromSyncIterator's return() resolves at once
      Obj* p = new_promise();
      resolve_promise(p, iter_result(Value::undef(), true));
      await_value(Value::obj(p), line);
    }
  };
  const BindKind bind = static_cast<BindKind>(kind);
  for (;;) {
    step();
    Value r = await_value(next_result(), line);
    if (!r.is_obj()) throw_error("TypeError", "Iterator result " + inspect(r) + " is not an object");
    if (truthy(get(r, "done"))) return {};
    Env* iter = new_env(env);
    bind_pattern(left, get(r, "value"), iter, bind);
    Completion c;
    try {
      c = exec(syntax_.field(node, Field::body), iter);
    } catch (JSThrow&) {
      close();
      throw;
    }
    if (c.type == Completion::Type::Break || c.type == Completion::Type::Return) {
      close();
      if (c.type == Completion::Type::Return) return c;
      if (!c.label.empty()) return c;
      return {};
    }
    if (c.type == Completion::Type::Continue && !c.label.empty()) {
      close();
      return c;
    }
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
