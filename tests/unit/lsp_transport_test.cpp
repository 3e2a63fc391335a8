// Unit tests of the language server's framing (analyzer/lsp/transport.*): well-formed frames however the
// bytes are split, and recovery from everything a broken or hostile client can send.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "lsp/transport.h"

using namespace asynclint::lsp;

namespace {

// A byte source serving `input` in chunks of at most `chunk` bytes, as a pipe may.
struct ScriptedInput {
  std::string input;
  std::size_t chunk;
  std::size_t position = 0;
  std::size_t bytes_served = 0;

  FrameReader::ReadSome source() {
    return [this](char* buffer, std::size_t capacity) -> long {
      const std::size_t n = std::min({capacity, chunk, input.size() - position});
      std::memcpy(buffer, input.data() + position, n);
      position += n;
      bytes_served += n;
      return static_cast<long>(n);
    };
  }
};

std::string describe(const Frame& frame) {
  switch (frame.kind) {
    case Frame::Kind::Message: return "message " + frame.body;
    case Frame::Kind::Malformed: return "malformed";
    case Frame::Kind::TooLarge: return "too large";
    case Frame::Kind::End: return frame.error.empty() ? "end" : "end (cut short)";
  }
  return "?";
}

std::vector<std::string> read_all(const std::string& input, std::size_t chunk, std::size_t max_body = FrameReader::kDefaultMaxBody) {
  ScriptedInput scripted{input, chunk};
  FrameReader reader(scripted.source(), max_body);
  std::vector<std::string> frames;
  for (int guard = 0; guard < 100; ++guard) {
    const Frame frame = reader.next();
    frames.push_back(describe(frame));
    if (frame.kind == Frame::Kind::End) break;
  }
  return frames;
}

}  // namespace

TEST_CASE("lsp framing: frames come out whole whatever the read sizes", "[lsp][transport]") {
  const std::string input = frame_message(R"({"a":1})") + frame_message(R"({"b":"é€😀"})") + frame_message("{}");
  const std::vector<std::string> expected{R"(message {"a":1})", R"(message {"b":"é€😀"})", "message {}", "end"};
  for (std::size_t chunk : {1u, 2u, 3u, 7u, 64u, 100000u}) {
    INFO("chunk " << chunk);
    CHECK(read_all(input, chunk) == expected);
  }
}

TEST_CASE("lsp framing: frame_message counts bytes, not characters", "[lsp][transport]") {
  CHECK(frame_message("😀") == "Content-Length: 4\r\n\r\n😀");
}

TEST_CASE("lsp framing: header names are case-insensitive, Content-Type and unknown headers are ignored", "[lsp][transport]") {
  const std::string input = "content-length: 2\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\nX-Other: 1\r\n\r\n{}";
  CHECK(read_all(input, 5) == std::vector<std::string>{"message {}", "end"});
}

TEST_CASE("lsp framing: a bare \\n after headers is accepted from lenient clients", "[lsp][transport]") {
  CHECK(read_all("Content-Length: 2\n\n{}", 3) == std::vector<std::string>{"message {}", "end"});
}

TEST_CASE("lsp framing: malformed headers are reported and the next message is still found", "[lsp][transport]") {
  const std::string good = frame_message(R"({"ok":true})");
  SECTION("Content-Length that is not a number") {
    CHECK(read_all("Content-Length: twelve\r\n\r\n{\"x\":1}" + good, 4) ==
          std::vector<std::string>{"malformed", R"(message {"ok":true})", "end"});
  }
  SECTION("a negative Content-Length") {
    CHECK(read_all("Content-Length: -5\r\n\r\n" + good, 4) == std::vector<std::string>{"malformed", R"(message {"ok":true})", "end"});
  }
  SECTION("no Content-Length at all") {
    CHECK(read_all("Content-Type: x\r\n\r\n{}" + good, 4) == std::vector<std::string>{"malformed", R"(message {"ok":true})", "end"});
  }
  SECTION("a header line without a colon") {
    CHECK(read_all("hello there\r\n\r\n" + good, 4) == std::vector<std::string>{"malformed", R"(message {"ok":true})", "end"});
  }
  SECTION("plain garbage with no line break, longer than any header") {
    CHECK(read_all(std::string(20000, 'x') + good, 4096) == std::vector<std::string>{"malformed", R"(message {"ok":true})", "end"});
  }
  SECTION("the same garbage arriving in one read with the next message") {
    // The over-long "line" then runs into the next header: only the garbage may be dropped.
    CHECK(read_all(std::string(20000, 'x') + good, 1 << 20) == std::vector<std::string>{"malformed", R"(message {"ok":true})", "end"});
  }
}

TEST_CASE("lsp framing: a message over the limit is dropped without being stored, and reading goes on", "[lsp][transport]") {
  const std::string big = "Content-Length: 5000\r\n\r\n" + std::string(5000, ' ');
  CHECK(read_all(big + frame_message("{}"), 1000, /*max_body=*/1024) == std::vector<std::string>{"too large", "message {}", "end"});
}

TEST_CASE("lsp framing: a Content-Length larger than memory is not believed", "[lsp][transport]") {
  // 99,999,999,999,999,999 bytes announced, 3 sent: the reader must neither allocate nor wait forever.
  ScriptedInput scripted{"Content-Length: 99999999999999999\r\n\r\nabc", 1 << 16};
  FrameReader reader(scripted.source());
  const Frame frame = reader.next();
  CHECK(frame.kind == Frame::Kind::End);
  CHECK_FALSE(frame.error.empty());
}

TEST_CASE("lsp framing: input that ends inside a message is an end with an error", "[lsp][transport]") {
  CHECK(read_all("Content-Length: 10\r\n\r\n{\"a\"", 3) == std::vector<std::string>{"end (cut short)"});
  CHECK(read_all("Content-Len", 3) == std::vector<std::string>{"end (cut short)"});
  CHECK(read_all("", 3) == std::vector<std::string>{"end"});
}

TEST_CASE("lsp framing: nesting depth is measured outside strings", "[lsp][transport]") {
  CHECK_FALSE(json_nests_deeper_than(R"({"a":[1,{"b":[]}]})", 4));  // { [ { [ : four levels
  CHECK(json_nests_deeper_than(R"({"a":[1,{"b":[]}]})", 3));
  CHECK_FALSE(json_nests_deeper_than(R"({"text":"[[[[[[{{{{ \" [[[["})", 1));  // brackets in a string, an escaped quote
  CHECK(json_nests_deeper_than(std::string(100000, '[') + std::string(100000, ']'), 512));
}
