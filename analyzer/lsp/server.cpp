#include "lsp/server.h"

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <stdexcept>

#include "engine/fixes.h"
#include "engine/linter.h"
#include "engine/rule.h"
#include "lsp/render.h"
#include "lsp/uri.h"
#include "report/rule_docs.h"

namespace asynclint::lsp {

namespace {

namespace fs = std::filesystem;

constexpr const char* kSource = "asynclint";
constexpr const char* kShowDocumentation = "asynclint.showDocumentation";
constexpr const char* kFixAllKind = "source.fixAll.asynclint";
constexpr const char* kConfigErrorCode = "invalid-config";
constexpr auto kSettingsWait = std::chrono::seconds(2);  // how long the first lint waits for workspace/configuration

// Walks nested objects; null when a key is missing or a step is not an object.
const Json* find_path(const Json& json, std::initializer_list<const char*> keys) {
  const Json* at = &json;
  for (const char* key : keys) {
    if (!at->is_object()) return nullptr;
    auto found = at->find(key);
    if (found == at->end()) return nullptr;
    at = &*found;
  }
  return at;
}

bool is_true(const Json& json, std::initializer_list<const char*> keys) {
  const Json* value = find_path(json, keys);
  return value && value->is_boolean() && value->get<bool>();
}

bool array_contains(const Json* array, std::string_view wanted) {
  if (!array || !array->is_array()) return false;
  return std::any_of(array->begin(), array->end(), [&](const Json& item) { return item.is_string() && item.get<std::string>() == wanted; });
}

std::uint32_t non_negative(const Json& object, const char* key) {
  const Json& value = object.at(key);
  if (!value.is_number_integer() || value.get<std::int64_t>() < 0 || value.get<std::int64_t>() > UINT32_MAX)
    throw std::invalid_argument(std::string("'") + key + "' must be a non-negative integer");
  return static_cast<std::uint32_t>(value.get<std::int64_t>());
}

Position position_from(const Json& json) { return {non_negative(json, "line"), non_negative(json, "character")}; }
Range range_from(const Json& json) { return {position_from(json.at("start")), position_from(json.at("end"))}; }

std::string describe(const Position& position) {
  return std::to_string(position.line) + ":" + std::to_string(position.character);
}

std::optional<LanguageId> language_for_id(std::string_view language_id) {
  if (language_id == "javascript" || language_id == "javascriptreact") return LanguageId::JavaScript;
  if (language_id == "typescript") return LanguageId::TypeScript;
  if (language_id == "typescriptreact") return LanguageId::Tsx;
  return std::nullopt;
}

std::string_view extension_for(LanguageId language) {
  switch (language) {
    case LanguageId::TypeScript: return ".ts";
    case LanguageId::Tsx: return ".tsx";
    case LanguageId::JavaScript: break;
  }
  return ".js";
}

// Size and modification time, or "" when the file does not exist: enough to notice an edited asynclint.json.
std::string file_stamp(const std::string& path) {
  struct stat info {};
  if (stat(path.c_str(), &info) != 0) return {};
  return std::to_string(info.st_size) + ":" + std::to_string(info.st_mtim.tv_sec) + "." + std::to_string(info.st_mtim.tv_nsec);
}

bool starts_with(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

// Kinds match as LSP says: "source.fixAll" asks for "source.fixAll.asynclint" too.
bool kind_requested(const Json* only, std::string_view kind) {
  if (!only || !only->is_array()) return kind == "quickfix";  // source actions only when asked for
  for (const Json& wanted : *only) {
    if (!wanted.is_string()) continue;
    const std::string prefix = wanted.get<std::string>();
    if (kind == prefix || (starts_with(kind, prefix) && kind.size() > prefix.size() && kind[prefix.size()] == '.')) return true;
  }
  return false;
}

std::string line_of_file(const std::string& path, std::uint32_t line_index) {
  std::ifstream in(path, std::ios::binary);
  std::string line;
  for (std::uint32_t i = 0; i <= line_index && std::getline(in, line); ++i) {
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

}  // namespace

// --- CancelledRequests ------------------------------------------------------------------------------

void CancelledRequests::add(const Json& id) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (ids_.size() > 10000) ids_.clear();  // cancels of requests long answered must not pile up forever
  ids_.insert(id.dump());
}

bool CancelledRequests::take(const Json& id) {
  std::lock_guard<std::mutex> lock(mutex_);
  return ids_.erase(id.dump()) > 0;
}

// --- Server: dispatch -------------------------------------------------------------------------------

Server::Server(Send send, std::shared_ptr<CancelledRequests> cancelled) : send_(std::move(send)), cancelled_(std::move(cancelled)) {
  reset_configuration();
}

Server::~Server() = default;

void Server::handle(const Json& message) {
  try {
    if (!message.is_object()) {
      respond_error(nullptr, error_code::kInvalidRequest, "a message must be a JSON object");
      return;
    }
    const auto method = message.find("method");
    const auto id = message.find("id");
    const bool valid_id = id != message.end() && (id->is_number_integer() || id->is_string());
    if (method == message.end()) {
      if (id != message.end() && (message.contains("result") || message.contains("error"))) {
        handle_response(message);
        return;
      }
      respond_error(valid_id ? *id : Json(), error_code::kInvalidRequest, "a message needs a method (or a result or an error)");
      return;
    }
    if (!method->is_string()) {
      if (id != message.end()) respond_error(valid_id ? *id : Json(), error_code::kInvalidRequest, "the method must be a string");
      else log(1, "dropped a notification whose method is not a string");
      return;
    }
    static const Json kNoParams;
    const auto params_it = message.find("params");
    const Json& params = params_it == message.end() ? kNoParams : *params_it;  // a reference: didOpen carries whole files
    if (id == message.end()) {
      handle_notification(method->get<std::string>(), params);
      return;
    }
    if (!valid_id) {
      respond_error(nullptr, error_code::kInvalidRequest, "a request id must be an integer or a string");
      return;
    }
    handle_request(*id, method->get<std::string>(), params);
  } catch (const std::exception& e) {
    log(1, std::string("internal error while handling a message: ") + e.what());
  }
}

void Server::handle_transport_error(const std::string& error, std::optional<int> answer) {
  if (answer) respond_error(nullptr, *answer, error);
  log(1, "unreadable input: " + error);
}

void Server::handle_request(const Json& id, const std::string& method, const Json& params) {
  if (cancelled_->take(id)) {
    respond_error(id, error_code::kRequestCancelled, "the request was cancelled");
    return;
  }
  try {
    switch (state_) {
      case State::Uninitialized:
        if (method == "initialize") respond(id, initialize(params));
        else respond_error(id, error_code::kServerNotInitialized, "the server needs an initialize request first");
        return;
      case State::ShutDown:
        respond_error(id, error_code::kInvalidRequest, "the server has shut down; only the exit notification is accepted");
        return;
      case State::Running:
        break;
    }
    if (method == "initialize") respond_error(id, error_code::kInvalidRequest, "initialize may be sent only once");
    else if (method == "shutdown") {
      state_ = State::ShutDown;
      respond(id, nullptr);
    } else if (method == "textDocument/diagnostic") respond(id, pull_diagnostics(params));
    else if (method == "textDocument/hover") respond(id, hover(params));
    else if (method == "textDocument/codeAction") respond(id, code_actions(params));
    else if (method == "workspace/executeCommand") respond(id, execute_command(params));
    else respond_error(id, error_code::kMethodNotFound, "unknown method '" + method + "'");
  } catch (const Json::exception& e) {
    respond_error(id, error_code::kInvalidParams, std::string("invalid params for ") + method + ": " + e.what());
  } catch (const std::invalid_argument& e) {
    respond_error(id, error_code::kInvalidParams, e.what());
  } catch (const std::exception& e) {
    respond_error(id, error_code::kInternalError, e.what());
  }
}

void Server::handle_notification(const std::string& method, const Json& params) {
  if (method == "exit") {
    exit_requested_ = true;
    return;
  }
  // Before initialize and after shutdown, notifications are dropped (LSP 3.17); $/ ones may always be.
  if (state_ != State::Running || starts_with(method, "$/")) return;
  try {
    if (method == "initialized") initialized();
    else if (method == "textDocument/didOpen") did_open(params);
    else if (method == "textDocument/didChange") did_change(params);
    else if (method == "textDocument/didClose") did_close(params);
    else if (method == "textDocument/didSave") {
      // Nothing to do: diagnostics follow the buffer as it is typed, not as it is saved.
    } else if (method == "workspace/didChangeConfiguration") did_change_configuration(params);
    else if (method == "workspace/didChangeWatchedFiles") did_change_watched_files(params);
    else log(4, "ignored notification " + method);
  } catch (const std::exception& e) {
    log(1, method + " ignored: " + e.what());
  }
}

void Server::handle_response(const Json& message) {
  const auto found = pending_requests_.find(message.at("id").dump());
  if (found == pending_requests_.end()) {
    log(2, "a response to no request of ours (id " + message.at("id").dump() + ")");
    return;
  }
  auto on_answer = std::move(found->second);
  pending_requests_.erase(found);
  const auto result = message.find("result");
  const auto error = message.find("error");
  on_answer(result == message.end() ? nullptr : &*result, error == message.end() ? nullptr : &*error);
}

// --- output -----------------------------------------------------------------------------------------

void Server::respond(const Json& id, Json result) { send_({{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}}); }

void Server::respond_error(const Json& id, int code, const std::string& message) {
  send_({{"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", code}, {"message", message}}}});
}

void Server::notify(const std::string& method, Json params) {
  send_({{"jsonrpc", "2.0"}, {"method", method}, {"params", std::move(params)}});
}

void Server::request(const std::string& method, Json params, std::function<void(const Json*, const Json*)> on_answer) {
  const Json id = next_request_id_++;
  pending_requests_[id.dump()] = std::move(on_answer);
  send_({{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", std::move(params)}});
}

void Server::log(int type, const std::string& message) {
  // Nothing may be sent before initialize (LSP 3.17); standard error is always safe, standard output never.
  if (state_ == State::Uninitialized) std::cerr << "asynclint lsp: " << message << std::endl;
  else notify("window/logMessage", {{"type", type}, {"message", message}});
}

// --- lifecycle --------------------------------------------------------------------------------------

Json Server::initialize(const Json& params) {
  static const Json kEmpty = Json::object();
  const Json& p = params.is_object() ? params : kEmpty;
  const Json* capabilities_found = find_path(p, {"capabilities"});
  const Json& capabilities = capabilities_found ? *capabilities_found : kEmpty;
  // UTF-8 when offered: offsets are bytes inside, so it is also the cheaper conversion.
  encoding_ = array_contains(find_path(capabilities, {"general", "positionEncodings"}), "utf-8") ? PositionEncoding::Utf8
                                                                                                   : PositionEncoding::Utf16;
  const Json* diagnostic = find_path(capabilities, {"textDocument", "diagnostic"});
  pull_diagnostics_ = diagnostic && diagnostic->is_object();
  configuration_requests_ = is_true(capabilities, {"workspace", "configuration"});
  watched_files_registration_ = is_true(capabilities, {"workspace", "didChangeWatchedFiles", "dynamicRegistration"});
  diagnostic_refresh_ = is_true(capabilities, {"workspace", "diagnostics", "refreshSupport"});
  show_document_ = is_true(capabilities, {"window", "showDocument", "support"});
  document_changes_ = is_true(capabilities, {"workspace", "workspaceEdit", "documentChanges"});
  const Json* formats = find_path(capabilities, {"textDocument", "hover", "contentFormat"});
  markdown_ = !formats || !formats->is_array() || array_contains(formats, "markdown");

  if (const Json* options = find_path(p, {"initializationOptions"}); options && options->is_object()) {
    const Json* section = find_path(*options, {"asynclint"});
    initialization_options_ = section && section->is_object() ? *section : *options;
  }
  if (const Json* root = find_path(p, {"rootUri"}); root && root->is_string()) {
    workspace_root_ = path_from_uri(root->get<std::string>()).value_or("");
  } else if (const Json* root_path = find_path(p, {"rootPath"}); root_path && root_path->is_string()) {
    workspace_root_ = root_path->get<std::string>();
  }
  if (const Json* folders = find_path(p, {"workspaceFolders"}); workspace_root_.empty() && folders && folders->is_array() && !folders->empty()) {
    const Json* uri = find_path(folders->front(), {"uri"});
    if (uri && uri->is_string()) workspace_root_ = path_from_uri(uri->get<std::string>()).value_or("");
  }
  state_ = State::Running;
  apply_settings();

  Json server_capabilities = {
      {"positionEncoding", encoding_ == PositionEncoding::Utf8 ? "utf-8" : "utf-16"},
      {"textDocumentSync", {{"openClose", true}, {"change", 2 /* incremental */}}},
      {"hoverProvider", true},
      {"codeActionProvider", {{"codeActionKinds", {"quickfix", kFixAllKind}}, {"resolveProvider", false}}},
      {"executeCommandProvider", {{"commands", {kShowDocumentation}}}},
  };
  if (pull_diagnostics_)
    server_capabilities["diagnosticProvider"] = {{"identifier", kSource}, {"interFileDependencies", true}, {"workspaceDiagnostics", false}};
  return {{"capabilities", server_capabilities}, {"serverInfo", {{"name", "asynclint"}, {"version", ASYNCLINT_VERSION}}}};
}

void Server::initialized() {
  if (configuration_requests_) {
    settings_deadline_ = Clock::now() + kSettingsWait;
    request("workspace/configuration", {{"items", Json::array({{{"section", "asynclint"}}})}}, [this](const Json* result, const Json* error) {
      settings_deadline_.reset();
      if (result && result->is_array() && !result->empty() && result->front().is_object()) client_settings_ = result->front();
      else if (error) log(2, "workspace/configuration failed: " + error->dump());
      apply_settings();
      recheck_all();
    });
  }
  if (watched_files_registration_) {
    const Json watchers = Json::array({{{"globPattern", "**/asynclint.json"}}, {{"globPattern", "**/*.{js,mjs,cjs,jsx,ts,mts,cts,tsx}"}}});
    request("client/registerCapability",
            {{"registrations", Json::array({{{"id", "asynclint-watched-files"},
                                             {"method", "workspace/didChangeWatchedFiles"},
                                             {"registerOptions", {{"watchers", watchers}}}}})}},
            [this](const Json*, const Json* error) {
              if (error) log(2, "the client refused to watch files: " + error->dump());
            });
  }
}

// --- settings and configuration ---------------------------------------------------------------------

void Server::apply_settings() {
  Json merged = initialization_options_;
  for (const auto& [key, value] : client_settings_.items())
    if (!value.is_null()) merged[key] = value;
  Settings settings;
  if (const auto enable = merged.find("enable"); enable != merged.end()) {
    if (enable->is_boolean()) settings.enable = enable->get<bool>();
    else log(2, "setting 'enable' must be true or false");
  }
  if (const auto rules = merged.find("rules"); rules != merged.end() && !rules->is_null()) {
    if (!rules->is_object()) log(2, "setting 'rules' must map rule ids to off, warn or error");
    else
      for (const auto& [rule, value] : rules->items()) {
        Severity severity{};
        if (!RuleRegistry::find(rule)) log(2, "setting 'rules': '" + rule + "' is not an asynclint rule (ignored)");
        else if (!value.is_string() || !parse_severity(value.get<std::string>(), severity))
          log(2, "setting 'rules': '" + rule + "' must be off, warn or error (ignored)");
        else settings.rules.push_back({rule, severity});
      }
  }
  if (const auto file = merged.find("configFile"); file != merged.end() && !file->is_null()) {
    if (!file->is_string()) {
      log(2, "setting 'configFile' must be a path");
    } else if (!file->get<std::string>().empty()) {
      fs::path path(file->get<std::string>());
      if (path.is_relative() && !workspace_root_.empty()) path = fs::path(workspace_root_) / path;
      settings.config_file = normalize_path(path.string());
    }
  }
  if (const auto debounce = merged.find("debounceMs"); debounce != merged.end() && !debounce->is_null()) {
    if (debounce->is_number_integer() && debounce->get<std::int64_t>() >= 0 && debounce->get<std::int64_t>() <= 10000)
      settings.debounce_ms = debounce->get<int>();
    else log(2, "setting 'debounceMs' must be an integer from 0 to 10000");
  }
  settings_ = std::move(settings);
  reset_configuration();
}

void Server::reset_configuration() {
  configs_ = std::make_unique<ConfigResolver>(settings_.config_file.empty() ? std::nullopt : std::optional<std::string>(settings_.config_file),
                                              settings_.rules);
  config_stamps_.clear();
  ignore_rules_.clear();
  shown_errors_.clear();
}

// Whether an asynclint.json that could apply to `path` appeared, changed or went away since it was last
// looked at: the check of modification times that works without didChangeWatchedFiles.
bool Server::configuration_files_changed(const std::string& path) {
  std::vector<std::string> candidates;
  if (!settings_.config_file.empty()) candidates.push_back(settings_.config_file);
  for (fs::path directory = fs::path(path).parent_path();; directory = directory.parent_path()) {
    candidates.push_back((directory / "asynclint.json").string());
    if (directory == directory.parent_path() || directory.empty()) break;
  }
  // The files those extend, wherever they are.
  if (configs_)
    for (auto& file : configs_->files_read()) candidates.push_back(std::move(file));
  bool changed = false;
  for (const auto& candidate : candidates) {
    const std::string stamp = file_stamp(candidate);
    auto [entry, inserted] = config_stamps_.try_emplace(candidate, stamp);
    if (!inserted && entry->second != stamp) changed = true;
    entry->second = stamp;
  }
  return changed;
}

// The editor respects ignorePatterns (and never lints node_modules), as ESLint's extension does, even
// though the command line lints files it is given by name.
bool Server::is_ignored(const std::string& path, std::string& error) {
  if (path.find("/node_modules/") != std::string::npos) return true;
  auto config = configs_->for_file(path, error);
  if (!config || config->ignore_patterns.empty()) return false;
  auto [entry, inserted] = ignore_rules_.try_emplace(config->path);
  if (inserted) {
    std::string text;
    for (const auto& pattern : config->ignore_patterns) text += pattern + "\n";
    entry->second.add_file(normalize_path(config->directory).substr(1), text);
  }
  return entry->second.is_ignored_or_inside_ignored_directory(normalize_path(path).substr(1), false);
}

void Server::did_change_configuration(const Json& params) {
  const Json* settings = find_path(params, {"settings", "asynclint"});
  if (settings && settings->is_object()) {
    client_settings_ = *settings;
    apply_settings();
    recheck_all();
  } else if (configuration_requests_) {
    // The pull model: the notification only says "something changed"; ask for our section.
    request("workspace/configuration", {{"items", Json::array({{{"section", "asynclint"}}})}}, [this](const Json* result, const Json*) {
      if (result && result->is_array() && !result->empty() && result->front().is_object()) client_settings_ = result->front();
      apply_settings();
      recheck_all();
    });
  }
}

void Server::did_change_watched_files(const Json& params) {
  bool configuration_changed = false, files_came_or_went = false;
  std::vector<std::string> changed;
  for (const Json& change : params.at("changes")) {
    const auto path = path_from_uri(change.at("uri").get<std::string>());
    if (!path) continue;
    const std::string absolute = normalize_path(*path);
    if (fs::path(absolute).filename() == "asynclint.json") {
      configuration_changed = true;
    } else if (language_for_path(absolute) && !open_document_at(absolute)) {  // an open buffer wins over the disk
      index_.remove(absolute);
      if (change.value("type", 2) != 2) files_came_or_went = true;  // module resolution may answer differently
      else changed.push_back(absolute);
    }
  }
  if (configuration_changed) reset_configuration();
  if (configuration_changed || files_came_or_went) {
    recheck_all();
    return;
  }
  for (const auto& path : changed) recheck_dependents(path);
}

// --- documents --------------------------------------------------------------------------------------

void Server::did_open(const Json& params) {
  const Json& item = params.at("textDocument");
  std::string uri = item.at("uri").get<std::string>();
  const std::string language_id = item.value("languageId", std::string());
  std::optional<std::string> path = path_from_uri(uri);
  std::optional<LanguageId> language = path ? language_for_path(*path) : std::nullopt;
  if (!language) language = language_for_id(language_id);
  if (!language) {
    log(4, "not linting " + uri + " (language '" + language_id + "')");
    return;
  }
  if (path) {
    path = normalize_path(*path);
  } else {
    // An unsaved buffer (untitled:…): a name in the workspace, so that asynclint.json still applies.
    std::string name = uri.substr(uri.find(':') + 1);
    std::replace_if(name.begin(), name.end(), [](char c) { return c == '/' || c == '\\' || c == ':'; }, '_');
    const std::string folder = workspace_root_.empty() ? fs::current_path().string() : workspace_root_;
    path = normalize_path(folder + "/" + name + std::string(extension_for(*language)));
  }
  const std::int64_t version = item.contains("version") && item["version"].is_number_integer() ? item["version"].get<std::int64_t>() : 0;
  Document& document = store_.open(uri, *path, *language, version, item.at("text").get<std::string>());
  lint_[uri] = LintState{};
  if (!pull_diagnostics_) schedule(document, Clock::now());
}

void Server::did_change(const Json& params) {
  const Json& identifier = params.at("textDocument");
  Document* document = store_.find(identifier.at("uri").get<std::string>());
  if (!document) {
    log(2, "didChange for a document that is not open: " + identifier.at("uri").get<std::string>());
    return;
  }
  if (identifier.contains("version") && identifier["version"].is_number_integer()) document->set_version(identifier["version"].get<std::int64_t>());
  for (const Json& change : params.at("contentChanges")) {
    std::optional<Range> range;
    if (change.contains("range")) range = range_from(change.at("range"));
    std::string error;
    if (!document->apply_change(range, change.at("text").get<std::string>(), encoding_, error)) {
      // The client and the server now disagree about the text; say so loudly, keep serving.
      log(1, "change to " + document->uri() + " ignored: " + error);
      break;
    }
  }
  if (!pull_diagnostics_) schedule(*document, Clock::now() + std::chrono::milliseconds(settings_.debounce_ms));
}

void Server::did_close(const Json& params) {
  const std::string uri = params.at("textDocument").at("uri").get<std::string>();
  Document* document = store_.find(uri);
  if (!document) {
    log(2, "didClose for a document that is not open: " + uri);
    return;
  }
  const std::string path = document->path();
  if (!pull_diagnostics_) notify("textDocument/publishDiagnostics", {{"uri", uri}, {"diagnostics", Json::array()}});
  store_.close(uri);
  lint_.erase(uri);
  // Its importers were checked against the buffer; from now on the file on disk is what they import.
  index_.remove(path);
  recheck_dependents(path);
}

Document& Server::document_for(const Json& text_document) {
  const std::string uri = text_document.at("uri").get<std::string>();
  Document* document = store_.find(uri);
  if (!document) throw std::invalid_argument("unknown document " + uri + " (not opened with textDocument/didOpen)");
  return *document;
}

const Document* Server::open_document_at(const std::string& path) const {
  for (const auto& [uri, document] : store_.documents())
    if (document->path() == path) return document.get();
  return nullptr;
}

// --- linting ----------------------------------------------------------------------------------------

void Server::schedule(Document& document, Clock::time_point when) { state_of(document).due = when; }

void Server::ensure_current(Document& document) {
  const LintState& state = state_of(document);
  if (!state.generation || *state.generation != document.generation()) lint(document);
}

void Server::lint(Document& document) {
  LintState& state = state_of(document);
  state.due.reset();
  state.generation = document.generation();
  state.diagnostics.clear();
  state.depends_on.clear();
  const std::string& path = document.path();
  bool exports_changed = false;
  auto report_configuration_error = [&](const std::string& error) {
    Diagnostic diagnostic;
    diagnostic.rule_id = kConfigErrorCode;
    diagnostic.severity = Severity::Error;
    diagnostic.message = error;
    state.diagnostics.push_back(std::move(diagnostic));
    if (shown_errors_.insert(error).second) notify("window/showMessage", {{"type", 1}, {"message", "asynclint: " + error}});
  };
  if (settings_.enable) {
    if (configuration_files_changed(path)) {
      reset_configuration();
      configuration_files_changed(path);  // record the new stamps
      // Every other document may be under the same asynclint.json.
      for (auto& [uri, other] : lint_) {
        if (uri == document.uri()) continue;
        if (pull_diagnostics_) other.generation.reset();
        else other.due = Clock::now();
      }
      if (pull_diagnostics_ && diagnostic_refresh_) request("workspace/diagnostic/refresh", nullptr, [](const Json*, const Json*) {});
    }
    std::string error;
    const bool ignored = is_ignored(path, error);
    // The files the configuration just read (through `extends` too), as they are now: a later edit to
    // one of them is then noticed like an edit to an asynclint.json above the file.
    for (const auto& file : configs_->files_read()) config_stamps_.try_emplace(file, file_stamp(file));
    if (!error.empty()) {
      report_configuration_error(error);
    } else if (!ignored) {
      const InputFile input{path, document.text(), store_.tree(document)};
      LintOptions options;
      options.threads = 1;
      options.project = &index_;
      // The workspace is the folder the editor opened, as a folder named on the command line is the one it
      // walked: the search for an event's emitters stays inside it. Without it, a package.json far above
      // (one in /tmp, or in a home folder) made a lint read every script below that, hundreds of MB of RSS.
      if (!workspace_root_.empty()) options.walked_folders = {normalize_path(workspace_root_)};
      const auto exports_before = index_.exports_of(path);
      LintRun run = lint_files({input}, *configs_, options, error);
      if (!error.empty()) {
        report_configuration_error(error);
      } else {
        for (const auto& notice : run.notices) log(2, notice.path + ": " + notice.message);
        if (!run.files.empty()) {
          state.diagnostics = std::move(run.files.front().diagnostics);
          state.depends_on = std::move(run.files.front().depends_on);
        }
        exports_changed = exports_before && index_.exports_of(path) != exports_before;
      }
    }
  }
  if (!pull_diagnostics_) publish(document);
  if (exports_changed) recheck_dependents(path);
}

void Server::recheck_dependents(const std::string& path) {
  bool any = false;
  for (auto& [uri, state] : lint_) {
    if (!std::binary_search(state.depends_on.begin(), state.depends_on.end(), path)) continue;
    any = true;
    if (pull_diagnostics_) state.generation.reset();
    else state.due = Clock::now();
  }
  if (any && pull_diagnostics_ && diagnostic_refresh_) request("workspace/diagnostic/refresh", nullptr, [](const Json*, const Json*) {});
}

void Server::recheck_all() {
  for (auto& [uri, state] : lint_) {
    if (pull_diagnostics_) state.generation.reset();
    else state.due = Clock::now();
  }
  if (pull_diagnostics_ && diagnostic_refresh_ && !lint_.empty())
    request("workspace/diagnostic/refresh", nullptr, [](const Json*, const Json*) {});
}

void Server::run_due_work(Clock::time_point now) {
  if (settings_deadline_) {
    if (now < *settings_deadline_) return;  // the first lint waits (briefly) for the client's settings
    log(2, "no answer to workspace/configuration; linting with the settings at hand");
    settings_deadline_.reset();
  }
  std::vector<std::string> due;
  for (const auto& [uri, state] : lint_)
    if (state.due && *state.due <= now) due.push_back(uri);
  for (const auto& uri : due) {
    Document* document = store_.find(uri);
    if (!document) continue;
    try {
      lint(*document);
    } catch (const std::exception& e) {
      // Nothing the document holds may take the server down; the next change tries again.
      state_of(*document).due.reset();
      log(1, "linting " + uri + " failed: " + e.what());
    }
  }
}

std::optional<Clock::time_point> Server::next_due() const {
  if (settings_deadline_) return settings_deadline_;
  std::optional<Clock::time_point> earliest;
  for (const auto& [uri, state] : lint_)
    if (state.due && (!earliest || *state.due < *earliest)) earliest = state.due;
  return earliest;
}

void Server::publish(Document& document) {
  Json diagnostics = Json::array();
  for (const auto& diagnostic : state_of(document).diagnostics) diagnostics.push_back(diagnostic_json(document, diagnostic, render_options()));
  notify("textDocument/publishDiagnostics", {{"uri", document.uri()}, {"version", document.version()}, {"diagnostics", std::move(diagnostics)}});
}

// --- requests on documents --------------------------------------------------------------------------

Json Server::pull_diagnostics(const Json& params) {
  Document& document = document_for(params.at("textDocument"));
  ensure_current(document);
  LintState& state = state_of(document);
  Json items = Json::array();
  for (const auto& diagnostic : state.diagnostics) items.push_back(diagnostic_json(document, diagnostic, render_options()));
  // The result id names the items themselves, so an unchanged answer can be given after re-linting.
  const std::string result_id = std::to_string(std::hash<std::string>{}(items.dump())) + "-" + std::to_string(items.size());
  const auto previous = params.find("previousResultId");
  if (previous != params.end() && previous->is_string() && previous->get<std::string>() == result_id)
    return {{"kind", "unchanged"}, {"resultId", result_id}};
  return {{"kind", "full"}, {"resultId", result_id}, {"items", std::move(items)}};
}

Json Server::hover(const Json& params) {
  Document& document = document_for(params.at("textDocument"));
  const Position position = position_from(params.at("position"));
  const auto byte = document.lines().offset_of(document.text(), position, encoding_);
  if (!byte) throw std::invalid_argument("position " + describe(position) + " is past the end of " + document.uri());
  ensure_current(document);
  std::string markdown;
  const Diagnostic* first = nullptr;
  for (const auto& diagnostic : state_of(document).diagnostics) {
    if (*byte < diagnostic.start_byte || *byte > diagnostic.end_byte) continue;
    if (!first) first = &diagnostic;
    else markdown += "\n\n---\n\n";
    markdown += hover_markdown(document, diagnostic);
  }
  if (!first) return nullptr;
  return {{"contents", {{"kind", markdown_ ? "markdown" : "plaintext"}, {"value", markdown}}},
          {"range", range_json(document, first->start_byte, first->end_byte, encoding_)}};
}

Json Server::code_actions(const Json& params) {
  Document& document = document_for(params.at("textDocument"));
  const Range range = range_from(params.at("range"));
  const auto start = document.lines().offset_of(document.text(), range.start, encoding_);
  const auto end = document.lines().offset_of(document.text(), range.end, encoding_);
  if (!start || !end) throw std::invalid_argument("range " + describe(range.start) + "-" + describe(range.end) + " is past the end of " + document.uri());
  ensure_current(document);
  const Json* only = find_path(params, {"context", "only"});
  const std::string& text = document.text();
  Json fixes = Json::array(), disables = Json::array(), documentation = Json::array();
  std::set<std::string> disabled_on_line, documented;
  for (const auto& diagnostic : state_of(document).diagnostics) {
    if (diagnostic.start_byte > *end || *start > diagnostic.end_byte) continue;
    if (!kind_requested(only, "quickfix")) break;
    const Json lsp_diagnostic = diagnostic_json(document, diagnostic, render_options());
    for (std::size_t i = 0; i < diagnostic.suggestions.size(); ++i) {
      const Suggestion& suggestion = diagnostic.suggestions[i];
      fixes.push_back({{"title", suggestion.description},
                       {"kind", "quickfix"},
                       {"diagnostics", Json::array({lsp_diagnostic})},
                       {"isPreferred", i == 0},
                       {"edit", workspace_edit(document, suggestion.edits, render_options())}});
    }
    // A suppression comment cannot silence the report that a suppression comment is unused.
    const Rule* rule = RuleRegistry::find(diagnostic.rule_id);
    if (!rule || rule->meta().reported_by_engine) continue;
    const std::uint32_t line = document.lines().line_of(diagnostic.start_byte);
    if (disabled_on_line.insert(std::to_string(line) + diagnostic.rule_id).second) {
      const std::uint32_t line_start = document.lines().line_start(line);
      std::uint32_t indent_end = line_start;
      while (indent_end < text.size() && (text[indent_end] == ' ' || text[indent_end] == '\t')) ++indent_end;
      TextEdit edit;
      // Extend a directive already on the line above rather than stacking a second one.
      bool extended = false;
      if (line > 0) {
        const std::uint32_t previous_start = document.lines().line_start(line - 1);
        std::string_view previous(text.data() + previous_start, line_start - previous_start);
        while (!previous.empty() && (previous.back() == '\n' || previous.back() == '\r')) previous.remove_suffix(1);
        const std::size_t content = previous.find_first_not_of(" \t");
        if (content != std::string_view::npos && starts_with(previous.substr(content), "// asynclint-disable-next-line ") &&
            previous.find(" -- ") == std::string_view::npos) {
          const auto at = static_cast<std::uint32_t>(previous_start + previous.size());
          edit = {at, at, ", " + diagnostic.rule_id};
          extended = true;
        }
      }
      if (!extended) {
        const bool crlf = text.find("\r\n") != std::string::npos;
        edit = {line_start, line_start, text.substr(line_start, indent_end - line_start) + "// asynclint-disable-next-line " +
                                            diagnostic.rule_id + (crlf ? "\r\n" : "\n")};
      }
      disables.push_back({{"title", "Disable " + diagnostic.rule_id + " for this line"},
                          {"kind", "quickfix"},
                          {"diagnostics", Json::array({lsp_diagnostic})},
                          {"edit", workspace_edit(document, {edit}, render_options())}});
    }
    if (documented.insert(diagnostic.rule_id).second) {
      const std::string title = "Show documentation for " + diagnostic.rule_id;
      documentation.push_back({{"title", title},
                               {"kind", "quickfix"},
                               {"command", {{"title", title}, {"command", kShowDocumentation}, {"arguments", Json::array({diagnostic.rule_id})}}}});
    }
  }
  Json actions = Json::array();
  for (auto* group : {&fixes, &disables, &documentation})
    for (auto& action : *group) actions.push_back(std::move(action));
  if (kind_requested(only, kFixAllKind)) {
    // Only the fixes that cannot change behaviour, through the same engine as --fix.
    const FixOutcome outcome = apply_fixes(text, document.language(), state_of(document).diagnostics, /*include_suggestions=*/false);
    if (outcome.applied > 0)
      actions.push_back({{"title", "Fix all safe asynclint problems"}, {"kind", kFixAllKind}, {"edit", workspace_edit(document, outcome.edits, render_options())}});
  }
  return actions;
}

Json Server::execute_command(const Json& params) {
  const std::string command = params.at("command").get<std::string>();
  if (command != kShowDocumentation) throw std::invalid_argument("unknown command '" + command + "'");
  const Json arguments = params.value("arguments", Json::array());
  if (!arguments.is_array() || arguments.empty() || !arguments.front().is_string())
    throw std::invalid_argument(std::string(kShowDocumentation) + " takes a rule id");
  const std::string rule_id = arguments.front().get<std::string>();
  const Rule* rule = RuleRegistry::find(rule_id);
  if (!rule) throw std::invalid_argument("'" + rule_id + "' is not an asynclint rule");
  const std::string href = documentation_href(rule_id);
  if (show_document_) {
    request("window/showDocument", {{"uri", href}, {"external", true}}, [](const Json*, const Json*) {});
  } else {
    notify("window/showMessage", {{"type", 3}, {"message", rule_id + ": " + std::string(rule->meta().summary) + " — " + href}});
  }
  // The documentation itself too, for clients that would rather show it than open a browser.
  return {{"rule", rule_id}, {"href", href}, {"markdown", rule_documentation(*rule)}};
}

// --- LSP shapes (the rest is in render.cpp) --------------------------------------------------------

RenderOptions Server::render_options() {
  RenderOptions options;
  options.encoding = encoding_;
  options.document_changes = document_changes_;
  options.locate = [this](const std::string& path, const LineColumn& at) { return location_json(path, at); };
  return options;
}

Json Server::location_json(const std::string& path, const LineColumn& at) {
  const std::string absolute = normalize_path(path);
  const Document* open = open_document_at(absolute);
  const std::uint32_t line = at.line > 0 ? at.line - 1 : 0;
  std::uint32_t character = at.column > 0 ? at.column - 1 : 0;  // the engine counts UTF-16 units from 1
  if (encoding_ == PositionEncoding::Utf8) {
    std::string line_text;
    if (open && line < open->lines().line_count()) {
      const std::uint32_t begin = open->lines().line_start(line);
      const std::uint32_t end = line + 1 < open->lines().line_count() ? open->lines().line_start(line + 1) : static_cast<std::uint32_t>(open->text().size());
      line_text = open->text().substr(begin, end - begin);
    } else {
      line_text = line_of_file(absolute, line);
    }
    character = utf16_column_to(line_text, character, PositionEncoding::Utf8);
  }
  const Json position = {{"line", line}, {"character", character}};
  return {{"uri", open ? open->uri() : uri_from_path(absolute)}, {"range", {{"start", position}, {"end", position}}}};
}

}  // namespace asynclint::lsp
