#include "engine/file_walker.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <memory>
#include <set>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "engine/ignore_rules.h"

namespace asynclint {
namespace {

constexpr std::string_view kLoopMessage = "symbolic link loop, not followed";

// Identifies a directory whatever path reached it, to notice links that lead back into the walk.
struct DirectoryId {
  dev_t device = 0;
  ino_t inode = 0;
  bool operator==(const DirectoryId& other) const { return device == other.device && inode == other.inode; }
  bool operator<(const DirectoryId& other) const {
    return device != other.device ? device < other.device : inode < other.inode;
  }
};

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// strerror's "No such file or directory" reads better after a path as "no such file or directory".
std::string describe_error(int error) {
  std::string text = std::strerror(error);
  if (!text.empty()) text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  return text;
}

std::string join_path(std::string_view directory, std::string_view name) {
  std::string joined;
  joined.reserve(directory.size() + 1 + name.size());
  joined.append(directory);
  if (!joined.empty() && joined.back() != '/') joined.push_back('/');
  joined.append(name);
  return joined;
}

// The form a typed path is printed in: "./src//a/" becomes "src/a" and "." becomes "", so that no
// "./" or doubled '/' leaks into every discovered path. ".." is kept: it means what the user wrote.
std::string display_form(std::string_view typed) {
  std::string display = !typed.empty() && typed.front() == '/' ? "/" : "";
  std::size_t start = 0;
  while (start <= typed.size()) {
    std::size_t slash = typed.find('/', start);
    std::size_t end = slash == std::string_view::npos ? typed.size() : slash;
    std::string_view component = typed.substr(start, end - start);
    if (!component.empty() && component != ".") {
      if (!display.empty() && display.back() != '/') display.push_back('/');
      display.append(component);
    }
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return display;
}

// How the root directory of a relative walk is named in a notice ("" would say nothing).
std::string notice_path(const std::string& display) { return display.empty() ? "." : display; }

// The key ignore rules see for an absolute path: the path relative to the file-system root.
std::string_view ignore_key(std::string_view absolute_path) { return absolute_path.substr(1); }

bool resolve_canonical_path(const std::string& path, std::string* canonical, int* error) {
  char* resolved = ::realpath(path.c_str(), nullptr);
  if (resolved == nullptr) {
    *error = errno;
    return false;
  }
  canonical->assign(resolved);
  std::free(resolved);
  return true;
}

bool read_text_file(const std::string& path, std::string* text, int* error) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    *error = errno;
    return false;
  }
  text->clear();
  char buffer[8192];
  for (;;) {
    ssize_t count = ::read(fd, buffer, sizeof buffer);
    if (count == 0) break;
    if (count < 0) {
      if (errno == EINTR) continue;
      *error = errno;
      ::close(fd);
      return false;
    }
    text->append(buffer, static_cast<std::size_t>(count));
  }
  ::close(fd);
  return true;
}

std::string trim_whitespace(std::string_view text) {
  std::size_t begin = 0;
  std::size_t end = text.size();
  while (begin < end && std::isspace(static_cast<unsigned char>(text[begin]))) ++begin;
  while (end > begin && std::isspace(static_cast<unsigned char>(text[end - 1]))) --end;
  return std::string(text.substr(begin, end - begin));
}

std::string parent_directory(const std::string& absolute_path) {
  std::size_t slash = absolute_path.rfind('/');
  return slash == 0 || slash == std::string::npos ? "/" : absolute_path.substr(0, slash);
}

// The nearest directory at or above `canonical_directory` holding a ".git" (a directory, or a file in
// linked worktrees and submodules), as git finds its work tree; "" when there is none.
std::string find_work_tree_root(const std::string& canonical_directory) {
  std::string directory = canonical_directory;
  for (;;) {
    struct stat status;
    if (::lstat(join_path(directory, ".git").c_str(), &status) == 0) return directory;
    if (directory == "/") return "";
    directory = parent_directory(directory);
  }
}

// The directory holding info/exclude for a work tree, or "" when it cannot be found.
std::string git_common_directory(const std::string& work_tree_root) {
  std::string git_directory = join_path(work_tree_root, ".git");
  struct stat status;
  if (::stat(git_directory.c_str(), &status) != 0) return "";
  int error = 0;
  if (S_ISREG(status.st_mode)) {
    // A linked worktree or a submodule: ".git" is a file saying "gitdir: <path>".
    std::string text;
    if (!read_text_file(git_directory, &text, &error)) return "";
    constexpr std::string_view kPrefix = "gitdir:";
    if (text.compare(0, kPrefix.size(), kPrefix) != 0) return "";
    std::string target = trim_whitespace(std::string_view(text).substr(kPrefix.size()));
    if (target.empty()) return "";
    git_directory = target.front() == '/' ? target : join_path(work_tree_root, target);
  } else if (!S_ISDIR(status.st_mode)) {
    return "";
  }
  // A linked worktree's own git directory names the main one, which holds info/exclude, in "commondir".
  std::string common;
  if (read_text_file(join_path(git_directory, "commondir"), &common, &error)) {
    common = trim_whitespace(common);
    if (!common.empty()) git_directory = common.front() == '/' ? common : join_path(git_directory, common);
  }
  return git_directory;
}

class FileWalker {
 public:
  FileWalker(const WalkOptions& options, WalkResult* result) : options_(options), result_(result) {
    if (options_.ignore_patterns.empty()) return;
    std::string text;
    for (const std::string& pattern : options_.ignore_patterns) {
      text.append(pattern);
      text.push_back('\n');
    }
    std::string current_directory;
    int error = 0;
    if (!resolve_canonical_path(".", &current_directory, &error)) {
      // Anchored patterns then apply from the file-system root; unanchored ones still work.
      add_notice(".", "cannot resolve the current directory: " + describe_error(error));
      current_directory = "/";
    }
    command_line_rules_.add_file(ignore_key(current_directory), text, PatternScope::kUnanchoredEverywhere);
  }

