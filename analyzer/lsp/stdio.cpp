// The language server on standard input and output. A reader thread decodes frames as they arrive (and
// records $/cancelRequest at once, so a request still waiting behind a slow one is answered as cancelled);
// the main thread handles messages in order and, when none is waiting, lints what is due.
#include <unistd.h>

#include <cerrno>
#include <condition_variable>
#include <csignal>
#include <deque>
#include <thread>

#include "lsp/server.h"
#include "lsp/transport.h"

namespace asynclint::lsp {

namespace {

constexpr std::size_t kMaxJsonDepth = 512;

struct Incoming {
  enum class Kind { Message, NotJson, TooDeep, Unreadable, End } kind;
  Json message;
  std::string error;
};

class Inbox {
 public:
  void push(Incoming item) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      items_.push_back(std::move(item));
    }
    ready_.notify_one();
  }
  // The next item, waiting until `deadline` at most (forever without one); false when none came.
  bool pop(Incoming& out, std::optional<Clock::time_point> deadline) {
    std::unique_lock<std::mutex> lock(mutex_);
    auto has_item = [&] { return !items_.empty(); };
    if (deadline) {
      if (!ready_.wait_until(lock, *deadline, has_item)) return false;
    } else {
      ready_.wait(lock, has_item);
    }
    out = std::move(items_.front());
    items_.pop_front();
    return true;
  }

 private:
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<Incoming> items_;
};

bool write_all(int fd, const std::string& bytes) {
  std::size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    written += static_cast<std::size_t>(n);
  }
  return true;
}

void read_messages(std::shared_ptr<Inbox> inbox, std::shared_ptr<CancelledRequests> cancelled) {
  FrameReader reader([](char* buffer, std::size_t capacity) -> long {
    for (;;) {
      const ssize_t n = ::read(STDIN_FILENO, buffer, capacity);
      if (n < 0 && errno == EINTR) continue;
      return static_cast<long>(n);
    }
  });
  for (;;) {
    Frame frame = reader.next();
    switch (frame.kind) {
      case Frame::Kind::Message: {
        if (json_nests_deeper_than(frame.body, kMaxJsonDepth)) {
          inbox->push({Incoming::Kind::TooDeep, nullptr, "nested more than " + std::to_string(kMaxJsonDepth) + " levels deep"});
          break;
        }
        Json message = Json::parse(frame.body, nullptr, /*allow_exceptions=*/false);
        if (message.is_discarded()) {
          inbox->push({Incoming::Kind::NotJson, nullptr, std::to_string(frame.body.size()) + " bytes that do not parse"});
          break;
        }
        if (message.is_object()) {
          const auto method = message.find("method");
          const auto params = message.find("params");
          if (method != message.end() && method->is_string() && *method == "$/cancelRequest" && params != message.end() &&
              params->is_object() && params->contains("id"))
            cancelled->add(params->at("id"));
        }
        inbox->push({Incoming::Kind::Message, std::move(message), {}});
        break;
      }
      case Frame::Kind::Malformed:
      case Frame::Kind::TooLarge:
        inbox->push({Incoming::Kind::Unreadable, nullptr, frame.error});
        break;
      case Frame::Kind::End:
        if (!frame.error.empty()) inbox->push({Incoming::Kind::Unreadable, nullptr, frame.error});
        inbox->push({Incoming::Kind::End, nullptr, {}});
        return;
    }
  }
}

}  // namespace

int run_language_server() {
  std::signal(SIGPIPE, SIG_IGN);  // a client that went away makes write() fail, not the process die
  auto inbox = std::make_shared<Inbox>();
  auto cancelled = std::make_shared<CancelledRequests>();
  bool output_broken = false;
  Server server(
      [&](const Json& message) {
        // Invalid UTF-8 cannot come from a parsed message, but a clipped error text could carry half a
        // character: replace rather than throw.
        if (!output_broken && !write_all(STDOUT_FILENO, frame_message(message.dump(-1, ' ', false, Json::error_handler_t::replace))))
          output_broken = true;
      },
      cancelled);
  // The reader owns only shared state, so it may outlive this function, blocked in read(), until the
  // process exits.
  std::thread(read_messages, inbox, cancelled).detach();
  for (;;) {
    if (output_broken) return 1;
    Incoming item;
    if (!inbox->pop(item, server.next_due())) {
      server.run_due_work(Clock::now());  // nothing waiting: lint what has settled
      continue;
    }
    switch (item.kind) {
      case Incoming::Kind::Message:
        server.handle(item.message);
        break;
      case Incoming::Kind::NotJson:
        server.handle_transport_error("the message is not valid JSON: " + item.error, error_code::kParseError);
        break;
      case Incoming::Kind::TooDeep:
        server.handle_transport_error("the message is " + item.error, error_code::kInvalidRequest);
        break;
      case Incoming::Kind::Unreadable:
        server.handle_transport_error(item.error, std::nullopt);
        break;
      case Incoming::Kind::End:
        return server.exit_code();  // the client went away without `exit`: as if it had sent one
    }
    if (server.exit_requested()) return server.exit_code();
  }
}

}  // namespace asynclint::lsp
