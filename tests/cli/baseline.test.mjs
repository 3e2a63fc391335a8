// The baseline (asynclint-suppressions.json): adopt, new bugs fail, fixed bugs prune, moved code still matches.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { run, runJson, tempDir } from './helpers.mjs';

const save = (calls, prefix = '') =>
  `async function save() { await Promise.reject(new Error("io")); }\nasync function load() { await Promise.reject(new Error("io")); }\n${prefix}export function a() {\n${'  save();\n'.repeat(calls)}}\n`;
const baselineOf = (dir) => JSON.parse(fs.readFileSync(path.join(dir, 'asynclint-suppressions.json'), 'utf8'));

test('--suppress-all records counts per file and rule, and those findings no longer fail the run', (t) => {
  const dir = tempDir(t);
  fs.mkdirSync(path.join(dir, 'src'));
  fs.writeFileSync(path.join(dir, 'src/a.js'), save(2));
  const adopt = runJson(['--suppress-all', '.'], { cwd: dir });
  assert.equal(adopt.status, 0);
  assert.deepEqual(adopt.findings, []);
  assert.deepEqual(baselineOf(dir), { 'src/a.js': { 'floating-promise': { count: 2 } } });
  const again = runJson(['.'], { cwd: dir });
  assert.equal(again.status, 0);
  assert.deepEqual(again.findings, []);
});

test('a new bug beyond the accepted count fails the run, reporting that rule\'s findings in that file', (t) => {
  const dir = tempDir(t);
  fs.writeFileSync(path.join(dir, 'a.js'), save(2));
  runJson(['--suppress-all', '.'], { cwd: dir });
  fs.writeFileSync(path.join(dir, 'a.js'), save(3));
  const result = runJson(['.'], { cwd: dir });
  assert.equal(result.status, 1);
  assert.deepEqual(result.findings.map((f) => `${f.rule}@${f.line}`), ['floating-promise@4', 'floating-promise@5', 'floating-promise@6']);
});

test('moving code around (lines shift) still matches the baseline', (t) => {
  const dir = tempDir(t);
  fs.writeFileSync(path.join(dir, 'a.js'), save(2));
  runJson(['--suppress-all', '.'], { cwd: dir });
  fs.writeFileSync(path.join(dir, 'a.js'), save(2, '// a comment\n// and another\n\n'));
  const result = runJson(['.'], { cwd: dir });
  assert.equal(result.status, 0);
  assert.deepEqual(result.findings, []);
});

test('fixing a bug leaves a stale entry, reported on stderr; --prune-suppressions lowers it', (t) => {
  const dir = tempDir(t);
  fs.writeFileSync(path.join(dir, 'a.js'), save(2));
  fs.writeFileSync(path.join(dir, 'b.js'), save(1));
  runJson(['--suppress-all', '.'], { cwd: dir });
  fs.writeFileSync(path.join(dir, 'a.js'), save(1));
  fs.rmSync(path.join(dir, 'b.js'));
  const stale = run(['.'], { cwd: dir });
  assert.equal(stale.status, 0);
  assert.match(stale.stderr, /a\.js: floating-promise \(2 accepted, 1 found\)/);
  const pruned = run(['--prune-suppressions', '.'], { cwd: dir });
  assert.equal(pruned.status, 0);
  assert.equal(pruned.stderr, '');
  // a.js lowered to what is found; b.js, deleted, dropped.
  assert.deepEqual(baselineOf(dir), { 'a.js': { 'floating-promise': { count: 1 } } });
});

test('--suppress-rule accepts one rule only; other rules still fail', (t) => {
  const dir = tempDir(t);
  fs.writeFileSync(path.join(dir, 'a.js'), `${save(1)}export async function f(xs) {\n  xs.forEach(async (x) => { await x; });\n}\n`);
  const result = runJson(['--suppress-rule', 'floating-promise', '.'], { cwd: dir });
  assert.equal(result.status, 1);
  assert.deepEqual(result.findings.map((f) => f.rule), ['async-foreach']);
  assert.deepEqual(baselineOf(dir), { 'a.js': { 'floating-promise': { count: 1 } } });
});

test('--suppressions-location, an unknown --suppress-rule, and a malformed suppressions file', (t) => {
  const dir = tempDir(t);
  fs.writeFileSync(path.join(dir, 'a.js'), save(1));
  fs.mkdirSync(path.join(dir, 'ci'));
  assert.equal(run(['--suppress-all', '--suppressions-location', 'ci/accepted.json', 'a.js'], { cwd: dir }).status, 0);
  assert.deepEqual(JSON.parse(fs.readFileSync(path.join(dir, 'ci/accepted.json'), 'utf8')), {
    '../a.js': { 'floating-promise': { count: 1 } },
  });
  const unknown = run(['--suppress-rule', 'nope', 'a.js'], { cwd: dir });
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /unknown rule 'nope'/);
  fs.writeFileSync(path.join(dir, 'asynclint-suppressions.json'), '{ "a.js": 3 }');
  const malformed = run(['a.js'], { cwd: dir });
  assert.equal(malformed.status, 2);
  assert.match(malformed.stderr, /asynclint-suppressions\.json/);
});

test('run from a subfolder, the project\'s baseline above it still applies (up to the repository root)', (t) => {
  const dir = tempDir(t);
  fs.mkdirSync(path.join(dir, '.git'));
  fs.mkdirSync(path.join(dir, 'src'));
  fs.writeFileSync(path.join(dir, 'src/a.js'), save(2));
  assert.equal(runJson(['--suppress-all', '.'], { cwd: dir }).status, 0);
  const inside = runJson(['.'], { cwd: path.join(dir, 'src') });
  assert.equal(inside.status, 0, 'the accepted findings stay accepted from src/');
  assert.deepEqual(inside.findings, []);
  fs.writeFileSync(path.join(dir, 'src/a.js'), save(3));
  const more = runJson(['.'], { cwd: path.join(dir, 'src') });
  assert.equal(more.status, 1, 'one more than accepted fails, from src/ too');
  // A baseline above the repository's root belongs to another project: not used.
  const nested = path.join(dir, 'vendor-repo');
  fs.mkdirSync(path.join(nested, '.git'), { recursive: true });
  fs.writeFileSync(path.join(nested, 'b.js'), save(1));
  assert.equal(runJson(['.'], { cwd: nested }).status, 1);
  // --suppressions-location names the file: no search.
  assert.equal(runJson(['--suppressions-location', 'none.json', '.'], { cwd: path.join(dir, 'src') }).status, 1);
});
