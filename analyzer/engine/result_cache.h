#pragma once
// --cache: what linting each file produced, keyed on the file's content, the configuration that applies
// to it and the tool version, so an unchanged file is neither parsed nor checked again.
//
// A file's entry never depends on other files: findings that hinge on an import are stored still pending
// and resolved against the project index on every run, and the index is rebuilt from every file's
// exports (cached or fresh). An edit in an imported file therefore changes its importers' findings
// without invalidating their entries.
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace asynclint {

class ResultCache {
 public:
  explicit ResultCache(std::string path) : path_(std::move(path)) {}
  void load();   // a missing or unreadable cache is an empty one (a cache never breaks a run)
  bool save() const;
  // By content (the file was read and hashed) …
  // A file's outcome as the linter encoded it (engine/byte_codec.h), shared rather than copied.
  using Outcome = std::shared_ptr<const std::string>;
  Outcome lookup(const std::string& absolute_path, const std::string& key) const;
  // … or, first, by metadata: the same size and modification time (and configuration) as when stored, so
  // an unchanged file is not even read — unless its findings need the text (code frames, suppressions).
  Outcome lookup_unchanged(const std::string& absolute_path, const std::string& metadata,
                                                 const std::string& config_key) const;
  void store(const std::string& absolute_path, std::string key, std::string metadata, std::string config_key,
             Outcome outcome);
  std::size_t hits() const { return hits_; }

 private:
  struct Entry {
    std::string key;         // content hash | configuration
    std::string metadata;    // size and modification time when stored
    std::string config_key;
    Outcome outcome;
  };
  std::string path_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
  mutable std::size_t hits_ = 0;
  bool changed_ = false;  // nothing stored since load(): save() has nothing to write
};

// A 64-bit FNV-1a hash as hex: content and configuration fingerprints for cache keys.
std::string content_hash(std::string_view bytes);

}  // namespace asynclint
