#pragma once
// Node kinds and field names as one small enum shared by all grammars. Each grammar numbers its symbols
// differently, so SyntaxTables maps a grammar's symbol ids to Kind once, at start-up; after that a kind
// test is an array index and an integer compare.
#include <cstdint>
#include <string_view>
#include <vector>

#include "syntax/language.h"

namespace asynclint {

// Named node kinds (spelled as in the grammars' node-types.json).
#define ASYNCLINT_NAMED_KINDS(X)                                                                    \
  X(program) X(comment) X(identifier) X(property_identifier) X(private_property_identifier)          \
  X(shorthand_property_identifier) X(shorthand_property_identifier_pattern) X(type_identifier)       \
  X(statement_identifier) X(this_) X(super_) X(string) X(string_fragment) X(template_string)        \
  X(template_substitution) X(number) X(true_) X(false_) X(null_) X(undefined_) X(regex)             \
  X(expression_statement) X(statement_block) X(empty_statement) X(if_statement) X(else_clause)      \
  X(for_statement) X(for_in_statement) X(while_statement) X(do_statement) X(try_statement)           \
  X(catch_clause) X(finally_clause) X(throw_statement) X(return_statement) X(switch_statement)        \
  X(switch_body) X(switch_case) X(switch_default) X(labeled_statement) X(break_statement)             \
  X(continue_statement) X(lexical_declaration) X(variable_declaration) X(variable_declarator)         \
  X(function_declaration) X(generator_function_declaration) X(function_expression)                    \
  X(generator_function) X(arrow_function) X(method_definition) X(class_declaration) X(class_)        \
  X(abstract_class_declaration) X(class_body) X(class_static_block) X(field_definition)             \
  X(public_field_definition) X(formal_parameters) X(required_parameter) X(optional_parameter)        \
  X(rest_pattern) X(assignment_pattern) X(object_pattern) X(array_pattern) X(pair_pattern)            \
  X(object_assignment_pattern) X(call_expression) X(new_expression) X(member_expression)              \
  X(subscript_expression) X(await_expression) X(yield_expression) X(unary_expression)                 \
  X(binary_expression) X(ternary_expression) X(assignment_expression)                                 \
  X(augmented_assignment_expression) X(update_expression) X(sequence_expression)                      \
  X(parenthesized_expression) X(arguments) X(spread_element) X(object) X(pair) X(array)              \
  X(computed_property_name) X(import_statement) X(import_clause) X(named_imports)                     \
  X(import_specifier) X(namespace_import) X(import_require_clause) X(export_statement) X(export_clause) X(export_specifier)    \
  X(namespace_export) X(import) X(as_expression) X(satisfies_expression) X(non_null_expression)      \
  X(type_assertion) X(type_annotation) X(generic_type) X(type_arguments) X(nested_type_identifier)    \
  X(jsx_expression) X(optional_chain) X(decorator) X(interface_declaration)                           \
  X(type_alias_declaration) X(enum_declaration) X(function_signature) X(method_signature)             \
  X(abstract_method_signature) X(ambient_declaration) X(internal_module) X(module)                    \
  X(instantiation_expression) X(ERROR) X(escape_sequence) X(class_heritage) X(meta_property) X(union_type)

// Anonymous tokens we look at (keywords and operators).
#define ASYNCLINT_TOKEN_KINDS(X)                                                                    \
  X(kw_async, "async") X(kw_await, "await") X(kw_void, "void") X(kw_var, "var") X(kw_let, "let")     \
  X(kw_const, "const") X(kw_static, "static") X(kw_get, "get") X(kw_set, "set") X(star, "*")         \
  X(op_and, "&&") X(op_or, "||") X(op_nullish, "??") X(kw_of, "of") X(kw_in, "in")                   \
  X(kw_default, "default") X(op_assign, "=") X(kw_typeof, "typeof") X(kw_delete, "delete")

enum class Kind : std::uint8_t {
  unknown = 0,
#define ASYNCLINT_ENUM_NAMED(name) name,
#define ASYNCLINT_ENUM_TOKEN(name, text) name,
  ASYNCLINT_NAMED_KINDS(ASYNCLINT_ENUM_NAMED) ASYNCLINT_TOKEN_KINDS(ASYNCLINT_ENUM_TOKEN)
#undef ASYNCLINT_ENUM_NAMED
#undef ASYNCLINT_ENUM_TOKEN
  count_
};

#define ASYNCLINT_FIELDS(X)                                                                         \
  X(function) X(arguments) X(object) X(property) X(body) X(name) X(value) X(left) X(right)          \
  X(condition) X(consequence) X(alternative) X(parameters) X(parameter) X(return_type) X(argument)   \
  X(source) X(constructor) X(pattern) X(declaration) X(alias) X(key) X(handler) X(finalizer)         \
  X(operator_) X(kind) X(index) X(type) X(type_arguments) X(increment) X(initializer)

enum class Field : std::uint8_t {
#define ASYNCLINT_ENUM_FIELD(name) name,
  ASYNCLINT_FIELDS(ASYNCLINT_ENUM_FIELD)
#undef ASYNCLINT_ENUM_FIELD
  count_
};

// The spelling of a Kind in the grammars (`this_` → "this"); used to resolve kinds named by rules.
std::string_view kind_name(Kind kind);
// The Kind a grammar-independent name denotes (named kinds only), or Kind::unknown.
Kind kind_from_name(std::string_view name);

class SyntaxTables {
 public:
  static const SyntaxTables& for_language(LanguageId id);  // built once, thread-safe

  Kind kind(std::uint16_t symbol) const { return symbol < kinds_.size() ? kinds_[symbol] : Kind::unknown; }
  std::uint16_t field_id(Field field) const { return field_ids_[static_cast<int>(field)]; }
  std::uint16_t symbol_count() const { return static_cast<std::uint16_t>(kinds_.size()); }

 private:
  explicit SyntaxTables(LanguageId id);
  std::vector<Kind> kinds_;
  std::uint16_t field_ids_[static_cast<int>(Field::count_)] = {};
};

}  // namespace asynclint
