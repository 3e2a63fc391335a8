#include "project/module_aliases.h"

#include <fnmatch.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "engine/file_walker.h"
#include "engine/result_cache.h"
#include "project/jsonc.h"
#include "project/project_index.h"

namespace asynclint {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t kMaxExtendsDepth = 8;
constexpr int kMaxWorkspaceDepth = 4;  // how deep a `**` in a workspace glob looks
constexpr std::size_t kMaxWorkspacePackages = 2000;

std::optional<std::string> read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::optional<nlohmann::json> read_jsonc(const std::string& text) {
  nlohmann::json document = nlohmann::json::parse(without_trailing_commas(text), nullptr, /*allow_exceptions=*/false,
                                                  /*ignore_comments=*/true);
  if (document.is_discarded() || !document.is_object()) return std::nullopt;
  return document;
}

bool is_regular_file(const std::string& path) {
  struct stat info {};
  return stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode);
}

bool is_folder(const std::string& path) {
  struct stat info {};
  return stat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode);
}

// A file asynclint can read for facts: a source file (not a declaration file), not inside node_modules.
bool is_lintable_project_file(const std::string& path) {
  return path.find("/node_modules/") == std::string::npos && is_lintable_path(path) && is_regular_file(path);
}

// `base` (an absolute path without or with an extension) as a file: the exact file, TypeScript's `.js` →
// `.ts`, added extensions, or an index file.
std::string resolve_path(const std::string& base) {
  return resolve_specifier(base, base, &is_lintable_project_file);
}

std::string join(const std::string& folder, std::string_view relative) {
  return (fs::path(folder) / std::string(relative)).lexically_normal().string();
}

// `@scope/name/sub/path` → {"@scope/name", "./sub/path"}; `name` → {"name", ""}.
std::pair<std::string, std::string> split_package_specifier(std::string_view specifier) {
  std::size_t end = specifier.find('/');
  if (!specifier.empty() && specifier[0] == '@' && end != std::string_view::npos) end = specifier.find('/', end + 1);
  if (end == std::string_view::npos) return {std::string(specifier), ""};
  return {std::string(specifier.substr(0, end)), "./" + std::string(specifier.substr(end + 1))};
}

// A `paths` pattern's match: the text the `*` stands for, or nullopt. A pattern without `*` matches only
// itself.
std::optional<std::string> match_pattern(const std::string& pattern, std::string_view specifier) {
  const std::size_t star = pattern.find('*');
  if (star == std::string::npos) return pattern == specifier ? std::optional<std::string>("") : std::nullopt;
  const std::string_view prefix = std::string_view(pattern).substr(0, star);
  const std::string_view suffix = std::string_view(pattern).substr(star + 1);
  if (specifier.size() < prefix.size() + suffix.size()) return std::nullopt;
  if (specifier.substr(0, prefix.size()) != prefix || specifier.substr(specifier.size() - suffix.size()) != suffix) return std::nullopt;
  return std::string(specifier.substr(prefix.size(), specifier.size() - prefix.size() - suffix.size()));
}

// Where a tsconfig's `extends` points: a relative or absolute path, or a package's file in node_modules.
std::string extended_config_path(const std::string& config_folder, const std::string& extends) {
  auto with_json = [](std::string path) {
    if (is_regular_file(path)) return path;
    if (is_regular_file(path + ".json")) return path + ".json";
    if (is_regular_file(path + "/tsconfig.json")) return path + "/tsconfig.json";
    return std::string();
  };
  if (extends.empty()) return {};
  if (extends[0] == '.' || extends[0] == '/') return with_json(extends[0] == '/' ? extends : join(config_folder, extends));
  for (fs::path folder = config_folder; !folder.empty(); folder = folder.parent_path()) {
    if (std::string found = with_json((folder / "node_modules" / extends).lexically_normal().string()); !found.empty()) return found;
    if (folder == folder.root_path()) break;
  }
  return {};
}

