#pragma once
// `asynclint lsp`: the language server. Server holds the protocol logic (lifecycle, documents, settings,
// diagnostics, hover, code actions) and knows nothing of standard input and output: it is handed decoded
// messages and sends through a callback. run_language_server() wires it to stdio with a reader thread.
//
// Linting goes through the engine's lint_files, one document at a time, with the document's own tree
// (re-parsed incrementally) and a project index kept for the whole session, so imported files are read
// once and open documents' exports replace what is on disk.
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "engine/config.h"
#include "engine/diagnostic.h"
#include "engine/ignore_rules.h"
#include "lsp/document_store.h"
#include "lsp/render.h"
#include "project/project_index.h"

namespace asynclint::lsp {

using Json = nlohmann::json;
using Clock = std::chrono::steady_clock;

// JSON-RPC 2.0 and LSP 3.17 error codes.
namespace error_code {
constexpr int kParseError = -32700;
constexpr int kInvalidRequest = -32600;
constexpr int kMethodNotFound = -32601;
constexpr int kInvalidParams = -32602;
constexpr int kInternalError = -32603;
constexpr int kServerNotInitialized = -32002;
constexpr int kRequestCancelled = -32800;
}  // namespace error_code

// Request ids the client cancelled. Shared with the stdio reader thread, which records a $/cancelRequest
// as soon as it reads it: the request it names may still be waiting in the queue behind a slow one.
class CancelledRequests {
 public:
  void add(const Json& id);
  bool take(const Json& id);  // whether `id` was cancelled (forgetting it)

 private:
  std::mutex mutex_;
  std::set<std::string> ids_;
};

// The "asynclint" settings section (initializationOptions, workspace/configuration,
// workspace/didChangeConfiguration). Severities here go over asynclint.json, as --rule does.
struct Settings {
  bool enable = true;
  std::vector<RuleOverride> rules;
  std::string config_file;  // like --config: one asynclint.json for every file
  int debounce_ms = 50;     // quiet time after a change before linting (push diagnostics)
};

class Server {
 public:
  using Send = std::function<void(const Json&)>;
  explicit Server(Send send, std::shared_ptr<CancelledRequests> cancelled = std::make_shared<CancelledRequests>());
  ~Server();

  // One decoded message (request, notification or response). Never throws.
  void handle(const Json& message);
  // Input the transport could not turn into a message: logged, and answered (id null, as JSON-RPC says)
  // with `answer` when there is one: ParseError for a body that is not JSON, InvalidRequest for one that
  // cannot be a request. A malformed header or an oversized message has no id to answer.
  void handle_transport_error(const std::string& error, std::optional<int> answer);

  // Lints the documents whose changes have settled, and anything else that is due by `now`.
  void run_due_work(Clock::time_point now);
  // When run_due_work next has something to do.
  std::optional<Clock::time_point> next_due() const;

  bool exit_requested() const { return exit_requested_; }
  // 0 when `exit` followed `shutdown`, 1 otherwise (LSP 3.17); the same when the input simply ends.
  int exit_code() const { return state_ == State::ShutDown ? 0 : 1; }

 private:
  enum class State { Uninitialized, Running, ShutDown };

  struct LintState {
    std::vector<Diagnostic> diagnostics;  // byte offsets into the text of `generation`
    std::optional<std::uint64_t> generation;  // the document text they describe; none: never linted
    std::optional<Clock::time_point> due;  // a lint is scheduled (push mode)
    std::vector<std::string> depends_on;   // absolute paths whose exports decided cross-file findings
  };

  // Dispatch.
  void handle_request(const Json& id, const std::string& method, const Json& params);
  void handle_notification(const std::string& method, const Json& params);
  void handle_response(const Json& message);
  Json initialize(const Json& params);
  void initialized();
  Json pull_diagnostics(const Json& params);
  Json hover(const Json& params);
  Json code_actions(const Json& params);
  Json execute_command(const Json& params);
  void did_open(const Json& params);
  void did_change(const Json& params);
  void did_close(const Json& params);
  void did_change_configuration(const Json& params);
  void did_change_watched_files(const Json& params);

  // Output.
  void respond(const Json& id, Json result);
  void respond_error(const Json& id, int code, const std::string& message);
  void notify(const std::string& method, Json params);
  void request(const std::string& method, Json params, std::function<void(const Json* result, const Json* error)> on_answer);
  void log(int type, const std::string& message);  // 1 error, 2 warning, 3 info, 4 log

  // Settings and configuration.
  void apply_settings();
  void reset_configuration();
  bool configuration_files_changed(const std::string& path);
  bool is_ignored(const std::string& path, std::string& error);

  // Linting.
  Document& document_for(const Json& text_document);  // throws std::invalid_argument for an unknown one
  LintState& state_of(const Document& document) { return lint_[document.uri()]; }
  void lint(Document& document);          // lints now (and publishes, in push mode)
  void ensure_current(Document& document);  // lints when the text changed since the last lint
  void schedule(Document& document, Clock::time_point when);
  void recheck_dependents(const std::string& path);  // documents whose findings depend on `path`
  void recheck_all();
  void publish(Document& document);

  // LSP shapes (render.h), with what this client negotiated.
  RenderOptions render_options();
  Json location_json(const std::string& path, const LineColumn& at);
  const Document* open_document_at(const std::string& path) const;

  Send send_;
  std::shared_ptr<CancelledRequests> cancelled_;
  State state_ = State::Uninitialized;
  bool exit_requested_ = false;

  // What the client said it can do.
  PositionEncoding encoding_ = PositionEncoding::Utf16;
  bool pull_diagnostics_ = false;
  bool configuration_requests_ = false;
  bool watched_files_registration_ = false;
  bool diagnostic_refresh_ = false;
  bool show_document_ = false;
  bool document_changes_ = false;
  bool markdown_ = true;

  Json initialization_options_ = Json::object();
  Json client_settings_ = Json::object();  // the latest workspace/configuration or didChangeConfiguration
  Settings settings_;
  std::optional<Clock::time_point> settings_deadline_;  // waiting for the first workspace/configuration answer
  std::string workspace_root_;

  std::unique_ptr<ConfigResolver> configs_;
  std::map<std::string, std::string> config_stamps_;  // asynclint.json path → size and mtime ("" when absent)
  std::map<std::string, IgnoreRules> ignore_rules_;   // by asynclint.json path
  std::set<std::string> shown_errors_;                // configuration errors already shown to the user
  ProjectIndex index_;
  DocumentStore store_;
  std::map<std::string, LintState> lint_;  // by URI

  std::int64_t next_request_id_ = 1;
  std::map<std::string, std::function<void(const Json*, const Json*)>> pending_requests_;
};

// Runs the server on standard input and output until `exit` or the end of input; returns the exit code.
int run_language_server();

}  // namespace asynclint::lsp
