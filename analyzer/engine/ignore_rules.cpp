#include "engine/ignore_rules.h"

#include <cctype>
#include <utility>

namespace asynclint {
namespace {

using ignore_detail::CompiledPattern;
using ignore_detail::GlobStep;
using ignore_detail::PatternFile;
using ignore_detail::PatternSegment;

constexpr std::size_t kNone = static_cast<std::size_t>(-1);

// Git drops trailing spaces, but keeps a space escaped with a backslash ("name\ " ends in a space).
std::string_view trim_unescaped_trailing_spaces(std::string_view line) {
  std::size_t end = line.size();
  while (end > 0 && line[end - 1] == ' ') {
    std::size_t backslashes = 0;
    while (backslashes < end - 1 && line[end - 2 - backslashes] == '\\') ++backslashes;
    if (backslashes % 2 == 1) break;
    --end;
  }
  return line.substr(0, end);
}

bool add_posix_class(std::string_view name, std::bitset<256>* bytes) {
  int (*predicate)(int) = nullptr;
  if (name == "alnum") predicate = [](int c) { return int(c < 128 && std::isalnum(c)); };
  else if (name == "alpha") predicate = [](int c) { return int(c < 128 && std::isalpha(c)); };
  else if (name == "blank") predicate = [](int c) { return int(c == ' ' || c == '\t'); };
  else if (name == "cntrl") predicate = [](int c) { return int(c < 128 && std::iscntrl(c)); };
  else if (name == "digit") predicate = [](int c) { return int(c >= '0' && c <= '9'); };
  else if (name == "graph") predicate = [](int c) { return int(c < 128 && std::isgraph(c)); };
  else if (name == "lower") predicate = [](int c) { return int(c >= 'a' && c <= 'z'); };
  else if (name == "print") predicate = [](int c) { return int(c < 128 && std::isprint(c)); };
  else if (name == "punct") predicate = [](int c) { return int(c < 128 && std::ispunct(c)); };
  else if (name == "space") predicate = [](int c) { return int(c < 128 && std::isspace(c)); };
  else if (name == "upper") predicate = [](int c) { return int(c >= 'A' && c <= 'Z'); };
  else if (name == "xdigit") predicate = [](int c) { return int(c < 128 && std::isxdigit(c)); };
  if (predicate == nullptr) return false;
  for (int c = 0; c < 256; ++c) {
    if (predicate(c)) bytes->set(static_cast<std::size_t>(c));
  }
  return true;
}

// Parses the bracket expression starting at text[*pos] == '[' and leaves *pos after its ']'.
// Returns false when it is malformed (no closing ']', unknown [:name:]): git then never matches the pattern.
bool parse_bracket_class(std::string_view text, std::size_t* pos, std::bitset<256>* bytes) {
  std::size_t at = *pos + 1;
  bool negated = false;
  if (at < text.size() && (text[at] == '!' || text[at] == '^')) {
    negated = true;
    ++at;
  }
  bool first = true;  // a ']' right after '[' or '[!' is a member, not the end
  for (;;) {
    if (at >= text.size()) return false;
    unsigned char low = static_cast<unsigned char>(text[at]);
    if (low == ']' && !first) {
      ++at;
      break;
    }
    first = false;
    if (low == '[' && at + 1 < text.size() && text[at + 1] == ':') {
      // Like git: "[:name:]" up to the first ']'; without the closing ':' the '[' is an ordinary member.
      std::size_t close = text.find(']', at + 2);
      if (close == std::string_view::npos) return false;
      if (close >= at + 3 && text[close - 1] == ':') {
        if (!add_posix_class(text.substr(at + 2, close - 1 - (at + 2)), bytes)) return false;
        at = close + 1;
        continue;
      }
    }
    if (low == '\\') {
      if (at + 1 >= text.size()) return false;
      low = static_cast<unsigned char>(text[at + 1]);
      at += 2;
    } else {
      ++at;
    }
    if (at + 1 < text.size() && text[at] == '-' && text[at + 1] != ']') {
      std::size_t high_at = at + 1;
      if (text[high_at] == '\\') {
        ++high_at;
        if (high_at >= text.size()) return false;
      }
      unsigned char high = static_cast<unsigned char>(text[high_at]);
      for (int c = low; c <= high; ++c) bytes->set(static_cast<std::size_t>(c));
      at = high_at + 1;
    } else {
      bytes->set(low);
    }
  }
  if (negated) bytes->flip();
  *pos = at;
  return true;
}

// Compiles one component of a pattern ("*.ts", "[ab]?", "dist"). Returns false when it is malformed.
bool compile_segment(std::string_view text, PatternSegment* segment) {
  if (text.find_first_of("*?[\\") == std::string_view::npos) {
    segment->kind = PatternSegment::Kind::kLiteral;
    segment->literal = std::string(text);
    return true;
  }
  segment->kind = PatternSegment::Kind::kGlob;
  std::size_t at = 0;
  while (at < text.size()) {
    GlobStep step;
    char c = text[at];
    if (c == '*') {
      ++at;
      // "**" inside a component is a plain '*'; consecutive stars change nothing.
      if (!segment->glob.empty() && segment->glob.back().is_star) continue;
      step.is_star = true;
    } else if (c == '?') {
      step.accepted_bytes.set();
      ++at;
    } else if (c == '[') {
      if (!parse_bracket_class(text, &at, &step.accepted_bytes)) return false;
    } else if (c == '\\') {
      if (at + 1 >= text.size()) return false;  // a trailing lone backslash never matches in git
      step.accepted_bytes.set(static_cast<unsigned char>(text[at + 1]));
      at += 2;
    } else {
      step.accepted_bytes.set(static_cast<unsigned char>(c));
      ++at;
    }
    segment->glob.push_back(step);
  }
  return true;
}

// Compiles one line of an ignore file. Returns false for blank lines, comments and malformed patterns.
bool compile_pattern(std::string_view line, CompiledPattern* pattern) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);  // CRLF files, as git reads them
  if (line.empty() || line.front() == '#') return false;
  line = trim_unescaped_trailing_spaces(line);
  if (!line.empty() && line.front() == '!') {
    pattern->negated = true;
    line.remove_prefix(1);
  }
  if (!line.empty() && line.back() == '/') {
    pattern->directory_only = true;
    line.remove_suffix(1);
  }
  if (line.empty()) return false;
  pattern->anchored = line.find('/') != std::string_view::npos;
  if (line.front() == '/') line.remove_prefix(1);
  if (line.empty()) return false;

