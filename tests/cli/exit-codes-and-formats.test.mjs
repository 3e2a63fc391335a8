// Exit codes, the JSON and stylish reports, colours, --quiet, --rules and `asynclint rule ID`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ANSI, BIN, FLOATING, brief, describe, hasCommand, run, runJson, tempDir, writeFiles } from './helpers.mjs';

// The three rules these tests are about (other rules may exist; they are not assumed absent).
const RULE_IDS = ['async-foreach', 'floating-promise', 'missing-catch'];

// `asynclint --rules` as [{ id, severity }].
function listedRules() {
  const result = run(['--rules']);
  assert.equal(result.status, 0, describe(result));
  const lines = result.stdout.split('\n').filter((l) => l.trim() !== '');
  return lines.map((line) => {
    const match = /^([a-z][a-z-]*) +(error|warn|off) +/.exec(line);
    assert.ok(match, `not a rule line: ${JSON.stringify(line)}`);
    return { id: match[1], severity: match[2] };
  });
}

// One file with four findings; line 3 puts non-ASCII text and an emoji before the finding, line 5 has an
// emoji inside the finding's span.
const FORMATS_SOURCE = [
  'async function p(): Promise<void> { await Promise.reject(new Error("io")); }',
  'p();',
  'const s = "héllo 😀"; p();',
  'p().then((r) => r);',
  'p("😀");',
  '',
].join('\n');

// The UTF-16 column (1-based) and UTF-8 byte offset of `needle` on 1-based `line` of `text`.
function locate(text, line, needle) {
  const lines = text.split('\n');
  const lineText = lines[line - 1];
  const index = lineText.indexOf(needle);
  assert.notEqual(index, -1, `${needle} not on line ${line}`);
  const lineStart = Buffer.byteLength(lines.slice(0, line - 1).map((l) => l + '\n').join(''));
  return {
    column: index + 1, // JavaScript strings are UTF-16: this is the UTF-16 column
    offset: lineStart + Buffer.byteLength(lineText.slice(0, index)),
    endColumn: index + needle.length + 1,
    endOffset: lineStart + Buffer.byteLength(lineText.slice(0, index + needle.length)),
  };
}

function formatsProject(t) {
  const dir = tempDir(t);
  writeFiles(dir, { 'fmt.ts': FORMATS_SOURCE });
  return dir;
}

test('exit code 0 and no output for a clean file', (t) => {
  const dir = tempDir(t);
  writeFiles(dir, { 'clean.ts': 'async function p() { await Promise.reject(new Error("io")); }\nawait p();\nvoid p();\np().catch(() => {});\n' });
  const stylish = run(['clean.ts'], { cwd: dir });
  assert.equal(stylish.status, 0, describe(stylish));
  assert.equal(stylish.stdout, '');
  assert.equal(stylish.stderr, '');
  const json = run(['clean.ts', '--format', 'json'], { cwd: dir });
  assert.equal(json.status, 0, describe(json));
  assert.deepEqual(JSON.parse(json.stdout), []);
});

test('exit code 1 with an error-level finding', (t) => {
  const dir = tempDir(t);
  writeFiles(dir, { 'bad.js': FLOATING });
  const result = runJson(['bad.js'], { cwd: dir });
  assert.equal(result.status, 1, describe(result));
  assert.deepEqual(brief(result.findings), ['bad.js:2:1 floating-promise']);
  assert.equal(result.findings[0].severity, 'error');
});

test('exit code 0 when the only findings are warnings', (t) => {
  const dir = tempDir(t);
  writeFiles(dir, { 'warn.js': FLOATING + 'p();\n' });
  const json = runJson(['warn.js', '--rule', 'floating-promise=warn'], { cwd: dir });
  assert.equal(json.status, 0, describe(json));
  assert.deepEqual(brief(json.findings), ['warn.js:2:1 floating-promise', 'warn.js:3:1 floating-promise']);
  assert.deepEqual(json.findings.map((f) => f.severity), ['warn', 'warn']);
  const stylish = run(['warn.js', '--rule', 'floating-promise=warn'], { cwd: dir });
  assert.equal(stylish.status, 0, describe(stylish));
  assert.match(stylish.stdout, /^✖ 2 problems \(0 errors, 2 warnings\)$/m);
});

