#pragma once
// Every linted file's exports, and the answer to "does this import return a promise?".
#include <functional>
#include <mutex>
#include <set>
#include <optional>
#include <string>
#include <unordered_map>

#include "project/exports.h"
#include "semantic/semantic_model.h"

namespace asynclint {

struct ResolvedPromiseExport {
  std::string file;  // absolute path of the file declaring the function
  std::string what;
  LineColumn declared_at;
  // Whether its promise can reject, with the imports it awaits resolved in turn (an import that does not
  // resolve to a promise-returning project function counts as Maybe: an operation out of sight).
  Rejects rejects = Rejects::Maybe;
  std::string reject_reason;
};

// Whether an imported function does I/O (semantic/io.h), with the imports it calls followed in turn.
struct ResolvedIo {
  bool does_io = false;
  std::string reason;
  bool local_files_only = false;  // the I/O found reads or writes single local files (IoFact)
};

class ProjectIndex {
 public:
  // `absolute_path` must be absolute and lexically normal (see normalize_path). Thread-safe.
  void add(const std::string& absolute_path, FileExports exports);
  // A long-lived index (the language server's) forgets a file that changed or closed; the next run reads
  // it again when something still imports it.
  void remove(const std::string& absolute_path);
  // A copy of an indexed file's exports (nullopt when it is not indexed).
  std::optional<FileExports> exports_of(const std::string& absolute_path) const;
  // Answers for a file that imports `question.module`; nullopt when the export is unknown or not a
  // promise-returning function. `consulted` (when given) receives every indexed file the answer looked
  // into, re-export chains included: the files whose edits can change it.
  std::optional<ResolvedPromiseExport> returns_promise(const std::string& importer_absolute_path,
                                                       const ImportQuestion& question,
                                                       std::vector<std::string>* consulted = nullptr) const;
  // Whether the function an import names does I/O; nullopt when the export is unknown.
  std::optional<ResolvedIo> does_io(const std::string& importer_absolute_path, const ImportQuestion& question,
                                    std::vector<std::string>* consulted = nullptr) const;
  // The indexed file a relative specifier names, or empty.
  std::string resolve_module(const std::string& importer_absolute_path, const std::string& specifier) const;
  bool contains(const std::string& absolute_path) const;
  // The indexed file that awaits an emit of this event (FileExports::awaited_events), or empty.
  std::string emits_awaited(const std::string& event) const;
  // Whether `absolute_path` was already searched for this event name (the engine's scan for emitters,
  // which reads files no import leads to); remembered until the file is removed.
  bool searched_for_event(const std::string& absolute_path, const std::string& event);
  // Modules the indexed files forward to (`export … from`, `export *`), as (importer, specifier) pairs:
  // where on-demand indexing looks next.
  std::vector<std::pair<std::string, std::string>> forwarded_modules() const;
  std::size_t size() const { return files_.size(); }

 private:
  using Visited = std::set<std::pair<std::string, std::string>>;  // (file, export name) pairs already asked
  struct FoundExport {
    std::string file;
    const ExportFact* fact;  // never an Alias
    int depth;
  };
  // The fact an export name has, following aliases (`export { x } from`) and `export *`.
  std::optional<FoundExport> find_export(const std::string& file, const std::string& name, int depth, Visited& visited) const;
  std::optional<ResolvedPromiseExport> lookup(const std::string& file, const std::string& name, int depth, Visited& visited) const;
  std::optional<ResolvedIo> io_lookup(const std::string& file, const std::string& name, int depth, Visited& visited) const;
  // Raises `answer` by the rejection of each import a promise-returning export depends on.
  void resolve_rejection(ResolvedPromiseExport& answer, const std::vector<std::pair<std::string, std::string>>& imports,
                         int depth, Visited& visited) const;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, FileExports> files_;
  std::unordered_map<std::string, std::set<std::string>> searched_events_;  // path → event names searched
  // resolve_module's answers by importer folder and specifier, forgotten when the set of files changes:
  // a project asks the same few thousand questions many times, and each costs path normalisation and
  // up to 20 candidate names.
  mutable std::mutex resolved_mutex_;
  mutable std::unordered_map<std::string, std::string> resolved_;
};

// Resolves a relative specifier as Node and TypeScript do (the exact file, TypeScript's `./x.js` → `x.ts`,
// added extensions, `index` files), asking `exists` about each candidate. Empty when nothing matches.
std::string resolve_specifier(const std::string& importer_absolute_path, const std::string& specifier,
                              const std::function<bool(const std::string&)>& exists);

// Absolute, lexically normal form of a path (no symlink resolution: cheap and deterministic).
std::string normalize_path(const std::string& path);

}  // namespace asynclint
