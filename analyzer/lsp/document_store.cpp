#include "lsp/document_store.h"

#include <algorithm>

#include "syntax/parse.h"

namespace asynclint::lsp {

namespace {

// tree-sitter counts rows by '\n' alone and columns in bytes, whatever the editor calls a line.
TSPoint point_at(std::string_view text, std::uint32_t byte) {
  const std::string_view before = text.substr(0, byte);
  const auto rows = static_cast<std::uint32_t>(std::count(before.begin(), before.end(), '\n'));
  const std::size_t last_newline = before.rfind('\n');
  const auto column = static_cast<std::uint32_t>(last_newline == std::string_view::npos ? byte : byte - last_newline - 1);
  return {rows, column};
}

TSPoint point_after(TSPoint start, std::string_view inserted) {
  const auto rows = static_cast<std::uint32_t>(std::count(inserted.begin(), inserted.end(), '\n'));
  if (rows == 0) return {start.row, start.column + static_cast<std::uint32_t>(inserted.size())};
  return {start.row + rows, static_cast<std::uint32_t>(inserted.size() - inserted.rfind('\n') - 1)};
}

}  // namespace

Document::Document(std::string uri, std::string path, LanguageId language, std::int64_t version, std::string text)
    : uri_(std::move(uri)), path_(std::move(path)), language_(language), version_(version), text_(std::move(text)), lines_(text_) {}

Document::~Document() {
  if (tree_) ts_tree_delete(tree_);
}

bool Document::apply_change(const std::optional<Range>& range, std::string_view new_text, PositionEncoding encoding,
                            std::string& error) {
  if (new_text.size() > UINT32_MAX - text_.size()) {
    error = "the change would make the document larger than 4 GiB";
    return false;
  }
  ++generation_;
  if (!range) {
    text_.assign(new_text);
    lines_ = LineIndex(text_);
    if (tree_) ts_tree_delete(tree_);  // nothing of the old tree is known to survive
    tree_ = nullptr;
    tree_stale_ = true;
    return true;
  }
  const auto start = lines_.offset_of(text_, range->start, encoding);
  const auto end = lines_.offset_of(text_, range->end, encoding);
  if (!start || !end) {
    const Position& bad = start ? range->end : range->start;
    error = "position " + std::to_string(bad.line) + ":" + std::to_string(bad.character) + " is past the last line (" +
            std::to_string(lines_.line_count() - 1) + ")";
    --generation_;
    return false;
  }
  if (*end < *start) {
    error = "the range ends before it starts";
    --generation_;
    return false;
  }
  TSInputEdit edit;
  edit.start_byte = *start;
  edit.old_end_byte = *end;
  edit.new_end_byte = *start + static_cast<std::uint32_t>(new_text.size());
  edit.start_point = point_at(text_, *start);
  edit.old_end_point = point_at(text_, *end);
  edit.new_end_point = point_after(edit.start_point, new_text);
  text_.replace(*start, *end - *start, new_text);
  lines_ = LineIndex(text_);
  if (tree_) ts_tree_edit(tree_, &edit);
  tree_stale_ = true;
  return true;
}

const TSTree* Document::tree(TSParser* parser) {
  if (tree_ && !tree_stale_) return tree_;
  ts_parser_set_language(parser, ts_language(language_));
  // A text the parser gives up on has no tree: the lint then parses it again, gives up too, and says so.
  TSTree* parsed = parse_bounded(parser, tree_, text_);
  if (tree_) ts_tree_delete(tree_);
  tree_ = parsed;
  tree_stale_ = false;
  return tree_;
}

DocumentStore::DocumentStore() : parser_(ts_parser_new()) {}

DocumentStore::~DocumentStore() {
  documents_.clear();
  ts_parser_delete(parser_);
}

Document& DocumentStore::open(std::string uri, std::string path, LanguageId language, std::int64_t version, std::string text) {
  auto document = std::make_unique<Document>(uri, std::move(path), language, version, std::move(text));
  auto& slot = documents_[std::move(uri)];
  slot = std::move(document);
  return *slot;
}

void DocumentStore::close(const std::string& uri) { documents_.erase(uri); }

Document* DocumentStore::find(const std::string& uri) {
  auto found = documents_.find(uri);
  return found == documents_.end() ? nullptr : found->second.get();
}

}  // namespace asynclint::lsp
