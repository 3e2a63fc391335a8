#pragma once
// The interpreter behind explain_program: a tree-walking evaluator over the tree-sitter tree, with
// ECMAScript promise jobs and Node's queues (nextTick, microtasks, timers, immediates) on a virtual clock.
#include <tree_sitter/api.h>

#include <cstdint>
#include <algorithm>
#include <deque>
#include "syntax/tree_walk.h"
#include <map>
#include <memory>
#include <set>
#include <tuple>
#include <string>
#include <unordered_map>
#include <vector>

#include "loop/coroutine.h"
#include <functional>
#include "loop/explain.h"
#include "loop/value.h"
#include "syntax/syntax.h"

namespace asynclint::loop {

struct JSThrow {  // a JavaScript exception in flight
  Value value;
};
struct Stop {  // the simulation ends: unsupported construct, a limit, or the process exiting
  std::string message;
  enum class Why { Unsupported, Limit, Exit } why = Why::Unsupported;
};
struct ShortCircuit {};  // `a?.b` with nullish `a`: the rest of the chain is skipped
struct GeneratorReturn {  // generator.return(v) at a suspended `yield`: unwinds through `finally` blocks
  Value value;
};
struct Abandon {};  // unwinds a suspended activation's C++ frames when the simulation ends

// An async function or generator activation: its own coroutine stack, and how it was resumed.
struct Activation {
  std::unique_ptr<Coroutine> co;
  bool has_stop = false;
  Stop stop;
  Value resume_value;
  bool resume_throw = false;   // resumed by a rejection, or generator.throw()
  bool resume_return = false;  // resumed by generator.return()
  bool abandon = false;
  std::size_t depth = 0;
  std::string name;
  GeneratorState* generator = nullptr;  // set for generators and async generators
};

struct Job {
  std::string label;
  std::uint32_t line = 0;
  std::function<void()> run;
};

struct Timer {
  std::uint64_t id = 0, due = 0, seq = 0, repeat = 0;
  Value callback;
  Args args;
  std::string label;
  std::uint32_t line = 0;
  Obj* handle = nullptr;
};

struct Completion {
  enum class Type { Normal, Return, Break, Continue } type = Type::Normal;
  Value value;
  std::string label;  // `break outer;` / `continue outer;`
};

class Interp {
 public:
  Interp(std::string_view source, LanguageId language, const ExplainLimits& limits);
  ExplainResult run();

  // --- used by natives -------------------------------------------------------------------------
  Obj* new_obj(ObjKind kind, Obj* proto);
  Obj* new_plain() { return new_obj(ObjKind::Plain, object_proto_); }
  Obj* new_array(std::vector<Value> elems = {});
  Obj* new_native(std::string name, int params, NativeFn fn);
  Obj* new_error(const std::string& ctor, const std::string& message);
  [[noreturn]] void throw_error(const std::string& ctor, const std::string& message);
  [[noreturn]] void unsupported(std::uint32_t line, const std::string& what);
  [[noreturn]] void unsupported(TSNode node, const std::string& what);

  Value call(const Value& fn, const Value& self, Args& args);
  Value get(const Value& target, const std::string& key) { return get(target, key, target); }
  Value get(const Value& target, const std::string& key, const Value& receiver);  // receiver: `this` of a getter
  void define_accessor(Obj* o, const std::string& key, const Value& fn, bool setter, bool enumerable);
  void define_data(Obj* o, const std::string& key, const Value& v);  // CreateDataProperty: never calls a setter
  void put(const Value& target, const std::string& key, const Value& v);
  bool callable(const Value& v) const { return v.is_obj() && v.o->kind == ObjKind::Function; }
  std::string to_string(const Value& v);
  double to_number(const Value& v);
  bool truthy(const Value& v) const;
  void refuse_opaque(const Value& v) const;  // stops the simulation when a machine-dependent value is used
  Value to_primitive(const Value& v, bool prefer_string);
  std::string inspect(const Value& v);
  std::vector<std::string> own_keys(Obj* o, bool only_enumerable = true);

