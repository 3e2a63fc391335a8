// A CI gate must not pass by mistake: a path that does not exist, or a run that lints nothing, exits 2;
// files named on the command line (as pre-commit names them) still honour the user's ignore rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { FLOATING, brief, describe, run, runJson, tempDir, writeFiles } from './helpers.mjs';

test('a path that does not exist exits 2 and names it; --no-error-on-unmatched-pattern lints the rest', (t) => {
  const dir = tempDir(t);
  writeFiles(dir, { 'src/a.js': 'export const a = 1;\n' });
  const missing = run(['src', 'srcc/'], { cwd: dir });
  assert.equal(missing.status, 2, describe(missing));
  assert.match(missing.stderr, /srcc\//);
  assert.match(missing.stderr, /does not exist/);
  const tolerated = run(['src', 'srcc/', '--no-error-on-unmatched-pattern'], { cwd: dir });
  assert.equal(tolerated.status, 0, describe(tolerated));
  assert.match(tolerated.stderr, /srcc\/: no such file or directory/);
});

test('a missing path is an error even when the other paths have findings', (t) => {
  const dir = tempDir(t);
  writeFiles(dir, { 'a.js': FLOATING });
  const result = run(['a.js', 'b.js'], { cwd: dir });
  assert.equal(result.status, 2, describe(result));
  assert.match(result.stderr, / b\.js/);
});

test('nothing to lint (an empty folder, or only files without a lintable extension) exits 2', (t) => {
  const dir = tempDir(t);
  writeFiles(dir, { 'empty/.keep': '', 'docs/readme.md': '# x\n' });
  for (const args of [['empty'], ['docs'], []]) {
    const result = run(args, { cwd: path.join(dir, args.length ? '' : 'empty') });
    assert.equal(result.status, 2, `${args}: ${describe(result)}`);
    assert.match(result.stderr, /no files to lint/);
    assert.equal(run([...args, '--no-error-on-unmatched-pattern'], { cwd: path.join(dir, args.length ? '' : 'empty') }).status, 0);
  }
});

test('a folder whose files are all ignored exits 2', (t) => {
  const dir = tempDir(t);
  writeFiles(dir, { 'asynclint.json': '{ "ignorePatterns": ["gen/"] }', 'gen/a.js': FLOATING });
  const result = run(['gen'], { cwd: dir });
  assert.equal(result.status, 2, describe(result));
});

// The newcomer's pre-commit case: ignorePatterns, --ignore-pattern and .d.ts files named one by one.
test('files named on the command line honour ignorePatterns, --ignore-pattern and the .d.ts rule, with a warning', (t) => {
  const dir = tempDir(t);
  writeFiles(dir, {
    'asynclint.json': '{ "ignorePatterns": ["**/*.generated.ts", "vendor/"] }',
    'src/api.generated.ts': FLOATING,
    'vendor/lib.js': FLOATING,
    'src/types.d.ts': FLOATING,
    'src/skip.spec.ts': FLOATING,
    'src/real.ts': FLOATING,
  });
  const named = ['src/api.generated.ts', 'vendor/lib.js', 'src/types.d.ts', 'src/skip.spec.ts', 'src/real.ts'];
  const result = runJson([...named, '--ignore-pattern', '*.spec.ts'], { cwd: dir });
  assert.equal(result.status, 1, describe(result));
  assert.deepEqual(brief(result.findings), ['src/real.ts:2:1 floating-promise']);
  for (const file of named.slice(0, 4)) assert.match(result.stderr, new RegExp(`warning: ${file.replace(/\./g, '\\.')}: file ignored`));
  assert.match(result.stderr, /types\.d\.ts: file ignored: a declaration file/);
  assert.match(result.stderr, /skip\.spec\.ts: file ignored because of a matching --ignore-pattern/);
  assert.match(result.stderr, /api\.generated\.ts: file ignored because of a matching ignore pattern \(ignorePatterns in .*asynclint\.json\)/);
  assert.doesNotMatch(result.stderr, /real\.ts/);

  // Only excluded files (a pre-commit run touching generated code only): nothing to lint, and that is fine.
  const onlyIgnored = run([...named.slice(0, 4), '--ignore-pattern', '*.spec.ts'], { cwd: dir });
  assert.equal(onlyIgnored.status, 0, describe(onlyIgnored));
  assert.equal(onlyIgnored.stdout, '');

  const quiet = run([...named.slice(0, 4), '--ignore-pattern', '*.spec.ts', '--no-warn-ignored'], { cwd: dir });
  assert.equal(quiet.status, 0, describe(quiet));
  assert.equal(quiet.stderr, '');

  // --no-ignore lints what ignorePatterns and the .d.ts rule excluded; --ignore-pattern still holds.
  const all = runJson([...named, '--ignore-pattern', '*.spec.ts', '--no-ignore'], { cwd: dir });
  assert.deepEqual(brief(all.findings).sort(), [
    'src/api.generated.ts:2:1 floating-promise',
    'src/real.ts:2:1 floating-promise',
    'src/types.d.ts:2:1 floating-promise',
    'vendor/lib.js:2:1 floating-promise',
  ]);
});

test('an explicitly named file is matched by --ignore-pattern however its path is spelled', (t) => {
  const dir = tempDir(t);
  writeFiles(dir, { 'src/gen/a.ts': FLOATING });
  for (const spelling of ['src/gen/a.ts', './src/gen/a.ts', 'src//gen/../gen/a.ts', path.join(dir, 'src/gen/a.ts')]) {
    const result = run([spelling, '--ignore-pattern', 'src/gen/'], { cwd: dir });
    assert.equal(result.status, 0, `${spelling}: ${describe(result)}`);
    assert.match(result.stderr, /ignored/);
  }
  fs.mkdirSync(path.join(dir, 'elsewhere'));
  assert.equal(run(['../src/gen/a.ts', '--ignore-pattern', 'src/gen/'], { cwd: path.join(dir, 'elsewhere') }).status, 1);
});
