// Classes: constructors, methods (static, async, generator), public fields, static blocks, `extends`
// and `super`. Getters, setters and private names are refused, never approximated.
#include "loop/interp.h"

namespace asynclint::loop {

namespace {
bool has_token(const Syntax& syntax, TSNode node, Kind kind) {
  for (std::uint32_t i = 0; i < ts_node_child_count(node); ++i)
    if (syntax.is(ts_node_child(node, i), kind)) return true;
  return false;
}
}  // namespace

Value Interp::make_class(TSNode node, Env* env, const std::string& fallback_name) {
  TSNode name_node = syntax_.field(node, Field::name);
  const std::string name = ts_node_is_null(name_node) ? fallback_name : identifier_name(name_node);
  Obj* parent = nullptr;
  for (std::uint32_t i = 0; i < ts_node_named_child_count(node); ++i) {
    TSNode c = ts_node_named_child(node, i);
    if (!syntax_.is(c, Kind::class_heritage)) continue;
    Value p = eval(syntax_.first_named_child(c), env);
    if (p.t == Value::T::Null) unsupported(c, "`extends null` is not modelled");
    if (!callable(p)) throw_error("TypeError", "Class extends value " + inspect(p) + " is not a constructor or null");
    parent = p.o;
  }
  Env* class_env = new_env(env);  // the class's own name, visible inside it
  Obj* ctor = new_obj(ObjKind::Function, parent ? parent : function_proto_);
  ctor->name = name;
  ctor->is_class_ctor = true;
  ctor->class_parent = parent;
  ctor->closure = class_env;
  Value parent_proto = parent ? get(Value::obj(parent), "prototype") : Value::obj(object_proto_);
  Obj* proto = new_obj(ObjKind::Plain, parent_proto.is_obj() ? parent_proto.o : nullptr);
  proto->props.push_back({"constructor", Value::obj(ctor), false});
  ctor->props.push_back({"prototype", Value::obj(proto), false});
  ctor->home_object = proto;
  if (!name.empty()) class_env->vars[name] = Binding{Value::obj(ctor), true, true};

  TSNode body = syntax_.field(node, Field::body);
  std::vector<TSNode> static_members;
  for (std::uint32_t i = 0; i < ts_node_named_child_count(body); ++i) {
    TSNode m = ts_node_named_child(body, i);
    const Kind k = syntax_.kind(m);
    if (k == Kind::comment) continue;
    if (k == Kind::method_definition) {
      const int accessor = has_token(syntax_, m, Kind::kw_get) ? 1 : has_token(syntax_, m, Kind::kw_set) ? 2 : 0;
      const bool is_static = has_token(syntax_, m, Kind::kw_static);
      TSNode key_node = syntax_.field(m, Field::name);
      if (syntax_.is(key_node, Kind::private_property_identifier)) unsupported(key_node, "private names are not modelled");
      const std::string key = property_key(key_node, class_env);
      if (!is_static && key == "constructor") {
        ctor->node = m;
        ctor->param_count = static_cast<int>(make_function(m, class_env, name).o->param_count);
        continue;
      }
      Value method = make_function(m, class_env, key);
      method.o->home_object = is_static ? ctor : proto;
      method.o->is_method = true;
      if (accessor) define_accessor(is_static ? ctor : proto, key, method, accessor == 2, false);
      else (is_static ? ctor : proto)->props.push_back({key, method, false});
      continue;
    }
    if (k == Kind::field_definition || k == Kind::public_field_definition) {
      TSNode key_node = syntax_.field(m, Field::property);
      if (ts_node_is_null(key_node)) key_node = syntax_.field(m, Field::name);
      if (syntax_.is(key_node, Kind::private_property_identifier)) unsupported(key_node, "private names are not modelled");
      if (has_token(syntax_, m, Kind::kw_static)) static_members.push_back(m);
      else ctor->instance_fields.push_back(m);
      continue;
    }
    if (k == Kind::class_static_block) {
      static_members.push_back(m);
      continue;
    }
    unsupported(m, "this class member is not modelled");
  }
  // static fields and blocks run in order, with `this` the class
  for (TSNode m : static_members) {
    Env* static_env = new_env(class_env);
    static_env->function_scope = true;
    static_env->has_this = true;
    static_env->this_value = Value::obj(ctor);
    static_env->home_function = ctor;
    if (syntax_.is(m, Kind::class_static_block)) {
      TSNode block = syntax_.field(m, Field::body);
      hoist_vars(block, static_env);
      exec_block_body(block, static_env);
    } else {
      init_field(m, Value::obj(ctor), static_env);
    }
  }
  return Value::obj(ctor);
}

// A field's initializer runs with `this` the new instance (or the class, for static fields).
void Interp::init_field(TSNode field, const Value& target, Env* env) {
  TSNode key_node = syntax_.field(field, Field::property);
  if (ts_node_is_null(key_node)) key_node = syntax_.field(field, Field::name);
  const std::string key = property_key(key_node, env);
  TSNode value = syntax_.field(field, Field::value);
  Value v;
  if (!ts_node_is_null(value)) {
    const Kind vk = syntax_.kind(syntax_.unwrap(value));
    v = (vk == Kind::arrow_function || vk == Kind::function_expression) ? make_function(syntax_.unwrap(value), env, key)
                                                                         : eval(value, env);
  }
  if (!target.is_obj()) return;
  define_data(target.o, key, v);  // a field is defined, not assigned: a setter of the same name is not called
}

void Interp::init_instance_fields(Obj* ctor, const Value& instance) {
  if (ctor->instance_fields.empty()) return;
  Env* field_env = new_env(ctor->closure);
  field_env->function_scope = true;
  field_env->has_this = true;
  field_env->this_value = instance;
  field_env->home_function = ctor;
  for (TSNode f : ctor->instance_fields) init_field(f, instance, field_env);
}

// [[Construct]] of a class: a base class makes `this` from new.target's prototype; a derived class
// gets it from super(…).
Value Interp::construct_class(Obj* ctor, Args& args, Obj* new_target) {
  Value instance;
  if (!ctor->class_parent) {
    Value proto = get(Value::obj(new_target), "prototype");
    instance = Value::obj(new_obj(ObjKind::Plain, proto.is_obj() ? proto.o : object_proto_));
    init_instance_fields(ctor, instance);
  }
  if (ts_node_is_null(ctor->node)) {  // the default constructor
    if (ctor->class_parent) instance = super_construct(ctor, args, new_target);
    return instance;
  }
  Value result = call_class_constructor(ctor, instance, args, new_target);
  if (result.is_obj()) return result;
  return result;  // call_class_constructor already applied the return rules
}

Value Interp::super_construct(Obj* ctor, Args& args, Obj* new_target) {
  Obj* parent = ctor->class_parent;
  Value instance;
  if (parent->is_class_ctor) {
    instance = construct_class(parent, args, new_target);
  } else if (parent->native) {
    instance = call_function(parent, Value::str("\x01new"), args, parent);
    Value proto = get(Value::obj(new_target), "prototype");
    if (instance.is_obj() && proto.is_obj()) instance.o->proto = proto.o;
    if (instance.is_obj() && instance.o->kind == ObjKind::Promise)
      unsupported(current_line, "subclasses of Promise are not modelled");
  } else {
    Value proto = get(Value::obj(new_target), "prototype");
    instance = Value::obj(new_obj(ObjKind::Plain, proto.is_obj() ? proto.o : object_proto_));
    Value r = call_function(parent, instance, args, new_target);
    if (r.is_obj()) instance = r;
  }
  init_instance_fields(ctor, instance);
  return instance;
}

Value Interp::eval_super_call(TSNode node, Env* env) {
  Env* fenv = env;
  while (fenv && !fenv->home_function) fenv = fenv->parent;
  if (!fenv || !fenv->home_function->is_class_ctor || !fenv->home_function->class_parent)
    unsupported(node, "`super(…)` outside a derived class constructor is not modelled");
  if (fenv->this_bound) throw_error("ReferenceError", "Super constructor may only be called once");
  Args args;
  eval_args(syntax_.field(node, Field::arguments), env, args);
  current_line = line_of(node);
  Value instance = super_construct(fenv->home_function, args, fenv->new_target);
  fenv->this_value = instance;
  fenv->this_bound = true;
  return Value::undef();
}

// super.name: looked up on the prototype of the method's home object, called with the current `this`.
Value Interp::super_property(TSNode node, Env* env, const std::string& key) {
  Env* fenv = env;
  while (fenv && !fenv->home_function) fenv = fenv->parent;
  Obj* home = fenv ? fenv->home_function->home_object : nullptr;
  if (!home || !home->proto) unsupported(node, "`super` outside a class method is not modelled");
  return get(Value::obj(home->proto), key, this_value(env));
}

// super.name = v: a setter found from the home object's prototype runs with the current `this`; otherwise
// the property is defined on `this` (OrdinarySet with a receiver).
void Interp::super_put(TSNode node, Env* env, const std::string& key, const Value& v) {
  Env* fenv = env;
  while (fenv && !fenv->home_function) fenv = fenv->parent;
  Obj* home = fenv ? fenv->home_function->home_object : nullptr;
  if (!home || !home->proto) unsupported(node, "`super` outside a class method is not modelled");
  const Value receiver = this_value(env);
  current_line = line_of(node);
  for (Obj* cur = home->proto; cur; cur = cur->proto)
    for (const Prop& p : cur->props) {
      if (p.key != key) continue;
      if (p.accessor) {
        Value setter = p.setter;
        if (!callable(setter)) unsupported(node, "assigning to a property that has only a getter is not modelled (a TypeError in class code)");
        Args a{v};
        call(setter, receiver, a);
        return;
      }
      if (p.read_only) unsupported(node, "assigning to a read-only property is not modelled (a TypeError in class code)");
      goto own;
    }
own:
  if (!receiver.is_obj()) unsupported(node, "`super.x = v` with a primitive `this` is not modelled");
  for (const Prop& p : receiver.o->props)
    if (p.key == key && (p.accessor || p.read_only)) unsupported(node, "`super.x = v` over an accessor of `this` is not modelled");
  define_data(receiver.o, key, v);
}

}  // namespace asynclint::loop
