// fetch-without-abort: a request that nothing can cancel can hang forever.
#include <cctype>

#include "rule_helpers.h"
#include "semantic/known_apis.h"

namespace asynclint {
namespace {

const RuleMeta kMeta{
    "fetch-without-abort",
    "fetch() is called without an AbortSignal, so a server that stalls holds up the code awaiting it.",
    R"(A call of the global `fetch` (also `globalThis.fetch`, `window.fetch`, `self.fetch`) whose init has no
`signal`: no second argument, an object literal without a `signal` key, or a variable holding such an object
in the same file; `fetch(request)` where `request` was built by `new Request(url)` without one. A Request
handed in keeps its own signal through an init without one (`fetch(event.request, { redirect: 'manual' })`,
`fetch(new Request(url, request), init)`): not reported.

**Why it is a bug.** A server (or proxy) that accepts the connection and then stalls keeps the request
pending: the awaiting code does not resume, and the request handler or job that made the call hangs with
everything it holds (a database connection, a lock, a user waiting). A browser's `fetch` has no timeout at
all; Node's (undici) gives up on headers and on the body after 300 seconds each by default — five minutes of
a stuck handler, rather than forever. The message says which applies, from the file's runtime (in a file
that mixes both, from the code of the class around the call).

**Not reported:** any `signal` key (a controller's signal, `AbortSignal.timeout(ms)`, `AbortSignal.any([…])`,
a passed-in signal), a spread of an object asynclint cannot see into, an init it cannot see (a call, a
parameter), a `Request` it did not build, a local or imported function that happens to be named `fetch`,
calls inside the functions named in `allowedWrappers`; and, since nothing can hang there:
- a request to this machine: a URL literal or template on `localhost`, `127.*`, `[::1]` or `0.0.0.0` (also
  through a `const`), or built from this process's inspector (`new URL(inspector.url()).host`);
- in browser code, a request to the page's own origin outside a React effect: any URL that does not
  visibly name another host (`/api/items`, `${assetPrefix}/_next/…`, a variable asynclint cannot follow).
  The page's own server is the one the user is waiting on anyway, and navigating away ends the wait. A
  root-relative literal (`'/api/items'`, also through a `const`) counts as such a request in any file, since
  Node's fetch rejects a URL without a host: the code can only be working in a page (compiled CommonJS
  that looks like Node's, for instance). Inside `useEffect` / `useLayoutEffect` or a TanStack Query
  `queryFn` it is still reported (the effect's cleanup or the query's signal should abort it, or a
  superseded request lands last), in a worker (`self.addEventListener`, `importScripts`) too, and so is a
  literal `https://other.host/…` anywhere;
- a request nothing waits for: a statement that fires it and moves on without reading the response
  (`fetch(url, { method: 'POST', body }).catch(log)`, `void fetch(url)`); a `.then` that reads it waits;
- a request already raced against a timer: an element of `Promise.race([…])`, or handed (itself, or every
  call of the function that makes it) to a function of this file that starts a timer
  (`withTimeout(load(url), 3000)`).
- a request made by test code: a file in a test folder (`test/`, `tests/`, `__tests__/`, `e2e/`, `spec/`,
  `*-tests/`), named like a test (`x.test.ts`, `x.spec.js`, `x.e2e.ts`), or importing a test runner
  (`vitest`, `@jest/globals`, `ava`, `@playwright/test`, `node:test`, `mocha`, `uvu`, `tap`, `bun:test`).
  The runner's per-test timeout (2 to 30 s by default) ends the wait, and the test usually asks a server it
  started itself. `reportInTests: true` reports it there too.
- a request that is never sent: an init with a body and the method GET or HEAD (written, or GET by
  default), which fetch rejects with a TypeError at once, in browsers and in Node alike. That is a bug
  too, but another one; a body only on some paths (`body: isGet ? undefined : data`) is still reported.

**Fix.** `fetch(url, { signal: AbortSignal.timeout(10_000) })` — offered as a suggestion, with the timeout
from the `timeoutMs` option.)",
    {{true, "weather.js", R"(export async function currentTemperature(city) {
  const response = await fetch(`https://api.example.com/weather?q=${city}`);
  return (await response.json()).temperature;
}
)"},
     {false, "weather.js", R"(export async function currentTemperature(city) {
  const response = await fetch(`https://api.example.com/weather?q=${city}`, { signal: AbortSignal.timeout(5000) });
  return (await response.json()).temperature;
}
)"}},
    Severity::Warn,
    {Kind::call_expression},
    {{"timeoutMs", RuleOption::Type::Integer, 10000, "The timeout the suggested `AbortSignal.timeout(…)` uses."},
     {"allowedWrappers", RuleOption::Type::StringList, nlohmann::json::array(),
      "Functions whose own fetch calls are not reported (wrappers that add a signal asynclint cannot see)."},
     {"reportInTests", RuleOption::Type::Boolean, false,
      "Report fetch calls in test code too, where the test runner's timeout already bounds the wait."}},
    true,
};

