// File discovery: directory walks, .gitignore (in and outside git), --no-ignore, --ignore-pattern, skipped
// folders and extensions, explicit files, output order, thread-count independence, duplicates.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { FLOATING, SOURCE_DIR, brief, describe, git, hasCommand, run, runJson, tempDir, writeFiles } from './helpers.mjs';

// The files that have findings (every test file below holds exactly one finding, at 2:1).
const filesOf = (result) => {
  for (const f of result.findings) assert.equal(`${f.line}:${f.column} ${f.rule}`, '2:1 floating-promise', JSON.stringify(f));
  return result.findings.map((f) => f.file);
};

const EXTENSIONS = ['js', 'mjs', 'cjs', 'jsx', 'ts', 'mts', 'cts', 'tsx'];

test('directories are walked; all 8 extensions are linted; other files, .d.ts, node_modules and hidden entries are not', (t) => {
  const dir = tempDir(t);
  const files = {};
  for (const ext of EXTENSIONS) files[`src/file.${ext}`] = FLOATING;
  Object.assign(files, {
    'src/deep/deeper/deepest/x.ts': FLOATING,
    'src/types.d.ts': FLOATING,
    'src/types.d.mts': FLOATING,
    'src/types.d.cts': FLOATING,
    'src/data.json': '{}',
    'src/notes.txt': FLOATING,
    'src/file.js.map': FLOATING,
    'src/file.es6': FLOATING,
    'src/file.TS': FLOATING,
    'src/.js': FLOATING,
    'node_modules/pkg/index.js': FLOATING,
    'src/node_modules/pkg/index.ts': FLOATING,
    '.hidden/a.js': FLOATING,
    'src/.cache/b.ts': FLOATING,
    'src/.hidden-file.ts': FLOATING,
  });
  writeFiles(dir, files);
  const result = runJson(['.'], { cwd: dir });
  assert.equal(result.status, 1, describe(result));
  assert.deepEqual(filesOf(result), [
    'src/deep/deeper/deepest/x.ts',
    ...EXTENSIONS.map((ext) => `src/file.${ext}`).sort(),
  ]);
  // No path given: the current directory.
  assert.deepEqual(filesOf(runJson([], { cwd: dir })), filesOf(result));
});

test('the grammar follows the extension: TypeScript syntax in .ts/.mts/.cts/.tsx, JSX in .jsx/.tsx', (t) => {
  const dir = tempDir(t);
  const ts = 'async function p(): Promise<void> { await Promise.reject(new Error("io")); }\nfunction f(a: number): void { p(); }\n';
  const jsx = 'async function p() { await Promise.reject(new Error("io")); }\nconst el = <div onClick={() => { p(); }}>hi</div>;\n';
  const tsx = 'async function p(): Promise<void> { await Promise.reject(new Error("io")); }\nconst el = <div onClick={(e: unknown) => { p(); }}>hi</div>;\n';
  writeFiles(dir, { 'a.ts': ts, 'a.mts': ts, 'a.cts': ts, 'a.tsx': tsx, 'a.jsx': jsx });
  const result = run(['.'], { cwd: dir });
  assert.doesNotMatch(result.stdout, /syntax errors/, result.stdout);
  const json = runJson(['.'], { cwd: dir });
  const column = (source) => source.split('\n')[1].indexOf('p();') + 1;
  assert.deepEqual(brief(json.findings), [
    `a.cts:2:${column(ts)} floating-promise`,
    `a.jsx:2:${column(jsx)} floating-promise`,
    `a.mts:2:${column(ts)} floating-promise`,
    `a.ts:2:${column(ts)} floating-promise`,
    `a.tsx:2:${column(tsx)} floating-promise`,
  ]);
  // The same TypeScript in a .js file is a syntax error.
  writeFiles(dir, { 'typed.js': ts });
  const wrong = run(['typed.js'], { cwd: dir });
  assert.match(wrong.stdout, /1 file has syntax errors/);
});

