#include "project/project_index.h"

#include <algorithm>
#include <filesystem>

namespace fs = std::filesystem;

namespace asynclint {

namespace {
constexpr int kMaxAliasDepth = 16;  // re-export chains longer than this (or cycles) stay unknown
}

std::string normalize_path(const std::string& path) {
  std::error_code ec;
  fs::path absolute = fs::absolute(fs::path(path), ec);
  if (ec) absolute = fs::path(path);
  return absolute.lexically_normal().string();
}

void ProjectIndex::add(const std::string& absolute_path, FileExports exports) {
  std::lock_guard<std::mutex> lock(mutex_);
  const bool is_new = files_.insert_or_assign(absolute_path, std::move(exports)).second;
  if (is_new) {
    std::lock_guard<std::mutex> resolved_lock(resolved_mutex_);
    resolved_.clear();
  }
}

void ProjectIndex::remove(const std::string& absolute_path) {
  std::lock_guard<std::mutex> lock(mutex_);
  searched_events_.erase(absolute_path);
  if (files_.erase(absolute_path)) {
    std::lock_guard<std::mutex> resolved_lock(resolved_mutex_);
    resolved_.clear();
  }
}

std::string ProjectIndex::emits_awaited(const std::string& event) const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::string found;  // the first path in byte order, so that the answer does not depend on hashing
  for (const auto& [path, exports] : files_)
    if (std::binary_search(exports.awaited_events.begin(), exports.awaited_events.end(), event) && (found.empty() || path < found))
      found = path;
  return found;
}

bool ProjectIndex::searched_for_event(const std::string& absolute_path, const std::string& event) {
  std::lock_guard<std::mutex> lock(mutex_);
  return !searched_events_[absolute_path].insert(event).second;
}

std::optional<FileExports> ProjectIndex::exports_of(const std::string& absolute_path) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto found = files_.find(absolute_path);
  if (found == files_.end()) return std::nullopt;
  return found->second;
}

std::string resolve_specifier(const std::string& importer_absolute_path, const std::string& specifier,
                              const std::function<bool(const std::string&)>& exists) {
  if (specifier.empty() || (specifier[0] != '.' && specifier[0] != '/')) return {};
  const fs::path base = specifier[0] == '/' ? fs::path(specifier)
                                            : (fs::path(importer_absolute_path).parent_path() / specifier).lexically_normal();
  const std::string stem = base.string();
  if (exists(stem)) return stem;
  // TypeScript lets `./x.js` name `x.ts` (and .mjs → .mts, .cjs → .cts, .jsx → .tsx).
  static const std::pair<const char*, const char*> kRewrites[] = {
      {".js", ".ts"}, {".js", ".tsx"}, {".mjs", ".mts"}, {".cjs", ".cts"}, {".jsx", ".tsx"}};
  for (const auto& [from, to] : kRewrites) {
    const std::string suffix(from);
    if (stem.size() > suffix.size() && stem.compare(stem.size() - suffix.size(), suffix.size(), suffix) == 0) {
      const std::string candidate = stem.substr(0, stem.size() - suffix.size()) + to;
      if (exists(candidate)) return candidate;
    }
  }
  static const char* kExtensions[] = {".ts", ".tsx", ".js", ".jsx", ".mjs", ".cjs", ".mts", ".cts"};
  for (const char* ext : kExtensions)
    if (exists(stem + ext)) return stem + ext;
  for (const char* ext : kExtensions)
    if (exists((base / "index").string() + ext)) return (base / "index").string() + ext;
  return {};
}

std::string ProjectIndex::resolve_module(const std::string& importer_absolute_path, const std::string& specifier) const {
  const std::size_t slash = importer_absolute_path.rfind('/');
  std::string key = importer_absolute_path.substr(0, slash == std::string::npos ? 0 : slash);
  key += '\n';
  key += specifier;
  {
    std::lock_guard<std::mutex> lock(resolved_mutex_);
    if (auto found = resolved_.find(key); found != resolved_.end()) return found->second;
  }
  std::string target = resolve_specifier(importer_absolute_path, specifier, [&](const std::string& path) { return files_.count(path) > 0; });
  std::lock_guard<std::mutex> lock(resolved_mutex_);
  resolved_.emplace(std::move(key), target);
  return target;
}

bool ProjectIndex::contains(const std::string& absolute_path) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return files_.count(absolute_path) > 0;
}

std::vector<std::pair<std::string, std::string>> ProjectIndex::forwarded_modules() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [file, exports] : files_) {
    for (const auto& module : exports.star_modules) out.emplace_back(file, module);
    for (const auto& [name, fact] : exports.named) {
      if (fact.kind == ExportFact::Kind::Alias) out.emplace_back(file, fact.alias_module);
      for (const auto& [module, imported] : fact.reject_imports) out.emplace_back(file, module);
      for (const auto& [module, imported] : fact.io_imports) out.emplace_back(file, module);
      if (!fact.members_module.empty()) out.emplace_back(file, fact.members_module);
    }
  }
  return out;
}