test('--max-warnings: 1 above N, 0 at exactly N, errors still exit 1', (t) => {
  const dir = tempDir(t);
  writeFiles(dir, { 'warn.js': FLOATING + 'p();\n' });
  const warn = ['warn.js', '--rule', 'floating-promise=warn'];
  const over = run([...warn, '--max-warnings', '1'], { cwd: dir });
  assert.equal(over.status, 1, describe(over));
  assert.match(over.stderr, /2 warnings are over --max-warnings 1/);
  const zero = run([...warn, '--max-warnings', '0'], { cwd: dir });
  assert.equal(zero.status, 1, describe(zero));
  const exact = run([...warn, '--max-warnings', '2'], { cwd: dir });
  assert.equal(exact.status, 0, describe(exact));
  assert.equal(exact.stderr, '');
  const above = run([...warn, '--max-warnings', '3'], { cwd: dir });
  assert.equal(above.status, 0, describe(above));
  const errors = run(['warn.js', '--max-warnings', '10'], { cwd: dir });
  assert.equal(errors.status, 1, describe(errors));
});

test('exit code 2 for usage errors, with a message naming the problem', async (t) => {
  const dir = tempDir(t);
  writeFiles(dir, { 'bad.js': FLOATING });
  const cases = [
    { name: 'unknown option', args: ['bad.js', '--bogus-option'], stderr: /--bogus-option/ },
    { name: 'unknown rule in --rule', args: ['bad.js', '--rule', 'no-such-rule=error'], stderr: /unknown rule 'no-such-rule'/ },
    { name: 'bad severity in --rule', args: ['bad.js', '--rule', 'floating-promise=loud'], stderr: /floating-promise=loud/ },
    { name: '--rule without a severity', args: ['bad.js', '--rule', 'floating-promise'], stderr: /off\|warn\|error/ },
    { name: '--config of a missing file', args: ['bad.js', '--config', 'missing-config.json'], stderr: /missing-config\.json/ },
    { name: 'unknown --format', args: ['bad.js', '--format', 'xml'], stderr: /xml/ },
    { name: '--threads 0', args: ['bad.js', '--threads', '0'], stderr: /threads/ },
    { name: 'rule subcommand without an id', args: ['rule'], stderr: /id/ },
    // Silently ignored before: the file was linted from disk under its own name.
    { name: '--stdin-filename without --stdin', args: ['bad.js', '--stdin-filename', 'x.ts'], stderr: /--stdin-filename.*--stdin/ },
    { name: '--max-warnings that is not a number', args: ['bad.js', '--max-warnings', 'abc'], stderr: /--max-warnings/ },
  ];
  for (const c of cases) {
    await t.test(c.name, () => {
      const result = run(c.args, { cwd: dir });
      assert.equal(result.status, 2, describe(result));
      assert.match(result.stderr, c.stderr);
      assert.equal(result.stdout, '', 'nothing is reported on a usage error');
    });
  }
});

test('an unknown rule in --rule is an error even when no file is linted', (t) => {
  const dir = tempDir(t);
  fs.mkdirSync(path.join(dir, 'empty'));
  const result = run(['empty', '--rule', 'no-such-rule=error'], { cwd: dir });
  assert.equal(result.status, 2, describe(result));
  assert.match(result.stderr, /unknown rule 'no-such-rule'/);
});

