// Bad and unusual input: every case must end with the expected exit code, a clear notice where a file is
// skipped, and the other files' findings still reported.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { BIN, FLOATING, TIME_FACTOR, brief, describe, run, runJson, tempDir, withoutSanitizerNotice, writeFiles } from './helpers.mjs';

const GOOD = { 'good.js': FLOATING };
const GOOD_FINDING = 'good.js:2:1 floating-promise';

test('an empty file: no findings, no notice', (t) => {
  const dir = tempDir(t);
  writeFiles(dir, { ...GOOD, 'empty.js': '', 'blank.ts': '\n\n  \n' });
  const result = runJson(['.'], { cwd: dir });
  assert.equal(result.status, 1, describe(result));
  assert.equal(result.stderr, '');
  assert.deepEqual(brief(result.findings), [GOOD_FINDING]);
  const alone = run(['empty.js', 'blank.ts'], { cwd: dir });
  assert.equal(alone.status, 0, describe(alone));
  assert.equal(alone.stdout, '');
  assert.equal(alone.stderr, '');
});

test('a UTF-8 byte-order mark does not shift columns', (t) => {
  const dir = tempDir(t);
  writeFiles(dir, {
    ...GOOD,
    'bom.ts': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('async function p() { await Promise.reject(new Error("io")); } p();\n  p();\n')]),
  });
  const result = runJson(['.'], { cwd: dir });
  assert.equal(result.status, 1, describe(result));
  assert.equal(result.stderr, '');
  assert.deepEqual(brief(result.findings), ['bom.ts:1:63 floating-promise', 'bom.ts:2:3 floating-promise', GOOD_FINDING]);
  const first = result.findings[0];
  assert.deepEqual([first.endLine, first.endColumn], [1, 67]);
  // The code frame does not show the mark either.
  const frame = run(['bom.ts', '--code-frame'], { cwd: dir });
  assert.match(frame.stdout, /> 1 \| async function p\(\) \{ await Promise\.reject\(new Error\("io"\)\); \} p\(\);\n/);
  assert.doesNotMatch(frame.stdout, /\uFEFF/);
});

test('CRLF, lone CR and mixed line ends: line numbers are right', (t) => {
  const dir = tempDir(t);
  writeFiles(dir, {
    ...GOOD,
    'crlf.js': 'async function p() { await Promise.reject(new Error("io")); }\r\n\r\np();\r\n  p();\r\n',
    'cr.js': 'async function p() { await Promise.reject(new Error("io")); }\r\rp();\r  p();\r',
    'mixed.js': 'async function p() { await Promise.reject(new Error("io")); }\r\np();\rp();\n  p();\r\n\r\n/* a\r\ncomment */ p();\n',
  });
  const result = runJson(['.'], { cwd: dir });
  assert.equal(result.status, 1, describe(result));
  assert.deepEqual(brief(result.findings), [
    'cr.js:3:1 floating-promise',
    'cr.js:4:3 floating-promise',
    'crlf.js:3:1 floating-promise',
    'crlf.js:4:3 floating-promise',
    GOOD_FINDING,
    'mixed.js:2:1 floating-promise',
    'mixed.js:3:1 floating-promise',
    'mixed.js:4:3 floating-promise',
    'mixed.js:7:12 floating-promise',
  ]);
  for (const f of result.findings) assert.equal(f.endLine, f.line, JSON.stringify(f));
  // Offsets count the \r bytes.
  const crlf = result.findings.find((f) => f.file === 'crlf.js');
  assert.equal(crlf.offset, 'async function p() { await Promise.reject(new Error("io")); }\r\n\r\n'.length);
  // The code frame shows no carriage return.
  const frame = run(['crlf.js', 'cr.js', '--code-frame'], { cwd: dir });
  assert.doesNotMatch(frame.stdout, /\r/);
  assert.match(frame.stdout, /> 4 \|   p\(\);\n/);
});

test('a file with NUL bytes is skipped with a "binary" notice', (t) => {
  const dir = tempDir(t);
  writeFiles(dir, { ...GOOD, 'nul.js': Buffer.from('async function p() { await Promise.reject(new Error("io")); }\np();\n\0\0\0') });
  const result = runJson(['.'], { cwd: dir });
  assert.equal(result.status, 1, describe(result));
  assert.match(result.stderr, /nul\.js: .*binary/);
  assert.deepEqual(brief(result.findings), [GOOD_FINDING]);
  const alone = run(['nul.js'], { cwd: dir });
  assert.equal(alone.status, 0, describe(alone));
  assert.equal(alone.stdout, '');
  assert.match(alone.stderr, /binary/);
});

