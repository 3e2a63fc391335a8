// Syntax errors are located: each file's first one, with its line and column, in every format. They do not
// fail the run (tree-sitter rejects some valid code) unless --error-on-syntax is given: then exit 1, as
// ESLint exits on a "Parsing error".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FLOATING, describe, run, runJson, tempDir, writeFiles } from './helpers.mjs';

// Line 3 has a ')' that closes nothing (column 12); line 5 has a floating promise that is
// still found around the broken part.
const BROKEN = [
  'async function p() { await Promise.reject(new Error("io")); }',
  'const a = 1;',
  'const b = 1);',
  'const c = 2;',
  'p();',
  '',
].join('\n');

function project(t) {
  const dir = tempDir(t);
  writeFiles(dir, { 'broken.js': BROKEN, 'fine.js': 'export const ok = 1;\n' });
  return dir;
}

test('json: the first syntax error as a fatal entry without a rule, a note unless --error-on-syntax', (t) => {
  const dir = project(t);
  const result = runJson(['.'], { cwd: dir });
  assert.equal(result.status, 1, describe(result));  // the floating promise, not the syntax error
  const [syntax, ...findings] = result.findings;
  assert.deepEqual({ file: syntax.file, rule: syntax.rule, fatal: syntax.fatal, severity: syntax.severity, line: syntax.line, column: syntax.column },
    { file: 'broken.js', rule: null, fatal: true, severity: 'note', line: 3, column: 12 });
  assert.match(syntax.message, /^Parsing error: unexpected '\)'/);
  assert.deepEqual(findings.map((f) => `${f.line} ${f.rule}`), ['5 floating-promise']);
  const strict = runJson(['.', '--error-on-syntax'], { cwd: dir });
  assert.equal(strict.findings[0].severity, 'error');
});

test('a file that does not parse does not fail the run; --error-on-syntax exits 1', (t) => {
  const dir = tempDir(t);
  writeFiles(dir, { 'only.js': 'const b = 1);\n' });
  const lenient = run(['only.js'], { cwd: dir });
  assert.equal(lenient.status, 0, describe(lenient));
  assert.match(lenient.stdout, /^ +1:12 +note +Parsing error: unexpected '\)'/m);
  assert.match(lenient.stdout, /--error-on-syntax/);
  const strict = run(['only.js', '--error-on-syntax'], { cwd: dir });
  assert.equal(strict.status, 1, describe(strict));
  assert.match(strict.stdout, /^ +1:12 +error +Parsing error: unexpected '\)'/m);
  assert.match(strict.stdout, /✖ 1 problem \(1 error, 0 warnings\)/);
  // --quiet hides the note, but not the error --error-on-syntax makes of it.
  assert.doesNotMatch(run(['only.js', '--quiet'], { cwd: dir }).stdout, /Parsing error/);
  assert.match(run(['only.js', '--quiet', '--error-on-syntax'], { cwd: dir }).stdout, /Parsing error/);
});

test('unix, github, checkstyle and junit carry the syntax error with its line and column', (t) => {
  const dir = project(t);
  const unix = run(['-f', 'unix', '.'], { cwd: dir });
  assert.match(unix.stdout, /^broken\.js:3:12: Parsing error: unexpected '\)'.* \[Note\]$/m);
  assert.match(run(['-f', 'unix', '--error-on-syntax', '.'], { cwd: dir }).stdout, /^broken\.js:3:12: Parsing error: .*\[Error\]$/m);
  const github = run(['-f', 'github', '.'], { cwd: dir });
  assert.match(github.stdout, /^::notice file=broken\.js,line=3,col=12,.*::Parsing error: unexpected '\)'/m);
  assert.match(run(['-f', 'github', '--error-on-syntax', '.'], { cwd: dir }).stdout, /^::error file=broken\.js,line=3,col=12,/m);
  const checkstyle = run(['-f', 'checkstyle', '.'], { cwd: dir });
  assert.match(checkstyle.stdout, /<error line="3" column="12" severity="info" message="Parsing error: unexpected &apos;\)&apos;[^"]*" source="asynclint\.parsing-error" \/>/);
  const junit = run(['-f', 'junit', '.'], { cwd: dir });
  assert.match(junit.stdout, /<skipped message="Parsing error: unexpected &apos;\)&apos;.*\(line 3, col 12\)" \/>/);
  const strictJunit = run(['-f', 'junit', '--error-on-syntax', '.'], { cwd: dir });
  assert.match(strictJunit.stdout, /<failure message="Parsing error: [^"]*">line 3, col 12, Error - /);
});

test('SARIF: the syntax error is a notification located at its line and column', (t) => {
  const dir = project(t);
  const sarif = JSON.parse(run(['-f', 'sarif', '.'], { cwd: dir }).stdout);
  const notes = sarif.runs[0].invocations[0].toolExecutionNotifications;
  const note = notes.find((n) => /Parsing error/.test(n.message.text));
  assert.ok(note, JSON.stringify(notes));
  assert.equal(note.level, 'warning');
  const { artifactLocation, region } = note.locations[0].physicalLocation;
  assert.equal(artifactLocation.uri, 'broken.js');
  assert.deepEqual([region.startLine, region.startColumn], [3, 12]);
  assert.deepEqual(sarif.runs[0].results.map((r) => r.ruleId), ['floating-promise']);
  const strict = JSON.parse(run(['-f', 'sarif', '--error-on-syntax', '.'], { cwd: dir }).stdout);
  assert.equal(strict.runs[0].invocations[0].toolExecutionNotifications.find((n) => /Parsing error/.test(n.message.text)).level, 'error');
});

test('a missing token is named', (t) => {
  const dir = tempDir(t);
  writeFiles(dir, { 'open.js': FLOATING + 'function f() {\n  p();\n' });
  const result = runJson(['open.js'], { cwd: dir });
  const syntax = result.findings.find((f) => f.fatal);
  assert.ok(syntax, describe(result));
  assert.match(syntax.message, /^Parsing error: missing '\}'$/);
});
