#include "engine/result_cache.h"

#include "engine/byte_codec.h"

#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace asynclint {

namespace {
// Bumped when the stored shape changes, so an old cache is ignored rather than misread.
constexpr int kFormat = 14;  // 14: a finding's fixed explanation; 13: the first syntax error's position and message; 12: event names emitted and awaited; 11: I/O facts say whether they only touch local files; 5: flat binary (engine/byte_codec.h), directives keep their positions; 6: first byte a flag; 7: rejection facts; 8: I/O facts, requirements; 9: class members exported as C.m; 10: a requirement's threshold
constexpr std::string_view kMagic = "asynclint cache";
}  // namespace

std::string content_hash(std::string_view bytes) {
  // Eight bytes at a time (multiply-xorshift), the tail byte by byte: a cache key, not a security hash.
  std::uint64_t hash = 1469598103934665603ull;
  std::size_t i = 0;
  for (; i + 8 <= bytes.size(); i += 8) {
    std::uint64_t word;
    std::memcpy(&word, bytes.data() + i, 8);
    hash = (hash ^ word) * 0x9E3779B97F4A7C15ull;
    hash ^= hash >> 29;
  }
  for (; i < bytes.size(); ++i) hash = (hash ^ static_cast<unsigned char>(bytes[i])) * 1099511628211ull;
  std::ostringstream out;
  out << std::hex << hash << ':' << bytes.size();
  return out.str();
}

void ResultCache::load() {
  std::ifstream in(path_, std::ios::binary | std::ios::ate);
  if (!in) return;
  const std::streamoff size = in.tellg();
  if (size <= 0) return;
  std::string bytes(static_cast<std::size_t>(size), '\0');
  in.seekg(0);
  if (!in.read(bytes.data(), size)) return;
  // The last line is a checksum of everything before it: a flipped byte inside a message would otherwise
  // decode as a valid, wrong finding.
  const std::size_t checksum_at = bytes.rfind('\n');
  if (checksum_at == std::string::npos ||
      std::string_view(bytes).substr(checksum_at + 1) != content_hash(std::string_view(bytes).substr(0, checksum_at)))
    return;
  try {
    ByteReader reader(std::string_view(bytes).substr(0, checksum_at));
    if (reader.text_view() != kMagic || reader.number() != kFormat || reader.text_view() != ASYNCLINT_VERSION) return;
    const std::size_t count = reader.count();
    entries_.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
      std::string path = reader.text();
      Entry entry;
      entry.key = reader.text();
      entry.metadata = reader.text();
      entry.config_key = reader.text();
      entry.outcome = std::make_shared<const std::string>(reader.text_view());
      entries_[std::move(path)] = std::move(entry);
    }
    if (!reader.at_end()) throw MalformedBytes();
  } catch (const MalformedBytes&) {
    entries_.clear();  // a torn or foreign file: start afresh
  }
}

bool ResultCache::save() const {
  if (!changed_) return true;
  ByteWriter writer;
  writer.text(kMagic);
  writer.number(kFormat);
  writer.text(ASYNCLINT_VERSION);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    writer.number(entries_.size());
    for (const auto& [path, entry] : entries_) {
      writer.text(path);
      writer.text(entry.key);
      writer.text(entry.metadata);
      writer.text(entry.config_key);
      writer.text(*entry.outcome);
    }
  }
  writer.bytes() += '\n' + content_hash(writer.bytes());
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path_).parent_path(), ec);
  // Write then rename: a run killed half-way never leaves a torn cache behind.
  const std::string temporary = path_ + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out.write(writer.bytes().data(), static_cast<std::streamsize>(writer.bytes().size()));
    if (!out) return false;
  }
  std::filesystem::rename(temporary, path_, ec);
  return !ec;
}

ResultCache::Outcome ResultCache::lookup(const std::string& absolute_path, const std::string& key) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto found = entries_.find(absolute_path);
  if (found == entries_.end() || found->second.key != key) return nullptr;
  ++hits_;
  return found->second.outcome;
}

ResultCache::Outcome ResultCache::lookup_unchanged(const std::string& absolute_path, const std::string& metadata,
                                                            const std::string& config_key) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto found = entries_.find(absolute_path);
  if (found == entries_.end() || found->second.metadata != metadata || found->second.config_key != config_key) return nullptr;
  ++hits_;
  return found->second.outcome;
}

void ResultCache::store(const std::string& absolute_path, std::string key, std::string metadata, std::string config_key,
                        Outcome outcome) {
  std::lock_guard<std::mutex> lock(mutex_);
  entries_[absolute_path] = {std::move(key), std::move(metadata), std::move(config_key), std::move(outcome)};
  changed_ = true;
}

}  // namespace asynclint
