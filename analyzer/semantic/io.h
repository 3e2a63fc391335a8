#pragma once
// "Does this start I/O?" — work with latency that holds a resource while it is pending: a request, a
// query, a file, a child process. The concurrency rules ask it: running operations together only saves
// time when each one waits on something outside the process (sequential-await), and a fan-out only
// exhausts something when each element holds a socket, a connection or a file (unbounded-promise-all).
//
// Evidence, never a guess from a name:
//   - global `fetch`; a function or object of a module known to do I/O (`fs`, `child_process`, `http`,
//     `pg`, `axios`, `@aws-sdk/*`, … in known_apis), also through `util.promisify`, an instance it creates
//     (`const pool = new Pool()`, `const db = client.db('x')`, `this.pool = new Pool()`) and compilers'
//     interop helpers, or declared with a type such a module exports (`db: Knex`, `private pool: Pool`);
//     synchronous variants (`readFileSync`, `glob.sync`) excluded;
//   - a function of this file whose body makes such a call (an awaited one, a returned one, one inside a
//     `new Promise` executor), followed through `this.method()` and local calls;
//   - a function imported from the project: its file's export facts answer (listed in `imports`).
// Anything else — a method of an object asynclint cannot trace, a callback — has no evidence: the rules
// stay silent rather than guess.
#include <tree_sitter/api.h>

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <unordered_map>
#include <vector>

#include "semantic/semantic_model.h"

namespace asynclint {

struct IoFact {
  bool does_io = false;
  std::string reason;                   // the evidence: "pool.query() from 'pg' (line 12)", "fetch()"
  std::string module;                   // where the evidence comes from: "pg", "fs/promises", "fetch"
  std::vector<ImportQuestion> imports;  // project imports whose own I/O would settle it
  // Every piece of evidence found reads or writes single local files (`fs.readFile`, `fs-extra`'s
  // `readJSON`, `mkdir`): no server, process or directory walk. Such a fact keeps its `imports`, whose own
  // I/O may go further.
  bool local_files_only = false;

  bool depends_on_imports() const { return !does_io && !imports.empty(); }
  // Latency worth overlapping: I/O beyond single local files, or imports that may have it.
  bool has_latency() const { return does_io && !local_files_only; }
  bool latency_depends_on_imports() const { return !has_latency() && !imports.empty(); }
};

class IoModel {
 public:
  explicit IoModel(const SemanticModel& model) : model_(model), syntax_(model.syntax()) {}

  // A call: does it start I/O, itself or through the functions it calls?
  IoFact of_call(TSNode call) const;
  // An awaited or collected value: a call, or a `const` bound to one.
  IoFact of_expression(TSNode expression) const;
  // Calling this function: does it start I/O?
  IoFact of_function(TSNode function) const;
  // Whether I/O from this module reads the local file system (fs, fs-extra, globs) rather than a server.
  static bool is_file_system_module(std::string_view module);
  // Whether a call of `function` from `module` touches single local files: the file-system modules' calls
  // other than directory walks (`readdir`, `opendir`, globs) and recursive copies or removals.
  static bool is_single_file_call(std::string_view module, std::string_view function);

 private:
  IoFact call_at(TSNode call, int depth) const;
  IoFact function_at(TSNode function, int depth) const;
  // The module a value comes from, when it is an import of an I/O module or something such an import
  // made (`new Pool()`, `client.db()`, a field or const holding one); empty otherwise.
  std::string_view io_module_of(TSNode value, int depth) const;
  std::string_view io_module_of_this_field(TSNode member, int depth) const;
  // A parameter or constructor parameter property declared with a type imported from an I/O module
  // (`db: Knex`, `private readonly pool: Pool`).
  std::string_view io_module_of_declared_type(TSNode parameter) const;
  // A type annotation (`: Knex`, `: pg.Pool`) naming a type imported from an I/O module.
  std::string_view io_module_of_type(TSNode annotation) const;

  const SemanticModel& model_;
  const Syntax& syntax_;
  mutable std::unordered_map<std::uintptr_t, IoFact> functions_;
  mutable std::unordered_map<std::uintptr_t, bool> in_progress_;
  // io_module_of_this_field by (class node, field name).
  mutable std::map<std::pair<std::uintptr_t, std::string_view>, std::string_view> this_field_modules_;
};

// The callee a call really has: through `await f<T>(x)`, `await (f)(x)` and compiled `(0, m.f)(x)`.
TSNode real_callee(const Syntax& syntax, TSNode call);

}  // namespace asynclint
