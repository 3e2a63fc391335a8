#pragma once
// file:// URIs ↔ paths (RFC 8089, as editors write them: percent-encoded UTF-8, an empty or "localhost"
// authority).
#include <optional>
#include <string>
#include <string_view>

namespace asynclint::lsp {

// The path a file URI names; nullopt for other schemes (untitled:, vscode-notebook-cell:, …) and for
// malformed percent escapes.
std::optional<std::string> path_from_uri(std::string_view uri);
// A file URI for an absolute path, percent-encoding everything but unreserved characters and '/'.
std::string uri_from_path(std::string_view path);

}  // namespace asynclint::lsp