test('--format json: every field of a finding', (t) => {
  const dir = formatsProject(t);
  const result = runJson(['fmt.ts'], { cwd: dir });
  assert.equal(result.status, 1, describe(result));
  assert.ok(Array.isArray(result.findings));
  assert.deepEqual(brief(result.findings), [
    'fmt.ts:2:1 floating-promise',
    'fmt.ts:3:23 floating-promise',
    'fmt.ts:4:1 missing-catch',
    'fmt.ts:5:1 floating-promise',
  ]);
  const keys = ['column', 'endColumn', 'endLine', 'endOffset', 'explanation', 'file', 'fixedExplanation', 'line', 'message', 'offset', 'related', 'rule', 'severity', 'suggestions'];
  for (const finding of result.findings) {
    assert.deepEqual(Object.keys(finding).sort(), keys);
    assert.equal(typeof finding.message, 'string');
    assert.ok(finding.message.length > 20, finding.message);
    for (const suggestion of finding.suggestions) {
      assert.deepEqual(Object.keys(suggestion).sort(), ['description', 'edits']);
      assert.equal(typeof suggestion.description, 'string');
      for (const edit of suggestion.edits) assert.deepEqual(Object.keys(edit).sort(), ['endOffset', 'offset', 'text']);
    }
    for (const related of finding.related) assert.deepEqual(Object.keys(related).sort(), ['column', 'file', 'line', 'message']);
    // Every finding of these rules is explained, step by step, each step at a place in the file.
    assert.ok(finding.explanation.length >= 2, JSON.stringify(finding));
    for (const step of finding.explanation) {
      assert.deepEqual(Object.keys(step).sort(), ['column', 'file', 'line', 'message', 'nesting', 'timeMs']);
      assert.equal(step.file, 'fmt.ts');
      assert.ok(step.line >= 1 && step.line <= FORMATS_SOURCE.split('\n').length, JSON.stringify(step));
    }
  }

  const [first] = result.findings;
  const { message, suggestions, related, explanation, fixedExplanation, ...position } = first;
  const span = locate(FORMATS_SOURCE, 2, 'p();');
  assert.deepEqual(position, {
    file: 'fmt.ts',
    rule: 'floating-promise',
    severity: 'error',
    line: 2,
    column: 1,
    endLine: 2,
    endColumn: span.endColumn,
    offset: span.offset,
    endOffset: span.endOffset,
  });
  assert.equal(span.offset, 77);
  assert.match(message, /p\(\)/);
  // Top level of a .ts file (no top-level await there): first a `.catch` after the call, which handles the
  // rejection, then `void`, inserted before the statement, which only says "I mean it".
  assert.equal(suggestions.length, 2);
  assert.match(suggestions[0].description, /catch/);
  assert.equal(suggestions[0].edits.length, 1);
  assert.equal(suggestions[0].edits[0].offset, span.offset + 'p()'.length);
  assert.match(suggestions[0].edits[0].text, /^\.catch\(\(error\) => \{\n  console\.error\(error\);\n\}\)$/);
  assert.match(suggestions[1].description, /void/);
  assert.deepEqual(suggestions[1].edits, [{ offset: 77, endOffset: 77, text: 'void ' }]);
  // Related: where the async function is declared.
  assert.equal(related.length, 1);
  assert.deepEqual({ ...related[0], message: undefined }, { file: 'fmt.ts', line: 1, column: 1, message: undefined });
  assert.match(related[0].message, /declared/);
});

test('--format json: columns are 1-based UTF-16 code units, offsets are UTF-8 bytes', (t) => {
  const dir = formatsProject(t);
  const { findings } = runJson(['fmt.ts'], { cwd: dir });
  // Line 3: `const s = "héllo 😀"; p();` — é is 1 UTF-16 unit (2 bytes), 😀 is 2 units (4 bytes).
  const afterEmoji = findings.find((f) => f.line === 3);
  const expected3 = locate(FORMATS_SOURCE, 3, 'p();');
  assert.equal(expected3.column, 23);
  assert.deepEqual(
    [afterEmoji.line, afterEmoji.column, afterEmoji.endLine, afterEmoji.endColumn, afterEmoji.offset, afterEmoji.endOffset],
    [3, 23, 3, 27, expected3.offset, expected3.endOffset],
  );
  assert.equal(expected3.offset - Buffer.byteLength(FORMATS_SOURCE.split('\n').slice(0, 2).join('\n') + '\n'), 25);
  // Line 5: `p("😀");` — the emoji inside the span: endColumn counts it as 2, endOffset as 4 bytes.
  const spanning = findings.find((f) => f.line === 5);
  const expected5 = locate(FORMATS_SOURCE, 5, 'p("😀");');
  assert.deepEqual(
    [spanning.column, spanning.endColumn, spanning.endOffset - spanning.offset, spanning.offset],
    [1, 9, 10, expected5.offset],
  );
});

