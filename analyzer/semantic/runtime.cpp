#include "semantic/runtime.h"

namespace asynclint {

namespace {
bool contains_any(std::string_view source, std::initializer_list<std::string_view> needles) {
  for (std::string_view needle : needles)
    if (source.find(needle) != std::string_view::npos) return true;
  return false;
}
}  // namespace

FileRuntime detect_runtime(std::string_view source, std::optional<bool> uses_browser_globals) {
  FileRuntime runtime;
  const bool globals = uses_browser_globals ? *uses_browser_globals
                                            : contains_any(source, {"window.", "document.", "navigator.", "localStorage",
                                                                    "sessionStorage", "requestAnimationFrame"});
  const bool browser = globals || contains_any(source, {"'use client'", "\"use client\"", "from 'react'", "from \"react\"",
                                                        "from 'react-dom", "from \"react-dom"});
  // What only Node code uses. `require(` and `process.` are weaker: compiled browser code is CommonJS too
  // (`require("react")`), and bundlers define `process.env.NODE_ENV` for the browser.
  const bool node_only = contains_any(source, {"from 'node:", "from \"node:", "require(\"node:", "require('node:", "__dirname",
                                               "__filename", "from 'fs'", "from \"fs\"", "require(\"fs\")", "require('fs')",
                                               "fs/promises", "child_process", "from 'http'", "from \"http\"",
                                               "require(\"http\")", "require('http')", "process.argv", "process.exit",
                                               "process.cwd(", "process.on(", "process.stdout", "process.stderr"});
  const bool node_likely = node_only || contains_any(source, {"require(", "process."});
  if (browser && !node_only) runtime.kind = FileRuntime::Kind::Browser;
  else if (!browser && node_likely) runtime.kind = FileRuntime::Kind::Node;
  runtime.handles_unhandled_rejections = contains_any(source, {"'unhandledRejection'", "\"unhandledRejection\""});
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
