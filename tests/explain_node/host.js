// The scenario host in real Node: the functions a rule's scenario program calls (analyzer/loop/scenario.h),
// for checking the event-loop model's explanations against Node (tests/explanations_node_test.cpp).
//
// Promise jobs, nextTicks, immediates and the unhandled-rejection check are Node's own. Only timers run on
// a virtual clock, because scenarios wait minutes (a fetch's 300 s timeout) and the test cannot: each
// virtual timer fires in a real macrotask of its own (an immediate), earliest due first and in creation
// order among equals, so Node drains its microtasks between two of them as it does between real timers.
// The clock follows the model's one convention about durations: the main script takes 1 ms. The main
// script, the nextTicks and promise jobs it queues, and the unhandled-rejection check after them run at
// 0 ms; the clock reads 1 ms from the first macrotask on (an immediate, a timer).
//
// The test writes this file, the scenario prelude, the program, then `__hostMainDone();`. When the run
// ends, stdout gets the recorded steps as JSON: [{offset, text, time, nesting}].
const __hostSteps = [];
const __hostTimers = [];
const __hostAtEnd = [];
let __hostNow = 0;
let __hostSequence = 0;
let __hostUnhandled = null;
let __hostPumping = false;
let __hostMainEnded = false;

// Every macrotask starts after the main script's 1 ms.
const __hostSetImmediate = setImmediate;
setImmediate = (callback, ...args) => __hostSetImmediate(() => {
  __hostNow = Math.max(__hostNow, 1);
  callback(...args);
});

function __step(offset, text, nesting) {
  __hostSteps.push({ offset: Number(offset), text: String(text), time: __hostNow, nesting: Number(nesting || 0) });
}
function __now() { return __hostNow; }
function __unhandled(offset, text) { __hostUnhandled = { offset: Number(offset), text: String(text) }; }
function __atEnd(promise, offset, text) { __hostAtEnd.push({ promise, offset: Number(offset), text: String(text) }); }

// Node's coercion of a delay: anything not in [1, 2^31 - 1] becomes 1.
function __hostDelay(ms) {
  const delay = Number(ms);
  return delay >= 1 && delay <= 2147483647 ? delay : 1;
}
function __hostSchedule(callback, ms, args, repeat) {
  const timer = { id: ++__hostSequence, due: __hostNow + __hostDelay(ms), callback, args, repeat: repeat ? __hostDelay(ms) : 0 };
  __hostTimers.push(timer);
  __hostPump();
  return timer;
}
setTimeout = (callback, ms, ...args) => __hostSchedule(callback, ms, args, false);
setInterval = (callback, ms, ...args) => __hostSchedule(callback, ms, args, true);
clearTimeout = clearInterval = (timer) => {
  const at = __hostTimers.indexOf(timer);
  if (at >= 0) __hostTimers.splice(at, 1);
};

function __hostPump() {
  if (__hostPumping || !__hostMainEnded) return;  // during the main script, the pump starts at its end
  __hostPumping = true;
  setImmediate(() => {
    __hostPumping = false;
    if (__hostTimers.length === 0) return;
    let next = 0;
    for (let i = 1; i < __hostTimers.length; i++) {
      const a = __hostTimers[i], b = __hostTimers[next];
      if (a.due < b.due || (a.due === b.due && a.id < b.id)) next = i;
    }
    const timer = __hostTimers[next];
    __hostNow = Math.max(__hostNow, timer.due);
    if (timer.repeat) {
      timer.due = __hostNow + timer.repeat;
      timer.id = ++__hostSequence;
    } else {
      __hostTimers.splice(next, 1);
    }
    __hostPump();
    timer.callback(...timer.args);
  });
}

function __hostMainDone() {
  __hostMainEnded = true;
  __hostPump();
}

process.on('unhandledRejection', () => {
  // Node's default policy ends the process here; the model tells the rule's narration at this moment.
  if (__hostUnhandled) __hostSteps.push({ offset: __hostUnhandled.offset, text: __hostUnhandled.text, time: __hostNow, nesting: 0 });
  process.exit(1);
});
process.on('beforeExit', () => {
  // Nothing is left to run: what the program asked to hear about a promise still pending.
  const util = require('util');
  for (const { promise, offset, text } of __hostAtEnd.splice(0))
    if (util.inspect(promise).includes('<pending>')) __hostSteps.push({ offset, text, time: __hostNow, nesting: 0 });
});
process.on('exit', () => {
  require('fs').writeSync(1, JSON.stringify(__hostSteps) + '\n');
});