// A tree exercising .gitignore: anchored and unanchored patterns, directory patterns, nested files,
// negation, and a negation that cannot re-include a file inside an excluded folder.
const IGNORE_TREE = {
  '.gitignore': ['# generated code', '*.gen.ts', '/build/', 'logs/', 'secret-*.js', 'vendor/', '!vendor/keep.js', ''].join('\n'),
  'src/.gitignore': ['!keep.gen.ts', 'local.ts', ''].join('\n'),
  'local.ts': FLOATING,
  'top.gen.ts': FLOATING,
  'src/a.ts': FLOATING,
  'src/b.gen.ts': FLOATING,
  'src/keep.gen.ts': FLOATING,
  'src/local.ts': FLOATING,
  'build/out.js': FLOATING,
  'src/build/out.js': FLOATING,
  'logs/x.js': FLOATING,
  'src/logs/y.js': FLOATING,
  'secret-1.js': FLOATING,
  'src/deep/er/secret-2.js': FLOATING,
  'src/deep/er/c.ts': FLOATING,
  'vendor/keep.js': FLOATING,
  'vendor/lib.js': FLOATING,
};
const IGNORE_TREE_KEPT = ['local.ts', 'src/a.ts', 'src/build/out.js', 'src/deep/er/c.ts', 'src/keep.gen.ts'];

test('.gitignore files (nested, with negation) are respected outside git', (t) => {
  const dir = tempDir(t);
  writeFiles(dir, IGNORE_TREE);
  assert.deepEqual(filesOf(runJson(['.'], { cwd: dir })), IGNORE_TREE_KEPT);
  // Walking from the parent: the same files, prefixed.
  const parent = runJson([path.basename(dir)], { cwd: path.dirname(dir) });
  assert.deepEqual(filesOf(parent), IGNORE_TREE_KEPT.map((f) => `${path.basename(dir)}/${f}`));
});

test('.gitignore files and .git/info/exclude are respected in a git work tree, as git itself does', (t) => {
  if (!hasCommand('git')) return t.skip('git is not installed');
  const dir = tempDir(t);
  writeFiles(dir, { ...IGNORE_TREE, 'excluded-by-info.ts': FLOATING, 'src/also-excluded.ts': FLOATING });
  const init = git(['init', '-q', '.'], dir);
  assert.equal(init.status, 0, init.stderr);
  fs.appendFileSync(path.join(dir, '.git', 'info', 'exclude'), '\nexcluded-by-info.ts\nalso-excluded.ts\n');
  const linted = filesOf(runJson(['.'], { cwd: dir }));
  assert.deepEqual(linted, IGNORE_TREE_KEPT);
  // Cross-check with git: the untracked, not ignored, lintable files.
  const listed = git(['ls-files', '--others', '--exclude-standard', '-z'], dir);
  const byGit = listed.stdout.split('\0').filter((f) => f && /\.(m|c)?(j|t)sx?$/.test(f) && !/\.d\.(m|c)?ts$/.test(f)).sort();
  assert.deepEqual(linted, byGit);

  // Linting a sub-folder: the work tree's root .gitignore and info/exclude still apply to it.
  const sub = filesOf(runJson(['src'], { cwd: dir }));
  assert.deepEqual(sub, ['src/a.ts', 'src/build/out.js', 'src/deep/er/c.ts', 'src/keep.gen.ts']);
  const fromInside = filesOf(runJson(['.'], { cwd: path.join(dir, 'src') }));
  assert.deepEqual(fromInside, ['a.ts', 'build/out.js', 'deep/er/c.ts', 'keep.gen.ts']);
  const deep = filesOf(runJson(['.'], { cwd: path.join(dir, 'src', 'deep', 'er') }));
  assert.deepEqual(deep, ['c.ts']);
});