test('--format json: applying a suggestion\'s edits removes the finding', (t) => {
  const dir = formatsProject(t);
  const file = path.join(dir, 'fmt.ts');
  const { findings } = runJson(['fmt.ts'], { cwd: dir });
  const withSuggestions = findings.filter((f) => f.suggestions.length > 0);
  assert.deepEqual(brief(withSuggestions), ['fmt.ts:2:1 floating-promise', 'fmt.ts:3:23 floating-promise', 'fmt.ts:4:1 missing-catch', 'fmt.ts:5:1 floating-promise']);
  for (const finding of withSuggestions) {
    const original = Buffer.from(FORMATS_SOURCE);
    const edits = [...finding.suggestions[0].edits].sort((a, b) => b.offset - a.offset);
    let bytes = original;
    for (const edit of edits) {
      assert.ok(edit.offset <= edit.endOffset && edit.endOffset <= original.length, JSON.stringify(edit));
      bytes = Buffer.concat([bytes.subarray(0, edit.offset), Buffer.from(edit.text), bytes.subarray(edit.endOffset)]);
    }
    fs.writeFileSync(file, bytes);
    const after = runJson(['fmt.ts'], { cwd: dir });
    const remaining = after.findings.filter((f) => f.line === finding.line && f.rule === finding.rule);
    assert.deepEqual(remaining, [], `after applying "${finding.suggestions[0].description}":\n${bytes}`);
    // The other findings are still there.
    assert.equal(after.findings.length, findings.length - 1, bytes.toString());
  }
});

test('--format json: a related location in another file is given in the same form as the finding\'s file', (t) => {
  const dir = tempDir(t);
  writeFiles(dir, {
    'src/lib.ts': 'export async function save(): Promise<void> { await Promise.reject(new Error("io")); }\n',
    'src/main.ts': "import { save } from './lib';\nsave();\n",
  });
  for (const args of [['.'], ['src'], ['src/main.ts']]) {
    const result = runJson(args, { cwd: dir });
    assert.deepEqual(brief(result.findings), ['src/main.ts:2:1 floating-promise'], args.join(' '));
    const related = result.findings[0].related;
    assert.equal(related.length, 1, JSON.stringify(related));
    assert.deepEqual(
      { file: related[0].file, line: related[0].line, column: related[0].column },
      { file: 'src/lib.ts', line: 1, column: 8 },
      `asynclint ${args.join(' ')}: related location ${JSON.stringify(related[0])}`,
    );
    assert.match(related[0].message, /save/);
  }
});

test('-o FILE writes the report to the file and nothing to standard output', (t) => {
  const dir = formatsProject(t);
  const direct = run(['fmt.ts', '--format', 'json'], { cwd: dir });
  const toFile = run(['fmt.ts', '--format', 'json', '-o', 'report.json'], { cwd: dir });
  assert.equal(toFile.status, 1, describe(toFile));
  assert.equal(toFile.stdout, '');
  assert.equal(fs.readFileSync(path.join(dir, 'report.json'), 'utf8'), direct.stdout);
  assert.equal(JSON.parse(direct.stdout).length, 4);

  const stylishDirect = run(['fmt.ts'], { cwd: dir });
  const stylishFile = run(['fmt.ts', '--output', 'report.txt'], { cwd: dir });
  assert.equal(stylishFile.status, 1, describe(stylishFile));
  assert.equal(stylishFile.stdout, '');
  assert.equal(fs.readFileSync(path.join(dir, 'report.txt'), 'utf8'), stylishDirect.stdout);
  assert.match(stylishDirect.stdout, /✖ 4 problems/);

  const unwritable = run(['fmt.ts', '-o', path.join(dir, 'no', 'such', 'dir', 'r.json')], { cwd: dir });
  assert.equal(unwritable.status, 2, describe(unwritable));
  assert.match(unwritable.stderr, /cannot write/);
});