// The folders a workspace glob (`packages/*`, `apps/**`, `tools/cli`) names under `root`.
void expand_workspace_glob(const std::string& root, const std::vector<std::string>& segments, std::size_t at,
                           std::vector<std::string>& out, int depth = 0) {
  if (out.size() >= kMaxWorkspacePackages) return;
  if (at == segments.size()) {
    if (is_regular_file(root + "/package.json")) out.push_back(root);
    return;
  }
  const std::string& segment = segments[at];
  if (segment.empty() || segment == ".") return expand_workspace_glob(root, segments, at + 1, out, depth);
  const bool has_wildcard = segment.find_first_of("*?[") != std::string::npos;
  if (!has_wildcard) {
    const std::string next = root + "/" + segment;
    if (is_folder(next)) expand_workspace_glob(next, segments, at + 1, out, depth);
    return;
  }
  std::error_code ec;
  for (fs::directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name == "node_modules" || name.empty() || name[0] == '.' || !it->is_directory(ec)) continue;
    const std::string child = it->path().string();
    if (segment == "**") {
      expand_workspace_glob(child, segments, at + 1, out, depth);  // `**` as one folder …
      if (depth < kMaxWorkspaceDepth) expand_workspace_glob(child, segments, at, out, depth + 1);  // … or more
    } else if (fnmatch(segment.c_str(), name.c_str(), 0) == 0) {
      expand_workspace_glob(child, segments, at + 1, out, depth);
    }
  }
  if (segment == "**") expand_workspace_glob(root, segments, at + 1, out, depth);  // or none
}

std::vector<std::string> split_segments(const std::string& glob) {
  std::vector<std::string> segments;
  std::string current;
  for (char c : glob) {
    if (c == '/') {
      segments.push_back(current);
      current.clear();
    } else {
      current.push_back(c);
    }
  }
  segments.push_back(current);
  return segments;
}

// `packages:` entries of a pnpm-workspace.yaml (a list of quoted or bare globs), without a YAML library: the
// file is a flat list in practice.
std::vector<std::string> pnpm_workspace_globs(const std::string& text) {
  std::vector<std::string> globs;
  std::istringstream lines(text);
  std::string line;
  bool in_packages = false;
  while (std::getline(lines, line)) {
    if (const std::size_t hash = line.find(" #"); hash != std::string::npos) line.erase(hash);
    if (line.empty() || line[0] == '#') continue;
    if (line[0] != ' ' && line[0] != '-' && line[0] != '\t') {
      in_packages = line.rfind("packages:", 0) == 0;
      continue;
    }
    if (!in_packages) continue;
    std::size_t dash = line.find_first_not_of(" \t");
    if (dash == std::string::npos || line[dash] != '-') continue;
    std::string glob = line.substr(dash + 1);
    glob.erase(0, glob.find_first_not_of(" \t"));
    while (!glob.empty() && (glob.back() == ' ' || glob.back() == '\t' || glob.back() == '\r')) glob.pop_back();
    if (glob.size() >= 2 && (glob.front() == '\'' || glob.front() == '"') && glob.back() == glob.front()) glob = glob.substr(1, glob.size() - 2);
    if (!glob.empty()) globs.push_back(glob);
  }
  return globs;
}

// A package.json `exports` value's target for a subpath, with conditions chosen as a bundler reading
// sources would (`source` first, `types` never: a declaration file has no bodies).
void exports_targets(const nlohmann::json& value, std::vector<std::string>& out, int depth = 0) {
  if (depth > 8) return;
  if (value.is_string()) {
    out.push_back(value.get<std::string>());
  } else if (value.is_array()) {
    for (const auto& element : value) exports_targets(element, out, depth + 1);
  } else if (value.is_object()) {
    for (const char* condition : {"source", "development", "import", "module", "require", "node", "default"})
      if (value.contains(condition)) exports_targets(value[condition], out, depth + 1);
  }
}

bool is_exports_map_of_subpaths(const nlohmann::json& exports) {
  if (!exports.is_object()) return false;
  for (const auto& [key, value] : exports.items())
    if (!key.empty() && key[0] == '.') return true;
  return false;
}