  // activations (async functions, generators)
  void enter(Activation* act);
  Activation* new_activation(Obj* f, std::function<void(Activation*)> body);
  void after_resume(Activation* act);
  void abandon_suspended_activations();
  Value await_value(const Value& v, std::uint32_t line);
  Activation* current_activation_ = nullptr;
  std::set<Activation*> live_activations_;

  // generators (generators.cpp)
  Value start_generator(Obj* f, Env* fenv);
  void abandon_unstarted(GeneratorState* st);
  Value generator_resume(Obj* gen, int mode, const Value& v);  // sync: returns the iterator result object
  Value async_generator_request(Obj* gen, int mode, const Value& v);  // returns the request's promise
  Value eval_yield(TSNode node, Env* env);
  Value iter_result(const Value& value, bool done);
  // Visits the values of an iterable (arrays, strings, generators) as for…of would; `visit` returns false to stop
  // early (the iterator is then closed).
  void iterate(const Value& iterable, TSNode where, const std::function<bool(const Value&)>& visit);
  Completion exec_for_await(TSNode node, Env* env, TSNode left, int kind, const Value& right,
                            const std::vector<std::string>& labels);
  Obj* generator_proto_ = nullptr;

  // scenario programs (scenario.h)
  void install_scenario_host();
  void record_scenario_step(std::uint32_t offset, const std::string& message, std::uint32_t nesting);
  std::pair<std::uint32_t, std::string> unhandled_narration_;
  std::vector<std::tuple<Obj*, std::uint32_t, std::string>> at_end_;

  // host modules and I/O
  Value require_module(const Value& name);
  Obj* new_opaque(const std::string& what);
  void add_io(Job job);
  static constexpr std::uint64_t kIoLatencyMs = 5;  // virtual time an I/O operation takes (see README)
  std::map<std::string, Obj*> modules_;
  std::map<std::pair<std::uint64_t, std::uint64_t>, Job> io_;  // (completion time, order) → callback
  Env* global_ = nullptr;

  // classes (classes.cpp)
  Value make_class(TSNode node, Env* env, const std::string& fallback_name);
  void init_field(TSNode field, const Value& target, Env* env);
  void init_instance_fields(Obj* ctor, const Value& instance);
  Value construct_class(Obj* ctor, Args& args, Obj* new_target);
  Value super_construct(Obj* ctor, Args& args, Obj* new_target);
  Value call_class_constructor(Obj* ctor, const Value& instance, Args& args, Obj* new_target) {
    return call_function(ctor, instance, args, new_target);
  }
  Value eval_super_call(TSNode node, Env* env);
  Value super_property(TSNode node, Env* env, const std::string& key);
  void super_put(TSNode node, Env* env, const std::string& key, const Value& v);
  Obj* async_generator_proto_ = nullptr;
  std::vector<std::unique_ptr<GeneratorState>> generators_;

  // promises
  Obj* new_promise();
  std::pair<Value, Value> resolving_functions(Obj* promise);
  void resolve_promise(Obj* p, const Value& resolution);
  void fulfill_promise(Obj* p, const Value& v);
  void reject_promise(Obj* p, const Value& reason);
  void perform_then(Obj* p, const Value& on_fulfilled, const Value& on_rejected, Obj* derived, const std::string& what = "",
                    std::uint32_t line = 0);
  Obj* promise_resolve(const Value& v);
  bool is_promise(const Value& v) const { return v.is_obj() && v.o->kind == ObjKind::Promise; }
  Value invoke_then(const Value& target, const Value& on_fulfilled, const Value& on_rejected);

  void enqueue_microtask(Job job);
  void enqueue_tick(Job job) { ticks_.push_back(std::move(job)); }
  std::string fn_label(const Value& fn, const std::string& role);
  std::uint32_t fn_line(const Value& fn) const;
  void out(const std::string& text) { if (!exited_) output_ += text; }
  std::uint32_t line_of(TSNode node) const { return ts_node_start_point(node).row + 1; }
  void step();  // counts one evaluation step against the limit