  void walk_argument(const std::string& typed) {
    std::string canonical;
    int error = 0;
    if (!resolve_canonical_path(typed, &canonical, &error)) {
      if (error == ENOENT || error == ENOTDIR) result_->missing.push_back(typed);
      add_notice(typed, describe_error(error));
      return;
    }
    struct stat status;
    if (::stat(canonical.c_str(), &status) != 0) {
      if (errno == ENOENT || errno == ENOTDIR) result_->missing.push_back(typed);
      add_notice(typed, describe_error(errno));
      return;
    }
    if (S_ISREG(status.st_mode)) {
      // A file named explicitly is linted whatever its extension (the user asked for it), but the
      // --ignore-pattern globs and the declaration-file rule still hold: tools such as pre-commit name
      // every changed file, and a file the user excluded must not fail their hook.
      if (options_.use_ignore_files && is_declaration_file(typed)) {
        result_->ignored_named_files.push_back({typed, IgnoredFile::Reason::kDeclarationFile});
        return;
      }
      if (!command_line_rules_.empty() &&
          command_line_rules_.is_ignored_or_inside_ignored_directory(ignore_key(absolute_form(typed, canonical)), false)) {
        result_->ignored_named_files.push_back({typed, IgnoredFile::Reason::kIgnorePattern});
        return;
      }
      add_file(display_form(typed), canonical);
      return;
    }
    if (!S_ISDIR(status.st_mode)) {
      add_notice(typed, "not a regular file or directory");
      return;
    }
    DirectoryId id{status.st_dev, status.st_ino};
    // A directory given twice, or already walked inside an earlier argument, adds nothing new.
    if (!walked_directories_.insert(id).second) return;
    active_ignore_files_.clear();
    if (options_.use_ignore_files) push_enclosing_ignore_files(canonical);
    // The root itself is walked even if it is hidden or ignored: the user named it.
    walk_directory(Directory{canonical, canonical, display_form(typed)}, id);
    active_ignore_files_.clear();
  }

