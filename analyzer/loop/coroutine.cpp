#include "loop/coroutine.h"

#include <sys/mman.h>

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

// AddressSanitizer keeps one stack per thread: without being told of each switch, a throw on a coroutine
// stack unpoisons the wrong range and later calls report stale redzones there (false positives).
#if defined(__SANITIZE_ADDRESS__)
#define ASYNCLINT_ASAN_FIBERS 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ASYNCLINT_ASAN_FIBERS 1
#endif
#endif
#ifdef ASYNCLINT_ASAN_FIBERS
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#endif

namespace asynclint::loop {

namespace {

// Announces a switch to the stack [bottom, bottom + size); `fake_stack_save` null: the current one ends.
void start_switch(void** fake_stack_save, const void* bottom, std::size_t size) {
#ifdef ASYNCLINT_ASAN_FIBERS
  __sanitizer_start_switch_fiber(fake_stack_save, bottom, size);
#else
  (void)fake_stack_save, (void)bottom, (void)size;
#endif
}

// Completes a switch on the new stack; reports the stack that was left (to switch back to it later).
void finish_switch(void* fake_stack_save, const void** bottom_old, std::size_t* size_old) {
#ifdef ASYNCLINT_ASAN_FIBERS
  __sanitizer_finish_switch_fiber(fake_stack_save, bottom_old, size_old);
#else
  (void)fake_stack_save, (void)bottom_old, (void)size_old;
#endif
}

// Stacks of finished coroutines, kept per thread for the next one. A scenario starts a dozen async
// activations and the linter runs hundreds of scenarios: a fresh mapping for each cost an mmap, a munmap and
// the page faults of touching new pages, which together took longer than the simulation itself.
class StackPool {
 public:
  ~StackPool() {
    for (const auto& [stack, size] : free_) munmap(stack, size);
  }
  void* acquire(std::size_t size) {
    for (std::size_t i = free_.size(); i-- > 0;) {
      if (free_[i].second != size) continue;
      void* stack = free_[i].first;
      free_.erase(free_.begin() + static_cast<std::ptrdiff_t>(i));
      return stack;
    }
    void* p = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    return p == MAP_FAILED ? nullptr : p;
  }
  void release(void* stack, std::size_t size, bool unwound) {
#ifdef ASYNCLINT_ASAN_FIBERS
    // Frames dropped without unwinding leave their redzones poisoned; the next coroutine must not see them.
    if (!unwound) __asan_unpoison_memory_region(stack, size);
#else
    (void)unwound;
#endif
    if (free_.size() < kKept) free_.emplace_back(stack, size);
    else munmap(stack, size);
  }

 private:
  // Enough for the usual scenario; only pages a coroutine touched stay resident, a few KiB each.
  static constexpr std::size_t kKept = 32;
  std::vector<std::pair<void*, std::size_t>> free_;
};

StackPool& stack_pool() {
  thread_local StackPool pool;
  return pool;
}

}  // namespace

Coroutine::Coroutine(std::size_t stack_bytes, std::function<void()> body) : size_(stack_bytes), body_(std::move(body)) {
  stack_ = stack_pool().acquire(size_);
}

Coroutine::~Coroutine() {
  if (stack_) stack_pool().release(stack_, size_, done_);
}

void Coroutine::trampoline(unsigned lo, unsigned hi) {
  auto* self = reinterpret_cast<Coroutine*>((static_cast<std::uintptr_t>(hi) << 32) | static_cast<std::uintptr_t>(lo));
  finish_switch(nullptr, &self->caller_stack_, &self->caller_stack_size_);
  self->body_();
  self->done_ = true;
  start_switch(nullptr, self->caller_stack_, self->caller_stack_size_);
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
  void* caller_fake_stack = nullptr;
  start_switch(&caller_fake_stack, stack_, size_);
  swapcontext(&caller_, &context_);
  finish_switch(caller_fake_stack, nullptr, nullptr);
}

void Coroutine::suspend() {
  start_switch(&fake_stack_, caller_stack_, caller_stack_size_);
  swapcontext(&context_, &caller_);
  // Whoever resumes may run on another stack than the last caller (a coroutine resuming another).
  finish_switch(fake_stack_, &caller_stack_, &caller_stack_size_);
}

}  // namespace asynclint::loop
