#pragma once
// A stackful coroutine on its own mmap'd stack (ucontext): one per async-function activation, and one big
// one for the whole simulation, so that neither user recursion nor suspension at `await` depends on the
// caller's C++ stack. Exceptions never cross a switch: the body must catch everything itself.
#include <ucontext.h>

#include <cstddef>
#include <functional>

namespace asynclint::loop {

class Coroutine {
 public:
  Coroutine(std::size_t stack_bytes, std::function<void()> body);
  ~Coroutine();
  Coroutine(const Coroutine&) = delete;
  Coroutine& operator=(const Coroutine&) = delete;

  // Runs the body until it calls suspend() or finishes; returns to the caller of resume().
  void resume();
  // Called from inside the body: returns control to whoever called resume().
  void suspend();
  bool done() const { return done_; }
  bool ok() const { return stack_ != nullptr; }
  // The lowest usable address of this coroutine's stack (for overflow checks).
  const char* stack_low() const { return static_cast<const char*>(stack_); }

 private:
  static void trampoline(unsigned lo, unsigned hi);
  ucontext_t context_{}, caller_{};
  void* stack_ = nullptr;
  std::size_t size_ = 0;
  std::function<void()> body_;
  bool done_ = false, started_ = false;
  // For AddressSanitizer's fiber API (coroutine.cpp): the stack of whoever last resumed this coroutine,
  // and this coroutine's fake stack while it is suspended.
  const void* caller_stack_ = nullptr;
  std::size_t caller_stack_size_ = 0;
  void* fake_stack_ = nullptr;
};

}  // namespace asynclint::loop
