#pragma once
// Promise-returning APIs we know without seeing their source. Kept as data so that adding one is a
// one-line change, and documented in docs/known-apis.md.
#include <string_view>

namespace asynclint {

// Module specifiers whose named exports are functions returning promises (`fs/promises`, …).
bool is_promise_module(std::string_view specifier);
// Whether export `name` of such a module returns a promise (false for `setInterval` of timers/promises,
// which returns an async iterator, and for constants).
bool promise_module_export_returns_promise(std::string_view specifier, std::string_view name);
// `Promise.all` and friends.
bool is_promise_static_method(std::string_view name);
// Body readers of a fetch Response (`.json()`, …).
bool is_response_body_method(std::string_view name);
// Globals that may hold `fetch`, `setTimeout`, … (`globalThis.fetch`).
bool is_global_object_name(std::string_view name);
// Node's plain `fs` module (its `.promises` member is fs/promises).
bool is_fs_module(std::string_view specifier);
// Modules whose functions and objects do I/O that holds a resource while pending (a socket, a file, a
// child process, a database connection): Node's fs, child_process, net, http(s), dns, and the common
// npm clients for HTTP, databases, queues, cloud services, globs and shells. Their calls and the methods
// of objects they create are operations with latency (`*Sync` functions aside).
bool is_io_module(std::string_view specifier);
// An I/O function of such a module whose promise resolves with the outcome instead of rejecting: fs-extra's
// `pathExists` (a failed `access` is `false`).
bool io_call_cannot_reject(std::string_view specifier, std::string_view name);
// Node's modules whose `createServer([options], listener)` calls the listener per request or connection and
// drops what it returns: http, https, http2, net.
bool is_node_server_module(std::string_view specifier);
// A function or method name that names a synchronous variant (`readFileSync`, `glob.sync`).
bool is_sync_variant(std::string_view name);

}  // namespace asynclint