test('invalid UTF-8 is skipped with a notice', async (t) => {
  const cases = {
    'stray byte': Buffer.from([0xff]),
    'truncated sequence': Buffer.from([0xe2, 0x82]),
    'overlong encoding': Buffer.from([0xc0, 0xaf]),
    'UTF-16 surrogate': Buffer.from([0xed, 0xa0, 0x80]),
  };
  for (const [name, bad] of Object.entries(cases)) {
    await t.test(name, (tt) => {
      const dir = tempDir(tt);
      writeFiles(dir, { ...GOOD, 'bad.js': Buffer.concat([Buffer.from('async function p() { await Promise.reject(new Error("io")); }\n// '), bad, Buffer.from('\np();\n')]) });
      const result = runJson(['.'], { cwd: dir });
      assert.equal(result.status, 1, describe(result));
      assert.match(result.stderr, /bad\.js: .*UTF-8/);
      assert.deepEqual(brief(result.findings), [GOOD_FINDING]);
    });
  }
});

test('valid multi-byte UTF-8 at the very end of a file is not mistaken for invalid', (t) => {
  const dir = tempDir(t);
  writeFiles(dir, { 'end.js': 'async function p() { await Promise.reject(new Error("io")); }\np(); // ✓😀' });
  const result = runJson(['end.js'], { cwd: dir });
  assert.equal(result.stderr, '');
  assert.deepEqual(brief(result.findings), ['end.js:2:1 floating-promise']);
});

test('a syntax error: findings outside the broken part are reported, none inside', (t) => {
  const dir = tempDir(t);
  writeFiles(dir, {
    ...GOOD,
    'broken.js': ['async function p() { await Promise.reject(new Error("io")); }', 'p();', 'function f() {', '  p(;', '}', 'p();', ''].join('\n'),
  });
  const result = runJson(['.'], { cwd: dir });
  assert.equal(result.status, 1, describe(result));
  // The first syntax error is located (the ';' where an argument must be), in position order.
  assert.deepEqual(brief(result.findings), ['broken.js:2:1 floating-promise', 'broken.js:4:5 null', 'broken.js:6:1 floating-promise', GOOD_FINDING]);
  const stylish = run(['.'], { cwd: dir });
  assert.match(stylish.stdout, /^ {2}1 file has syntax errors; the code around them was linted \(--error-on-syntax makes them fail the run\)\.$/m);
  // Garbage only: no findings, no crash.
  writeFiles(dir, { 'garbage.ts': '}}}) ((( p(); ]] <<< >>> @@@ \\ \n' });
  const garbage = runJson(['garbage.ts', 'good.js'], { cwd: dir });
  assert.equal(garbage.status, 1, describe(garbage));
  assert.deepEqual(brief(garbage.findings.filter((f) => !f.fatal)), [GOOD_FINDING]);
  assert.equal(garbage.findings.filter((f) => f.fatal && f.file === 'garbage.ts').length, 1, 'its first syntax error only');
});

