#include "semantic/known_apis.h"

namespace asynclint {

namespace {
std::string_view without_node_prefix(std::string_view specifier) {
  return specifier.substr(0, 5) == "node:" ? specifier.substr(5) : specifier;
}
}  // namespace

bool is_promise_module(std::string_view specifier) {
  const std::string_view name = without_node_prefix(specifier);
  return name == "fs/promises" || name == "timers/promises" || name == "stream/promises" ||
         name == "dns/promises" || name == "readline/promises";
}

bool promise_module_export_returns_promise(std::string_view specifier, std::string_view name) {
  const std::string_view module = without_node_prefix(specifier);
  if (name.empty() || name == "constants" || name == "default" || name == "*") return false;
  if (module == "timers/promises") return name == "setTimeout" || name == "setImmediate";
  if (module == "readline/promises") return false;  // only Interface methods return promises
  if (module == "dns/promises") return name != "Resolver" && name != "setDefaultResultOrder" && name != "setServers";
  // fs/promises exports constructor-like and watch (an async iterator) besides its promise functions.
  if (module == "fs/promises") return name != "watch" && name != "constants" && name != "FileHandle";
  return true;
}

bool is_promise_static_method(std::string_view name) {
  return name == "all" || name == "allSettled" || name == "race" || name == "any" || name == "resolve" ||
         name == "reject" || name == "try";
}

bool is_response_body_method(std::string_view name) {
  return name == "json" || name == "text" || name == "blob" || name == "arrayBuffer" || name == "formData" ||
         name == "bytes";
}

bool is_global_object_name(std::string_view name) {
  return name == "globalThis" || name == "window" || name == "self" || name == "global";
}

bool is_fs_module(std::string_view specifier) { return without_node_prefix(specifier) == "fs"; }

}  // namespace asynclint