class FetchWithoutAbort final : public Rule {
 public:
  const RuleMeta& meta() const override { return kMeta; }

  void check(TSNode call, Kind, RuleContext& context) const override {
    const Syntax& syntax = context.syntax();
    const SemanticModel& model = context.model();
    if (!is_global_fetch(context, syntax.unwrap(syntax.field(call, Field::function)))) return;
    TSNode args[2];
    const std::uint32_t count = call_arguments(syntax, call, args, 2);
    if (count == 0) return;

    TSNode init_object{};  // the object literal to add a signal to, when there is one
    if (count == 1) {
      if (syntax.is(args[0], Kind::spread_element)) return;  // fetch(...args): the init may be in there
      if (!request_lacks_signal(context, syntax.unwrap(args[0]))) return;
    } else {
      // `fetch(request, { redirect: 'manual' })`: an init without a signal keeps the Request's own (the
      // Fetch standard copies it), and a request handed in usually carries its client's.
      if (may_be_request_with_signal(context, syntax.unwrap(args[0]))) return;
      TSNode init = syntax.unwrap(args[1]);
      if (syntax.is(init, Kind::identifier)) {
        const Binding* binding = model.resolve(init);
        if (!binding || binding->kind != BindingKind::Variable || !is_const_declaration(syntax, binding->declaration)) return;
        TSNode value = syntax.unwrap(binding->value);
        if (!syntax.is(value, Kind::object) || has_signal_or_spread(syntax, value)) return;
        if (rejects_at_once(syntax, value)) return;
        // `init.signal = …` elsewhere gives this very object one after all (another `init` does not count).
        const std::string assigned = std::string(syntax.text(init)) + ".signal";
        for (std::size_t at = syntax.source().find(assigned); at != std::string_view::npos; at = syntax.source().find(assigned, at + 1))
          if (model.resolve(syntax.text(init), static_cast<std::uint32_t>(at)) == binding) return;
      } else if (syntax.is(init, Kind::object)) {
        if (has_signal_or_spread(syntax, init)) return;
        if (rejects_at_once(syntax, init)) return;
        init_object = init;
      } else {
        return;  // an init asynclint cannot see into
      }
    }
    if (inside_allowed_wrapper(context, call)) return;
    // Test code: the runner's per-test timeout ends the wait.
    if (!context.options().value("reportInTests", false) && is_test_code(context)) return;
    // A request to this machine (loopback, this process's inspector) cannot be held up by a remote server.
    if (is_loopback_url(context, args[0], 0)) return;
    // Browser code asking its own origin (`/api/x`, `${assetPrefix}/_next/…`): the page's own server, whose
    // stall the user sees and ends by navigating away. Reported there only inside a React effect, where the
    // missing abort also lets a superseded request land last; and a URL visibly on another host always is.
    // A root-relative URL (`/api/x`) is such a request wherever the file seems to run: Node's fetch rejects
    // a URL without a host at once, so the code can only be working in a page. A worker has no page to
    // navigate away from (a service worker's install or push handler waits for the request): still reported.
    const std::string_view source = syntax.source();
    const bool in_worker = syntax.text(syntax.unwrap(syntax.field(call, Field::function))).substr(0, 5) == "self." ||
                           source.find("self.addEventListener(") != std::string_view::npos ||
                           source.find("importScripts(") != std::string_view::npos ||
                           source.find("self.registration") != std::string_view::npos;
    const FileRuntime::Kind runtime_kind = model.runtime_at(call);
    const bool same_origin = (runtime_kind == FileRuntime::Kind::Browser && !is_absolute_url(context, args[0], 0)) ||
                             is_root_relative_url(context, args[0], 0);
    if (same_origin && !in_worker && !inside_react_effect(syntax, call)) return;
    // Nothing waits for the response: a fire-and-forget statement.
    if (nothing_waits(syntax, call)) return;
    // Already raced against a timer, by Promise.race or by a wrapper of this file.
    if (raced_against_timeout(context, call)) return;

    RuleReport report;
    report.node = call;
    const std::string how_long = runtime_kind == FileRuntime::Kind::Browser
                                     ? "can wait as long as the server keeps the connection open"
                                 : runtime_kind == FileRuntime::Kind::Node
                                     ? "waits up to 5 minutes (the default headers and body timeouts of Node's fetch, undici) before it fails"
                                     : "waits up to 5 minutes in Node (undici's default timeouts), and as long as the server keeps the connection open in a browser";
    report.message = "fetch() without an AbortSignal " + how_long +
                     ": if the server stalls, the awaiting code does not resume and what it holds stays held. Pass a "
                     "signal, e.g. { signal: AbortSignal.timeout(ms) }.";
    const long long timeout_ms = context.options().value("timeoutMs", 10000LL);
    const std::string signal = "signal: AbortSignal.timeout(" + std::to_string(timeout_ms) + ")";
    if (context.wants_scenario()) {
      report.scenario = scenario(call, runtime_kind);
      report.fixed_scenario = fixed_scenario(call, timeout_ms);
    }
    if (count == 1) {
      const std::uint32_t end = ts_node_end_byte(args[0]);
      report.suggestions.push_back({"Add a timeout: { " + signal + " }", {{end, end, ", { " + signal + " }"}}});
    } else if (!ts_node_is_null(init_object)) {
      report.suggestions.push_back({"Add a timeout: " + signal, {add_to_object(syntax, init_object, signal)}});
    }
    context.report(std::move(report));
  }

