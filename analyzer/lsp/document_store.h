#pragma once
// The documents an editor has open: each one's text, line index and syntax tree, kept in step with the
// editor's changes. A change is applied to the text and, as a TSInputEdit, to the tree; the next parse
// hands the edited tree back to tree-sitter, which re-parses only what the edit touched.
#include <tree_sitter/api.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "lsp/text_positions.h"
#include "syntax/language.h"

namespace asynclint::lsp {

class Document {
 public:
  Document(std::string uri, std::string path, LanguageId language, std::int64_t version, std::string text);
  ~Document();
  Document(const Document&) = delete;
  Document& operator=(const Document&) = delete;

  const std::string& uri() const { return uri_; }
  const std::string& path() const { return path_; }  // absolute; what the linter and asynclint.json see
  LanguageId language() const { return language_; }
  std::int64_t version() const { return version_; }
  void set_version(std::int64_t version) { version_ = version; }
  const std::string& text() const { return text_; }
  const LineIndex& lines() const { return lines_; }
  // Changes with every edit, so results computed from an older text can be recognised.
  std::uint64_t generation() const { return generation_; }

  // Applies one content change: `range` in `encoding`, or the whole text when there is none. Returns false
  // and changes nothing when the range is invalid (a line past the end, or an end before its start).
  bool apply_change(const std::optional<Range>& range, std::string_view new_text, PositionEncoding encoding, std::string& error);

  // The syntax tree of the current text. After edits, re-parses incrementally from the edited tree.
  // Null only when tree-sitter gave up (it never does without a timeout or cancellation flag set).
  const TSTree* tree(TSParser* parser);
  bool tree_is_current() const { return tree_ && !tree_stale_; }

 private:
  std::string uri_, path_;
  LanguageId language_;
  std::int64_t version_;
  std::string text_;
  LineIndex lines_;
  std::uint64_t generation_ = 0;
  TSTree* tree_ = nullptr;
  bool tree_stale_ = true;
};

class DocumentStore {
 public:
  DocumentStore();
  ~DocumentStore();
  DocumentStore(const DocumentStore&) = delete;
  DocumentStore& operator=(const DocumentStore&) = delete;

  // Opens (or re-opens, replacing) a document.
  Document& open(std::string uri, std::string path, LanguageId language, std::int64_t version, std::string text);
  void close(const std::string& uri);
  Document* find(const std::string& uri);
  const TSTree* tree(Document& document) { return document.tree(parser_); }
  const std::map<std::string, std::unique_ptr<Document>>& documents() const { return documents_; }

 private:
  TSParser* parser_;  // one for all documents: the server handles one message at a time
  std::map<std::string, std::unique_ptr<Document>> documents_;
};

}  // namespace asynclint::lsp