  ExplainLimits limits_;
  std::uint64_t now_ = 0;
  // A setTimeout(…, 0 or 1) and a setImmediate scheduled in the same stretch of code that is not an I/O
  // callback (the main script, or one check phase's immediates): Node runs them in either order (the
  // timer is due only if a millisecond has passed when the loop next looks), so the trace says so.
  bool racing_context_ = true;  // the main script first
  std::uint32_t race_timer_line_ = 0, race_immediate_line_ = 0;
  void end_race_context(const std::string& where);
  Value set_timer_public(Args& args, bool repeat);
  void clear_timer(const Value& handle);
  Value set_immediate(Args& args);
  void clear_immediate(const Value& handle);
  Obj* object_proto() const { return object_proto_; }
  bool non_ascii_public(const std::string& s) const { return non_ascii(s); }
  bool strict_equals(const Value& a, const Value& b) { return binary_op("===", a, b, TSNode{}).b; }
  static std::string with_commas_public(std::uint64_t n);
  [[noreturn]] void uncaught(const Value& v, const std::string& where);

  // node:events and the events of `process` (builtins.cpp)
  EmitterState& emitter_state(const Value& self);
  bool emit_event(const Value& self, const std::string& name, Args& args);  // EventEmitter.prototype.emit
  std::size_t listener_count(const Value& self, const std::string& name);
  void add_listener(const Value& self, const std::string& name, const Value& fn, bool once, bool prepend);
  bool remove_listener(const Value& self, const std::string& name, const Value& fn);
  Obj* process_ = nullptr;
  Obj* emitter_proto_ = nullptr;
  Obj* timeout_proto_ = nullptr;
  bool exit_emitted_ = false;
  bool has_ref_timer() const;
  bool loop_alive() const { return !immediates_.empty() || !io_.empty() || has_ref_timer(); }
  int exit_code();  // process.exitCode, or 0
  void emit_exit(int code, bool crashed);  // process 'exit' listeners (once)

  std::uint32_t current_line = 0;
  std::size_t depth_ = 0;
  const char* stack_low_ = nullptr;
  Coroutine* current_co_ = nullptr;
  std::size_t live_coroutines_ = 0;

 private:
  friend struct Builtins;
  friend struct Inspector;
  // statements and expressions
  Completion exec(TSNode node, Env* env);
  Completion exec_block_body(TSNode block, Env* env);
  Completion exec_statements(TSNode parent, Env* env, std::uint32_t first_child = 0);
  Value eval(TSNode node, Env* env);
  Value eval_call(TSNode node, Env* env);
  Value eval_chain(TSNode node, Env* env);
  TSNode misparsed_await_base(TSNode node) const;
  bool active_await_base(TSNode base) const;
  std::set<std::pair<std::uint32_t, Activation*>> await_bases_;  // misparsed `await (…)` chains being evaluated
  Value eval_new(TSNode node, Env* env);
  Value eval_member(TSNode node, Env* env, Value* self_out);
  Value eval_binary(TSNode node, Env* env);
  Value eval_assign(TSNode node, Env* env);
  Value eval_update(TSNode node, Env* env);
  Value eval_unary(TSNode node, Env* env);
  Value eval_object(TSNode node, Env* env);
  Value eval_array(TSNode node, Env* env);
  Value eval_template(TSNode node, Env* env);
  Value eval_await(TSNode node, Env* env);
  Value make_function(TSNode node, Env* env, const std::string& name);
  Value binary_op(const std::string& op, const Value& a, const Value& b, TSNode where);
  void eval_args(TSNode args_node, Env* env, Args& out);
  Completion exec_for(TSNode node, Env* env, const std::vector<std::string>& labels);
  Completion exec_for_in(TSNode node, Env* env, const std::vector<std::string>& labels);
  Completion exec_while(TSNode node, Env* env, const std::vector<std::string>& labels, bool test_first);
  std::vector<std::string> pending_labels_;  // labels of the statement about to run (`a: b: for …`)
  void install_generator_protos();
  Completion exec_try(TSNode node, Env* env);
  Completion exec_switch(TSNode node, Env* env);
  void declare(TSNode decl, Env* env);