test('gitignore pattern syntax (**, classes, ?, escapes, trailing spaces, re-inclusion) agrees with git', (t) => {
  if (!hasCommand('git')) return t.skip('git is not installed');
  const dir = tempDir(t);
  const gitignore = [
    '**/generated', 'out/**', '!out/keep/', 'a/**/b.ts', '*.tmp.ts', '!important.tmp.ts', '[xy]z.js', 'q?.js',
    '\\#hash.js', '\\!bang.js', 'trailing.js   ', 'docs/*.js', '/rootonly/', 'build', '!build/keep.js', '*.min.js',
    '!/vendor/', '',
  ].join('\n');
  const names = [
    'generated/a.ts', 'src/generated/b.ts', 'src/generated.ts', 'out/x.ts', 'out/keep/y.ts', 'a/b.ts', 'a/c/b.ts',
    'a/c/d/b.ts', 'b.ts', 's.tmp.ts', 'important.tmp.ts', 'src/important.tmp.ts', 'xz.js', 'yz.js', 'zz.js', 'q1.js',
    'q12.js', '#hash.js', '!bang.js', 'trailing.js', 'docs/d.js', 'docs/sub/d.js', 'rootonly/r.js', 'src/rootonly/r.js',
    'build/keep.js', 'build2/x.js', 'src/build/b.js', 'app.min.js', 'vendor/v.js', 'sp ace.js',
  ];
  writeFiles(dir, { '.gitignore': gitignore, ...Object.fromEntries(names.map((n) => [n, FLOATING])) });
  // Outside git first (no .git yet), then as a work tree: both must agree with git's own answer.
  const outside = filesOf(runJson(['.'], { cwd: dir }));
  const init = git(['init', '-q', '.'], dir);
  assert.equal(init.status, 0, init.stderr);
  const listed = git(['ls-files', '--others', '--exclude-standard', '-z'], dir);
  const byGit = listed.stdout.split('\0').filter((f) => /\.js$|\.ts$/.test(f)).sort();
  assert.deepEqual(byGit, [
    'b.ts', 'build2/x.js', 'docs/sub/d.js', 'important.tmp.ts', 'q12.js', 'sp ace.js', 'src/generated.ts',
    'src/important.tmp.ts', 'src/rootonly/r.js', 'vendor/v.js', 'zz.js',
  ]);
  const inside = filesOf(runJson(['.'], { cwd: dir }));
  assert.deepEqual(inside, byGit);
  assert.deepEqual(outside, byGit);
});

test('--no-ignore lints ignored files (but still not node_modules or hidden folders)', (t) => {
  const dir = tempDir(t);
  writeFiles(dir, { ...IGNORE_TREE, 'node_modules/m.js': FLOATING, '.hidden/h.js': FLOATING });
  const all = filesOf(runJson(['.', '--no-ignore'], { cwd: dir }));
  const expected = Object.keys(IGNORE_TREE).filter((f) => !f.endsWith('.gitignore')).sort();
  assert.deepEqual(all, expected);
});

test('--ignore-pattern (repeatable, gitignore syntax, relative to the current directory, also with --no-ignore)', (t) => {
  const dir = tempDir(t);
  writeFiles(dir, {
    'src/a.ts': FLOATING,
    'src/a.spec.ts': FLOATING,
    'src/gen/g.ts': FLOATING,
    'lib/gen/h.ts': FLOATING,
    'lib/b.js': FLOATING,
    'lib/keep.spec.ts': FLOATING,
  });
  const one = filesOf(runJson(['.', '--ignore-pattern', '*.spec.ts'], { cwd: dir }));
  assert.deepEqual(one, ['lib/b.js', 'lib/gen/h.ts', 'src/a.ts', 'src/gen/g.ts']);
  const two = filesOf(runJson(['.', '--ignore-pattern', '*.spec.ts', '--ignore-pattern', 'gen/'], { cwd: dir }));
  assert.deepEqual(two, ['lib/b.js', 'src/a.ts']);
  const anchored = filesOf(runJson(['.', '--ignore-pattern', '/src/gen/'], { cwd: dir }));
  assert.deepEqual(anchored, ['lib/b.js', 'lib/gen/h.ts', 'lib/keep.spec.ts', 'src/a.spec.ts', 'src/a.ts']);
  const negated = filesOf(runJson(['.', '--ignore-pattern', '*.spec.ts', '--ignore-pattern', '!keep.spec.ts'], { cwd: dir }));
  assert.deepEqual(negated, ['lib/b.js', 'lib/gen/h.ts', 'lib/keep.spec.ts', 'src/a.ts', 'src/gen/g.ts']);
  const noIgnore = filesOf(runJson(['.', '--no-ignore', '--ignore-pattern', 'lib/'], { cwd: dir }));
  assert.deepEqual(noIgnore, ['src/a.spec.ts', 'src/a.ts', 'src/gen/g.ts']);
  // Relative to the current directory: run from src/, walking the parent.
  const fromSrc = filesOf(runJson(['..', '--ignore-pattern', '/gen/'], { cwd: path.join(dir, 'src') }));
  assert.deepEqual(fromSrc, ['../lib/b.js', '../lib/gen/h.ts', '../lib/keep.spec.ts', '../src/a.spec.ts', '../src/a.ts']);
});