  // Links met during the walk are followed only after every argument has been walked without them,
  // so that a file reachable both directly and through a link is listed under its direct path
  // ("current -> releases/v2" must not hide "releases/v2/app.ts"). Each deferred directory is walked in
  // the ignore context and with the ancestors it had where the link was met.
  void follow_deferred_links() {
    for (std::size_t next = 0; next < deferred_links_.size(); ++next) {
      DeferredLink link = std::move(deferred_links_[next]);  // the queue grows while links are followed
      if (!link.is_directory) {
        add_file(std::move(link.display_path), link.canonical_target);
        continue;
      }
      if (!walked_directories_.insert(link.directory_id).second) continue;
      active_ignore_files_ = std::move(link.ignore_files);
      directories_on_path_ = std::move(link.directories_on_path);
      walk_directory(Directory{std::move(link.canonical_target), std::move(link.logical_path),
                               std::move(link.display_path)},
                     link.directory_id);
    }
    deferred_links_.clear();
    active_ignore_files_.clear();
    directories_on_path_.clear();
  }

 private:
  struct Directory {
    std::string canonical;  // realpath: used for system calls and to recognise a file reached twice
    std::string logical;    // absolute path through the links followed: what ignore patterns are matched on
    std::string display;    // as printed, following the form of the argument
  };

  // The path ignore patterns see for a file named on the command line: its folder resolved, its own name
  // as typed (a link named "gen.ts" is matched as gen.ts, not as what it points at).
  static std::string absolute_form(const std::string& typed, const std::string& canonical) {
    const std::size_t slash = typed.rfind('/');
    const std::string folder = slash == std::string::npos ? "." : slash == 0 ? "/" : typed.substr(0, slash);
    const std::string name = slash == std::string::npos ? typed : typed.substr(slash + 1);
    std::string resolved;
    int error = 0;
    if (name.empty() || name == "." || name == ".." || !resolve_canonical_path(folder, &resolved, &error)) return canonical;
    return resolved == "/" ? "/" + name : resolved + "/" + name;
  }

  static bool is_declaration_file(std::string_view path) {
    const std::string_view name = path.substr(path.rfind('/') + 1);
    for (std::string_view suffix : {".d.ts", ".d.mts", ".d.cts"})
      if (ends_with(name, suffix)) return true;
    return false;
  }

  void add_notice(std::string path, std::string message) {
    result_->notices.push_back(WalkNotice{std::move(path), std::move(message)});
  }

  void add_file(std::string display, const std::string& canonical) {
    if (seen_canonical_files_.insert(canonical).second) result_->files.push_back(std::move(display));
  }

  // Ignore rules are consulted from the highest precedence down and the first verdict wins:
  // --ignore-pattern first (the user's latest word, as git ranks command-line excludes), then the
  // .gitignore files from the deepest directory up, then .git/info/exclude.
  bool is_ignored(std::string_view absolute_path, bool is_directory) const {
    std::string_view key = ignore_key(absolute_path);
    IgnoreVerdict verdict = command_line_rules_.match(key, is_directory);
    if (verdict != IgnoreVerdict::kNoMatch) return verdict == IgnoreVerdict::kIgnored;
    for (auto rules = active_ignore_files_.rbegin(); rules != active_ignore_files_.rend(); ++rules) {
      verdict = (*rules)->match(key, is_directory);
      if (verdict != IgnoreVerdict::kNoMatch) return verdict == IgnoreVerdict::kIgnored;
    }
    return false;
  }

  // Compiles an ignore file once, however many roots or directories share it; nullptr if it has no patterns.
  const IgnoreRules* compiled_ignore_file(const std::string& file_path, const std::string& base_directory,
                                          const std::string& display_path) {
    std::string cache_key = file_path;
    cache_key.push_back('\0');
    cache_key.append(base_directory);
    auto cached = compiled_ignore_files_.find(cache_key);
    if (cached != compiled_ignore_files_.end()) return cached->second.get();

    std::unique_ptr<IgnoreRules> rules;
    std::string text;
    int error = 0;
    if (read_text_file(file_path, &text, &error)) {
      rules = std::make_unique<IgnoreRules>();
      rules->add_file(ignore_key(base_directory), text);
      if (rules->empty()) rules.reset();
    } else if (error != ENOENT && error != ENOTDIR && error != EISDIR) {
      add_notice(display_path, "cannot read ignore file: " + describe_error(error));
    }
    const IgnoreRules* compiled = rules.get();
    compiled_ignore_files_.emplace(std::move(cache_key), std::move(rules));
    return compiled;
  }

  void push_ignore_file(const std::string& file_path, const std::string& base_directory,
                        const std::string& display_path) {
    if (const IgnoreRules* rules = compiled_ignore_file(file_path, base_directory, display_path)) {
      active_ignore_files_.push_back(rules);
    }
  }

