#include "lsp/transport.h"

#include <algorithm>
#include <cctype>

namespace asynclint::lsp {

namespace {

constexpr std::string_view kContentLength = "content-length:";

std::string lowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// Decimal digits only, no sign, no overflow past 2^63.
bool parse_length(std::string_view text, std::uint64_t& out) {
  if (text.empty() || text.size() > 18) return false;
  out = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    out = out * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return true;
}

}  // namespace

bool FrameReader::fill() {
  if (at_end_) return false;
  compact();
  char chunk[64 * 1024];
  for (;;) {
    const long got = read_(chunk, sizeof chunk);
    if (got > 0) {
      buffer_.append(chunk, static_cast<std::size_t>(got));
      return true;
    }
    at_end_ = true;  // 0: end of input; negative: the source failed, which ends the session all the same
    return false;
  }
}

void FrameReader::compact() {
  if (position_ == 0) return;
  if (position_ >= buffer_.size()) {
    buffer_.clear();
  } else if (position_ > 64 * 1024) {
    buffer_.erase(0, position_);
  } else {
    return;
  }
  position_ = 0;
}

bool FrameReader::resynchronise() {
  for (;;) {
    // Search in a lowercase copy of what is buffered; keep the last few bytes (a split marker) for the next round.
    const std::string window = lowercase(std::string_view(buffer_).substr(position_));
    const std::size_t found = window.find(kContentLength);
    if (found != std::string::npos) {
      position_ += found;
      return true;
    }
    if (window.size() >= kContentLength.size()) position_ += window.size() - (kContentLength.size() - 1);
    if (!fill()) return false;
  }
}

bool FrameReader::read_line(std::string& line, bool& too_long) {
  too_long = false;
  std::size_t searched = 0;
  for (;;) {
    const std::string_view pending = std::string_view(buffer_).substr(position_);
    const std::size_t newline = pending.find('\n', searched);
    std::size_t end = newline == std::string_view::npos ? pending.size() : newline;
    if (newline != std::string_view::npos && end > 0 && pending[end - 1] == '\r') --end;
    if (end > kMaxHeaderLine) {
      // Not a header (or no terminator in sight): report it now rather than buffer garbage without bound.
      // Only its first byte is consumed: the resynchronisation that follows finds a "Content-Length:"
      // later in the same bytes, where the next real message may already have started.
      too_long = true;
      line.assign(pending.substr(0, 64));
      position_ += 1;
      return true;
    }
    if (newline != std::string_view::npos) {
      line.assign(pending.substr(0, end));
      position_ += newline + 1;
      return true;
    }
    searched = pending.size();  // still valid after fill(): compact() drops only bytes before position_
    if (!fill()) return false;
  }
}

Frame FrameReader::next() {
  Frame frame;
  if (resync_) {
    resync_ = false;
    if (!resynchronise()) return frame;  // End
  }
  std::uint64_t length = 0;
  bool have_length = false;
  bool started = false;
  std::string line;
  for (;;) {
    bool too_long = false;
    if (!read_line(line, too_long)) {
      if (started || available() > 0) frame.error = "the input ended inside a message header";
      return frame;  // End
    }
    if (too_long) {
      frame.kind = Frame::Kind::Malformed;
      frame.error = "a header line longer than " + std::to_string(kMaxHeaderLine) + " bytes";
      resync_ = true;
      return frame;
    }
    if (line.empty()) {
      if (!started) continue;  // stray blank lines between messages are harmless
      break;
    }
    started = true;
    const std::size_t colon = line.find(':');
    if (colon == std::string::npos) {
      frame.kind = Frame::Kind::Malformed;
      frame.error = "a header line without ':' (\"" + line.substr(0, 64) + "\")";
      resync_ = true;
      return frame;
    }
    const std::string name = lowercase(trim(std::string_view(line).substr(0, colon)));
    const std::string_view value = trim(std::string_view(line).substr(colon + 1));
    if (name == "content-length") {
      if (!parse_length(value, length)) {
        frame.kind = Frame::Kind::Malformed;
        frame.error = "Content-Length is not a number (\"" + std::string(value.substr(0, 64)) + "\")";
        resync_ = true;
        return frame;
      }
      have_length = true;
    }
    // Content-Type (always utf-8 JSON in practice) and unknown headers are ignored, as the spec allows.
  }
  if (!have_length) {
    frame.kind = Frame::Kind::Malformed;
    frame.error = "a header block without Content-Length";
    resync_ = true;
    return frame;
  }
  if (length > max_body_) {
    // Read and drop the body so that the next message is still found; never hold it in memory.
    std::uint64_t left = length;
    while (left > 0) {
      if (available() == 0 && !fill()) {
        frame.kind = Frame::Kind::End;
        frame.error = "the input ended inside a " + std::to_string(length) + "-byte message";
        return frame;
      }
      const std::size_t take = static_cast<std::size_t>(std::min<std::uint64_t>(left, available()));
      position_ += take;
      left -= take;
    }
    frame.kind = Frame::Kind::TooLarge;
    frame.error = "a " + std::to_string(length) + "-byte message is over the " + std::to_string(max_body_) + "-byte limit; dropped";
    return frame;
  }
  while (available() < length) {
    if (!fill()) {
      frame.error = "the input ended inside a " + std::to_string(length) + "-byte message";
      return frame;  // End
    }
  }
  frame.kind = Frame::Kind::Message;
  frame.body.assign(buffer_, position_, static_cast<std::size_t>(length));
  position_ += static_cast<std::size_t>(length);
  return frame;
}

std::string frame_message(std::string_view body) {
  std::string out = "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  out.append(body);
  return out;
}

bool json_nests_deeper_than(std::string_view json, std::size_t limit) {
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    if (in_string) {
      if (c == '\\') ++i;  // the escaped character cannot end the string
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > limit) return true;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return false;
}

}  // namespace asynclint::lsp