// 100,000-deep nestings. Each file is `async function p() { await Promise.reject(new Error("io")); }`, the deep line, then `p();` on line 3, whose
// finding must be reported; no crash; under 20 seconds (times TIME_FACTOR in the sanitizer build).
const DEPTH = 100_000;
const r = (text, times = DEPTH) => text.repeat(times);
const DEEP_CASES = [
  { name: 'parentheses', ext: 'js', line: `const a = ${r('(')}1${r(')')};` },
  { name: 'arrays', ext: 'js', line: `const a = ${r('[')}${r(']')};` },
  { name: 'arrow functions', ext: 'js', line: `const f = ${r('() => ')}1;` },
  { name: 'async arrow functions', ext: 'js', line: `const f = ${r('async () => ')}p();` },
  { name: 'calls', ext: 'js', line: `${r('f(')}${r(')')};` },
  { name: 'object literals', ext: 'js', line: `const o = ${r('{a:')}1${r('}')};` },
  { name: 'blocks', ext: 'js', line: `${r('{')}p();${r('}')}` },
  { name: 'functions', ext: 'js', line: `${r('function f() { ')}p();${r('}')}` },
  { name: 'template literals', ext: 'js', line: `const t = ${r('`${')}1${r('}`')};` },
  { name: 'JSX elements', ext: 'tsx', line: `const e = ${r('<a>')}${r('</a>')};` },
  { name: 'a .then() chain', ext: 'js', line: `p()${r('.then(f)')}.catch(h);` },
  { name: 'parenthesised promise statement', ext: 'js', line: `${r('(')}p()${r(')')};` },
  // Expression statements the rules look through: comma sequences, ternaries, logical operators.
  { name: 'comma sequence statement', ext: 'js', line: `${r('(0, ')}p()${r(')')};` },
  { name: 'ternary statement (alternative)', ext: 'js', line: `${r('x ? 1 : ')}p();` },
  { name: 'ternary statement (consequent)', ext: 'js', line: `${r('x ? ')}p()${r(' : 1')};` },
  { name: 'logical statement', ext: 'js', line: `${r('x && (')}p()${r(')')};` },
  // Async callbacks nested in each other: every level is itself a finding.
  { name: 'async forEach callbacks', ext: 'js', line: `${r('[1].forEach(async () => { ')}1;${r('});')}` },
  { name: 'async setTimeout callbacks', ext: 'js', line: `${r('setTimeout(async () => { await p(); ')}${r('});')}` },
];

test('100,000-deep nesting: no crash, under 20 seconds, the finding after it still reported', async (t) => {
  for (const c of DEEP_CASES) {
    await t.test(c.name, (tt) => {
      const dir = tempDir(tt);
      const file = `deep.${c.ext}`;
      writeFiles(dir, { [file]: `async function p() { await Promise.reject(new Error("io")); }\n${c.line}\np();\n`, ...GOOD });
      const limit = 20_000 * TIME_FACTOR;
      const result = run([file, 'good.js', '--format', 'json', '-o', 'report.json'], { cwd: dir, timeout: limit });
      assert.notEqual(result.error?.code, 'ETIMEDOUT', `still running after ${limit / 1000} s\n${describe(result)}`);
      assert.equal(result.signal, null, `killed by ${result.signal}\n${describe(result)}`);
      assert.equal(result.status, 1, describe(result));
      assert.ok(result.ms < limit, `${result.ms} ms`);
      const findings = JSON.parse(fs.readFileSync(path.join(dir, 'report.json'), 'utf8'));
      const after = findings.filter((f) => f.file === file && f.line === 3);
      assert.deepEqual(brief(after), [`${file}:3:1 floating-promise`]);
      assert.deepEqual(findings.filter((f) => f.file === file && f.line !== 2 && f.line !== 3), []);
      assert.deepEqual(brief(findings.filter((f) => f.file === 'good.js')), [GOOD_FINDING]);
    });
  }
});

test('a file over --max-file-size is skipped with a notice; one at exactly the limit is linted', (t) => {
  const dir = tempDir(t);
  const big = FLOATING + '//' + 'x'.repeat(2000) + '\n';
  const size = Buffer.byteLength(big);
  writeFiles(dir, { ...GOOD, 'big.js': big });
  const over = runJson(['.', '--max-file-size', String(size - 1)], { cwd: dir });
  assert.equal(over.status, 1, describe(over));
  assert.match(over.stderr, new RegExp(`big\\.js: skipped: ${size} bytes is over --max-file-size \\(${size - 1}\\)`));
  assert.deepEqual(brief(over.findings), [GOOD_FINDING]);
  const exact = runJson(['.', '--max-file-size', String(size)], { cwd: dir });
  assert.equal(exact.stderr, '');
  assert.deepEqual(brief(exact.findings), ['big.js:2:1 floating-promise', GOOD_FINDING]);
  // Only the big file: skipped, so clean.
  const alone = run(['big.js', '--max-file-size', '100'], { cwd: dir });
  assert.equal(alone.status, 0, describe(alone));
  assert.match(alone.stderr, /big\.js: skipped/);
  // Not a number: a usage error.
  const bad = run(['.', '--max-file-size', 'lots'], { cwd: dir });
  assert.equal(bad.status, 2, describe(bad));
});

// Root reads a chmod 000 file, so as root the binary runs as `nobody` (setpriv, util-linux) to see the
// permission error a normal user gets.
const IS_ROOT = typeof process.getuid === 'function' && process.getuid() === 0;
const CAN_DROP_ROOT = IS_ROOT && spawnSync('setpriv', ['--version']).status === 0;