  // The ignore files that apply to a walked root from above it: .git/info/exclude and the .gitignore of
  // every directory from the work tree's root down to the root's parent. Outside a work tree there are
  // none: only the .gitignore files inside the walked tree (the root's own included) apply.
  void push_enclosing_ignore_files(const std::string& canonical_root) {
    std::string work_tree_root = find_work_tree_root(canonical_root);
    if (work_tree_root.empty()) return;
    std::string common_directory = git_common_directory(work_tree_root);
    if (!common_directory.empty()) {
      std::string exclude_path = join_path(common_directory, "info/exclude");
      push_ignore_file(exclude_path, work_tree_root, exclude_path);
    }
    std::string directory = work_tree_root;
    while (directory != canonical_root) {
      std::string gitignore_path = join_path(directory, ".gitignore");
      push_ignore_file(gitignore_path, directory, gitignore_path);
      std::size_t next_slash = canonical_root.find('/', directory.size() + 1);
      directory = canonical_root.substr(0, next_slash);
    }
  }

  struct DeferredLink {
    std::string canonical_target;
    std::string logical_path;
    std::string display_path;
    bool is_directory = false;
    DirectoryId directory_id;                          // directories only
    std::vector<const IgnoreRules*> ignore_files;      // directories only: active_ignore_files_ at the link
    std::vector<DirectoryId> directories_on_path;      // directories only: to notice links back into the walk
  };

  struct Entry {
    std::string name;
    unsigned char type;  // d_type: DT_REG and DT_DIR spare a stat per entry
  };

  void walk_directory(const Directory& directory, DirectoryId id) {
    DIR* stream = ::opendir(directory.canonical.c_str());
    if (stream == nullptr) {
      add_notice(notice_path(directory.display), "cannot read directory: " + describe_error(errno));
      return;
    }
    std::vector<Entry> entries;
    bool has_gitignore = false;
    for (;;) {
      errno = 0;
      const dirent* entry = ::readdir(stream);
      if (entry == nullptr) {
        if (errno != 0) {
          add_notice(notice_path(directory.display), "cannot read directory: " + describe_error(errno));
        }
        break;
      }
      const char* name = entry->d_name;
      // Hidden entries (".", "..", ".git" among them) and dependencies are never linted.
      if (name[0] == '.') {
        has_gitignore = has_gitignore || std::strcmp(name, ".gitignore") == 0;
        continue;
      }
      if (std::strcmp(name, "node_modules") == 0) continue;
      entries.push_back(Entry{name, entry->d_type});
    }
    ::closedir(stream);
    // Sorted so that the walk, and so which of two paths to one file is kept, does not depend on the disk.
    std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) { return a.name < b.name; });