 private:
  // A server that never answers, as the code is written: in Node, undici's headers timeout (300 s) is the
  // only thing that ends the request; in a browser nothing does.
  static std::string scenario(TSNode call, FileRuntime::Kind runtime) {
    using rule_helpers::at;
    using rule_helpers::js_string;
    const std::string where = at(call);
    std::string s;
    s += "__step(" + where + ", " + js_string("fetch(…) sends the request; the server does not answer, and its promise stays pending") + ");\n";
    if (runtime == FileRuntime::Kind::Browser) {
      s += "const __request = new Promise(() => {});\n";
      s += "__atEnd(__request, " + where + ", " +
           js_string("nothing is left to run and the request is still pending: no timer exists that could end it, so the code "
                     "awaiting it never resumes and what it holds stays held, for as long as the server keeps the connection open") +
           ");\n";
      return s;
    }
    s += "const __request = new Promise((resolve, reject) => setTimeout(() => reject(new Error('fetch failed')), 300000));\n";
    s += "__request.catch(() => __step(" + where + ", " +
         js_string("undici's headers timeout ends it: fetch rejects with TypeError: fetch failed (HeadersTimeoutError) at ") +
         " + __now() + " +
         js_string(std::string(" ms; for those 5 minutes the awaiting code was suspended and what it holds stayed held") +
                   (runtime == FileRuntime::Kind::Unknown ? " (in a browser no timeout ends it at all)" : "")) +
         "));\n";
    return s;
  }

  // The same request with the suggested signal: a timer of the configured length aborts it.
  static std::string fixed_scenario(TSNode call, long long timeout_ms) {
    using rule_helpers::at;
    using rule_helpers::js_string;
    const std::string where = at(call);
    const std::string ms = std::to_string(timeout_ms);
    std::string s;
    s += "__step(" + where + ", " +
         js_string("fetch(…, { signal: AbortSignal.timeout(" + ms + ") }) sends the request and starts the signal's timer") + ");\n";
    s += "const __request = new Promise((resolve, reject) => setTimeout(() => reject(new Error('TimeoutError')), " + ms + "));\n";
    s += "__request.catch(() => __step(" + where + ", " +
         js_string("the server has not answered: the signal aborts the request and fetch rejects with a TimeoutError at ") +
         " + __now() + " + js_string(" ms; the awaiting code resumes with the error, and what it holds is released") + "));\n";
    return s;
  }

