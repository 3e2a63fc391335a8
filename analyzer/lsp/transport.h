#pragma once
// The LSP base protocol: each message is a header block ("Content-Length: N\r\n", optionally
// "Content-Type: …\r\n", then "\r\n") followed by N bytes of JSON. The reader never trusts its input: a
// header it cannot read is reported and skipped by scanning for the next "Content-Length:", a body over
// the size limit is read and dropped without being stored, and nothing it receives can make it allocate
// more than the limit.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace asynclint::lsp {

struct Frame {
  enum class Kind {
    Message,    // `body` holds one message's bytes (not yet parsed as JSON)
    Malformed,  // a header block that could not be read; `error` says why
    TooLarge,   // a body over the limit, read and dropped; `error` says how large
    End,        // end of input (`error` set when it cut a message short)
  } kind = Kind::End;
  std::string body;
  std::string error;
};

class FrameReader {
 public:
  // Reads up to `capacity` bytes into `buffer`: the count, 0 at end of input, negative on a read error.
  using ReadSome = std::function<long(char* buffer, std::size_t capacity)>;
  static constexpr std::size_t kDefaultMaxBody = 64 * 1024 * 1024;  // a 10 MiB file, escaped, fits easily
  static constexpr std::size_t kMaxHeaderLine = 8 * 1024;

  explicit FrameReader(ReadSome read, std::size_t max_body = kDefaultMaxBody) : read_(std::move(read)), max_body_(max_body) {}

  Frame next();

 private:
  bool fill();  // appends what the source has; false at end of input
  // Drops input up to the next "Content-Length:" (case-insensitive); false at end of input.
  bool resynchronise();
  // One header line without its terminator (\r\n, or a bare \n from a lenient client); false at end of
  // input; sets `too_long` for a line over kMaxHeaderLine.
  bool read_line(std::string& line, bool& too_long);
  std::size_t available() const { return buffer_.size() - position_; }
  void compact();

  ReadSome read_;
  std::size_t max_body_;
  std::string buffer_;
  std::size_t position_ = 0;
  bool resync_ = false;
  bool at_end_ = false;
};

// One message framed for writing.
std::string frame_message(std::string_view body);

// Whether JSON text nests arrays and objects more than `limit` deep (brackets inside strings do not
// count). Checked before parsing: a value nested a million deep parses, but copying or destroying it
// recurses once per level and would overflow the stack. No LSP message nests more than a few dozen.
bool json_nests_deeper_than(std::string_view json, std::size_t limit);

}  // namespace asynclint::lsp