    std::size_t active_before = active_ignore_files_.size();
    if (has_gitignore && options_.use_ignore_files) {
      push_ignore_file(join_path(directory.canonical, ".gitignore"), directory.logical,
                       join_path(directory.display, ".gitignore"));
    }
    directories_on_path_.push_back(id);
    for (const Entry& entry : entries) visit_entry(directory, entry);
    directories_on_path_.pop_back();
    active_ignore_files_.resize(active_before);
  }

  void visit_entry(const Directory& directory, const Entry& entry) {
    std::string fs_path = join_path(directory.canonical, entry.name);
    std::string logical_path = join_path(directory.logical, entry.name);
    std::string display_path = join_path(directory.display, entry.name);

    bool is_link = false;
    bool have_status = false;
    struct stat status;
    mode_t kind = 0;
    if (entry.type == DT_REG) {
      kind = S_IFREG;
    } else if (entry.type == DT_DIR) {
      kind = S_IFDIR;
    } else {
      if (::lstat(fs_path.c_str(), &status) != 0) {
        add_notice(display_path, describe_error(errno));
        return;
      }
      is_link = S_ISLNK(status.st_mode);
      if (is_link && ::stat(fs_path.c_str(), &status) != 0) {
        int error = errno;
        if (error == ELOOP) {
          add_notice(display_path, std::string(kLoopMessage));
        } else if (error != ENOENT || (is_lintable_path(entry.name) && !is_ignored(logical_path, false))) {
          // A dangling link is only worth a word when it looks like a file the user wants linted.
          add_notice(display_path, error == ENOENT ? "broken symbolic link, not followed" : describe_error(error));
        }
        return;
      }
      have_status = true;
      kind = status.st_mode & S_IFMT;
    }

    if (kind == S_IFREG) {
      if (!is_lintable_path(entry.name) || is_ignored(logical_path, false)) return;
      if (!is_link) {
        add_file(std::move(display_path), fs_path);
        return;
      }
      DeferredLink link;
      int error = 0;
      if (!resolve_canonical_path(fs_path, &link.canonical_target, &error)) {
        add_notice(display_path, describe_error(error));
        return;
      }
      link.display_path = std::move(display_path);
      deferred_links_.push_back(std::move(link));
      return;
    }
    if (kind != S_IFDIR || is_ignored(logical_path, true)) return;  // sockets, fifos, devices: not source

    if (!have_status && ::stat(fs_path.c_str(), &status) != 0) {
      add_notice(display_path, describe_error(errno));
      return;
    }
    DirectoryId id{status.st_dev, status.st_ino};
    if (std::find(directories_on_path_.begin(), directories_on_path_.end(), id) != directories_on_path_.end()) {
      add_notice(display_path, std::string(kLoopMessage));
      return;
    }
    // Reached before by another path (a link, or an earlier argument): its files are already in.
    if (walked_directories_.count(id) != 0) return;
    if (!is_link) {
      walked_directories_.insert(id);
      walk_directory(Directory{std::move(fs_path), std::move(logical_path), std::move(display_path)}, id);
      return;
    }
    DeferredLink link;
    int error = 0;
    if (!resolve_canonical_path(fs_path, &link.canonical_target, &error)) {
      add_notice(display_path, describe_error(error));
      return;
    }
    link.logical_path = std::move(logical_path);
    link.display_path = std::move(display_path);
    link.is_directory = true;
    link.directory_id = id;
    link.ignore_files = active_ignore_files_;
    link.directories_on_path = directories_on_path_;
    deferred_links_.push_back(std::move(link));
  }


  const WalkOptions& options_;
  WalkResult* result_;
  IgnoreRules command_line_rules_;
  // The ignore files in force for the directory being walked, lowest precedence first.
  std::vector<const IgnoreRules*> active_ignore_files_;
  std::unordered_map<std::string, std::unique_ptr<IgnoreRules>> compiled_ignore_files_;
  // Only a directory on the current path can make a loop; one walked earlier is merely a repeat.
  std::vector<DirectoryId> directories_on_path_;
  std::set<DirectoryId> walked_directories_;
  std::unordered_set<std::string> seen_canonical_files_;
  std::vector<DeferredLink> deferred_links_;  // in the order met, so the result does not depend on the disk
};

}  // namespace

bool is_lintable_path(std::string_view path) {
  std::string_view name = path.substr(path.rfind('/') + 1);  // npos + 1 == 0 when there is no '/'
  static constexpr std::string_view kDeclarationSuffixes[] = {".d.ts", ".d.mts", ".d.cts"};
  for (std::string_view suffix : kDeclarationSuffixes) {
    if (ends_with(name, suffix)) return false;
  }
  static constexpr std::string_view kExtensions[] = {".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts", ".tsx"};
  for (std::string_view extension : kExtensions) {
    // A bare ".js" is a hidden file with no stem, not a JavaScript file.
    if (name.size() > extension.size() && ends_with(name, extension)) return true;
  }
  return false;
}

WalkResult discover_files(const std::vector<std::string>& paths, const WalkOptions& options) {
  WalkResult result;
  try {
    FileWalker walker(options, &result);
    for (const std::string& path : paths) walker.walk_argument(path);
    walker.follow_deferred_links();
  } catch (const std::exception& error) {
    // Only allocation can throw here; report it rather than let it cross the API.
    result.notices.push_back(WalkNotice{"", std::string("file discovery stopped: ") + error.what()});
  } catch (...) {
    result.notices.push_back(WalkNotice{"", "file discovery stopped"});
  }
  std::sort(result.files.begin(), result.files.end());
  return result;
}

}  // namespace asynclint
