#pragma once
// Where a file's code runs, decided once from what it uses: an unhandled rejection ends a Node process but
// is only logged by a browser, and a finding should say the right one.
#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

namespace asynclint {

struct FileRuntime {
  enum class Kind : unsigned char { Unknown, Node, Browser } kind = Kind::Unknown;
  // The file installs `process.on('unhandledRejection', …)`: a rejection nobody handles is reported by
  // that handler instead of ending the process.
  bool handles_unhandled_rejections = false;
};

// Evidence, from the text: `'use client'`, `window.`, `document.`, `navigator.`, web storage, React imports
// for the browser; `node:` and Node core module imports, `__dirname`, `process.argv`/`exit`/`on(`… for Node
// alone; `require(` and other `process.` uses for Node unless the browser's evidence is there (compiled
// browser code is CommonJS and reads `process.env.NODE_ENV`). Node-only and browser evidence together
// (isomorphic code), or none, gives Unknown.
//
// `uses_browser_globals`, when the caller has a syntax tree, answers for the globals (`window.`, `document.`,
// `navigator.`, web storage, `requestAnimationFrame`) instead of the text: a parameter named `document` (a
// collaboration server's Y.Doc) or `this.document.name` is not the browser's document.
//
// `skipped`: byte ranges of `source` (comments, in source order) where evidence does not count: a comment
// quoting `document.querySelectorAll` does not make a CommonJS CLI browser code.
using ByteRanges = std::vector<std::pair<std::uint32_t, std::uint32_t>>;
FileRuntime detect_runtime(std::string_view source, std::optional<bool> uses_browser_globals = std::nullopt,
                           const ByteRanges& skipped = {}, std::uint32_t skipped_offset = 0);

// How to finish "…, nobody handles the rejection: …" for a file's runtime.
std::string_view unhandled_rejection_outcome(const FileRuntime& runtime);
// The same, for the step of an explanation that tells it happening.
std::string_view unhandled_rejection_step(const FileRuntime& runtime);

}  // namespace asynclint