function runUnprivileged(args, cwd) {
  if (!IS_ROOT) return run(args, { cwd });
  const result = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', '--', BIN, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 60_000,
    killSignal: 'SIGKILL',
  });
  return { status: result.status, signal: result.signal, stdout: result.stdout ?? '', stderr: withoutSanitizerNotice(result.stderr ?? ''), error: result.error };
}

test('an unreadable file or folder gives a notice and the other files are linted', (t) => {
  if (IS_ROOT && !CAN_DROP_ROOT) return t.skip('running as root without setpriv: root can read a chmod 000 file');
  const dir = tempDir(t);
  fs.chmodSync(dir, 0o755);  // mkdtemp's 0700 would hide everything from `nobody`
  writeFiles(dir, { ...GOOD, 'secret.js': FLOATING, 'locked/inner.js': FLOATING });
  fs.chmodSync(path.join(dir, 'secret.js'), 0o000);
  fs.chmodSync(path.join(dir, 'locked'), 0o000);
  const result = runUnprivileged(['.', '--format', 'json'], dir);
  assert.equal(result.signal, null, describe(result));
  assert.equal(result.status, 1, describe(result));
  assert.match(result.stderr, /secret\.js: cannot read/);
  assert.match(result.stderr, /locked: cannot read directory: permission denied/);
  assert.deepEqual(brief(JSON.parse(result.stdout)), [GOOD_FINDING]);
  // Named on the command line: the same notice.
  const named = runUnprivileged(['secret.js', 'good.js', '--format', 'json'], dir);
  assert.equal(named.status, 1, describe(named));
  assert.match(named.stderr, /secret\.js: cannot read/);
  assert.deepEqual(brief(JSON.parse(named.stdout)), [GOOD_FINDING]);
});

test('a binary file with a .js name is skipped with a notice', (t) => {
  const dir = tempDir(t);
  // A PNG image (NUL bytes in its header) and bytes with the high bit set but no NUL (not UTF-8), both
  // generated deterministically.
  const png = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(4096, 0x7f)]);
  const noise = Buffer.alloc(64 * 1024);
  for (let i = 0, x = 12345; i < noise.length; ++i) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    noise[i] = 0x80 | (x >> 16) % 0x80;
  }
  writeFiles(dir, { ...GOOD, 'logo.js': png, 'bundle.min.js': noise });
  const result = runJson(['.'], { cwd: dir });
  assert.equal(result.status, 1, describe(result));
  assert.match(result.stderr, /logo\.js: skipped: binary file/);
  assert.match(result.stderr, /bundle\.min\.js: skipped: not valid UTF-8/);
  assert.deepEqual(brief(result.findings), [GOOD_FINDING]);
});

test('a 50 MB file is skipped at the default --max-file-size (10 MiB) with a notice', (t) => {
  const dir = tempDir(t);
  const size = 50 * 1024 * 1024;
  const big = Buffer.alloc(size, 'x');
  Buffer.from(FLOATING + '//').copy(big);
  writeFiles(dir, { ...GOOD, 'huge.js': big });
  const result = runJson(['.'], { cwd: dir, timeout: 30_000 });
  assert.equal(result.status, 1, describe(result));
  assert.match(result.stderr, new RegExp(`huge\\.js: skipped: ${size} bytes is over --max-file-size \\(10485760\\)`));
  assert.deepEqual(brief(result.findings), [GOOD_FINDING]);
});

test('a 5 MB single line (minified code) is linted: the finding at its end has the right column', (t) => {
  const dir = tempDir(t);
  const parts = [];
  let length = 0;
  for (let i = 0; length < 5 * 1024 * 1024; ++i) {
    const part = `var a${i}=function(b){return b+${i}};`;
    parts.push(part);
    length += part.length;
  }
  const line = parts.join('');
  writeFiles(dir, { ...GOOD, 'min.js': `async function p() { await Promise.reject(new Error("io")); }\n${line}p();\n` });
  const result = runJson(['.'], { cwd: dir, timeout: 60_000 });
  assert.equal(result.signal, null, describe(result));
  assert.equal(result.status, 1, describe(result));
  assert.equal(result.stderr, '');
  assert.deepEqual(brief(result.findings), [GOOD_FINDING, `min.js:2:${line.length + 1} floating-promise`]);
});

