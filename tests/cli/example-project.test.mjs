// examples/order-service: the findings must be exactly the table of examples/README.md.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { SOURCE_DIR, describe, run, runJson, tempDir } from './helpers.mjs';

const PROJECT = 'examples/order-service';

// The rows of the "Expected findings" table: { file, line, rule }.
function expectedFindings() {
  const readme = fs.readFileSync(path.join(SOURCE_DIR, 'examples', 'README.md'), 'utf8');
  const section = readme.split(/^## Expected findings\s*$/m)[1]?.split(/^## /m)[0];
  assert.ok(section, 'examples/README.md has no "## Expected findings" section');
  const tableLines = section
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('|'));
  const cells = (line) => line.slice(1, line.endsWith('|') ? -1 : undefined).split('|').map((c) => c.trim());
  const header = cells(tableLines[0]);
  const [fileColumn, lineColumn, ruleColumn] = ['file', 'line', 'rule'].map((name) => header.indexOf(name));
  assert.ok(fileColumn >= 0 && lineColumn >= 0 && ruleColumn >= 0, `unexpected table header: ${tableLines[0]}`);
  assert.match(tableLines[1], /^\|[\s|:-]+\|?$/, 'second table line is the separator');
  const rows = [];
  for (const line of tableLines.slice(2)) {
    const row = cells(line);
    rows.push({ file: row[fileColumn].replace(/`/g, ''), line: Number(row[lineColumn]), rule: row[ruleColumn].replace(/`/g, '') });
  }
  assert.ok(rows.length > 0, 'the table has no rows');
  for (const row of rows) assert.ok(Number.isInteger(row.line) && row.line > 0, JSON.stringify(row));
  return rows;
}

const key = (f) => `${f.file}:${f.line} ${f.rule}`;

test('the README table parses into as many rows as the README announces', () => {
  const rows = expectedFindings();
  const readme = fs.readFileSync(path.join(SOURCE_DIR, 'examples', 'README.md'), 'utf8');
  const words = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve'];
  const announced = /Exactly these (\w+) findings/.exec(readme);
  assert.ok(announced, 'examples/README.md no longer says "Exactly these N findings"');
  const count = /^\d+$/.test(announced[1]) ? Number(announced[1]) : words.indexOf(announced[1].toLowerCase());
  assert.equal(rows.length, count, rows.map(key).join('\n'));
  // `./build.sh demo` ends by announcing the same count.
  const demo = /example project has (\d+) real findings/.exec(fs.readFileSync(path.join(SOURCE_DIR, 'build.sh'), 'utf8'));
  assert.ok(demo, 'build.sh no longer announces the example project\'s findings');
  assert.equal(Number(demo[1]), rows.length, 'build.sh demo announces another count than examples/README.md');
  for (const row of rows) assert.ok(fs.existsSync(path.join(SOURCE_DIR, PROJECT, row.file)), `${row.file} does not exist`);
});

test('asynclint examples/order-service reports exactly the findings of examples/README.md', () => {
  const expected = expectedFindings().map((row) => key({ ...row, file: `${PROJECT}/${row.file}` })).sort();
  const result = runJson([PROJECT], { cwd: SOURCE_DIR });
  assert.equal(result.status, 1, describe(result));
  assert.equal(result.stderr, '');
  // Reported in order: by path (bytes), then line, then column.
  const order = (a, b) => (a.file !== b.file ? (a.file < b.file ? -1 : 1) : a.line - b.line || a.column - b.column);
  assert.deepEqual(result.findings.map(key), [...result.findings].sort(order).map(key));
  assert.deepEqual(result.findings.map(key).sort(), expected);
});

test('for the rules the table covers, exactly the table\'s findings', () => {
  const rows = expectedFindings();
  const tableRules = new Set(rows.map((row) => row.rule));
  const result = runJson([PROJECT], { cwd: SOURCE_DIR });
  const actual = result.findings.filter((f) => tableRules.has(f.rule)).map(key).sort();
  assert.deepEqual(actual, rows.map((row) => key({ ...row, file: `${PROJECT}/${row.file}` })).sort());
  // Each finding carries its rule's default severity, as `asynclint --rules` lists it.
  const defaults = new Map(run(['--rules']).stdout.trim().split('\n').map((line) => line.split(/\s+/).slice(0, 2)));
  for (const f of result.findings.filter((f) => tableRules.has(f.rule))) {
    assert.equal(f.severity, defaults.get(f.rule), key(f));
    const source = fs.readFileSync(path.join(SOURCE_DIR, f.file), 'utf8').split(/\r?\n/)[f.line - 1];
    if (['floating-promise', 'missing-catch', 'async-foreach'].includes(f.rule)) {
      // The statement / call starts the line: the first non-blank character.
      assert.equal(f.column, source.search(/\S/) + 1, `${key(f)}: column ${f.column} on ${JSON.stringify(source)}`);
    } else {
      // The call itself: `fetch(…)` or `Promise.all(…)`.
      assert.match(source.slice(f.column - 1), /^(fetch|Promise)\b/, `${key(f)}: column ${f.column} on ${JSON.stringify(source)}`);
    }
  }
});

test('nothing is reported from dist/, which .gitignore lists', () => {
  const result = runJson([PROJECT], { cwd: SOURCE_DIR });
  assert.deepEqual(result.findings.filter((f) => f.file.includes('/dist/')), []);
  // The dist/ bug is real: with --no-ignore it shows up, so the test above is not vacuous.
  const noIgnore = runJson([PROJECT, '--no-ignore'], { cwd: SOURCE_DIR });
  assert.ok(
    noIgnore.findings.some((f) => f.file === `${PROJECT}/dist/server.js`),
    `no finding in dist/server.js with --no-ignore:\n${noIgnore.findings.map(key).join('\n')}`,
  );
});

test('the same findings from inside the project folder and for a copy outside any git repository', (t) => {
  const fromRoot = runJson([PROJECT], { cwd: SOURCE_DIR });
  const expected = fromRoot.findings.map((f) => key({ ...f, file: path.relative(PROJECT, f.file) })).sort();
  assert.ok(expected.length >= expectedFindings().length);
  const inside = runJson([], { cwd: path.join(SOURCE_DIR, PROJECT) });
  assert.deepEqual(inside.findings.map(key).sort(), expected);

  const dir = tempDir(t);
  const copy = path.join(dir, 'order-service');
  fs.cpSync(path.join(SOURCE_DIR, PROJECT), copy, { recursive: true });
  assert.ok(!fs.existsSync(path.join(copy, '.git')));
  const outside = runJson(['.'], { cwd: copy });
  assert.equal(outside.status, 1, describe(outside));
  assert.deepEqual(outside.findings.map(key).sort(), expected);
  // --threads does not change anything.
  const one = run(['.', '--threads', '1', '--format', 'json'], { cwd: copy });
  const two = run(['.', '--threads', '2', '--format', 'json'], { cwd: copy });
  assert.ok(one.stdout === two.stdout, '--threads 1 and --threads 2 differ on the example project');
  assert.ok(one.stdout === outside.stdout);
});
