#include "semantic/runtime.h"

#include <algorithm>
#include <iterator>

namespace asynclint {

FileRuntime detect_runtime(std::string_view source, std::optional<bool> uses_browser_globals, const ByteRanges& skipped,
                           std::uint32_t skipped_offset) {
  // Whether a needle occurs outside the skipped ranges (offsets of `source` plus `skipped_offset`). Searching
  // the text as it is, rather than a copy with the comments blanked, keeps this off the profile.
  auto in_skipped = [&](std::size_t at) {
    const std::uint32_t absolute = static_cast<std::uint32_t>(at) + skipped_offset;
    auto after = std::upper_bound(skipped.begin(), skipped.end(), absolute,
                                  [](std::uint32_t byte, const auto& range) { return byte < range.first; });
    return after != skipped.begin() && absolute < std::prev(after)->second;
  };
  auto contains_any = [&](std::initializer_list<std::string_view> needles) {
    for (std::string_view needle : needles)
      for (std::size_t at = source.find(needle); at != std::string_view::npos; at = source.find(needle, at + 1))
        if (!in_skipped(at)) return true;
    return false;
  };
  FileRuntime runtime;
  const bool globals = uses_browser_globals ? *uses_browser_globals
                                            : contains_any({"window.", "document.", "navigator.", "localStorage",
                                                            "sessionStorage", "requestAnimationFrame"});
  const bool browser = globals || contains_any({"'use client'", "\"use client\"", "from 'react'", "from \"react\"",
                                                "from 'react-dom", "from \"react-dom"});
  // What only Node code uses. `require(` and `process.` are weaker: compiled browser code is CommonJS too
  // (`require("react")`), and bundlers define `process.env.NODE_ENV` for the browser.
  const bool node_only = contains_any({"from 'node:", "from \"node:", "require(\"node:", "require('node:", "__dirname",
                                       "__filename", "from 'fs'", "from \"fs\"", "require(\"fs\")", "require('fs')",
                                       "fs/promises", "child_process", "from 'http'", "from \"http\"",
                                       "require(\"http\")", "require('http')", "process.argv", "process.exit",
                                       "process.cwd(", "process.on(", "process.stdout", "process.stderr"});
  const bool node_likely = node_only || contains_any({"require(", "process."});
  if (browser && !node_only) runtime.kind = FileRuntime::Kind::Browser;
  else if (!browser && node_likely) runtime.kind = FileRuntime::Kind::Node;
  runtime.handles_unhandled_rejections = contains_any({"'unhandledRejection'", "\"unhandledRejection\""});
  return runtime;
}

std::string_view unhandled_rejection_outcome(const FileRuntime& runtime) {
  switch (runtime.kind) {
    case FileRuntime::Kind::Node:
      return "Node ends the process on an unhandled rejection";
    case FileRuntime::Kind::Browser:
      return "the browser only logs it as an unhandled rejection, and the error is lost";
    case FileRuntime::Kind::Unknown:
      break;
  }
  return "an unhandled rejection ends a Node process (a browser only logs it)";
}

std::string_view unhandled_rejection_step(const FileRuntime& runtime) {
  switch (runtime.kind) {
    case FileRuntime::Kind::Node:
      return "Node ≥ 15 reports an unhandled rejection and ends the process with exit code 1";
    case FileRuntime::Kind::Browser:
      return "the browser logs an unhandled rejection in the console; the error reaches no code";
    case FileRuntime::Kind::Unknown:
      break;
  }
  return "Node ≥ 15 reports an unhandled rejection and ends the process with exit code 1 (a browser only logs it)";
}

}  // namespace asynclint