// A build folder's file read as its source: `dist/queue.js` → `src/queue`.
std::optional<std::string> as_source(std::string target) {
  if (target.rfind("./", 0) == 0) target.erase(0, 2);
  for (std::string_view build : {"dist/", "lib/", "build/", "out/", "esm/", "cjs/"}) {
    if (target.rfind(build, 0) != 0) continue;
    std::string rest = target.substr(build.size());
    // `dist/esm/x.js`, `dist/cjs/x.js`: one more format folder.
    for (std::string_view format : {"esm/", "cjs/", "es/", "mjs/"})
      if (rest.rfind(format, 0) == 0) rest.erase(0, format.size());
    for (std::string_view extension : {".d.ts", ".d.mts", ".d.cts", ".js", ".mjs", ".cjs"})
      if (rest.size() > extension.size() && rest.compare(rest.size() - extension.size(), extension.size(), extension) == 0) {
        rest.erase(rest.size() - extension.size());
        break;
      }
    return "src/" + rest;
  }
  return std::nullopt;
}

}  // namespace

std::vector<std::string> package_entry_candidates(const std::string& package_json_text, const std::string& subpath) {
  std::vector<std::string> written;
  const auto manifest = read_jsonc(package_json_text);
  if (manifest) {
    const nlohmann::json& json = *manifest;
    if (json.contains("exports")) {
      const nlohmann::json& exports = json["exports"];
      const std::string key = subpath.empty() ? "." : subpath;
      if (is_exports_map_of_subpaths(exports)) {
        if (exports.contains(key)) {
          exports_targets(exports[key], written);
        } else {
          for (const auto& [pattern, value] : exports.items()) {
            const auto matched = match_pattern(pattern, key);
            if (!matched || pattern.find('*') == std::string::npos) continue;
            std::vector<std::string> targets;
            exports_targets(value, targets);
            for (std::string target : targets) {
              if (const std::size_t star = target.find('*'); star != std::string::npos) target.replace(star, 1, *matched);
              written.push_back(target);
            }
          }
        }
      } else if (subpath.empty()) {
        exports_targets(exports, written);
      }
    }
    if (subpath.empty())
      for (const char* field : {"source", "module", "main"})
        if (json.contains(field) && json[field].is_string()) written.push_back(json[field].get<std::string>());
  }
  // Sources first, in the order written (a build folder's target read as its source), then the build
  // output itself, which a checked-out project may hold too.
  auto as_written = [](const std::string& target) { return target.rfind("./", 0) == 0 ? target.substr(2) : target; };
  std::vector<std::string> candidates;
  for (const auto& target : written) candidates.push_back(as_source(target).value_or(as_written(target)));
  for (const auto& target : written)
    if (as_source(target)) candidates.push_back(as_written(target));
  if (subpath.empty()) {
    candidates.push_back("src/index");
    candidates.push_back("index");
  } else {
    candidates.push_back("src/" + subpath.substr(2));
    candidates.push_back(subpath.substr(2));
  }
  return candidates;
}

std::shared_ptr<const ModuleAliases::PathAliases> ModuleAliases::read_tsconfig(const std::string& path) {
  // `extends` first: a config's own options override those it extends.
  auto aliases = std::make_shared<PathAliases>();
  std::vector<std::pair<std::string, nlohmann::json>> chain;  // (folder, document), nearest first
  std::vector<std::string> read;
  for (std::string current = path; !current.empty() && read.size() <= kMaxExtendsDepth;) {
    if (std::find(read.begin(), read.end(), current) != read.end()) break;  // a cycle of extends
    read.push_back(current);
    const auto text = read_text(current);
    auto document = text ? read_jsonc(*text) : std::nullopt;
    if (!document) break;
    aliases->fingerprint += content_hash(*text);
    const std::string folder = fs::path(current).parent_path().string();
    current.clear();
    if (document->contains("extends")) {
      const nlohmann::json& extends = (*document)["extends"];
      // TypeScript 5 takes an array and applies it in order; the last one wins, as the one read next here.
      const nlohmann::json* last = extends.is_array() && !extends.empty() ? &extends.back() : &extends;
      if (last->is_string()) current = extended_config_path(folder, last->get<std::string>());
    }
    chain.emplace_back(folder, std::move(*document));
  }
  // Applied outermost first, so that the nearest config's options win.
  for (auto config = chain.rbegin(); config != chain.rend(); ++config) {
    const auto& [folder, document] = *config;
    if (!document.contains("compilerOptions") || !document["compilerOptions"].is_object()) continue;
    const nlohmann::json& options = document["compilerOptions"];
    if (options.contains("baseUrl") && options["baseUrl"].is_string()) aliases->base_url = join(folder, options["baseUrl"].get<std::string>());
    if (options.contains("paths") && options["paths"].is_object()) {
      aliases->paths.clear();
      aliases->paths_base = folder;
      for (const auto& [pattern, targets] : options["paths"].items()) {
        std::vector<std::string> list;
        if (targets.is_array())
          for (const auto& target : targets)
            if (target.is_string()) list.push_back(target.get<std::string>());
        aliases->paths.emplace_back(pattern, std::move(list));
      }
    }
  }
  if (!aliases->base_url.empty()) aliases->paths_base = aliases->base_url;
  if (aliases->base_url.empty() && aliases->paths.empty()) return nullptr;
  return aliases;
}

