// SARIF 2.1.0: valid against the official schema (offline, from @microsoft/jest-sarif), GitHub code
// scanning's own rules the schema misses, GitHub's line-hash fingerprint, suppressions, determinism.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { SOURCE_DIR, run, tempDir } from './helpers.mjs';

const require = createRequire(path.join(SOURCE_DIR, 'package.json'));
const Ajv = require('ajv-draft-04');
const schema = JSON.parse(
  fs.readFileSync(path.join(SOURCE_DIR, 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'),
);
const validate = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false }).compile(schema);

function sarifOf(args, options) {
  const result = run(['--format', 'sarif', ...args], options);
  assert.ok(result.status === 0 || result.status === 1, result.stderr);
  return { result, sarif: JSON.parse(result.stdout) };
}

// GitHub's rules beyond the schema (what its upload would reject or mis-render).
function assertGithubRules(sarif) {
  assert.equal(sarif.version, '2.1.0');
  assert.equal(sarif.runs.length, 1);
  const [r] = sarif.runs;
  assert.equal(r.columnKind, 'utf16CodeUnits');
  const driver = r.tool.driver;
  for (const key of ['name', 'version', 'informationUri']) assert.ok(driver[key], `tool.driver.${key}`);
  for (const rule of driver.rules) {
    for (const key of ['id', 'name']) assert.ok(rule[key], `rule ${key}`);
    assert.ok(rule.shortDescription.text && rule.fullDescription.text && rule.help.text && rule.help.markdown && rule.helpUri, rule.id);
    assert.ok(['error', 'warning', 'note'].includes(rule.defaultConfiguration.level));
    assert.ok(Array.isArray(rule.properties.tags) && rule.properties.precision && rule.properties['problem.severity']);
    assert.match(rule.help.markdown, /## Bad/);
    // The rule's generated page, not its C++ source; the page exists and is the same documentation.
    assert.match(rule.helpUri, new RegExp(`/${rule.id}\\.md$`));
    const page = fs.readFileSync(path.join(SOURCE_DIR, 'docs/rules', `${rule.id}.md`), 'utf8');
    assert.ok(page.endsWith(rule.help.markdown), `docs/rules/${rule.id}.md carries the rule's documentation`);
  }
  assert.equal(typeof r.invocations[0].executionSuccessful, 'boolean');
  for (const result of r.results) {
    assert.equal(driver.rules[result.ruleIndex].id, result.ruleId);
    assert.ok(['error', 'warning', 'note'].includes(result.level));
    assert.ok(result.message.text.length > 0);
    assert.equal(result.locations.length, 1, 'exactly one location');
    const { artifactLocation, region } = result.locations[0].physicalLocation;
    assert.equal(artifactLocation.uriBaseId, '%SRCROOT%');
    assert.doesNotMatch(artifactLocation.uri, /^(\/|[a-z]+:)/, 'a relative URI');
    assert.ok(region.startLine >= 1 && region.startColumn >= 1 && region.endLine >= region.startLine);
    assert.match(result.partialFingerprints.primaryLocationLineHash, /^[0-9a-f]+:\d+$/);
    assert.ok(result.partialFingerprints['asynclintFingerprint/v1']);
    // The execution-order explanation as a code flow, and a second one for the fixed code where the rule
    // shows its fix: steps numbered from 1, each at a place with a message; the messages say which is which.
    const fixShown = ['fetch-without-abort', 'sequential-await', 'unbounded-promise-all'].includes(result.ruleId);
    assert.equal(result.codeFlows.length, fixShown ? 2 : 1, `${result.ruleId} has its code flows`);
    assert.match(result.codeFlows[0].message.text, /^The code as written/);
    if (fixShown) assert.match(result.codeFlows[1].message.text, /^The same code with the suggested fix/);
    for (const flow of result.codeFlows) {
      const steps = flow.threadFlows[0].locations;
      assert.ok(steps.length >= 2 && steps.length <= 10_000, `${steps.length} steps`);
      steps.forEach((step, i) => {
        assert.equal(step.executionOrder, i + 1);
        assert.ok(step.nestingLevel === 0 || step.nestingLevel === 1);
        assert.match(step.location.message.text, /^\[\d+ ms\] ./);
        assert.equal(step.location.physicalLocation.artifactLocation.uri, artifactLocation.uri);
        assert.ok(step.location.physicalLocation.region.startLine >= 1);
      });
    }
  }
}

test('the SARIF of every fixture folder and of the example project is valid and meets GitHub\'s rules', () => {
  const folders = fs.readdirSync(path.join(SOURCE_DIR, 'fixtures')).filter((name) => name !== 'loop' && !name.includes('.'));
  let results = 0;
  for (const target of [...folders.map((f) => `fixtures/${f}`), 'examples/order-service']) {
    const { sarif } = sarifOf([target], { cwd: SOURCE_DIR });
    const valid = validate(sarif);
    assert.ok(valid, `${target}: ${JSON.stringify(validate.errors?.slice(0, 3))}`);
    assertGithubRules(sarif);
    results += sarif.runs[0].results.length;
  }
  assert.ok(results > 300, `only ${results} results`);
});

// GitHub's fingerprint algorithm (codeql-action src/fingerprints.ts), transcribed independently with BigInt
// for Long's 64-bit wrapping arithmetic.
function githubLineHashes(text) {
  const BLOCK = 100;
  const MOD = 37n;
  const wrap = (v) => BigInt.asUintN(64, v);
  let firstMod = 1n;
  for (let i = 0; i < BLOCK; i++) firstMod = wrap(firstMod * MOD);
  const windowValues = Array(BLOCK).fill(0n);
  const lineNumbers = Array(BLOCK).fill(-1);
  let hashRaw = 0n, index = 0, lineNumber = 0, lineStart = true, prevCR = false;
  const counts = {}, hashes = {};
  const outputHash = () => {
    const value = hashRaw.toString(16);
    counts[value] = (counts[value] || 0) + 1;
    hashes[lineNumbers[index]] = `${value}:${counts[value]}`;
    lineNumbers[index] = -1;
  };
  const updateHash = (current) => {
    const begin = windowValues[index];
    windowValues[index] = BigInt(current);
    hashRaw = wrap(MOD * hashRaw + BigInt(current) - firstMod * begin);
    index = (index + 1) % BLOCK;
  };
  const processCharacter = (current) => {
    if (current === 32 || current === 9 || (prevCR && current === 10)) { prevCR = false; return; }
    if (current === 13) { current = 10; prevCR = true; } else { prevCR = false; }
    if (lineNumbers[index] !== -1) outputHash();
    if (lineStart) { lineStart = false; lineNumber++; lineNumbers[index] = lineNumber; }
    if (current === 10) lineStart = true;
    updateHash(current);
  };
  for (let i = 0; i < text.length; i++) processCharacter(text.charCodeAt(i));
  processCharacter(65535);
  for (let i = 0; i < BLOCK; i++) { if (lineNumbers[index] !== -1) outputHash(); updateHash(0); }
  return hashes;
}

test('primaryLocationLineHash is what GitHub\'s algorithm computes (CRLF, tabs, emoji, BOM, repeated lines)', (t) => {
  const dir = tempDir(t);
  const samples = {
    'lf.js': 'async function p() { await Promise.reject(new Error("io")); }\n\tp();\np();\n' + 'x = 1;\n'.repeat(150) + 'p();\n',
    'crlf.js': 'async function p() { await Promise.reject(new Error("io")); }\r\nconst s = "😀 héllo";\r\n  p();\r\n\r\np();\r\n',
    'bom.js': '\uFEFFasync function p() { await Promise.reject(new Error("io")); }\np(); // 😀😀\n',
    'long.js': `async function p() { await Promise.reject(new Error("io")); }\n${'const a = 1; '.repeat(20)}\np();\n`,
  };
  for (const [name, text] of Object.entries(samples)) fs.writeFileSync(path.join(dir, name), text);
  const { sarif } = sarifOf(['.'], { cwd: dir });
  const results = sarif.runs[0].results;
  assert.ok(results.length >= 6);
  for (const result of results) {
    const file = result.locations[0].physicalLocation.artifactLocation.uri;
    const expected = githubLineHashes(fs.readFileSync(path.join(dir, file), 'utf8'));
    const line = result.locations[0].physicalLocation.region.startLine;
    assert.equal(result.partialFingerprints.primaryLocationLineHash, expected[line], `${file}:${line}`);
  }
});

test('our fingerprint survives unrelated edits above the finding', (t) => {
  const dir = tempDir(t);
  fs.writeFileSync(path.join(dir, 'a.js'), 'async function p() { await Promise.reject(new Error("io")); }\np();\n');
  const before = sarifOf(['a.js'], { cwd: dir }).sarif.runs[0].results[0];
  fs.writeFileSync(path.join(dir, 'a.js'), '// a new comment\nconst unrelated = 1;\n\nasync function p() { await Promise.reject(new Error("io")); }\np();\n');
  const after = sarifOf(['a.js'], { cwd: dir }).sarif.runs[0].results[0];
  assert.notEqual(after.locations[0].physicalLocation.region.startLine, before.locations[0].physicalLocation.region.startLine);
  assert.equal(after.partialFingerprints['asynclintFingerprint/v1'], before.partialFingerprints['asynclintFingerprint/v1']);
});

test('columns are UTF-16 code units on non-ASCII lines', (t) => {
  const dir = tempDir(t);
  fs.writeFileSync(path.join(dir, 'a.js'), 'async function p() { await Promise.reject(new Error("io")); }\nconst s = "😀é"; p();\n');
  const [result] = sarifOf(['a.js'], { cwd: dir }).sarif.runs[0].results;
  // `p();` starts after `const s = "😀é"; ` = 11 + 2 (surrogate pair) + 1 + 3 = 17 code units.
  assert.deepEqual(result.locations[0].physicalLocation.region, { startLine: 2, startColumn: 18, endLine: 2, endColumn: 22 });
});

test('suppressed findings are left out, and included with suppressions[] on request', (t) => {
  const dir = tempDir(t);
  fs.writeFileSync(
    path.join(dir, 'a.js'),
    'async function p() { await Promise.reject(new Error("io")); }\n// asynclint-disable-next-line floating-promise -- shutdown path, logged elsewhere\np();\np();\n',
  );
  fs.writeFileSync(path.join(dir, 'b.js'), 'async function q() { await Promise.reject(new Error("io")); }\nq();\n');
  run(['--suppress-rule', 'floating-promise', 'b.js'], { cwd: dir });
  assert.equal(sarifOf(['.'], { cwd: dir }).sarif.runs[0].results.length, 1);
  const { sarif } = sarifOf(['--sarif-include-suppressed', '.'], { cwd: dir });
  assert.ok(validate(sarif), JSON.stringify(validate.errors));
  const suppressions = sarif.runs[0].results.map((r) => [r.locations[0].physicalLocation.artifactLocation.uri, r.suppressions]);
  assert.deepEqual(suppressions, [
    ['a.js', [{ kind: 'inSource', justification: 'shutdown path, logged elsewhere' }]],
    ['a.js', undefined],
    ['b.js', [{ kind: 'external', justification: 'accepted by the baseline' }]],
  ]);
});

test('files that could not be read or parsed become notifications; output is byte-identical for any thread count', (t) => {
  const dir = tempDir(t);
  fs.writeFileSync(path.join(dir, 'bin.js'), Buffer.from([0x61, 0x00, 0x62]));
  fs.writeFileSync(path.join(dir, 'broken.js'), 'async function p() { await Promise.reject(new Error("io")); }\np();\nfunction (\n');
  const one = run(['--format', 'sarif', '--threads', '1', '.'], { cwd: dir });
  const two = run(['--format', 'sarif', '--threads', '2', '.'], { cwd: dir });
  assert.equal(one.stdout, two.stdout);
  const sarif = JSON.parse(one.stdout);
  assert.ok(validate(sarif), JSON.stringify(validate.errors));
  const messages = sarif.runs[0].invocations[0].toolExecutionNotifications.map((n) => `${n.level}: ${n.message.text}`);
  assert.equal(messages.length, 2, messages.join('\n'));
  assert.equal(messages.sort()[0], 'error: bin.js: skipped: binary file (contains NUL bytes)');
  // The syntax error where it starts: the nameless `function (` on line 3.
  assert.match(messages[1], /^warning: broken\.js:3:1: Parsing error: unexpected 'function \('; the code around it was linted, nothing inside it$/);
});
