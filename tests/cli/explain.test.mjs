// `asynclint explain FILE`: the event-loop model's prediction, compared with what node really prints, the
// trace's queues, the JSON form, exit code 3 for what the model does not cover, and --explain on findings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { run, tempDir, writeFiles } from './helpers.mjs';

// Timer delays that leave no race: a setTimeout(0) against a setImmediate from the main script or from an
// immediate is run in either order by Node (the 'race' test below), and node is the judge here.
const PUZZLE = `console.log('script start');
setTimeout(() => console.log('timeout'), 20);
setImmediate(() => {
  setTimeout(() => console.log('timeout from immediate'), 40);
  setImmediate(() => console.log('immediate from immediate'));
});
Promise.resolve().then(() => console.log('promise 1')).then(() => console.log('promise 2'));
process.nextTick(() => console.log('nextTick'));
(async () => {
  console.log('async start');
  await null;
  console.log('async after await');
})();
console.log('script end');
`;

function node(file) {
  const result = spawnSync(process.execPath, [file], { encoding: 'utf8' });
  return result.stdout;
}

test('--print-output is byte for byte what node prints', (t) => {
  const dir = tempDir(t);
  writeFiles(dir, { 'puzzle.js': PUZZLE });
  const file = path.join(dir, 'puzzle.js');
  const result = run(['explain', '--print-output', file]);
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stdout, node(file));
});

test('the text trace gives every step its line and the state of each queue', (t) => {
  const dir = tempDir(t);
  writeFiles(dir, { 'puzzle.js': PUZZLE });
  const result = run(['explain', 'puzzle.js'], { cwd: dir });
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /^Predicted output of `node puzzle\.js`:\n {2}script start\n/);
  assert.match(result.stdout, /Execution order \(\d+ steps\):/);
  // After the main script: the nextTick callback (line 8) waits in its queue, the first then callback and
  // the async function's continuation in the microtask queue, the timer in the timer list, the immediate
  // in the check queue.
  const blocks = result.stdout.split(/\n(?= {2}\d+\. )/);
  const main = blocks.find((block) => /^ {2}1\. run main script/.test(block));
  assert.ok(main, result.stdout);
  assert.match(main, /nextTick queue: nextTick callback \(line 8\)/);
  assert.match(main, /microtask queue: then callback \(line 7\) \| resume anonymous after await \(line 11\)/);
  assert.match(main, /timers: timer 20ms \(line 2\) due at 20ms/);
  assert.match(main, /immediates: immediate \(line 3\)/);
  // Then the nextTick callback runs before any promise job.
  assert.match(blocks[2], /^ {2}2\. nextTick: nextTick callback \(line 8\) {2}\[line 8\]/);
});

test('--format json gives the output and the steps as data', (t) => {
  const dir = tempDir(t);
  writeFiles(dir, { 'puzzle.js': PUZZLE });
  const result = run(['explain', '-f', 'json', 'puzzle.js'], { cwd: dir });
  assert.equal(result.status, 0, result.stderr);
  const trace = JSON.parse(result.stdout);
  assert.equal(trace.simulated, true);
  assert.equal(trace.output, node(path.join(dir, 'puzzle.js')));
  assert.equal(trace.steps[0].what, 'run main script');
  for (const s of trace.steps) {
    assert.deepEqual(Object.keys(s).sort(), ['callStack', 'immediates', 'line', 'microtasks', 'nextTicks', 'pendingIo', 'timers', 'what']);
  }
  const lines = trace.steps.map((s) => s.line);
  assert.deepEqual(lines.slice(0, 4), [1, 8, 7, 11]);
});

test('exit code 3 and a message naming the construct and its line for what the model does not cover', (t) => {
  const dir = tempDir(t);
  writeFiles(dir, { 'dates.js': "console.log('before');\nconsole.log(new Date().getFullYear());\n" });
  const result = run(['explain', '--print-output', 'dates.js'], { cwd: dir });
  assert.equal(result.status, 3);
  assert.equal(result.stdout, 'before\n');
  assert.match(result.stderr, /dates\.js: not modelled: line 2: `Date` is not modelled/);
});

test('a program that never stops is stopped with a clear message', (t) => {
  const dir = tempDir(t);
  writeFiles(dir, { 'forever.js': 'function again() { queueMicrotask(again); }\nagain();\n' });
  const result = run(['explain', 'forever.js'], { cwd: dir, timeout: 30_000 });
  assert.equal(result.status, 3);
  assert.match(result.stderr, /stopped after 2,000,000 steps: the program does not terminate/);
});

test('--explain prints each finding\'s execution order under it', (t) => {
  const dir = tempDir(t);
  writeFiles(dir, {
    'jobs.js': 'async function send() { await Promise.reject(new Error("io")); }\nfunction notify(users) {\n  users.forEach(async (u) => {\n    await send(u);\n  });\n  console.log("done");\n}\n',
  });
  const plain = run(['jobs.js', '--no-color'], { cwd: dir });
  assert.doesNotMatch(plain.stdout, /how it runs/);
  const result = run(['jobs.js', '--explain', '--no-color'], { cwd: dir });
  assert.equal(result.status, 1);
  assert.match(result.stdout, /how it runs \(simulated by the event-loop model\):/);
  // forEach returns and line 6 runs at 0 ms, before any callback resumes at 100 ms
  const order = [...result.stdout.matchAll(/\d+\. \[(\d+) ms\] line (\d+): (.*)/g)].map((m) => `${m[1]}:${m[2]}`);
  assert.ok(order.indexOf('0:6') > 0 && order.indexOf('0:6') < order.indexOf('100:4'), order.join(' '));
  const verbose = run(['jobs.js', '-v', '--no-color'], { cwd: dir });
  assert.match(verbose.stdout, /how it runs/);
  assert.match(verbose.stdout, /\^/);  // the code frame's caret
});