std::optional<ProjectIndex::FoundExport> ProjectIndex::find_export(const std::string& file, const std::string& name, int depth,
                                                                  Visited& visited) const {
  // Each (file, name) is asked once: dense `export *` cycles would otherwise be explored path by path.
  if (depth > kMaxAliasDepth || !visited.emplace(file, name).second) return std::nullopt;
  auto found_file = files_.find(file);
  if (found_file == files_.end()) return std::nullopt;
  const FileExports& exports = found_file->second;
  auto found = exports.named.find(name);
  if (found != exports.named.end()) {
    const ExportFact& fact = found->second;
    if (fact.kind != ExportFact::Kind::Alias) return FoundExport{file, &fact, depth};
    const std::string target = resolve_module(file, fact.alias_module);
    return target.empty() ? std::nullopt : find_export(target, fact.alias_name, depth + 1, visited);
  }
  // `C.m`, a member of an export re-exported under another name (`export { Queue as JobQueue } from`):
  // the member of what the alias names.
  if (const std::size_t dot = name.find('.'); dot != std::string::npos) {
    auto owner = exports.named.find(name.substr(0, dot));
    if (owner != exports.named.end() && owner->second.kind == ExportFact::Kind::Alias) {
      const std::string target = resolve_module(file, owner->second.alias_module);
      if (!target.empty()) return find_export(target, owner->second.alias_name + name.substr(dot), depth + 1, visited);
    }
    // An instance of a class another module exports: the member of that class.
    if (owner != exports.named.end() && !owner->second.members_module.empty()) {
      const std::string target = resolve_module(file, owner->second.members_module);
      if (!target.empty()) return find_export(target, owner->second.members_name + name.substr(dot), depth + 1, visited);
    }
  }
  if (name == "default") return std::nullopt;  // `export *` never forwards a default export
  for (const auto& module : exports.star_modules) {
    const std::string target = resolve_module(file, module);
    if (target.empty()) continue;
    if (auto answer = find_export(target, name, depth + 1, visited)) return answer;
  }
  return std::nullopt;
}

std::optional<ResolvedPromiseExport> ProjectIndex::lookup(const std::string& file, const std::string& name, int depth,
                                                          Visited& visited) const {
  auto found = find_export(file, name, depth, visited);
  if (!found || found->fact->kind != ExportFact::Kind::ReturnsPromise) return std::nullopt;
  const ExportFact& fact = *found->fact;
  ResolvedPromiseExport answer{found->file, fact.what, fact.declared_at, fact.rejects, fact.reject_reason};
  resolve_rejection(answer, fact.reject_imports, found->depth, visited);
  return answer;
}

std::optional<ResolvedIo> ProjectIndex::io_lookup(const std::string& file, const std::string& name, int depth, Visited& visited) const {
  auto found = find_export(file, name, depth, visited);
  if (!found) return std::nullopt;
  const ExportFact& fact = *found->fact;
  ResolvedIo answer{fact.does_io, fact.io_reason, fact.io_local_files_only};
  // Local file work keeps looking: an import called next to it may reach a server.
  for (const auto& [module, imported] : fact.io_imports) {
    if (answer.does_io && !answer.local_files_only) break;
    const std::string target = resolve_module(found->file, module);
    if (target.empty() || visited.count({target, imported})) continue;
    auto deeper = io_lookup(target, imported, found->depth + 1, visited);
    if (deeper && deeper->does_io && (!answer.does_io || !deeper->local_files_only)) answer = *deeper;
  }
  return answer;
}

std::optional<ResolvedIo> ProjectIndex::does_io(const std::string& importer_absolute_path, const ImportQuestion& question,
                                                std::vector<std::string>* consulted) const {
  std::lock_guard<std::mutex> lock(mutex_);
  const std::string target = resolve_module(importer_absolute_path, question.module);
  if (target.empty()) return std::nullopt;
  Visited visited;
  auto answer = io_lookup(target, question.name, 0, visited);
  if (consulted)
    for (const auto& [file, name] : visited)
      if (files_.count(file)) consulted->push_back(file);
  return answer;
}

void ProjectIndex::resolve_rejection(ResolvedPromiseExport& answer, const std::vector<std::pair<std::string, std::string>>& imports,
                                     int depth, Visited& visited) const {
  for (const auto& [module, name] : imports) {
    if (answer.rejects == Rejects::Yes) return;
    const std::string target = resolve_module(answer.file, module);
    // A (file, name) already on the way here adds nothing new: a cycle cannot make a promise reject.
    if (!target.empty() && visited.count({target, name})) continue;
    std::optional<ResolvedPromiseExport> imported = target.empty() ? std::nullopt : lookup(target, name, depth + 1, visited);
    if (!imported) {
      if (answer.rejects >= Rejects::Maybe) continue;
      answer.rejects = Rejects::Maybe;
      answer.reject_reason = "it awaits '" + name + "' from '" + module + "', which asynclint cannot see into";
    } else if (imported->rejects > answer.rejects) {
      answer.rejects = imported->rejects;
      answer.reject_reason = imported->rejects >= Rejects::Maybe ? "it awaits " + imported->what + ", which can reject: " + imported->reject_reason
                                                                  : imported->reject_reason;
    }
  }
}

std::optional<ResolvedPromiseExport> ProjectIndex::returns_promise(const std::string& importer_absolute_path,
                                                                   const ImportQuestion& question,
                                                                   std::vector<std::string>* consulted) const {
  std::lock_guard<std::mutex> lock(mutex_);
  const std::string target = resolve_module(importer_absolute_path, question.module);
  if (target.empty()) return std::nullopt;
  Visited visited;
  auto answer = lookup(target, question.name, 0, visited);
  if (consulted)
    for (const auto& [file, name] : visited)
      if (files_.count(file)) consulted->push_back(file);
  return answer;
}

}  // namespace asynclint
