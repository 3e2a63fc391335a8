#include "types/class_of.h"

#include "semantic/known_apis.h"
#include "syntax/tree_walk.h"

namespace asynclint {

namespace {
constexpr int kMaxDepth = 16;

bool is_relative(std::string_view specifier) { return !specifier.empty() && (specifier[0] == '.' || specifier[0] == '/'); }

bool same_class(const ClassRef& a, const ClassRef& b) {
  if (!ts_node_is_null(a.local) || !ts_node_is_null(b.local)) return same_node(a.local, b.local);
  return a.imported.module == b.imported.module && a.imported.name == b.imported.name && a.web == b.web;
}

bool known(const ClassRef& ref) { return !ref.empty() || !ref.web.empty(); }
}  // namespace

ClassRef ClassResolver::instance_of(TSNode value) const { return instance_at(value, 0); }

ClassRef ClassResolver::class_named(TSNode name) const {
  name = syntax_.unwrap(name);
  ClassRef ref;
  if (syntax_.is(name, Kind::identifier)) {
    const Binding* binding = model_.resolve(name);
    if (!binding) {
      ref.web = web_platform_class(syntax_.text(name));  // `new RTCPeerConnection(config)`
      return ref;
    }
    if (binding->kind == BindingKind::Class) ref.local = binding->value;
    else if (binding->kind == BindingKind::Import && is_relative(binding->module))
      ref.imported = {std::string(binding->module), binding->imported == "*" ? "default" : std::string(binding->imported)};
    else if (binding->kind == BindingKind::Variable && !model_.assignments_of(*binding)) {
      TSNode value = syntax_.unwrap(binding->value);  // `const Queue = class { … }`
      if (syntax_.is(value, Kind::class_)) ref.local = value;
    }
  } else if (syntax_.is(name, Kind::member_expression)) {
    // `models.User` of `import * as models from './models'`.
    TSNode object = syntax_.unwrap(syntax_.field(name, Field::object));
    const Binding* binding = syntax_.is(object, Kind::identifier) ? model_.resolve(object) : nullptr;
    if (binding && binding->kind == BindingKind::Import && binding->imported == "*" && is_relative(binding->module))
      ref.imported = {std::string(binding->module), std::string(syntax_.text(syntax_.field(name, Field::property)))};
  }
  return ref;
}

TSNode ClassResolver::method_of(TSNode class_node, std::string_view name) const {
  for (int guard = 0; guard < 8 && !ts_node_is_null(class_node); ++guard) {
    TSNode method = model_.class_method(class_node, name);
    if (!ts_node_is_null(method)) return method;
    // `class A extends B`: B's methods, while B is a class of this file.
    TSNode heritage{};
    for (std::uint32_t i = 0, n = ts_node_named_child_count(class_node); i < n; ++i)
      if (syntax_.is(ts_node_named_child(class_node, i), Kind::class_heritage)) heritage = ts_node_named_child(class_node, i);
    if (ts_node_is_null(heritage)) return TSNode{};
    TSNode base = syntax_.first_named_child(heritage);
    if (syntax_.kind(base) != Kind::identifier && syntax_.kind(base) != Kind::member_expression) base = syntax_.first_named_child(base);
    class_node = class_named(base).local;
  }
  return TSNode{};
}

ClassRef ClassResolver::of_type_annotation(TSNode annotation) const { return of_type(syntax_.first_named_child(annotation)); }

ClassRef ClassResolver::of_type(TSNode type) const {
  // `peerConn?: RTCPeerConnection | undefined`: the one member that is not undefined or null.
  if (syntax_.is(type, Kind::union_type)) {
    TSNode only{};
    int others = 0;
    for_each_named_child(type, [&](TSNode member) {
      const std::string_view text = syntax_.text(member);
      if (text == "undefined" || text == "null") return true;
      if (ts_node_is_null(only)) only = member;
      else ++others;
      return true;
    });
    if (ts_node_is_null(only) || others > 0) return {};
    type = only;
  }
  if (syntax_.is(type, Kind::generic_type)) type = syntax_.field(type, Field::name);
  if (!syntax_.is(type, Kind::type_identifier) && !syntax_.is(type, Kind::identifier)) return {};
  const Binding* binding = model_.resolve(syntax_.text(type), ts_node_start_byte(type));
  ClassRef ref;
  if (!binding) {
    ref.web = web_platform_class(syntax_.text(type));
    return ref;
  }
  if (binding->kind == BindingKind::Class) ref.local = binding->value;
  else if (binding->kind == BindingKind::Import && is_relative(binding->module))
    ref.imported = {std::string(binding->module), binding->imported == "*" ? "default" : std::string(binding->imported)};
  return ref;
}

ClassRef ClassResolver::instance_at(TSNode value, int depth) const {
  if (depth > kMaxDepth || open_questions_ > kMaxDepth) return {};
  struct Open {
    int& count;
    explicit Open(int& c) : count(c) { ++count; }
    ~Open() { --count; }
  } open(open_questions_);
  // `el as HTMLVideoElement`: the type the code states.
  while (syntax_.is(value, Kind::parenthesized_expression) && !ts_node_is_null(syntax_.first_named_child(value)))
    value = syntax_.first_named_child(value);
  if (syntax_.is(value, Kind::as_expression) && ts_node_named_child_count(value) == 2) {
    ClassRef stated = of_type(ts_node_named_child(value, 1));
    if (known(stated)) return stated;
  }
  value = syntax_.unwrap(value);
  switch (syntax_.kind(value)) {
    case Kind::new_expression:
      return class_named(syntax_.field(value, Field::constructor));
    case Kind::identifier: {
      const Binding* binding = model_.resolve(value);
      if (!binding) return {};
      if (binding->kind == BindingKind::Parameter) {
        TSNode parameter = binding->declared_by;
        if (syntax_.is(parameter, Kind::required_parameter) || syntax_.is(parameter, Kind::optional_parameter))
          return of_type_annotation(syntax_.field(parameter, Field::type));
        return {};
      }
      if (binding->kind != BindingKind::Variable || model_.assignments_of(*binding)) return {};
      // `const queue: JobQueue = …` says it as well as `new JobQueue()` does.
      TSNode declarator = binding->declared_by;
      if (syntax_.is(declarator, Kind::variable_declarator)) {
        ClassRef declared = of_type_annotation(syntax_.field(declarator, Field::type));
        if (known(declared)) return declared;
      }
      return ts_node_is_null(binding->value) ? ClassRef{} : instance_at(binding->value, depth + 1);
    }
    case Kind::member_expression:
      if (syntax_.is(syntax_.unwrap(syntax_.field(value, Field::object)), Kind::this_)) return of_this_field(value, depth + 1);
      return {};
    case Kind::call_expression: {
      // A local factory: every value it returns is an instance of the same class.
      TSNode factory = model_.local_function_of(syntax_.field(value, Field::function));
      if (ts_node_is_null(factory) || model_.is_async_function(factory) || model_.is_generator_function(factory)) return {};
      TSNode body = syntax_.field(factory, Field::body);
      if (!syntax_.is(body, Kind::statement_block)) return instance_at(body, depth + 1);
      ClassRef found;
      bool consistent = true;
      walk_preorder(body, [&](TSNode node, std::uint32_t) {
        if (!consistent || SemanticModel::is_function_kind(syntax_.kind(node)) || syntax_.is(node, Kind::class_body)) return false;
        if (!syntax_.is(node, Kind::return_statement)) return true;
        ClassRef returned = instance_at(syntax_.first_named_child(node), depth + 1);
        if (returned.empty() || (!found.empty() && !same_class(found, returned))) consistent = false;
        else found = returned;
        return false;
      });
      return consistent ? found : ClassRef{};
    }
    default:
      return {};
  }
}

// A field of the class `this` is: declared with a class type (`private queue: JobQueue`, a constructor
// parameter property), or every write of it makes an instance of the same class.
ClassRef ClassResolver::of_this_field(TSNode member, int depth) const {
  TSNode class_node = model_.enclosing_class_for_this(ts_node_start_byte(member));
  if (ts_node_is_null(class_node)) return {};
  const std::string_view name = syntax_.text(syntax_.field(member, Field::property));
  const auto key = std::make_pair(node_key(class_node), name);
  if (auto known = this_fields_.find(key); known != this_fields_.end()) return known->second;
  this_fields_[key] = ClassRef{};  // a field written from itself (`this.a = this.a.next`) is not known
  // A constructor parameter property, or a field declared with a web platform class (`public peerConn?:
  // RTCPeerConnection`, assigned from a factory asynclint cannot follow), is what its type says, wherever
  // the declaration stands among the writes. A field declared with a project class must also agree with
  // its writes: the review loop found `#query: Query = undefined!` reassigned with values of other shapes.
  for (const SemanticModel::FieldWrite& write : model_.this_field_writes(class_node, name)) {
    if (write.form == SemanticModel::FieldWrite::Form::Assignment) continue;
    ClassRef declared = of_type_annotation(syntax_.field(write.node, Field::type));
    if (!declared.web.empty() || write.form == SemanticModel::FieldWrite::Form::ParameterProperty) {
      this_fields_[key] = declared;
      return declared;
    }
  }
  ClassRef found;
  bool consistent = true;
  for (const SemanticModel::FieldWrite& write : model_.this_field_writes(class_node, name)) {
    ClassRef written;
    switch (write.form) {
      case SemanticModel::FieldWrite::Form::ParameterProperty:
        break;  // answered above
      case SemanticModel::FieldWrite::Form::Declaration: {
        written = of_type_annotation(syntax_.field(write.node, Field::type));
        TSNode value = syntax_.field(write.node, Field::value);
        if (!known(written) && !ts_node_is_null(value)) written = instance_at(value, depth + 1);
        if (!known(written) && ts_node_is_null(value)) continue;  // `private cache;`: declared, not written
        break;
      }
      case SemanticModel::FieldWrite::Form::Assignment: {
        TSNode right = syntax_.unwrap(syntax_.field(write.node, Field::right));
        if (is_nullish_literal(syntax_, right)) continue;  // a reset
        written = instance_at(right, depth + 1);
        break;
      }
    }
    if (!known(written) || (known(found) && !same_class(found, written))) {
      consistent = false;
      break;
    }
    found = written;
  }
  ClassRef result = consistent ? found : ClassRef{};
  this_fields_[key] = result;
  return result;
}

}  // namespace asynclint
