#include "engine/result_cache.h"

#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace asynclint {

namespace {
// Bumped when the stored shape changes, so an old cache is ignored rather than misread.
constexpr int kFormat = 4;  // 4: pending findings keep their scenario
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
  std::ifstream in(path_, std::ios::binary);
  if (!in) return;
  std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const nlohmann::json document = nlohmann::json::from_msgpack(bytes, true, false);
  if (!document.is_object() || document.value("format", 0) != kFormat || document.value("version", "") != ASYNCLINT_VERSION) return;
  const auto& files = document["files"];
  if (!files.is_object()) return;
  for (const auto& [path, entry] : files.items())
    if (entry.is_object() && entry.contains("key") && entry.contains("meta") && entry.contains("config") && entry.contains("outcome"))
      entries_[path] = {entry["key"].get<std::string>(), entry["meta"].get<std::string>(), entry["config"].get<std::string>(),
                        entry["outcome"]};
}

bool ResultCache::save() const {
  if (!changed_) return true;
  nlohmann::json document;
  document["format"] = kFormat;
  document["version"] = ASYNCLINT_VERSION;
  nlohmann::json files = nlohmann::json::object();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& [path, entry] : entries_)
      files[path] = {{"key", entry.key}, {"meta", entry.metadata}, {"config", entry.config_key}, {"outcome", entry.outcome}};
  }
  document["files"] = std::move(files);
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path_).parent_path(), ec);
  // Write then rename: a run killed half-way never leaves a torn cache behind.
  const std::string temporary = path_ + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    const std::vector<std::uint8_t> bytes = nlohmann::json::to_msgpack(document);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    if (!out) return false;
  }
  std::filesystem::rename(temporary, path_, ec);
  return !ec;
}

std::optional<nlohmann::json> ResultCache::lookup(const std::string& absolute_path, const std::string& key) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto found = entries_.find(absolute_path);
  if (found == entries_.end() || found->second.key != key) return std::nullopt;
  ++hits_;
  return found->second.outcome;
}

std::optional<nlohmann::json> ResultCache::lookup_unchanged(const std::string& absolute_path, const std::string& metadata,
                                                            const std::string& config_key) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto found = entries_.find(absolute_path);
  if (found == entries_.end() || found->second.metadata != metadata || found->second.config_key != config_key) return std::nullopt;
  ++hits_;
  return found->second.outcome;
}

void ResultCache::store(const std::string& absolute_path, std::string key, std::string metadata, std::string config_key,
                        nlohmann::json outcome) {
  std::lock_guard<std::mutex> lock(mutex_);
  entries_[absolute_path] = {std::move(key), std::move(metadata), std::move(config_key), std::move(outcome)};
  changed_ = true;
}

}  // namespace asynclint
