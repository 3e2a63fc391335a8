#pragma once
// One file's exports, as facts the project index can combine across files.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "semantic/rejection.h"
#include "semantic/semantic_model.h"
#include "syntax/source_text.h"

namespace asynclint {

struct ExportFact {
  enum class Kind : std::uint8_t { ReturnsPromise, Other, Alias } kind = Kind::Other;
  std::string what;            // ReturnsPromise: "async function 'flush'"
  LineColumn declared_at;      // ReturnsPromise: where the function is declared
  std::string alias_module;    // Alias: specifier as written in this file
  std::string alias_name;      // Alias: export name there ("default" for a default / module.exports)
  // ReturnsPromise: whether the promise can reject, as far as this file shows (semantic/rejection.h), and
  // the imports (specifier as written, export name) whose own rejection still counts.
  Rejects rejects = Rejects::Maybe;
  std::string reject_reason;
  std::vector<std::pair<std::string, std::string>> reject_imports;
  // Any exported function: whether calling it does I/O (semantic/io.h), and the imports whose own I/O
  // would settle it.
  bool does_io = false;
  bool io_local_files_only = false;  // the I/O reads or writes single local files, nothing further
  std::string io_reason;
  std::vector<std::pair<std::string, std::string>> io_imports;
  // An export that is an instance of a class imported from another module (`export const queue = new
  // JobQueue()`): its members are that class's, `members_name.member` of `members_module`.
  std::string members_module;
  std::string members_name;
};

struct FileExports {
  std::map<std::string, ExportFact> named;  // "default" for `export default` and `module.exports = …`
  std::vector<std::string> star_modules;    // `export * from '…'`
  // Event names the file emits and awaits (SemanticModel::awaited_event_emits), sorted, without repeats:
  // not exports, but a fact other files' findings depend on in the same way.
  std::vector<std::string> awaited_events;
};

// Equal facts give importers equal findings: an editor re-checks a file's importers only when these differ.
bool operator==(const ExportFact& a, const ExportFact& b);
bool operator==(const FileExports& a, const FileExports& b);
inline bool operator!=(const FileExports& a, const FileExports& b) { return !(a == b); }

FileExports collect_exports(const SemanticModel& model, const SourceText& source);

}  // namespace asynclint