  if (!pattern->anchored) {
    PatternSegment segment;
    if (!compile_segment(line, &segment)) return false;
    pattern->segments.push_back(std::move(segment));
    return true;
  }
  std::size_t start = 0;
  for (;;) {
    std::size_t slash = line.find('/', start);
    std::string_view part = line.substr(start, slash == std::string_view::npos ? slash : slash - start);
    PatternSegment segment;
    if (part == "**") {
      segment.kind = PatternSegment::Kind::kAnyDirectories;
    } else if (!compile_segment(part, &segment)) {
      return false;
    }
    pattern->segments.push_back(std::move(segment));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  // A trailing "/**" matches everything inside, but not the directory itself ("abc/**" does not match
  // "abc"), so it needs at least one component: it becomes "/*/**".
  if (pattern->segments.back().kind == PatternSegment::Kind::kAnyDirectories) {
    PatternSegment one_component;
    compile_segment("*", &one_component);
    pattern->segments.insert(pattern->segments.end() - 1, std::move(one_component));
  }
  return true;
}

bool glob_matches(const std::vector<GlobStep>& steps, std::string_view text) {
  // Classic wildcard matching: on a mismatch, only the most recent '*' needs to take one more byte,
  // because every other step matches exactly one byte. O(steps * text) in the worst case, no recursion.
  std::size_t step = 0;
  std::size_t at = 0;
  std::size_t star_step = kNone;
  std::size_t star_at = 0;
  while (at < text.size()) {
    if (step < steps.size() && steps[step].is_star) {
      star_step = step++;
      star_at = at;
    } else if (step < steps.size() && steps[step].accepted_bytes.test(static_cast<unsigned char>(text[at]))) {
      ++step;
      ++at;
    } else if (star_step != kNone) {
      step = star_step + 1;
      at = ++star_at;
    } else {
      return false;
    }
  }
  while (step < steps.size() && steps[step].is_star) ++step;
  return step == steps.size();
}

bool segment_matches(const PatternSegment& segment, std::string_view component) {
  if (segment.kind == PatternSegment::Kind::kLiteral) return segment.literal == component;
  return glob_matches(segment.glob, component);
}

// The same algorithm as glob_matches one level up: components instead of bytes, "**" instead of '*'.
bool segments_match(const std::vector<PatternSegment>& segments, const std::string_view* components,
                    std::size_t component_count) {
  std::size_t segment = 0;
  std::size_t at = 0;
  std::size_t star_segment = kNone;
  std::size_t star_at = 0;
  while (at < component_count) {
    if (segment < segments.size() && segments[segment].kind == PatternSegment::Kind::kAnyDirectories) {
      star_segment = segment++;
      star_at = at;
    } else if (segment < segments.size() && segment_matches(segments[segment], components[at])) {
      ++segment;
      ++at;
    } else if (star_segment != kNone) {
      segment = star_segment + 1;
      at = ++star_at;
    } else {
      return false;
    }
  }
  while (segment < segments.size() && segments[segment].kind == PatternSegment::Kind::kAnyDirectories) {
    ++segment;
  }
  return segment == segments.size();
}

std::size_t count_components(std::string_view path) {
  if (path.empty()) return 0;
  std::size_t count = 1;
  for (char c : path) count += c == '/' ? 1 : 0;
  return count;
}

bool is_strictly_below(std::string_view base_directory, std::string_view path) {
  if (base_directory.empty()) return !path.empty();
  return path.size() > base_directory.size() && path[base_directory.size()] == '/' &&
         path.compare(0, base_directory.size(), base_directory) == 0;
}

}  // namespace