  // bindings
  enum class BindKind { Var, Let, Const, Assign };
  void bind_pattern(TSNode pattern, const Value& v, Env* env, BindKind kind);
  void define(Env* env, const std::string& name, const Value& v, BindKind kind);
  Binding* lookup(Env* env, const std::string& name);
  void assign_name(Env* env, const std::string& name, const Value& v, TSNode where);
  void hoist_vars(TSNode node, Env* fenv);
  // The `var` names of each function body, found once: a body runs as often as its function is called.
  std::unordered_map<std::uint64_t, std::vector<std::string>> hoisted_names_;
  std::vector<std::string> collect_var_names(TSNode node);
  void declare_block(TSNode block, Env* env);
  std::vector<std::string> pattern_names(TSNode pattern);
  Env* new_env(Env* parent);
  Value this_value(Env* env);
  bool is_strict_code(TSNode node);
  Obj* module_exports_this_ = nullptr;  // what sloppy `this` is, as opaque stand-ins (eval.cpp)
  Obj* global_this_ = nullptr;
  Value lookup_value(TSNode ident, Env* env);

  Value call_function(Obj* f, const Value& self, Args& args, Obj* new_target);
  Value run_async(Obj* f, Env* fenv);
  Value construct(const Value& ctor, Args& args, TSNode where);
  std::string identifier_name(TSNode node) { return std::string(syntax_.text(node)); }
  std::string property_key(TSNode key, Env* env);
  std::string string_literal(TSNode node);
  bool non_ascii(const std::string& s) const;

  // event loop
  void run_event_loop();
  void drain();
  void run_job(const Job& job, const std::string& what);
  void record_step(std::uint32_t line, const std::string& what);
  void snapshot_queues();
  void check_unhandled_rejections();
  Value host_object(const std::string& name);

  void setup_globals();

  std::string source_;
  LanguageId language_;
  const SyntaxTables& tables_;
  Syntax syntax_;
  TSTree* tree_ = nullptr;

  std::vector<std::unique_ptr<Obj>> heap_;
  std::vector<std::unique_ptr<Env>> envs_;
  Obj* object_proto_ = nullptr;
  Obj* function_proto_ = nullptr;
  Obj* array_proto_ = nullptr;
  Obj* promise_proto_ = nullptr;
  Obj* error_proto_ = nullptr;
  Obj* string_proto_ = nullptr;
  Obj* number_proto_ = nullptr;
  Obj* promise_ctor_ = nullptr;
  std::map<std::string, Obj*> error_protos_;

  std::deque<Job> ticks_, microtasks_;
  std::map<std::pair<std::uint64_t, std::uint64_t>, Timer> timers_;  // (due, seq) → timer
  std::deque<std::pair<Obj*, Job>> immediates_;
  std::map<std::uint64_t, std::pair<std::uint64_t, std::uint64_t>> timer_keys_;  // id → key in timers_
  std::uint64_t timer_seq_ = 0, next_timer_id_ = 1;
  std::vector<Obj*> pending_rejections_;

  std::uint64_t steps_ = 0;
  const char* main_stack_low_ = nullptr;
  std::set<std::uint64_t> cleared_running_;
  std::set<Obj*> cleared_immediates_;

  std::string output_;
  bool exited_ = false;
  ExplainResult result_;
};

std::string number_to_string(double d);
constexpr std::size_t kStackMarginEval = 128 * 1024;

inline bool array_index(const std::string& key, std::size_t& index) {
  if (key.empty() || key.size() > 15) return false;
  if (key.size() > 1 && key[0] == '0') return false;
  std::size_t n = 0;
  for (char c : key) {
    if (c < '0' || c > '9') return false;
    n = n * 10 + static_cast<std::size_t>(c - '0');
  }
  index = n;
  return true;
}

}  // namespace asynclint::loop