  static bool is_global_fetch(const RuleContext& context, TSNode callee) {
    const Syntax& syntax = context.syntax();
    if (syntax.is(callee, Kind::identifier)) return syntax.text(callee) == "fetch" && !context.model().resolve(callee);
    if (!syntax.is(callee, Kind::member_expression) || member_property(syntax, callee) != "fetch") return false;
    TSNode object = syntax.unwrap(syntax.field(callee, Field::object));
    return syntax.is(object, Kind::identifier) && is_global_object_name(syntax.text(object)) && !context.model().resolve(object);
  }

  // An init with a body and the method GET or HEAD (or none: GET): fetch rejects with a TypeError at once
  // (browsers and undici alike), so no request is sent and nothing can stall. A different bug, not this one.
  static bool rejects_at_once(const Syntax& syntax, TSNode init) {
    bool has_body = false;
    std::string_view method = "GET";
    for (std::uint32_t i = 0; i < ts_node_named_child_count(init); ++i) {
      TSNode pair = ts_node_named_child(init, i);
      if (!syntax.is(pair, Kind::pair)) {
        if (syntax.is(pair, Kind::shorthand_property_identifier) && syntax.text(pair) == "method") return false;  // `{ method }`
        continue;
      }
      const std::string_view key = syntax.text(syntax.field(pair, Field::key));
      TSNode value = syntax.unwrap(syntax.field(pair, Field::value));
      if (key == "method") {
        if (!syntax.is(value, Kind::string)) return false;  // a method asynclint cannot read
        method = syntax.text(value);
        method = method.substr(1, method.size() >= 2 ? method.size() - 2 : 0);
      } else if (key == "body") {
        // Only a body that is certainly there: `body: isGet ? undefined : data` is not.
        const Kind k = syntax.kind(value);
        has_body = k == Kind::call_expression || k == Kind::object || k == Kind::string || k == Kind::template_string ||
                   k == Kind::new_expression;
      }
    }
    std::string upper(method);
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return has_body && (upper == "GET" || upper == "HEAD");
  }

  static bool is_const_declaration(const Syntax& syntax, TSNode declaration) {
    TSNode declarator = ts_node_parent(declaration);
    TSNode statement = ts_node_parent(declarator);
    return syntax.is(statement, Kind::lexical_declaration) && syntax.text(ts_node_child(statement, 0)) == "const";
  }

  static bool has_signal_or_spread(const Syntax& syntax, TSNode object) {
    const std::uint32_t count = ts_node_named_child_count(object);
    for (std::uint32_t i = 0; i < count; ++i) {
      TSNode member = ts_node_named_child(object, i);
      switch (syntax.kind(member)) {
        case Kind::spread_element:
          return true;
        case Kind::shorthand_property_identifier:
          if (syntax.text(member) == "signal") return true;
          break;
        case Kind::pair: {
          TSNode key = syntax.field(member, Field::key);
          const std::string_view name = syntax.is(key, Kind::string) ? syntax.string_value(key) : syntax.text(key);
          if (name == "signal") return true;
          break;
        }
        case Kind::method_definition:
          if (syntax.text(syntax.field(member, Field::name)) == "signal") return true;
          break;
        default:
          break;
      }
    }
    return false;
  }