test('--format stylish: header, one line per finding, summary', (t) => {
  const dir = formatsProject(t);
  const { findings } = runJson(['fmt.ts', '--rule', 'missing-catch=warn'], { cwd: dir });
  const result = run(['fmt.ts', '--rule', 'missing-catch=warn'], { cwd: dir });
  assert.equal(result.status, 1, describe(result));
  assert.equal(result.stderr, '');
  assert.doesNotMatch(result.stdout, ANSI);
  const lines = result.stdout.split('\n');
  assert.equal(lines[0], '');
  assert.equal(lines[1], 'fmt.ts');
  const rows = lines.slice(2, 2 + findings.length);
  rows.forEach((row, i) => {
    const f = findings[i];
    const match = /^ +(\d+):(\d+) {2}(error|warning) *  (.*)  ([a-z-]+)$/.exec(row);
    assert.ok(match, `not a finding line: ${JSON.stringify(row)}`);
    assert.deepEqual(match.slice(1), [String(f.line), String(f.column), f.severity === 'warn' ? 'warning' : 'error', f.message, f.rule]);
  });
  // Positions are right-aligned, severities left-aligned: the messages start in one column.
  const messageColumns = rows.map((row, i) => row.indexOf(findings[i].message));
  assert.equal(new Set(messageColumns).size, 1, rows.join('\n'));
  assert.ok(lines.includes('✖ 4 problems (3 errors, 1 warning)'), result.stdout);
  assert.equal(rows.length, 4);
  assert.equal(lines[2 + findings.length], '', 'a blank line before the summary');
});

test('stylish summary: singular forms', (t) => {
  const dir = tempDir(t);
  writeFiles(dir, { 'one.js': FLOATING });
  const result = run(['one.js'], { cwd: dir });
  assert.equal(result.status, 1, describe(result));
  assert.ok(result.stdout.split('\n').includes('✖ 1 problem (1 error, 0 warnings)'), result.stdout);
});

test('--code-frame shows the source line and carets under the finding', (t) => {
  const dir = formatsProject(t);
  const result = run(['fmt.ts', '--code-frame'], { cwd: dir });
  assert.equal(result.status, 1, describe(result));
  assert.doesNotMatch(result.stdout, ANSI);
  const lines = result.stdout.split('\n');
  // The finding after the emoji, line 3.
  const marker = lines.findIndex((l) => /^ *> 3 \| /.test(l));
  assert.notEqual(marker, -1, result.stdout);
  assert.equal(lines[marker].trim(), '> 3 | const s = "héllo 😀"; p();');
  const caret = /^( *)\| ( *)(\^+)$/.exec(lines[marker + 1]);
  assert.ok(caret, `no caret line after ${JSON.stringify(lines[marker])}: ${JSON.stringify(lines[marker + 1])}`);
  // The caret line's bar sits under the source line's bar, and the carets under `p();` (column 23, 4 units).
  assert.equal(caret[1].length, lines[marker].indexOf('|'));
  assert.equal(caret[2].length, 22);
  assert.equal(caret[3].length, 4);
  // Context lines either side.
  assert.match(lines[marker - 1], /^ +2 \| p\(\);$/);
  assert.match(lines[marker + 2], /^ +4 \| p\(\)\.then/);
  // Without --code-frame (and not on a terminal) there is no frame.
  const plain = run(['fmt.ts'], { cwd: dir });
  assert.doesNotMatch(plain.stdout, /^ *> \d+ \|/m);
  assert.doesNotMatch(plain.stdout, /\^\^/);
});

