// Inline suppression comments (asynclint-… and eslint-… spellings) and unused-suppression reports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describe, run, runJson, tempDir, writeFiles } from './helpers.mjs';

const lintOne = (t, source, { name = 'a.ts', config, args = [] } = {}) => {
  const dir = tempDir(t);
  writeFiles(dir, { [name]: source, ...(config ? { 'asynclint.json': config } : {}) });
  return runJson([name, ...args], { cwd: dir });
};

const lines = (findings) => findings.map((f) => `${f.line}:${f.column} ${f.rule} ${f.severity}`);

test('asynclint-disable-next-line with a reason suppresses the next line only', (t) => {
  const result = lintOne(t, [
    'async function p() { await Promise.reject(new Error("io")); }',
    '// asynclint-disable-next-line floating-promise -- fire and forget on purpose',
    'p();',
    'p();',
    '',
  ].join('\n'));
  assert.equal(result.status, 1, result.stdout);
  assert.deepEqual(lines(result.findings), ['4:1 floating-promise error']);
});

test('asynclint-disable-next-line with two rules, and one rule of another kind left alone', (t) => {
  const result = lintOne(t, [
    'async function p() { await Promise.reject(new Error("io")); }',
    '// asynclint-disable-next-line floating-promise, missing-catch',
    'p(); p().then(() => {});',
    '// asynclint-disable-next-line missing-catch',
    'p();',
    '',
  ].join('\n'));
  // Line 5's floating-promise is not missing-catch's; and that missing-catch suppression was unused.
  assert.deepEqual(lines(result.findings), ['4:1 unused-suppression warn', '5:1 floating-promise error']);
});

test('asynclint-disable-line suppresses its own line', (t) => {
  const result = lintOne(t, [
    'async function p() { await Promise.reject(new Error("io")); }',
    'p(); // asynclint-disable-line floating-promise',
    'p(); /* asynclint-disable-line floating-promise */ p();',
    'p();',
    '',
  ].join('\n'));
  assert.deepEqual(lines(result.findings), ['4:1 floating-promise error']);
});

test('/* asynclint-disable RULE */ … /* asynclint-enable RULE */ suppresses a block', (t) => {
  const result = lintOne(t, [
    'async function p() { await Promise.reject(new Error("io")); }',
    'p();',
    '/* asynclint-disable floating-promise */',
    'p();',
    'p().then(() => {});',
    'p();',
    '/* asynclint-enable floating-promise */',
    'p();',
    '',
  ].join('\n'));
  assert.deepEqual(lines(result.findings), ['2:1 floating-promise error', '5:1 missing-catch error', '8:1 floating-promise error']);
});

test('/* asynclint-disable */ without rules covers every rule until the end of the file', (t) => {
  const result = lintOne(t, [
    'async function p() { await Promise.reject(new Error("io")); }',
    'p();',
    '/* asynclint-disable */',
    'p();',
    'p().then(() => {});',
    '[1].forEach(async () => { await p(); });',
    '',
  ].join('\n'));
  assert.deepEqual(lines(result.findings), ['2:1 floating-promise error']);
});

test('// asynclint-disable-file, with and without a rule', (t) => {
  const all = lintOne(t, ['async function p() { await Promise.reject(new Error("io")); }', 'p();', '// asynclint-disable-file', 'p().then(() => {});', 'p();', ''].join('\n'));
  assert.equal(all.status, 0, all.stdout);
  assert.deepEqual(all.findings, []);
  const one = lintOne(t, ['async function p() { await Promise.reject(new Error("io")); }', 'p();', '// asynclint-disable-file floating-promise', 'p().then(() => {});', 'p();', ''].join('\n'));
  assert.equal(one.status, 1);
  assert.deepEqual(lines(one.findings), ['4:1 missing-catch error']);
});

test('eslint-disable comments count when they name our rules (bare or as asynclint/RULE)', (t) => {
  const result = lintOne(t, [
    'async function p() { await Promise.reject(new Error("io")); }',
    '// eslint-disable-next-line floating-promise',
    'p();',
    '// eslint-disable-next-line asynclint/floating-promise',
    'p();',
    'p(); // eslint-disable-line asynclint/floating-promise',
    '// eslint-disable-next-line no-console, asynclint/floating-promise',
    'p();',
    '/* eslint-disable asynclint/missing-catch */',
    'p().then(() => {});',
    '/* eslint-enable asynclint/missing-catch */',
    'p().then(() => {});',
    '',
  ].join('\n'));
  assert.deepEqual(lines(result.findings), ['12:1 missing-catch error']);
});

test('an eslint-disable naming only ESLint rules is ignored: the finding stays, nothing is reported about it', (t) => {
  const result = lintOne(t, [
    'async function p() { await Promise.reject(new Error("io")); }',
    '// eslint-disable-next-line no-console',
    'p();',
    '// eslint-disable-next-line @typescript-eslint/no-floating-promises -- not our rule id',
    'p();',
    '/* eslint-disable no-undef */',
    'p();',
    '// eslint-disable-next-line',
    'const unrelated = 1;',
    '',
  ].join('\n'));
  assert.deepEqual(lines(result.findings), ['3:1 floating-promise error', '5:1 floating-promise error', '7:1 floating-promise error']);
});

