// libFuzzer target: the language server's input side. The input is a byte stream as a client would send
// it on standard input (Content-Length frames around JSON-RPC messages), delivered in chunks of a size the
// first byte picks so that frames are split at every possible place. Each frame goes to the Server exactly
// as run_language_server() hands it over; at the end every scheduled lint runs.
#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "lsp/server.h"
#include "lsp/transport.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace asynclint::lsp;
  if (size == 0) return 0;
  const std::size_t chunk = 1 + data[0] % 64;
  const char* stream = reinterpret_cast<const char*>(data + 1);
  const std::size_t length = size - 1;
  std::size_t position = 0;
  // A small body limit keeps the TooLarge path reachable with fuzzer-sized inputs.
  FrameReader reader(
      [&](char* buffer, std::size_t capacity) -> long {
        const std::size_t n = std::min({capacity, chunk, length - position});
        std::memcpy(buffer, stream + position, n);
        position += n;
        return static_cast<long>(n);
      },
      /*max_body=*/64 * 1024);

  std::size_t sent_bytes = 0;
  Server server([&](const Json& message) {
    sent_bytes += frame_message(message.dump(-1, ' ', false, Json::error_handler_t::replace)).size();
  });
  for (bool more = true; more && !server.exit_requested();) {
    Frame frame = reader.next();
    switch (frame.kind) {
      case Frame::Kind::Message: {
        Json message = Json::parse(frame.body, nullptr, /*allow_exceptions=*/false);
        if (message.is_discarded())
          server.handle_transport_error(std::to_string(frame.body.size()) + " bytes that do not parse", true);
        else
          server.handle(message);
        break;
      }
      case Frame::Kind::Malformed:
      case Frame::Kind::TooLarge:
        server.handle_transport_error(frame.error, false);
        break;
      case Frame::Kind::End:
        if (!frame.error.empty()) server.handle_transport_error(frame.error, false);
        more = false;
        break;
    }
  }
  // Debounced lints are due some time after the last change: run them all now.
  server.run_due_work(Clock::now() + std::chrono::hours(1));
  return 0;
}
