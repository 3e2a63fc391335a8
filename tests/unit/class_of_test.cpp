// Unit tests of "which class is this value an instance of?" (analyzer/types/class_of.h), and of what it gives
// the rest of the model: methods of instances resolved in this file, questions for the exporting file.
#include <catch2/catch.hpp>

#include "parsed_source.h"
#include "types/class_of.h"

using namespace asynclint;
using testing::Parsed;

TEST_CASE("class_of: instances followed to their class", "[types]") {
  Parsed p(
      "import { Remote } from './remote';\n"
      "import * as models from './models';\n"
      "class Queue { async add(job: unknown) { await store.put(job); } }\n"
      "class Base { async flush() { throw new Error('x'); } }\n"
      "class Derived extends Base {}\n"
      "function makeQueue() { return new Queue(); }\n"
      "const direct = new Queue();\n"
      "const made = makeQueue();\n"
      "const remote = new Remote();\n"
      "const user = new models.User();\n"
      "const derived = new Derived();\n"
      "let reassigned = new Queue(); reassigned = other;\n"
      "class Service {\n"
      "  private cache = new Queue();\n"
      "  private jobs: Queue;\n"
      "  constructor(private readonly remote: Remote, plain: Queue) { this.jobs = plain; }\n"
      "  run(typed: Queue) {\n"
      "    this.cache.add(1); this.jobs.add(2); this.remote.get(3); typed.add(4);\n"
      "  }\n"
      "}\n"
      "direct.add(5); made.add(6); remote.get(7); user.save(8); derived.flush(); reassigned.add(9); Queue.create(10);\n",
      LanguageId::TypeScript);
  REQUIRE_FALSE(p.has_error());
  const SemanticModel& model = p.model();
  auto callee = [&](std::string_view call_text) {
    TSNode call = p.call(call_text);
    INFO(call_text);
    REQUIRE_FALSE(ts_node_is_null(call));
    return p.syntax().field(call, Field::function);
  };
  auto local_method = [&](std::string_view call_text) {
    TSNode method = model.local_function_of(callee(call_text));
    return ts_node_is_null(method) ? std::string() : model.function_name(method);
  };
  auto question = [&](std::string_view call_text) {
    ImportQuestion q = model.import_of(callee(call_text));
    return q.module + "|" + q.name;
  };
  CHECK(local_method("direct.add(5)") == "add");
  CHECK(local_method("made.add(6)") == "add");
  CHECK(local_method("derived.flush()") == "flush");  // inherited from a class of this file
  CHECK(local_method("this.cache.add(1)") == "add");
  CHECK(local_method("this.jobs.add(2)") == "add");    // declared `private jobs: Queue`
  CHECK(local_method("typed.add(4)") == "add");        // a parameter declared `Queue`
  CHECK(local_method("reassigned.add(9)").empty());    // assigned twice: not followed
  CHECK(question("remote.get(7)") == "./remote|Remote.get");
  CHECK(question("this.remote.get(3)") == "./remote|Remote.get");  // a constructor parameter property
  CHECK(question("user.save(8)") == "./models|User.save");
  CHECK(question("Queue.create(10)") == "|");  // a class of this file: not a question for another
  // The method found is the class's: its promise and its rejection are the method's.
  CHECK(model.produces_promise(p.call("direct.add(5)")).answer == PromiseFact::Answer::Yes);
  CHECK(model.produces_promise(p.call("remote.get(7)")).answer == PromiseFact::Answer::IfImportReturnsPromise);
}
