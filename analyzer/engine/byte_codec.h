#pragma once
// A flat binary encoding for --cache: unsigned LEB128 integers and length-prefixed strings, written and read
// in a fixed order by the code that owns the data. Decoding builds the final structures directly; the JSON
// trees the cache used before cost more to build and free than linting a small file.
//
// ByteReader checks every length against what is left and throws MalformedBytes, so a torn or foreign
// cache file is a miss, never a crash.
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace asynclint {

struct MalformedBytes : std::runtime_error {
  MalformedBytes() : std::runtime_error("malformed cache bytes") {}
};

class ByteWriter {
 public:
  void number(std::uint64_t value) {
    do {
      auto byte = static_cast<unsigned char>(value & 0x7f);
      value >>= 7;
      if (value) byte |= 0x80;
      bytes_.push_back(static_cast<char>(byte));
    } while (value);
  }
  void flag(bool value) { bytes_.push_back(value ? '\1' : '\0'); }
  void text(std::string_view value) {
    number(value.size());
    bytes_.append(value);
  }
  std::string& bytes() { return bytes_; }

 private:
  std::string bytes_;
};

class ByteReader {
 public:
  explicit ByteReader(std::string_view bytes) : bytes_(bytes) {}
  std::uint64_t number() {
    std::uint64_t value = 0;
    for (unsigned shift = 0; shift < 64; shift += 7) {
      if (position_ >= bytes_.size()) throw MalformedBytes();
      const auto byte = static_cast<unsigned char>(bytes_[position_++]);
      value |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
      if (!(byte & 0x80)) return value;
    }
    throw MalformedBytes();
  }
  std::uint32_t number32() {
    const std::uint64_t value = number();
    if (value > UINT32_MAX) throw MalformedBytes();
    return static_cast<std::uint32_t>(value);
  }
  // A count of items that each take at least one byte: larger than what is left means a corrupt file.
  std::size_t count() {
    const std::uint64_t value = number();
    if (value > bytes_.size() - position_) throw MalformedBytes();
    return static_cast<std::size_t>(value);
  }
  bool flag() {
    if (position_ >= bytes_.size()) throw MalformedBytes();
    return bytes_[position_++] != '\0';
  }
  std::string_view text_view() {
    const std::size_t size = count();
    const std::string_view value = bytes_.substr(position_, size);
    position_ += size;
    return value;
  }
  std::string text() { return std::string(text_view()); }
  bool at_end() const { return position_ == bytes_.size(); }

 private:
  std::string_view bytes_;
  std::size_t position_ = 0;
};

}  // namespace asynclint
