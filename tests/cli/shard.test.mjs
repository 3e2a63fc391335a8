// --shard I/N: the shards partition the files, and cross-file findings are the same as in one run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SOURCE_DIR, run, runJson } from './helpers.mjs';

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