void IgnoreRules::add_file(std::string_view base_directory, std::string_view text, PatternScope scope) {
  PatternFile file;
  file.base_directory = std::string(base_directory);
  file.base_component_count = count_components(base_directory);
  file.scope = scope;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t newline = text.find('\n', start);
    std::size_t end = newline == std::string_view::npos ? text.size() : newline;
    CompiledPattern pattern;
    if (compile_pattern(text.substr(start, end - start), &pattern)) file.patterns.push_back(std::move(pattern));
    if (newline == std::string_view::npos) break;
    start = newline + 1;
  }
  if (file.patterns.empty()) return;
  pattern_count_ += file.patterns.size();
  files_.push_back(std::move(file));
}

IgnoreVerdict IgnoreRules::match(std::string_view path, bool is_directory) const {
  if (path.empty()) return IgnoreVerdict::kNoMatch;
  std::string_view name = path.substr(path.rfind('/') + 1);  // npos + 1 == 0 when there is no '/'
  // Split into components only when an anchored pattern needs them.
  std::vector<std::string_view> components;
  for (auto file = files_.rbegin(); file != files_.rend(); ++file) {
    bool below_base = is_strictly_below(file->base_directory, path);
    if (!below_base && file->scope == PatternScope::kBelowBaseDirectory) continue;
    for (auto pattern = file->patterns.rbegin(); pattern != file->patterns.rend(); ++pattern) {
      if (pattern->directory_only && !is_directory) continue;
      bool matched = false;
      if (!pattern->anchored) {
        matched = segment_matches(pattern->segments.front(), name);
      } else if (below_base) {
        if (components.empty()) {
          std::size_t start = 0;
          for (;;) {
            std::size_t slash = path.find('/', start);
            components.push_back(path.substr(start, slash == std::string_view::npos ? slash : slash - start));
            if (slash == std::string_view::npos) break;
            start = slash + 1;
          }
        }
        matched = segments_match(pattern->segments, components.data() + file->base_component_count,
                                 components.size() - file->base_component_count);
      }
      if (matched) return pattern->negated ? IgnoreVerdict::kReincluded : IgnoreVerdict::kIgnored;
    }
  }
  return IgnoreVerdict::kNoMatch;
}

bool IgnoreRules::is_ignored_or_inside_ignored_directory(std::string_view path, bool is_directory) const {
  for (std::size_t slash = path.find('/'); slash != std::string_view::npos; slash = path.find('/', slash + 1)) {
    if (is_ignored(path.substr(0, slash), true)) return true;
  }
  return is_ignored(path, is_directory);
}

}  // namespace asynclint