// One timeline per program: the fix (a signal with a timeout) is a second, headed block on a clock of its own,
// never a step in the run of the code as written.
test('--explain shows the code as written, then the fixed code as a separate run', (t) => {
  const dir = tempDir(t);
  writeFiles(dir, { 'load.js': 'const fs = require("fs");\nasync function load(url) {\n  const res = await fetch(url);\n  return res.json();\n}\nmodule.exports = { load };\n' });
  const result = run(['load.js', '--explain', '--no-color'], { cwd: dir });
  assert.equal(result.status, 0, result.stderr);  // a warning
  const [, asWritten, fixed] = result.stdout.split(/how it runs \(simulated by the event-loop model\):|with the suggested fix \(the fixed code, simulated separately\):/);
  assert.ok(asWritten && fixed, result.stdout);
  assert.doesNotMatch(asWritten, /AbortSignal|signal aborts/);
  assert.match(asWritten, /2\. \[300000 ms\] line 3: .*fetch failed/);
  assert.match(fixed, /1\. \[0 ms\] line 3: .*AbortSignal\.timeout\(10000\)/);
  assert.match(fixed, /2\. \[10000 ms\] line 3: .*TimeoutError/);
  const [finding] = JSON.parse(run(['load.js', '-f', 'json'], { cwd: dir }).stdout);
  assert.deepEqual(finding.explanation.map((step) => step.timeMs), [0, 300000]);
  assert.deepEqual(finding.fixedExplanation.map((step) => step.timeMs), [0, 10000]);
});

// The file's code looks like a browser's (document), but the project says it runs in Node: the message and the
// explanation follow the configuration.
test('"runtime" in asynclint.json decides what an unhandled rejection does, over the file\'s evidence', (t) => {
  const dir = tempDir(t);
  const code = 'async function save() { await Promise.reject(new Error("io")); }\nfunction render() {\n  save();\n  document.title = "x";\n}\n';
  writeFiles(dir, { 'view.js': code });
  const auto = JSON.parse(run(['view.js', '-f', 'json'], { cwd: dir }).stdout);
  assert.match(auto[0].message, /the browser only logs it/);
  assert.match(auto[0].explanation.at(-1).message, /the browser logs an unhandled rejection/);
  writeFiles(dir, { 'asynclint.json': '{ "runtime": "node" }' });
  const node = JSON.parse(run(['view.js', '-f', 'json'], { cwd: dir }).stdout);
  assert.match(node[0].message, /Node ends the process/);
  assert.match(node[0].explanation.at(-1).message, /ends the process with exit code 1/);
  writeFiles(dir, { 'asynclint.json': '{ "runtime": "electron" }' });
  const wrong = run(['view.js'], { cwd: dir });
  assert.equal(wrong.status, 2);
  assert.match(wrong.stderr, /"runtime" must be "auto", "node" or "browser"/);
});

test('a top-level setTimeout(0) against setImmediate is called a race, not shown as a fact', (t) => {
  const dir = tempDir(t);
  const racing = path.join(dir, 'race.js');
  fs.writeFileSync(racing, 'setTimeout(() => console.log("timeout"), 0);\nsetImmediate(() => console.log("immediate"));\n');
  const text = run(['explain', racing]);
  assert.equal(text.status, 0);
  assert.match(text.stderr, /race: the setTimeout\(…, 0\) of line 1 and the setImmediate of line 2 .* either order/);
  const json = JSON.parse(run(['explain', '--format', 'json', racing]).stdout);
  assert.equal(json.races.length, 1);
  // The same pair scheduled by an immediate races too.
  const nested = path.join(dir, 'nested.js');
  fs.writeFileSync(nested, 'setImmediate(() => {\n  setTimeout(() => console.log("timeout"), 0);\n  setImmediate(() => console.log("immediate"));\n});\n');
  assert.match(run(['explain', nested]).stderr, /race: the setTimeout\(…, 0\) of line 2 and the setImmediate of line 3 .* check phase/);
  // Scheduled from an I/O callback, the check phase always comes first: no race.
  const ordered = path.join(dir, 'ordered.js');
  fs.writeFileSync(ordered, 'require("fs").readFile(__filename, () => {\n  setTimeout(() => console.log("timeout"), 0);\n  setImmediate(() => console.log("immediate"));\n});\n');
  const calm = run(['explain', '--print-output', ordered]);
  assert.equal(calm.stdout, 'immediate\ntimeout\n');
  assert.doesNotMatch(calm.stderr, /race/);
  assert.equal(JSON.parse(run(['explain', '--format', 'json', ordered]).stdout).races, undefined);
});
