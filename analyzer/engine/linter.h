#pragma once
// The per-file pipeline and the parallel driver.
//
//   read → parse → one cursor walk (semantic model + nodes rules asked for + suppression comments)
//        → rules → findings, some conditional on another file's exports
//   after every file: project index → conditional findings resolved → suppressions → sorted output
#include <tree_sitter/api.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/config.h"
#include "engine/diagnostic.h"
#include "syntax/source_text.h"

namespace asynclint {

class ProjectIndex;

struct InputFile {
  std::string path;                 // as the user named it; shown in output
  std::optional<std::string> text;  // in-memory contents (stdin, editors, tests); read from disk when empty
  // A tree already parsed from `text` with the file's grammar (an editor re-parses each document
  // incrementally as it is edited): the linter walks a copy of it instead of parsing again. Ignored without
  // `text`, for another grammar, or when the text starts with a byte-order mark (offsets would shift).
  const TSTree* tree = nullptr;
};

struct LintOptions {
  unsigned threads = 0;                           // 0: one per core
  std::uint64_t max_file_size = 10 * 1024 * 1024;  // larger files are skipped with a notice
  // Called from worker threads after each file (files done, total); must be thread-safe and cheap.
  std::function<void(std::size_t, std::size_t)> on_progress;
  std::string cache_path;  // --cache: where results are kept between runs (empty: no cache)
  // Whether FileReport::source must hold the text of files with findings (code frames, SARIF line hashes,
  // fixes). When not, --cache does not read an unchanged file at all: most of a warm run was reading them.
  bool keep_text = true;
  // An index kept between runs by a long-lived caller (the language server): the linted files' exports
  // replace their entries, imported files already in it are not read again, and cross-file findings are
  // resolved against it. The caller removes entries whose files changed. Null: a fresh index per run.
  ProjectIndex* project = nullptr;
  // The folders the caller walked to find the files (the CLI's directory arguments), absolute and
  // lexically normal. The search for an event's emitters (linter.cpp) stays inside the one holding a
  // file: every file there was linted, or belongs to another shard of the same run.
  std::vector<std::string> walked_folders;
  // Keep each finding's scenario programs in Diagnostic::scenario_program/fixed_scenario_program (the tests
  // run them in Node). Findings restored from --cache have none.
  bool keep_scenario_programs = false;
};

struct FileReport {
  std::string path;
  std::vector<Diagnostic> diagnostics;     // sorted by position, then rule id
  std::shared_ptr<const SourceText> source;  // kept only for files with diagnostics, and may be null
                                              // when LintOptions::keep_text is off
  bool has_syntax_errors = false;
  std::optional<SyntaxError> first_syntax_error;  // set when has_syntax_errors
  std::vector<SuppressedDiagnostic> suppressed;  // left out by comments or the baseline
  // Absolute paths of the other files whose exports decided this file's cross-file findings (re-export
  // chains included): an editor checks this file again when one of them changes.
  std::vector<std::string> depends_on;
};

struct FileNotice {
  std::string path;
  std::string message;
};

struct LintRun {
  std::vector<FileReport> files;    // every linted file, sorted by path
  std::vector<FileNotice> notices;  // files that could not be linted, and why
  std::size_t files_linted = 0;
  // --error-on-syntax: a file's first syntax error fails the run, and the reporters show it as an error
  // (otherwise as a note). Set by the caller, not by lint_files.
  bool syntax_errors_fail = false;
};

// Lints files as one project (cross-file facts are shared between them). Never throws for bad input:
// unreadable, binary, invalid-UTF-8 or oversized files become notices. `error` is set (and an empty run
// returned) only for configuration errors.
LintRun lint_files(const std::vector<InputFile>& files, ConfigResolver& configs, const LintOptions& options,
                   std::string& error);

}  // namespace asynclint
