#include "loop/coroutine.h"

#include <sys/mman.h>

#include <cstdint>

namespace asynclint::loop {

Coroutine::Coroutine(std::size_t stack_bytes, std::function<void()> body) : size_(stack_bytes), body_(std::move(body)) {
  void* p = mmap(nullptr, size_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) return;
  stack_ = p;
}

Coroutine::~Coroutine() {
  if (stack_) munmap(stack_, size_);
}

void Coroutine::trampoline(unsigned lo, unsigned hi) {
  auto* self = reinterpret_cast<Coroutine*>((static_cast<std::uintptr_t>(hi) << 32) | static_cast<std::uintptr_t>(lo));
  self->body_();
  self->done_ = true;
  swapcontext(&self->context_, &self->caller_);
}

void Coroutine::resume() {
  if (done_ || !stack_) return;
  if (!started_) {
    started_ = true;
    getcontext(&context_);
    context_.uc_stack.ss_sp = stack_;
    context_.uc_stack.ss_size = size_;
    context_.uc_link = nullptr;
    const auto addr = reinterpret_cast<std::uintptr_t>(this);
    makecontext(&context_, reinterpret_cast<void (*)()>(&Coroutine::trampoline), 2,
                static_cast<unsigned>(addr & 0xffffffffu), static_cast<unsigned>(addr >> 32));
  }
  swapcontext(&caller_, &context_);
}

void Coroutine::suspend() { swapcontext(&context_, &caller_); }

}  // namespace asynclint::loop