test('an unused suppression is reported as unused-suppression (a warning)', (t) => {
  const source = [
    'async function p() { await Promise.reject(new Error("io")); }',
    '// asynclint-disable-next-line floating-promise',
    'const x = 1;',
    'await p(); // asynclint-disable-line missing-catch',
    '/* asynclint-disable async-foreach */',
    '/* asynclint-enable async-foreach */',
    '',
  ].join('\n');
  const result = lintOne(t, source);
  assert.equal(result.status, 0, 'warnings only');
  assert.deepEqual(lines(result.findings), ['2:1 unused-suppression warn', '4:12 unused-suppression warn', '5:1 unused-suppression warn']);
  const [first] = result.findings;
  assert.match(first.message, /floating-promise/);
  // The finding spans the comment.
  assert.deepEqual([first.endLine, first.endColumn], [2, '// asynclint-disable-next-line floating-promise'.length + 1]);
  // --max-warnings sees them.
  const strict = lintOne(t, source, { args: ['--max-warnings', '0'] });
  assert.equal(strict.status, 1);
});

test('"reportUnusedSuppressions": "off" silences them, "error" makes them errors', (t) => {
  const source = ['async function p() { await Promise.reject(new Error("io")); }', '// asynclint-disable-next-line floating-promise', 'const x = 1;', 'p();', ''].join('\n');
  const off = lintOne(t, source, { config: '{ "reportUnusedSuppressions": "off" }' });
  assert.deepEqual(lines(off.findings), ['4:1 floating-promise error']);
  const error = lintOne(t, source, { config: '{ "reportUnusedSuppressions": "error", "rules": { "floating-promise": "warn" } }' });
  assert.equal(error.status, 1);
  assert.deepEqual(lines(error.findings), ['2:1 unused-suppression error', '4:1 floating-promise warn']);
});

test('unused-suppression is a rule id: its documentation, --rule, and "rules" in asynclint.json', (t) => {
  const docs = run(['rule', 'unused-suppression']);
  assert.equal(docs.status, 0, describe(docs));
  assert.match(docs.stdout, /^# unused-suppression\n/);
  assert.match(docs.stdout, /^## Bad/m);
  assert.match(run(['--rules']).stdout, /^unused-suppression +warn /m);
  const source = ['async function p() { await Promise.reject(new Error("io")); }', '// asynclint-disable-next-line floating-promise', 'const x = 1;', 'p();', ''].join('\n');
  assert.deepEqual(lines(lintOne(t, source, { args: ['--rule', 'unused-suppression=off'] }).findings), ['4:1 floating-promise error']);
  const asError = lintOne(t, source, { args: ['--rule', 'unused-suppression=error', '--rule', 'floating-promise=warn'] });
  assert.equal(asError.status, 1);
  assert.deepEqual(lines(asError.findings), ['2:1 unused-suppression error', '4:1 floating-promise warn']);
  assert.deepEqual(lines(lintOne(t, source, { config: '{ "rules": { "unused-suppression": "off" } }' }).findings), ['4:1 floating-promise error']);
  assert.deepEqual(lines(lintOne(t, source, { config: '{ "rules": { "unused-suppression": "error" } }' }).findings),
    ['2:1 unused-suppression error', '4:1 floating-promise error']);
  // The "rules" entry wins over the older reportUnusedSuppressions key.
  assert.deepEqual(lines(lintOne(t, source, { config: '{ "reportUnusedSuppressions": "error", "rules": { "unused-suppression": "off" } }' }).findings),
    ['4:1 floating-promise error']);
});

test('a suppression of a rule that is turned off is not reported as unused (turning a rule off must not flood warnings)', (t) => {
  const source = ['async function p() { await Promise.reject(new Error("io")); }', '// asynclint-disable-next-line floating-promise', 'p();', '// asynclint-disable-next-line', 'p();', ''].join('\n');
  const result = lintOne(t, source, { args: ['--rule', 'floating-promise=off'] });
  // The comment naming the rule is left alone; the one covering every rule still suppresses nothing.
  assert.deepEqual(lines(result.findings), ['4:1 unused-suppression warn']);
});

test('an unknown rule name in an asynclint-disable comment is reported', (t) => {
  const result = lintOne(t, [
    'async function p() { await Promise.reject(new Error("io")); }',
    '// asynclint-disable-next-line floating-promis',
    'p();',
    '// asynclint-disable-next-line floating-promise, no-such-rule',
    'p();',
    '',
  ].join('\n'));
  assert.deepEqual(lines(result.findings), ['2:1 unused-suppression warn', '3:1 floating-promise error', '4:1 unused-suppression warn']);
  assert.match(result.findings[0].message, /'floating-promis' is not an asynclint rule/);
  assert.match(result.findings[2].message, /'no-such-rule' is not an asynclint rule/);
});

test('suppressions in stylish output: the unused-suppression line and the summary', (t) => {
  const dir = tempDir(t);
  writeFiles(dir, { 'a.js': ['async function p() { await Promise.reject(new Error("io")); }', '// asynclint-disable-next-line missing-catch', 'p();', ''].join('\n') });
  const result = run(['a.js'], { cwd: dir });
  assert.equal(result.status, 1, describe(result));
  assert.match(result.stdout, /^ +2:1 {2}warning {2}.*missing-catch.* {2}unused-suppression$/m);
  assert.match(result.stdout, /^ +3:1 {2}error {4}.* {2}floating-promise$/m);
  assert.match(result.stdout, /^✖ 2 problems \(1 error, 1 warning\)$/m);
});

test('block-comment and multi-line forms of disable-next-line; the reason after -- is not read as rules', (t) => {
  const result = lintOne(t, [
    'async function p() { await Promise.reject(new Error("io")); }',
    '/* asynclint-disable-next-line floating-promise */',
    'p();',
    '/*',
    ' * asynclint-disable-next-line floating-promise',
    ' */',
    'p();',
    '// asynclint-disable-next-line floating-promise -- see missing-catch, async-foreach too',
    'p();',
    '/* eslint-disable */',
    'p();',
    '',
  ].join('\n'));
  // Only the bare eslint-disable (ESLint's business) leaves its finding; no unused-suppression anywhere.
  assert.deepEqual(lines(result.findings), ['11:1 floating-promise error']);
});
