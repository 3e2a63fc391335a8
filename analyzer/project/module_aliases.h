#pragma once
// Bare specifiers that name files of the project rather than packages of node_modules: tsconfig/jsconfig
// `paths` and `baseUrl` aliases (`@/lib/queue`, `src/jobs`), and the packages of a workspace imported by
// their names (`@acme/db`, `@acme/db/client`), found the way TypeScript and Node would, but at the sources.
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace asynclint {

class ModuleAliases {
 public:
  // The absolute path of the lintable project file that a bare `specifier` names when `importer_absolute_path`
  // imports it, or empty (a package of node_modules, a Node built-in, or nothing this project declares).
  // Thread-safe; each tsconfig.json, jsconfig.json, package.json and pnpm-workspace.yaml is read once.
  std::string resolve(const std::string& importer_absolute_path, std::string_view specifier);
  // What resolve's answers for this file depend on: a hash of the configuration files that apply to it,
  // empty when none does (a part of --cache's key, since an edited alias changes the file's imports).
  std::string fingerprint(const std::string& importer_absolute_path);

  // One tsconfig's aliases, `extends` applied.
  struct PathAliases {
    std::string base_url;  // absolute; empty without `baseUrl`
    std::string paths_base;  // the folder `paths` targets are relative to (baseUrl, else the defining tsconfig's)
    std::vector<std::pair<std::string, std::vector<std::string>>> paths;  // pattern → targets, in file order
    std::string fingerprint;
  };
  // The packages a file can import by name: every package of its workspace, and its own package.
  struct Workspace {
    std::map<std::string, std::string> packages;  // package name → absolute folder
    std::string fingerprint;
  };

 private:
  std::shared_ptr<const PathAliases> path_aliases_for(const std::string& folder);
  std::shared_ptr<const Workspace> workspace_for(const std::string& folder);
  std::shared_ptr<const PathAliases> read_tsconfig(const std::string& path);
  std::shared_ptr<const Workspace> read_workspace(const std::string& folder);
  // resolve_path remembered: each candidate file name is looked for once per run, whichever folder asks.
  std::string resolve_file(const std::string& base);
  std::string resolve_uncached(const PathAliases* aliases, const Workspace* workspace, std::string_view specifier);

  std::recursive_mutex mutex_;
  // Per folder: the nearest tsconfig's aliases, the workspace (null when there is none), and answers.
  std::unordered_map<std::string, std::shared_ptr<const PathAliases>> path_aliases_;
  std::unordered_map<std::string, std::shared_ptr<const Workspace>> workspaces_;
  std::unordered_map<std::string, std::string> answers_;  // configuration '\n' specifier → path
  std::unordered_map<std::string, std::string> files_;    // candidate base → file found, or empty
};

// The files a package's name (and optional subpath, "" or "./sub") stands for in its own sources, best first:
// `source` fields and conditions, then `exports`, `module` and `main` with their build folders (dist, lib,
// build, out) read as src, then the targets as written, then `src/index` and `index`. Relative to `folder`,
// without extensions (the caller tries them).
std::vector<std::string> package_entry_candidates(const std::string& package_json_text, const std::string& subpath);

}  // namespace asynclint
