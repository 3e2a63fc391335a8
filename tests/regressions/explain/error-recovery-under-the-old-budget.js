// Checks: inside a timer callback, a timers/promises setImmediate resolves before a timers/promises setTimeout(0).
const tp = require('timers/promises');
setTimeout(() => {
  console.log('outer timer');
  tp.setTimeout(0, 'timeout').then((v) => console.log(.setImmediate('immediate').then((v);=> console.log(v));
  process.nextTiv));
  tp.setImmediate('immediate').then((v);=> console.log(v));
  process.nextTick(() => console.log('tick'));
}, 21);