test('files deleted while the run reads them: a notice for each one missed, every other file still reported', async (t) => {
  // Which deletions land between discovery and reading depends on timing; whatever the interleaving, a
  // deleted file is either never seen or gets a notice, and the files that stay are all reported.
  const dir = tempDir(t);
  const files = {};
  for (let i = 0; i < 600; ++i) files[`f${String(i).padStart(3, '0')}.js`] = FLOATING;
  writeFiles(dir, files);
  const doomed = Object.keys(files).filter((_, i) => i % 2 === 1).reverse();
  const kept = Object.keys(files).filter((_, i) => i % 2 === 0);
  const child = spawn(BIN, ['.', '--threads', '1', '--format', 'json'], { cwd: dir });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise((resolve) => child.on('close', (status, signal) => resolve({ status, signal })));
  for (const name of doomed) fs.rmSync(path.join(dir, name), { force: true });
  const { status, signal } = await exited;
  stderr = withoutSanitizerNotice(stderr);
  const result = { status, signal, stdout, stderr };
  assert.equal(signal, null, describe(result));
  assert.equal(status, 1, describe(result));
  for (const line of stderr.split('\n').filter(Boolean))
    assert.match(line, /^asynclint: (\.\/)?f\d{3}\.js: (cannot read: no such file|no such file or directory)/, describe(result));
  const reported = JSON.parse(stdout).map((f) => f.file);
  for (const name of kept) assert.ok(reported.includes(name), `${name} not reported\n${describe(result)}`);
  for (const name of reported) assert.ok(files[name] !== undefined, name);
});

test('--stdin --stdin-filename lints standard input under that name', (t) => {
  const dir = tempDir(t);
  const typescript = 'async function p(): Promise<void> { await Promise.reject(new Error("io")); }\nfunction f(a: number): void { p(); }\n';
  const result = runJson(['--stdin', '--stdin-filename', 'x.ts'], { cwd: dir, input: typescript });
  assert.equal(result.status, 1, describe(result));
  assert.deepEqual(brief(result.findings), ['x.ts:2:31 floating-promise']);
  // The related location names the same file.
  assert.equal(result.findings[0].related[0].file, 'x.ts');
  // The name chooses the grammar: TypeScript under a .js name is a syntax error, under .ts it is not.
  const asTs = run(['--stdin', '--stdin-filename', 'x.ts'], { cwd: dir, input: typescript });
  assert.doesNotMatch(asTs.stdout, /syntax errors/);
  assert.match(asTs.stdout, /^x\.ts$/m);
  const asJs = run(['--stdin', '--stdin-filename', 'x.js'], { cwd: dir, input: typescript });
  assert.match(asJs.stdout, /1 file has syntax errors/);
  // Without a name.
  const unnamed = runJson(['--stdin'], { cwd: dir, input: FLOATING });
  assert.equal(unnamed.status, 1, describe(unnamed));
  assert.equal(unnamed.findings.length, 1);
  assert.equal(unnamed.findings[0].line, 2);
  // Clean input.
  const clean = runJson(['--stdin', '--stdin-filename', 'ok.ts'], { cwd: dir, input: 'const x = 1;\n' });
  assert.equal(clean.status, 0, describe(clean));
  assert.deepEqual(clean.findings, []);
  // Empty input.
  const empty = runJson(['--stdin', '--stdin-filename', 'e.ts'], { cwd: dir, input: '' });
  assert.equal(empty.status, 0, describe(empty));
  assert.deepEqual(empty.findings, []);
});

test('--stdin: the configuration nearest to --stdin-filename applies; binary input is refused', (t) => {
  const dir = tempDir(t);
  writeFiles(dir, { 'sub/asynclint.json': '{ "rules": { "floating-promise": "warn" } }' });
  const result = runJson(['--stdin', '--stdin-filename', 'sub/x.js'], { cwd: dir, input: FLOATING });
  assert.equal(result.status, 0, describe(result));
  assert.deepEqual(result.findings.map((f) => `${f.file}:${f.line} ${f.severity}`), ['sub/x.js:2 warn']);
  const binary = run(['--stdin', '--stdin-filename', 'b.js'], { cwd: dir, input: Buffer.from('p();\0') });
  assert.equal(binary.status, 0, describe(binary));
  assert.match(binary.stderr, /b\.js: .*binary/);
});