  // The first argument of a two-argument fetch names a Request (`request`, `req`, `event.request`,
  // `new Request(url, request)`) that may carry a signal: not one built here without one.
  static bool may_be_request_with_signal(const RuleContext& context, TSNode argument) {
    const Syntax& syntax = context.syntax();
    if (syntax.is(argument, Kind::new_expression)) {
      if (syntax.text(syntax.field(argument, Field::constructor)) != "Request") return false;
      TSNode args[2];
      if (call_arguments(syntax, argument, args, 2) < 2) return false;
      TSNode init = syntax.unwrap(args[1]);
      return !syntax.is(init, Kind::object) || has_signal_or_spread(syntax, init);
    }
    std::string_view name;
    if (syntax.is(argument, Kind::identifier)) name = syntax.text(argument);
    else if (syntax.is(argument, Kind::member_expression)) name = syntax.text(syntax.field(argument, Field::property));
    else return false;
    std::string lower(name);
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower != "req" && lower.find("request") == std::string::npos) return false;
    if (lower.find("url") != std::string::npos || lower.find("href") != std::string::npos) return false;
    return request_lacks_signal(context, argument) == false;
  }

  // fetch(x) with one argument: a URL has no signal; a Request might carry one unless we saw it built.
  static bool request_lacks_signal(const RuleContext& context, TSNode argument) {
    const Syntax& syntax = context.syntax();
    auto built_without_signal = [&](TSNode value) {
      value = syntax.unwrap(value);
      if (!syntax.is(value, Kind::new_expression) || syntax.text(syntax.field(value, Field::constructor)) != "Request") return false;
      TSNode args[2];
      const std::uint32_t count = call_arguments(syntax, value, args, 2);
      if (count < 2) return true;
      TSNode init = syntax.unwrap(args[1]);
      return syntax.is(init, Kind::object) && !has_signal_or_spread(syntax, init);
    };
    if (syntax.is(argument, Kind::new_expression)) return built_without_signal(argument) || syntax.text(syntax.field(argument, Field::constructor)) != "Request";
    if (syntax.is(argument, Kind::call_expression)) {
      // `req.clone()`, `new URL(…).toString()`: a request's copy keeps its signal; a URL string has none.
      std::string text(syntax.text(syntax.field(argument, Field::function)));
      for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      return text.find("req") == std::string::npos;
    }
    if (syntax.is(argument, Kind::identifier) || syntax.is(argument, Kind::member_expression)) {
      std::string name(syntax.text(argument));
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (name.find("req") == std::string::npos) return true;
      if (!syntax.is(argument, Kind::identifier)) return false;
      const Binding* binding = context.model().resolve(argument);
      return binding && binding->kind == BindingKind::Variable && built_without_signal(binding->value);
    }
    return true;  // a string, a template, a URL object
  }

  // Whether the call runs from a `useEffect` / `useLayoutEffect` callback (directly, or from a function or
  // timer inside it).
  static bool inside_react_effect(const Syntax& syntax, TSNode node) {
    constexpr int kMaxLevels = 64;  // ts_node_parent walks down from the root: climb a bounded way
    for (int level = 0; level < kMaxLevels && !ts_node_is_null(node); ++level) {
      TSNode parent = ts_node_parent(node);
      // TanStack Query's `queryFn` is offered a signal that cancelling the query aborts: ignoring it lets a
      // superseded request land, as in an effect.
      if (syntax.is(parent, Kind::pair) && SemanticModel::is_function_kind(syntax.kind(node)) &&
          syntax.text(syntax.field(parent, Field::key)) == "queryFn")
        return true;
      if (syntax.is(parent, Kind::arguments) && SemanticModel::is_function_kind(syntax.kind(node))) {
        TSNode callee = syntax.unwrap(syntax.field(ts_node_parent(parent), Field::function));
        std::string_view name = syntax.text(callee);
        if (const std::size_t dot = name.rfind('.'); dot != std::string_view::npos) name = name.substr(dot + 1);
        if (name == "useEffect" || name == "useLayoutEffect") return true;
      }
      node = parent;
    }
    return false;
  }

  // The value of a variable never written after its declaration (`const url = …`), or a null node.
  static TSNode unchanging_value(const RuleContext& context, TSNode identifier) {
    const Binding* binding = context.model().resolve(identifier);
    if (!binding || binding->kind != BindingKind::Variable || context.model().assignments_of(*binding)) return TSNode{};
    return binding->value;
  }

  // A URL that names its host: a string, template or concatenation starting with `http://`, `https://`,
  // `//` or a `process.env` value, or a `const` holding one (`new Request(url)` and `new URL(url)` through
  // their first argument).
  static bool is_absolute_url(const RuleContext& context, TSNode url, int depth) {
    const Syntax& syntax = context.syntax();
    if (depth > 6) return false;
    url = syntax.unwrap(url);
    const Kind k = syntax.kind(url);
    if (k == Kind::string || k == Kind::template_string) {
      const std::string_view text = syntax.text(url).substr(1);
      if (text.rfind("http://", 0) == 0 || text.rfind("https://", 0) == 0 || text.rfind("//", 0) == 0) return true;
      // `${process.env.API_URL}/search`: a host from the environment is a service of its own.
      return text.rfind("${process.env.", 0) == 0;
    }
    if (k == Kind::identifier) return is_absolute_url(context, unchanging_value(context, url), depth + 1);
    if (k == Kind::binary_expression) {  // 'https://host/path?q=' + query
      TSNode left = syntax.unwrap(syntax.field(url, Field::left));
      return syntax.text(left).rfind("process.env.", 0) == 0 || is_absolute_url(context, left, depth + 1);
    }
    if (k == Kind::new_expression) {
      TSNode args[1];
      return call_arguments(syntax, url, args, 1) == 1 && is_absolute_url(context, args[0], depth + 1);
    }
    return false;
  }

  // A URL without scheme or host, relative to the page's origin: a string or template starting with one
  // `/` (not `//`), or a `const` holding one.
  static bool is_root_relative_url(const RuleContext& context, TSNode url, int depth) {
    const Syntax& syntax = context.syntax();
    if (depth > 6) return false;
    url = syntax.unwrap(url);
    const Kind k = syntax.kind(url);
    if (k == Kind::string || k == Kind::template_string) {
      const std::string_view text = syntax.text(url).substr(1);
      return text.size() >= 2 && text[0] == '/' && text[1] != '/';
    }
    if (k == Kind::identifier) return is_root_relative_url(context, unchanging_value(context, url), depth + 1);
    if (k == Kind::binary_expression) return is_root_relative_url(context, syntax.field(url, Field::left), depth + 1);
    return false;
  }

  // A test file, by where it is in its package, what it is called, or the test runner it imports.
  static bool is_test_code(const RuleContext& context) {
    const std::string_view path = context.package_path();
    std::size_t start = 0;
    while (start < path.size()) {
      std::size_t end = path.find('/', start);
      if (end == std::string_view::npos) end = path.size();
      const std::string_view part = path.substr(start, end - start);
      if (end < path.size()) {  // a folder
        if (part == "test" || part == "tests" || part == "__tests__" || part == "e2e" || part == "spec" ||
            (part.size() > 6 && part.substr(part.size() - 6) == "-tests"))
          return true;
      } else {  // the file name
        for (std::string_view marker : {".test.", ".spec.", ".e2e.", "-test.", "_test."})
          if (part.find(marker) != std::string_view::npos) return true;
      }
      start = end + 1;
    }
    for (const Binding& binding : context.model().bindings()) {
      if (binding.kind != BindingKind::Import) continue;
      for (std::string_view runner : {"vitest", "@jest/globals", "ava", "@playwright/test", "node:test", "mocha", "uvu", "tap", "bun:test"})
        if (binding.module == runner) return true;
    }
    return false;
  }

  // A URL naming this machine: a string or template starting with a loopback host, a `const` holding one, or
  // one built from this process's inspector (`new URL(inspector.url()).host`).
  static bool is_loopback_url(const RuleContext& context, TSNode url, int depth) {
    const Syntax& syntax = context.syntax();
    if (depth > 6) return false;
    url = syntax.unwrap(url);
    const Kind k = syntax.kind(url);
    if (k == Kind::string || k == Kind::template_string) {
      // The text before the first substitution says where the request goes.
      std::string_view text = syntax.text(url);
      const std::size_t substitution = text.find("${");
      const std::string_view head = text.substr(0, substitution);
      for (std::string_view host : {"//localhost", "//127.", "//[::1]", "//0.0.0.0"})
        if (head.find(host) != std::string_view::npos) return true;
      if (k != Kind::template_string) return false;
      // `${base}/path`: the base; `http://${host}/…`: the host. Either is the first substitution.
      const bool starts_with_substitution = head == "`";
      const bool host_follows = head.find("://") != std::string_view::npos && head.find('/', head.find("://") + 3) == std::string_view::npos;
      if (!starts_with_substitution && !host_follows) return false;
      for (std::uint32_t i = 0, n = ts_node_named_child_count(url); i < n; ++i) {
        TSNode part = ts_node_named_child(url, i);
        if (syntax.is(part, Kind::template_substitution)) return is_loopback_url(context, syntax.first_named_child(part), depth + 1);
      }
      return false;
    }
    if (k == Kind::identifier) return is_loopback_url(context, unchanging_value(context, url), depth + 1);
    if (k == Kind::member_expression) {
      // `inspectorURL.host` of `new URL(inspector.url())`.
      return is_loopback_url(context, syntax.field(url, Field::object), depth + 1);
    }
    if (k == Kind::new_expression && syntax.text(syntax.field(url, Field::constructor)) == "URL") {
      TSNode args[1];
      return call_arguments(syntax, url, args, 1) == 1 && is_loopback_url(context, args[0], depth + 1);
    }
    if (k == Kind::call_expression) {
      // `inspector.url()`: the inspector listens on this machine.
      TSNode callee = syntax.unwrap(syntax.field(url, Field::function));
      if (syntax.is(callee, Kind::sequence_expression)) callee = syntax.unwrap(ts_node_named_child(callee, ts_node_named_child_count(callee) - 1));
      if (member_property(syntax, callee) != "url") return false;
      TSNode root = rule_helpers::chain_root(syntax, callee);
      const Binding* binding = syntax.is(root, Kind::identifier) ? context.model().resolve(root) : nullptr;
      return binding && binding->kind == BindingKind::Import && (binding->module == "inspector" || binding->module == "node:inspector");
    }
    return false;
  }

  // The call's promise ends in an expression statement (or is `void`-ed) with at most `.catch`/`.finally`
  // on the way: the request is fired and forgotten, nobody uses its response. (A `.then` that reads the
  // response waits for it as much as an `await` does: a React effect's state update never lands.)
  static bool nothing_waits(const Syntax& syntax, TSNode call) {
    TSNode node = call;
    for (int guard = 0; guard < 32; ++guard) {
      TSNode parent = ts_node_parent(node);
      if (ts_node_is_null(parent)) return false;
      const Kind k = syntax.kind(parent);
      if (k == Kind::parenthesized_expression) {
        node = parent;
        continue;
      }
      if (k == Kind::member_expression && syntax.field(parent, Field::object).id == node.id) {
        // `.then(…)` and friends: the chain's value is what matters.
        TSNode chained = ts_node_parent(parent);
        const std::string_view method = member_property(syntax, parent);
        if (!syntax.is(chained, Kind::call_expression) || (method != "catch" && method != "finally")) return false;
        node = chained;
        continue;
      }
      if (k == Kind::unary_expression && syntax.kind(syntax.field(parent, Field::operator_)) == Kind::kw_void) return true;
      return k == Kind::expression_statement;
    }
    return false;
  }

  // Whether a call is handed to something that races it against a timer: `Promise.race([…])` with another
  // contender, or a function of this file whose body starts a timer (`withTimeout(load(), 3000)`).
  static bool is_timeout_race(const RuleContext& context, TSNode wrapper_call) {
    const Syntax& syntax = context.syntax();
    TSNode callee = syntax.unwrap(syntax.field(wrapper_call, Field::function));
    if (syntax.text(callee) == "Promise.race") {
      TSNode args[1];
      return call_arguments(syntax, wrapper_call, args, 1) == 1 && syntax.is(syntax.unwrap(args[0]), Kind::array) &&
             ts_node_named_child_count(syntax.unwrap(args[0])) >= 2;
    }
    TSNode wrapper = context.model().local_function_of(callee);
    if (ts_node_is_null(wrapper)) return false;
    const std::string_view body = syntax.text(syntax.field(wrapper, Field::body));
    return body.find("setTimeout(") != std::string_view::npos || body.find("Promise.race(") != std::string_view::npos;
  }

  // The node (`call`, or a call of the function that makes it) sits, as an argument or an array element, in
  // a call that races it against a timer.
  static bool handed_to_timeout_race(const RuleContext& context, TSNode node) {
    const Syntax& syntax = context.syntax();
    for (int guard = 0; guard < 8; ++guard) {
      TSNode parent = ts_node_parent(node);
      if (ts_node_is_null(parent)) return false;
      const Kind k = syntax.kind(parent);
      if (k == Kind::parenthesized_expression || k == Kind::array || k == Kind::await_expression) {
        node = parent;
        continue;
      }
      if (k == Kind::member_expression) {  // `.then(…)` on the way out
        TSNode chained = ts_node_parent(parent);
        if (!syntax.is(chained, Kind::call_expression)) return false;
        node = chained;
        continue;
      }
      if (k != Kind::arguments) return false;
      TSNode outer = ts_node_parent(parent);
      if (is_timeout_race(context, outer)) return true;
      // `Promise.all([...])` inside the race: one level further out.
      if (syntax.text(syntax.unwrap(syntax.field(outer, Field::function))).substr(0, 8) == "Promise.") {
        node = outer;
        continue;
      }
      return false;
    }
    return false;
  }

  static bool raced_against_timeout(const RuleContext& context, TSNode call) {
    if (handed_to_timeout_race(context, call)) return true;
    // Every call of the enclosing function hands its promise to a race (`withTimeout(this.load(url), ms)`).
    const Syntax& syntax = context.syntax();
    const SemanticModel& model = context.model();
    TSNode function = model.enclosing_function(call);
    if (ts_node_is_null(function)) return false;
    const std::string name = model.function_name(function);
    if (name.empty() || name == "<anonymous>") return false;
    const std::string_view short_name = std::string_view(name).substr(name.rfind('.') == std::string::npos ? 0 : name.rfind('.') + 1);
    // The calls are found from the name's occurrences in the text, not by walking the file per fetch: a
    // large file with many fetches made that quadratic.
    int calls = 0;
    const std::string_view source = syntax.source();
    TSNode root = model.scopes().front().node;
    std::uint32_t last_call_start = UINT32_MAX;
    for (std::size_t at = source.find(short_name); at != std::string_view::npos; at = source.find(short_name, at + short_name.size())) {
      const auto begin = static_cast<std::uint32_t>(at);
      TSNode name_node = ts_node_descendant_for_byte_range(root, begin, begin + static_cast<std::uint32_t>(short_name.size()));
      if (syntax.text(name_node) != short_name) continue;  // part of a longer name, a string, a comment
      TSNode node = name_node;
      for (int level = 0; level < 4 && !ts_node_is_null(node) && !syntax.is(node, Kind::call_expression); ++level)
        node = ts_node_parent(node);
      if (!syntax.is(node, Kind::call_expression) || ts_node_start_byte(node) == last_call_start) continue;
      TSNode callee = syntax.unwrap(syntax.field(node, Field::function));
      const std::string_view called = syntax.is(callee, Kind::member_expression) ? syntax.text(syntax.field(callee, Field::property))
                                                                                 : syntax.text(callee);
      if (called != short_name || !same_node(model.local_function_of(callee), function)) continue;
      last_call_start = ts_node_start_byte(node);
      ++calls;
      if (!handed_to_timeout_race(context, node)) return false;
    }
    return calls > 0;
  }

  static bool inside_allowed_wrapper(const RuleContext& context, TSNode call) {
    const auto& allowed = context.options().value("allowedWrappers", nlohmann::json::array());
    if (allowed.empty()) return false;
    for (TSNode function = context.model().enclosing_function(call); !ts_node_is_null(function);
         function = context.model().enclosing_function(function)) {
      const std::string name = context.model().function_name(function);
      for (const auto& wrapper : allowed)
        if (wrapper.is_string() && wrapper.get<std::string>() == name) return true;
    }
    return false;
  }

  // `{}` → `{ signal }`; `{ a: 1 }` → `{ signal, a: 1 }`; a multi-line object gets a first line of its own.
  static TextEdit add_to_object(const Syntax& syntax, TSNode object, const std::string& signal) {
    TSNode first{};
    for (std::uint32_t i = 0; i < ts_node_named_child_count(object); ++i) {
      TSNode member = ts_node_named_child(object, i);
      if (!syntax.is(member, Kind::comment)) {
        first = member;
        break;
      }
    }
    if (ts_node_is_null(first)) return {ts_node_start_byte(object), ts_node_end_byte(object), "{ " + signal + " }"};
    const std::uint32_t at = ts_node_start_byte(first);
    if (ts_node_start_point(first).row != ts_node_start_point(object).row)
      return {at, at, signal + ",\n" + indentation_of_line(syntax.source(), at)};
    return {at, at, signal + ", "};
  }
};

}  // namespace
ASYNCLINT_REGISTER_RULE(FetchWithoutAbort);
}  // namespace asynclint
