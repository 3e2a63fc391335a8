// --cache: a warm run gives exactly the cold run's output; edits, imported files' edits, configuration
// changes and a corrupt cache are all handled.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { run, runJson, tempDir } from './helpers.mjs';

const keys = (result) => result.findings.map((f) => `${f.file}:${f.line}:${f.rule}`);

function project(dir) {
  fs.mkdirSync(path.join(dir, 'src'));
  fs.writeFileSync(path.join(dir, 'src/store.js'), 'export async function save(x) { await Promise.reject(new Error("io")); }\nexport function describe() { return 1; }\n');
  fs.writeFileSync(path.join(dir, 'src/app.js'), "import { save, describe } from './store.js';\nexport function go() {\n  save(1);\n  describe();\n}\n");
  fs.writeFileSync(path.join(dir, 'src/other.js'), 'async function p() { await Promise.reject(new Error("io")); }\n// asynclint-disable-next-line floating-promise -- reason\np();\np();\n');
}

test('a warm run reports exactly what the cold run did, and writes the cache where asked', (t) => {
  const dir = tempDir(t);
  project(dir);
  const cold = run(['--cache', '-f', 'json', 'src'], { cwd: dir });
  assert.ok(fs.existsSync(path.join(dir, '.asynclint-cache/results')));
  const warm = run(['--cache', '-f', 'json', 'src'], { cwd: dir });
  assert.equal(warm.stdout, cold.stdout);
  assert.deepEqual(keys(runJson(['--cache', 'src'], { cwd: dir })), ['src/app.js:3:floating-promise', 'src/other.js:4:floating-promise']);
  run(['--cache', '--cache-location', 'elsewhere/c', 'src'], { cwd: dir });
  assert.ok(fs.existsSync(path.join(dir, 'elsewhere/c')));
});

test('an edited file is linted again; an edit in an imported file changes its importer\'s findings', (t) => {
  const dir = tempDir(t);
  project(dir);
  runJson(['--cache', 'src'], { cwd: dir });
  fs.writeFileSync(path.join(dir, 'src/other.js'), 'async function p() { await Promise.reject(new Error("io")); }\np();\np();\n');
  assert.deepEqual(keys(runJson(['--cache', 'src'], { cwd: dir })), [
    'src/app.js:3:floating-promise',
    'src/other.js:2:floating-promise',
    'src/other.js:3:floating-promise',
  ]);
  // app.js does not change; store.js makes describe async: app.js line 4 is now a floating promise too.
  fs.writeFileSync(path.join(dir, 'src/store.js'), 'export async function save(x) { await Promise.reject(new Error("io")); }\nexport async function describe() { await Promise.reject(new Error("io")); return 1; }\n');
  assert.deepEqual(keys(runJson(['--cache', 'src'], { cwd: dir })), [
    'src/app.js:3:floating-promise',
    'src/app.js:4:floating-promise',
    'src/other.js:2:floating-promise',
    'src/other.js:3:floating-promise',
  ]);
});

test('a configuration change is not answered from the cache', (t) => {
  const dir = tempDir(t);
  project(dir);
  runJson(['--cache', 'src'], { cwd: dir });
  fs.writeFileSync(path.join(dir, 'asynclint.json'), '{ "rules": { "floating-promise": "off" } }');
  assert.deepEqual(keys(runJson(['--cache', 'src'], { cwd: dir })), []);
});

test('an edited tsconfig alias is not answered from the cache, and a file linted alone follows aliases', (t) => {
  const dir = tempDir(t);
  fs.mkdirSync(path.join(dir, 'src/jobs'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'src/jobs/queue.ts'), 'export async function enqueue(x: number) { if (!x) throw new Error("no job"); }\n');
  fs.writeFileSync(path.join(dir, 'src/app.ts'), "import { enqueue } from '@jobs/queue';\nexport function go() {\n  enqueue(1);\n}\n");
  // Without the alias '@jobs/queue' is a package out of sight: nothing is reported.
  assert.deepEqual(keys(runJson(['--cache', 'src'], { cwd: dir })), []);
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), '{ "compilerOptions": { "paths": { "@jobs/*": ["./src/jobs/*"] } } }');
  assert.deepEqual(keys(runJson(['--cache', 'src'], { cwd: dir })), ['src/app.ts:3:floating-promise']);
  assert.deepEqual(keys(runJson(['src/app.ts'], { cwd: dir })), ['src/app.ts:3:floating-promise']);
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), '{ "compilerOptions": { "paths": { "@jobs/*": ["./src/elsewhere/*"] } } }');
  assert.deepEqual(keys(runJson(['--cache', 'src'], { cwd: dir })), []);
});

test('a corrupt cache is ignored and rewritten', (t) => {
  const dir = tempDir(t);
  project(dir);
  fs.mkdirSync(path.join(dir, '.asynclint-cache'));
  fs.writeFileSync(path.join(dir, '.asynclint-cache/results'), 'not a cache at all');
  const result = runJson(['--cache', 'src'], { cwd: dir });
  assert.equal(result.status, 1);
  assert.deepEqual(keys(result), ['src/app.js:3:floating-promise', 'src/other.js:4:floating-promise']);
  assert.deepEqual(keys(runJson(['--cache', 'src'], { cwd: dir })), keys(result));
});

test('a torn or damaged cache entry is linted afresh, never misread', (t) => {
  const dir = tempDir(t);
  project(dir);
  const cold = run(['--cache', '-f', 'json', 'src'], { cwd: dir });
  const file = path.join(dir, '.asynclint-cache/results');
  const good = fs.readFileSync(file);
  // Cut at many points, and with bytes flipped inside the entries: the output must stay the cold run's.
  const damaged = [];
  for (let cut = 1; cut < good.length; cut += Math.max(1, Math.floor(good.length / 23))) damaged.push(good.subarray(0, cut));
  for (let at = 40; at < good.length; at += Math.max(1, Math.floor(good.length / 17))) {
    const copy = Buffer.from(good);
    copy[at] ^= 0xff;
    damaged.push(copy);
  }
  for (const bytes of damaged) {
    fs.writeFileSync(file, bytes);
    const warm = run(['--cache', '-f', 'json', 'src'], { cwd: dir });
    assert.equal(warm.stdout, cold.stdout);
  }
});

test('files the warm run does not read still show their lines where the output needs them', (t) => {
  const dir = tempDir(t);
  project(dir);
  // Only an unused directive: its cached entry needs no text, but a code frame does.
  fs.writeFileSync(path.join(dir, 'src/quiet.js'), 'function f() {}\n// asynclint-disable-next-line floating-promise\nf();\n');
  for (const args of [['--code-frame'], ['-f', 'sarif'], ['-f', 'json'], ['--explain']]) {
    fs.rmSync(path.join(dir, '.asynclint-cache'), { recursive: true, force: true });
    const cold = run(['--cache', ...args, 'src'], { cwd: dir });
    const warm = run(['--cache', ...args, 'src'], { cwd: dir });
    assert.equal(warm.stdout, cold.stdout, args.join(' '));
    if (args[0] === '--code-frame') assert.match(warm.stdout, /asynclint-disable-next-line floating-promise/);
  }
});