std::shared_ptr<const ModuleAliases::PathAliases> ModuleAliases::path_aliases_for(const std::string& folder) {
  std::lock_guard<std::recursive_mutex> lock(mutex_);
  if (auto found = path_aliases_.find(folder); found != path_aliases_.end()) return found->second;
  std::shared_ptr<const PathAliases> answer;
  bool decided = false;
  for (const char* name : {"tsconfig.json", "jsconfig.json"}) {
    const std::string config = folder + "/" + name;
    if (is_regular_file(config)) {
      answer = read_tsconfig(config);
      decided = true;
      break;
    }
  }
  const fs::path parent = fs::path(folder).parent_path();
  if (!decided && !parent.empty() && parent.string() != folder && fs::path(folder).filename() != "node_modules")
    answer = path_aliases_for(parent.string());
  path_aliases_.emplace(folder, answer);
  return answer;
}

std::shared_ptr<const ModuleAliases::Workspace> ModuleAliases::read_workspace(const std::string& root) {
  auto workspace = std::make_shared<Workspace>();
  std::vector<std::string> globs;
  if (const auto text = read_text(root + "/package.json")) {
    if (const auto manifest = read_jsonc(*text)) {
      const nlohmann::json* listed = nullptr;
      if (manifest->contains("workspaces")) {
        const nlohmann::json& workspaces = (*manifest)["workspaces"];
        listed = workspaces.is_object() && workspaces.contains("packages") ? &workspaces["packages"] : &workspaces;
      }
      if (listed && listed->is_array()) {
        workspace->fingerprint += content_hash(*text);
        for (const auto& glob : *listed)
          if (glob.is_string()) globs.push_back(glob.get<std::string>());
      }
    }
  }
  if (const auto text = read_text(root + "/pnpm-workspace.yaml")) {
    workspace->fingerprint += content_hash(*text);
    for (auto& glob : pnpm_workspace_globs(*text)) globs.push_back(std::move(glob));
  }
  std::vector<std::string> folders;
  for (const auto& glob : globs) {
    if (glob.empty() || glob[0] == '!') continue;
    expand_workspace_glob(root, split_segments(glob), 0, folders);
  }
  for (const auto& folder : folders) {
    const auto text = read_text(folder + "/package.json");
    const auto manifest = text ? read_jsonc(*text) : std::nullopt;
    if (!manifest || !manifest->contains("name") || !(*manifest)["name"].is_string()) continue;
    workspace->packages.emplace((*manifest)["name"].get<std::string>(), fs::path(folder).lexically_normal().string());
  }
  return workspace;
}

std::shared_ptr<const ModuleAliases::Workspace> ModuleAliases::workspace_for(const std::string& folder) {
  std::lock_guard<std::recursive_mutex> lock(mutex_);
  if (auto found = workspaces_.find(folder); found != workspaces_.end()) return found->second;
  const fs::path parent = fs::path(folder).parent_path();
  const bool at_top = parent.empty() || parent.string() == folder || fs::path(folder).filename() == "node_modules";
  const auto text = read_text(folder + "/package.json");
  const auto manifest = text ? read_jsonc(*text) : std::nullopt;
  const bool is_root = is_regular_file(folder + "/pnpm-workspace.yaml") || (manifest && manifest->contains("workspaces"));
  std::shared_ptr<const Workspace> answer = at_top || is_root ? nullptr : workspace_for(parent.string());
  if (is_root) answer = read_workspace(folder);
  // The folder's own package imports itself by name too (Node's self-reference).
  if (manifest && manifest->contains("name") && (*manifest)["name"].is_string()) {
    auto own = std::make_shared<Workspace>(answer ? *answer : Workspace{});
    own->packages.emplace((*manifest)["name"].get<std::string>(), folder);
    own->fingerprint += content_hash(*text);
    answer = std::move(own);
  }
  workspaces_.emplace(folder, answer);
  return answer;
}