test('a file named explicitly is linted even when git-ignored, hidden, or in node_modules; not a .d.ts or past --ignore-pattern', (t) => {
  const dir = tempDir(t);
  writeFiles(dir, {
    '.gitignore': 'ignored.ts\n',
    'ignored.ts': FLOATING,
    'node_modules/pkg/index.js': FLOATING,
    '.hidden/h.js': FLOATING,
    'types.d.ts': FLOATING,
    'script.txt': FLOATING,
  });
  for (const file of ['ignored.ts', './ignored.ts', 'node_modules/pkg/index.js', '.hidden/h.js', 'script.txt']) {
    const result = runJson([file], { cwd: dir });
    assert.equal(result.status, 1, `${file}\n${describe(result)}`);
    assert.equal(result.findings.length, 1, `${file}\n${describe(result)}`);
    assert.equal(result.findings[0].file, file.replace(/^\.\//, ''));
  }
  // As ESLint: --ignore-pattern and the .d.ts rule hold for named files too (with a warning; ci-gate.test.mjs).
  for (const args of [['ignored.ts', '--ignore-pattern', 'ignored.ts'], ['types.d.ts']]) {
    const skipped = runJson(args, { cwd: dir });
    assert.equal(skipped.status, 0, describe(skipped));
    assert.deepEqual(skipped.findings, [], describe(skipped));
    assert.match(skipped.stderr, /warning: .*file ignored/);
  }
  // A hidden folder named on the command line is walked.
  assert.deepEqual(filesOf(runJson(['.hidden'], { cwd: dir })), ['.hidden/h.js']);
});

test('output is sorted by path (bytes), then by position, whatever the order of the arguments', (t) => {
  const dir = tempDir(t);
  const multi = ['async function p() { await Promise.reject(new Error("io")); }', 'p(); p();', 'p().then(() => {});', 'p();', ''].join('\n');
  writeFiles(dir, { 'b.ts': multi, 'a/z.ts': multi, 'a.ts': multi, 'A.ts': multi, 'a-b.ts': multi });
  const expectedOrder = ['A.ts', 'a-b.ts', 'a.ts', 'a/z.ts', 'b.ts'];
  const perFile = ['2:1 floating-promise', '2:6 floating-promise', '3:1 missing-catch', '4:1 floating-promise'];
  const expected = expectedOrder.flatMap((file) => perFile.map((p) => `${file}:${p}`));
  const forward = runJson(['.'], { cwd: dir });
  assert.deepEqual(brief(forward.findings), expected);
  const reversed = runJson(['b.ts', 'a/z.ts', 'a.ts', 'a-b.ts', 'A.ts'], { cwd: dir });
  assert.deepEqual(brief(reversed.findings), expected);
  // Stylish: file headers in the same order.
  const stylish = run(['b.ts', 'a', 'a.ts', 'a-b.ts', 'A.ts'], { cwd: dir });
  const headers = stylish.stdout.split('\n').filter((l) => /^\S+\.ts$/.test(l));
  assert.deepEqual(headers, expectedOrder);
});

test('--threads 1 and --threads 2 give byte-identical output on the fixtures', (t) => {
  const fixtures = path.join(SOURCE_DIR, 'fixtures');
  const folders = fs
    .readdirSync(fixtures, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => `fixtures/${e.name}`)
    .sort();
  for (const rule of ['async-foreach', 'floating-promise', 'missing-catch']) assert.ok(folders.includes(`fixtures/${rule}`), folders.join(' '));
  for (const format of ['json', 'stylish']) {
    const one = run([...folders, '--threads', '1', '--format', format], { cwd: SOURCE_DIR });
    assert.equal(one.status, 1, describe(one));
    if (format === 'json') {
      const findings = JSON.parse(one.stdout);
      const rules = new Set(findings.map((f) => f.rule));
      for (const rule of ['async-foreach', 'floating-promise', 'missing-catch']) assert.ok(rules.has(rule), `no ${rule} finding`);
      // Every rule folder has at least 40 buggy samples.
      assert.ok(findings.length >= 120, `only ${findings.length} findings`);
    }
    for (let attempt = 0; attempt < 3; ++attempt) {
      const two = run([...folders, '--threads', '2', '--format', format], { cwd: SOURCE_DIR });
      assert.equal(two.status, one.status);
      assert.equal(two.stderr, one.stderr);
      assert.ok(two.stdout === one.stdout, `--threads 2 (attempt ${attempt + 1}, ${format}) differs from --threads 1`);
    }
    const many = run([...folders, '--threads', '8', '--format', format], { cwd: SOURCE_DIR });
    assert.ok(many.stdout === one.stdout, `--threads 8 (${format}) differs from --threads 1`);
  }
});

test('a path given twice (or reached twice) is linted once', (t) => {
  const dir = tempDir(t);
  writeFiles(dir, { 'src/a.ts': FLOATING, 'src/b.ts': FLOATING });
  fs.symlinkSync('a.ts', path.join(dir, 'src', 'link-to-a.ts'));
  const cases = [
    ['src/a.ts', 'src/a.ts'],
    ['src/a.ts', './src/a.ts'],
    ['src/a.ts', path.join(dir, 'src', 'a.ts')],
    ['src', 'src/a.ts'],
    ['src', 'src'],
    ['src', './src/'],
  ];
  for (const args of cases) {
    const result = runJson(args, { cwd: dir });
    const files = filesOf(result);
    assert.equal(files.length, new Set(files).size, `${args.join(' ')}: ${files.join(', ')}`);
    if (args[0] === 'src') assert.equal(files.length, 2, `${args.join(' ')}: ${files.join(', ')}`);
    else assert.equal(files.length, 1, `${args.join(' ')}: ${files.join(', ')}`);
  }
});

test('a missing path gives a notice and exit code 2; with --no-error-on-unmatched-pattern the other paths are linted', (t) => {
  const dir = tempDir(t);
  writeFiles(dir, { 'a.ts': FLOATING });
  const refused = run(['does-not-exist', 'a.ts'], { cwd: dir });
  assert.equal(refused.status, 2, describe(refused));
  assert.match(refused.stderr, /does-not-exist: no such file or directory/);
  const result = runJson(['does-not-exist', 'a.ts', '--no-error-on-unmatched-pattern'], { cwd: dir });
  assert.equal(result.status, 1, describe(result));
  assert.match(result.stderr, /does-not-exist: no such file or directory/);
  assert.deepEqual(filesOf(result), ['a.ts']);
});

test('a symbolic link loop gives a notice, not a hang', (t) => {
  const dir = tempDir(t);
  writeFiles(dir, { 'src/a.ts': FLOATING });
  fs.symlinkSync('..', path.join(dir, 'src', 'up'));
  const result = runJson(['src'], { cwd: dir, timeout: 20_000 });
  assert.equal(result.signal, null, describe(result));
  assert.equal(result.status, 1, describe(result));
  assert.deepEqual(filesOf(result), ['src/a.ts']);
  assert.match(result.stderr, /symbolic link loop/);
  const fromRoot = runJson(['.'], { cwd: dir, timeout: 20_000 });
  assert.deepEqual(filesOf(fromRoot), ['src/a.ts']);
  assert.match(fromRoot.stderr, /src\/up: symbolic link loop/);
});
