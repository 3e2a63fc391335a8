#pragma once
// Promise-returning APIs we know without seeing their source. Kept as data so that adding one is a
// one-line change, and documented in docs/rules.md ("What counts as a promise").
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

// Web platform classes with methods that return promises which reject on failure (a denied permission, a
// closed connection, bad input): the class name as TypeScript's DOM library spells it, or empty when
// `name` is not one. `RTCPeerConnection`, `HTMLMediaElement` (`play()`), `SubtleCrypto`, `Cache`, …
std::string_view web_platform_class(std::string_view name);
// Whether `method` of such a class returns a promise that can reject.
bool web_platform_method_rejects(std::string_view web_class, std::string_view method);
// The web platform class a global path names (`navigator.mediaDevices` → MediaDevices, `crypto.subtle` →
// SubtleCrypto, `caches` → CacheStorage, `document` → Document), or empty. `path` is the receiver's text
// without a leading `window.`/`globalThis.`/`self.`.
std::string_view web_platform_global(std::string_view path);

}  // namespace asynclint