std::string ModuleAliases::resolve_uncached(const PathAliases* aliases, const Workspace* workspace, std::string_view specifier) {
  if (aliases) {
    // TypeScript's order: an exact pattern, else the wildcard pattern with the longest prefix; then baseUrl.
    const std::vector<std::string>* targets = nullptr;
    std::string matched;
    std::size_t best_prefix = 0;
    for (const auto& [pattern, list] : aliases->paths) {
      const auto match = match_pattern(pattern, specifier);
      if (!match) continue;
      const std::size_t star = pattern.find('*');
      if (star == std::string::npos) {
        targets = &list;
        matched.clear();
        break;
      }
      if (!targets || star > best_prefix) {
        targets = &list;
        matched = *match;
        best_prefix = star;
      }
    }
    if (targets)
      for (std::string target : *targets) {
        if (const std::size_t star = target.find('*'); star != std::string::npos) target.replace(star, 1, matched);
        if (std::string found = resolve_file(join(aliases->paths_base, target)); !found.empty()) return found;
      }
    if (!aliases->base_url.empty())
      if (std::string found = resolve_file(join(aliases->base_url, specifier)); !found.empty()) return found;
  }
  if (workspace) {
    const auto [name, subpath] = split_package_specifier(specifier);
    if (auto found = workspace->packages.find(name); found != workspace->packages.end()) {
      const std::string& package_folder = found->second;
      const auto text = read_text(package_folder + "/package.json");
      for (const auto& candidate : package_entry_candidates(text ? *text : std::string(), subpath))
        if (std::string file = resolve_file(join(package_folder, candidate)); !file.empty()) return file;
    }
  }
  return {};
}

std::string ModuleAliases::resolve_file(const std::string& base) {
  {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    if (auto found = files_.find(base); found != files_.end()) return found->second;
  }
  std::string file = resolve_path(base);
  std::lock_guard<std::recursive_mutex> lock(mutex_);
  files_.emplace(base, file);
  return file;
}

std::string ModuleAliases::resolve(const std::string& importer_absolute_path, std::string_view specifier) {
  if (specifier.empty() || specifier[0] == '.' || specifier[0] == '/' || specifier.rfind("node:", 0) == 0) return {};
  const std::string folder = fs::path(importer_absolute_path).parent_path().string();
  std::shared_ptr<const PathAliases> aliases;
  std::shared_ptr<const Workspace> workspace;
  std::string key;
  {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    aliases = path_aliases_for(folder);
    workspace = workspace_for(folder);
    if (!aliases && !workspace) return {};
    // The answer depends on the configuration that applies, not on the folder: the folders that share a
    // tsconfig and a workspace share answers (a project imports `react` from hundreds of folders).
    key = std::to_string(reinterpret_cast<std::uintptr_t>(aliases.get())) + ":" +
          std::to_string(reinterpret_cast<std::uintptr_t>(workspace.get())) + "\n" + std::string(specifier);
    if (auto found = answers_.find(key); found != answers_.end()) return found->second;
  }
  // Outside the lock: the file system is asked, and the configuration objects never change.
  std::string answer = resolve_uncached(aliases.get(), workspace.get(), specifier);
  std::lock_guard<std::recursive_mutex> lock(mutex_);
  answers_.emplace(std::move(key), answer);
  return answer;
}

std::string ModuleAliases::fingerprint(const std::string& importer_absolute_path) {
  const std::string folder = fs::path(importer_absolute_path).parent_path().string();
  std::string print;
  if (auto aliases = path_aliases_for(folder)) print += aliases->fingerprint;
  if (auto workspace = workspace_for(folder)) print += "|" + workspace->fingerprint;
  return print;
}

}  // namespace asynclint
