#pragma once
// Which class a value is an instance of, from declarations alone (analyzer/types/README.md).
#include <tree_sitter/api.h>

#include <string>
#include <string_view>
#include <map>
#include <unordered_map>
#include <utility>

#include "semantic/semantic_model.h"

namespace asynclint {

// A class of this file (`local`), or one imported from the project (`imported`: the module as written and
// the export name), or a web platform class whose promise methods are known (`web`: `RTCPeerConnection`,
// semantic/known_apis.h), or none of these.
struct ClassRef {
  TSNode local{};
  ImportQuestion imported;
  std::string_view web;
  // No class of the project: `web` may still name a platform class.
  bool empty() const { return ts_node_is_null(local) && imported.empty(); }
};

class ClassResolver {
 public:
  explicit ClassResolver(const SemanticModel& model) : model_(model), syntax_(model.syntax()) {}

  // The class whose instance `value` is: `new C()`, a `const` holding one, a local factory returning one, a
  // class field or constructor parameter property, a parameter declared `C`.
  ClassRef instance_of(TSNode value) const;
  // The class a name denotes (for static calls `C.create()`): a class declaration, or an import.
  ClassRef class_named(TSNode name) const;
  // A method of a class of this file, searched up its `extends` chain while it stays in this file.
  TSNode method_of(TSNode class_node, std::string_view name) const;

 private:
  ClassRef instance_at(TSNode value, int depth) const;
  ClassRef of_type_annotation(TSNode annotation) const;
  // The class a type names: `C`, `C<T>`, `C | undefined`, `C | null`.
  ClassRef of_type(TSNode type) const;
  ClassRef of_this_field(TSNode member, int depth) const;

  const SemanticModel& model_;
  const Syntax& syntax_;
  // How many instance questions are open at once: a factory's callee is resolved through local_function_of,
  // which may ask about an instance again, so the depth must be counted across those calls.
  mutable int open_questions_ = 0;
  // of_this_field answers by (class node, field name): every `this.x` of a class asks the same question.
  mutable std::map<std::pair<std::uintptr_t, std::string_view>, ClassRef> this_fields_;
};

}  // namespace asynclint
