// --shard I/N: the shards partition the files, and cross-file findings are the same as in one run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FLOATING, SOURCE_DIR, describe, run, runJson, tempDir, writeFiles } from './helpers.mjs';

test('shards 1/3, 2/3 and 3/3 partition the findings of a whole run exactly', () => {
  const key = (f) => `${f.file}:${f.line}:${f.column}:${f.rule}`;
  const whole = runJson(['fixtures'], { cwd: SOURCE_DIR }).findings.map(key).sort();
  const parts = [1, 2, 3].map((i) => runJson([`--shard`, `${i}/3`, 'fixtures'], { cwd: SOURCE_DIR }).findings.map(key));
  for (const part of parts) assert.ok(part.length > 0, 'every shard got work');
  assert.deepEqual(parts.flat().sort(), whole);  // includes the cross-file findings of fixtures/*/cross-file
});

test('a bad --shard is a usage error', () => {
  for (const spec of ['0/3', '4/3', '1/0', 'a/b', '1-3', '1/3/4']) {
    const result = run(['--shard', spec, 'fixtures'], { cwd: SOURCE_DIR });
    assert.equal(result.status, 2, spec);
    assert.match(result.stderr, /--shard/);
  }
});

// GitHub's upload-sarif applies its `category` input only when the file has no automationDetails, and an
// upload replaces the alerts of an earlier one with the same category: shards sharing one lose alerts.
test('SARIF: no category by default, --sarif-category sets one, each shard gets its own', (t) => {
  const dir = tempDir(t);
  writeFiles(dir, { 'a.js': FLOATING, 'b.js': FLOATING, 'c.js': FLOATING });
  const sarifOf = (args) => {
    const result = run(['--format', 'sarif', ...args, '.'], { cwd: dir });
    assert.ok(result.status === 0 || result.status === 1, describe(result));
    return JSON.parse(result.stdout).runs[0];
  };
  assert.equal(sarifOf([]).automationDetails, undefined);
  assert.deepEqual(sarifOf(['--sarif-category', 'asynclint-frontend']).automationDetails, { id: 'asynclint-frontend/' });
  const shards = [1, 2].map((i) => sarifOf(['--shard', `${i}/2`]).automationDetails?.id);
  assert.deepEqual(shards, ['asynclint/shard-1-of-2/', 'asynclint/shard-2-of-2/']);
  assert.deepEqual(sarifOf(['--shard', '1/2', '--sarif-category', 'mine/']).automationDetails, { id: 'mine/' });
});