test('colours: none when piped, escapes with --color, --no-color wins over nothing', (t) => {
  const dir = formatsProject(t);
  const piped = run(['fmt.ts'], { cwd: dir });
  assert.doesNotMatch(piped.stdout, ANSI);
  const noColorEnv = run(['fmt.ts'], { cwd: dir, env: { NO_COLOR: '1' } });
  assert.doesNotMatch(noColorEnv.stdout, ANSI);
  const forced = run(['fmt.ts', '--color'], { cwd: dir });
  assert.match(forced.stdout, ANSI);
  assert.match(forced.stdout, /\x1b\[31m/, 'errors in red');
  // Stripped of escapes, the coloured report is the plain one.
  assert.equal(forced.stdout.replace(/\x1b\[[0-9;]*m/g, ''), piped.stdout);
  const json = run(['fmt.ts', '--color', '--format', 'json'], { cwd: dir });
  assert.doesNotMatch(json.stdout, ANSI, 'JSON is never coloured');
});

test('colours on a terminal: escapes and code frame by default, none with NO_COLOR=1 or --no-color', (t) => {
  if (!hasCommand('script')) return t.skip('script(1) is not available to make a terminal');
  const dir = formatsProject(t);
  const onTerminal = (args, env = {}) => {
    const command = [BIN, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    const childEnv = { ...process.env, ...env };
    if (!('NO_COLOR' in env)) delete childEnv.NO_COLOR;
    const result = spawnSync('script', ['-qec', command, '/dev/null'], { cwd: dir, env: childEnv, encoding: 'utf8', input: '', timeout: 60_000 });
    return { status: result.status, stdout: (result.stdout ?? '').replace(/\r\n/g, '\n'), stderr: result.stderr ?? '', signal: result.signal };
  };
  const coloured = onTerminal(['fmt.ts']);
  assert.equal(coloured.status, 1, describe(coloured));
  assert.match(coloured.stdout, ANSI);
  assert.match(coloured.stdout.replace(/\x1b\[[0-9;]*m/g, ''), /> 3 \| const s/, 'code frame on by default on a terminal');
  const noColor = onTerminal(['fmt.ts'], { NO_COLOR: '1' });
  assert.equal(noColor.status, 1, describe(noColor));
  assert.doesNotMatch(noColor.stdout, ANSI);
  assert.match(noColor.stdout, /fmt\.ts/);
  const flag = onTerminal(['fmt.ts', '--no-color']);
  assert.doesNotMatch(flag.stdout, ANSI);
  assert.match(flag.stdout, /✖ 4 problems/);
});

test('--quiet reports errors only', (t) => {
  const dir = formatsProject(t);
  const json = runJson(['fmt.ts', '--quiet', '--rule', 'missing-catch=warn'], { cwd: dir });
  assert.equal(json.status, 1, describe(json));
  assert.deepEqual(brief(json.findings), ['fmt.ts:2:1 floating-promise', 'fmt.ts:3:23 floating-promise', 'fmt.ts:5:1 floating-promise']);
  const stylish = run(['fmt.ts', '--quiet', '--rule', 'missing-catch=warn'], { cwd: dir });
  assert.doesNotMatch(stylish.stdout, /missing-catch/);
  assert.doesNotMatch(stylish.stdout, / warning /);
  assert.match(stylish.stdout, /^✖ 3 problems \(3 errors, 0 warnings\)$/m);
  // Only warnings: --quiet prints nothing and exits 0.
  const onlyWarnings = run(['fmt.ts', '--quiet', '--rule', 'missing-catch=warn', '--rule', 'floating-promise=warn'], { cwd: dir });
  assert.equal(onlyWarnings.status, 0, describe(onlyWarnings));
  assert.equal(onlyWarnings.stdout, '');
});

test('--rules lists the three rules with their default severity', (t) => {
  const rules = listedRules();
  const ids = rules.map((r) => r.id);
  for (const id of RULE_IDS) assert.ok(ids.includes(id), `${id} is not listed:\n${ids.join('\n')}`);
  assert.deepEqual(rules.filter((r) => RULE_IDS.includes(r.id)).map((r) => `${r.id} ${r.severity}`), RULE_IDS.map((id) => `${id} error`));
  assert.equal(new Set(ids).size, ids.length, 'each rule once');
  assert.deepEqual(ids, [...ids].sort(), 'sorted by id');
  // The same rules, with the same default severities, as the built-in configuration.
  const dir = tempDir(t);
  writeFiles(dir, { 'x.js': '' });
  const printed = JSON.parse(run(['--print-config', 'x.js'], { cwd: dir }).stdout);
  assert.deepEqual(Object.keys(printed.rules).sort(), [...ids].sort());
  for (const { id, severity } of rules) assert.equal(printed.rules[id][0], severity, id);
});

test('asynclint rule ID prints the rule documentation', async (t) => {
  for (const { id, severity } of listedRules()) {
    await t.test(id, () => {
      const result = run(['rule', id]);
      assert.equal(result.status, 0, describe(result));
      assert.ok(result.stdout.startsWith(`# ${id}\n`), result.stdout.slice(0, 200));
      assert.match(result.stdout, /^## Bad/m);
      assert.match(result.stdout, /^## Good/m);
      assert.match(result.stdout, new RegExp(`Default severity: ${severity}\\.`));
    });
  }
  const withOptions = run(['rule', 'floating-promise']);
  assert.match(withOptions.stdout, /^## Options$/m);
  for (const option of ['ignoreVoid', 'ignoreIIFE', 'allowForKnownSafeCalls']) assert.match(withOptions.stdout, new RegExp('`' + option + '`'));
});

test('asynclint rule with an unknown id exits 2', () => {
  const result = run(['rule', 'nope']);
  assert.equal(result.status, 2, describe(result));
  assert.equal(result.stdout, '');
  assert.match(result.stderr, /unknown rule 'nope'/);
});

test('--version and -V print the version; -v stays --verbose', (t) => {
  for (const flag of ['--version', '-V']) {
    const result = run([flag]);
    assert.equal(result.status, 0, describe(result));
    assert.match(result.stdout, /^asynclint \d+\.\d+\.\d+\s*$/);
  }
  const dir = formatsProject(t);
  const verbose = run(['-v', 'fmt.ts'], { cwd: dir });
  assert.match(verbose.stdout, /how it runs/);
});

test('--no-code-frame turns the frame off, even with -v (which keeps the explanation)', (t) => {
  const dir = formatsProject(t);
  const framed = run(['-v', 'fmt.ts'], { cwd: dir });
  assert.match(framed.stdout, /^ *> 3 \| /m);
  const result = run(['-v', '--no-code-frame', 'fmt.ts'], { cwd: dir });
  assert.equal(result.status, 1, describe(result));
  assert.doesNotMatch(result.stdout, /^ *> \d+ \|/m);
  assert.match(result.stdout, /how it runs/);
  assert.doesNotMatch(run(['--code-frame', '--no-code-frame', 'fmt.ts'], { cwd: dir }).stdout, /\^\^/);
});

test('the summary points at --fix-suggestions --fix-dry-run for the suggested fixes', (t) => {
  const dir = tempDir(t);
  writeFiles(dir, { 'one.js': FLOATING });
  const result = run(['one.js'], { cwd: dir });
  assert.match(result.stdout, /^ {2}1 finding has a suggested fix: --fix-suggestions --fix-dry-run shows the edits/m);
  assert.doesNotMatch(result.stdout, /see --format json/);
});

test('repeatable options take one value each: paths after them are paths', (t) => {
  const dir = tempDir(t);
  fs.writeFileSync(path.join(dir, 'a.js'), 'async function p() { await Promise.reject(new Error("io")); }\np();\n');
  const result = runJson(['--rule', 'floating-promise=warn', '--ignore-pattern', 'nothing-here', 'a.js'], { cwd: dir });
  assert.equal(result.status, 0, describe(result));
  assert.deepEqual(result.findings.map((f) => `${f.rule}:${f.severity}`), ['floating-promise:warn']);
});
