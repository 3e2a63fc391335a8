// asynclint.json: nearest config wins, comments, rule options, --config, --rule on top, ignorePatterns,
// --print-config, and the errors a bad configuration gives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { FLOATING, SOURCE_DIR, brief, describe, run, runJson, tempDir, writeFiles } from './helpers.mjs';

// Three findings, one per rule: 2:1 floating-promise, 3:1 missing-catch, 4:1 async-foreach.
const ALL_RULES = [
  'async function p() { await Promise.reject(new Error("io")); }',
  'p();',
  'p().then(() => {});',
  '[1, 2].forEach(async () => { await p(); });',
  '',
].join('\n');

// The severities --print-config shows for the three rules these tests are about.
const severities = (config) =>
  Object.fromEntries(['async-foreach', 'floating-promise', 'missing-catch'].map((id) => [id, config.rules[id]?.[0]]));

const withSeverity = (findings) => findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.rule} ${f.severity}`);

test('the nearest asynclint.json wins: a sub-folder config overrides the parent for files below it', (t) => {
  const dir = tempDir(t);
  writeFiles(dir, {
    'asynclint.json': '{ "rules": { "floating-promise": "off", "async-foreach": "warn" } }',
    'top.js': ALL_RULES,
    'sub/asynclint.json': '{ "rules": { "missing-catch": "off" } }',
    'sub/below.js': ALL_RULES,
    'sub/deeper/deepest.js': ALL_RULES,
    'other/plain.js': ALL_RULES,
  });
  const result = runJson(['.'], { cwd: dir });
  assert.equal(result.status, 1, describe(result));
  assert.deepEqual(withSeverity(result.findings), [
    // other/: no config of its own, the root one applies.
    'other/plain.js:3:1 missing-catch error',
    'other/plain.js:4:1 async-foreach warn',
    // sub/ and below: only sub/asynclint.json (no merging with the parent: floating-promise is back on).
    'sub/below.js:2:1 floating-promise error',
    'sub/below.js:4:1 async-foreach error',
    'sub/deeper/deepest.js:2:1 floating-promise error',
    'sub/deeper/deepest.js:4:1 async-foreach error',
    'top.js:3:1 missing-catch error',
    'top.js:4:1 async-foreach warn',
  ]);
});

test('comments are allowed in asynclint.json', (t) => {
  const dir = tempDir(t);
  writeFiles(dir, {
    'asynclint.json': [
      '// project settings',
      '{',
      '  /* block comment */',
      '  "rules": {',
      '    "floating-promise": "warn", // line comment after a value',
      '    "missing-catch": "off"',
      '  }',
      '}',
      '',
    ].join('\n'),
    'a.js': ALL_RULES,
  });
  const result = runJson(['a.js'], { cwd: dir });
  assert.equal(result.status, 1, describe(result));
  assert.deepEqual(withSeverity(result.findings), ['a.js:2:1 floating-promise warn', 'a.js:4:1 async-foreach error']);
});

test('rule options: ignoreVoid, ignoreIIFE, allowForKnownSafeCalls', (t) => {
  const dir = tempDir(t);
  const source = [
    'async function p() { await Promise.reject(new Error("io")); }',
    'async function logEvent() { await Promise.reject(new Error("io")); }',
    'void p();',
    '(async () => { await p(); })();',
    'logEvent();',
    '',
  ].join('\n');
  writeFiles(dir, {
    'defaults/a.js': source,
    'strict/asynclint.json': '{ "rules": { "floating-promise": ["error", { "ignoreVoid": false }] } }',
    'strict/a.js': source,
    'lenient/asynclint.json':
      '{ "rules": { "floating-promise": ["warn", { "ignoreIIFE": true, "allowForKnownSafeCalls": ["logEvent"] }] } }',
    'lenient/a.js': source,
  });
  const result = runJson(['.'], { cwd: dir });
  assert.deepEqual(withSeverity(result.findings), [
    'defaults/a.js:4:1 floating-promise error',
    'defaults/a.js:5:1 floating-promise error',
    // lenient/: `void p()` (ignoreVoid defaults to true), the IIFE and logEvent() are all allowed.
    'strict/a.js:3:1 floating-promise error',
    'strict/a.js:4:1 floating-promise error',
    'strict/a.js:5:1 floating-promise error',
  ]);
});

test('--config FILE applies to every file, ignoring the nearest asynclint.json', (t) => {
  const dir = tempDir(t);
  writeFiles(dir, {
    'shared.json': '{ "rules": { "floating-promise": "warn", "missing-catch": "off", "async-foreach": "off" } }',
    'a.js': ALL_RULES,
    'sub/asynclint.json': '{ "rules": { "floating-promise": "error", "missing-catch": "error" } }',
    'sub/b.js': ALL_RULES,
  });
  for (const flag of ['--config', '-c']) {
    const result = runJson(['.', flag, 'shared.json'], { cwd: dir });
    assert.equal(result.status, 0, describe(result));
    assert.deepEqual(withSeverity(result.findings), ['a.js:2:1 floating-promise warn', 'sub/b.js:2:1 floating-promise warn']);
  }
  // Without --config the sub-folder's file applies there.
  const nearest = runJson(['.'], { cwd: dir });
  assert.deepEqual(withSeverity(nearest.findings), [
    'a.js:2:1 floating-promise error',
    'a.js:3:1 missing-catch error',
    'a.js:4:1 async-foreach error',
    'sub/b.js:2:1 floating-promise error',
    'sub/b.js:3:1 missing-catch error',
    'sub/b.js:4:1 async-foreach error',
  ]);
});

test('--rule overrides the configuration file', (t) => {
  const dir = tempDir(t);
  writeFiles(dir, {
    'asynclint.json': '{ "rules": { "floating-promise": "off", "missing-catch": "warn" } }',
    'a.js': ALL_RULES,
  });
  const result = runJson(['a.js', '--rule', 'floating-promise=warn', '--rule', 'missing-catch=error', '--rule', 'async-foreach=off'], { cwd: dir });
  assert.equal(result.status, 1, describe(result));
  assert.deepEqual(withSeverity(result.findings), ['a.js:2:1 floating-promise warn', 'a.js:3:1 missing-catch error']);
  // --rule keeps the options the file set.
  writeFiles(dir, { 'asynclint.json': '{ "rules": { "floating-promise": ["off", { "ignoreVoid": false }] } }', 'v.js': 'async function p() { await Promise.reject(new Error("io")); }\nvoid p();\n' });
  const keepsOptions = runJson(['v.js', '--rule', 'floating-promise=error'], { cwd: dir });
  assert.deepEqual(withSeverity(keepsOptions.findings), ['v.js:2:1 floating-promise error']);
  // And --rule applies on top of --config too.
  writeFiles(dir, { 'c.json': '{ "rules": { "floating-promise": "error" } }' });
  const overConfig = runJson(['a.js', '--config', 'c.json', '--rule', 'floating-promise=off', '--rule', 'missing-catch=off', '--rule', 'async-foreach=off'], { cwd: dir });
  assert.equal(overConfig.status, 0, describe(overConfig));
  assert.deepEqual(overConfig.findings, []);
});

test('ignorePatterns skip files relative to the folder of the asynclint.json', (t) => {
  const dir = tempDir(t);
  writeFiles(dir, {
    'proj/asynclint.json': '{ "ignorePatterns": ["generated/", "*.spec.ts", "/rootonly.js"] }',
    'proj/src/a.ts': FLOATING,
    'proj/src/a.spec.ts': FLOATING,
    'proj/generated/g.ts': FLOATING,
    'proj/src/generated/g2.ts': FLOATING,
    'proj/rootonly.js': FLOATING,
    'proj/src/rootonly.js': FLOATING,
    'outside/a.spec.ts': FLOATING,
  });
  const result = runJson(['.'], { cwd: dir });
  assert.deepEqual(brief(result.findings), [
    'outside/a.spec.ts:2:1 floating-promise',
    'proj/src/a.ts:2:1 floating-promise',
    'proj/src/rootonly.js:2:1 floating-promise',
  ]);
  // Same from inside the project.
  const inside = runJson([], { cwd: path.join(dir, 'proj') });
  assert.deepEqual(brief(inside.findings), ['src/a.ts:2:1 floating-promise', 'src/rootonly.js:2:1 floating-promise']);
  // --no-ignore turns them off.
  const noIgnore = runJson(['proj', '--no-ignore'], { cwd: dir });
  assert.deepEqual(brief(noIgnore.findings), [
    'proj/generated/g.ts:2:1 floating-promise',
    'proj/rootonly.js:2:1 floating-promise',
    'proj/src/a.spec.ts:2:1 floating-promise',
    'proj/src/a.ts:2:1 floating-promise',
    'proj/src/generated/g2.ts:2:1 floating-promise',
    'proj/src/rootonly.js:2:1 floating-promise',
  ]);
});

// As ESLint does, and as pre-commit needs (it names every changed file): an ignored file named on the command
// line is skipped with a warning, however its path is spelled.
test('ignorePatterns also skip a file named explicitly on the command line, with a warning', async (t) => {
  const dir = tempDir(t);
  writeFiles(dir, {
    'asynclint.json': '{ "ignorePatterns": ["gen/"] }',
    'gen/x.ts': FLOATING,
  });
  const spellings = ['gen/x.ts', './gen/x.ts', 'gen//x.ts', path.join(dir, 'gen', 'x.ts')];
  for (const spelling of spellings) {
    await t.test(spelling.startsWith('/') ? 'absolute path' : spelling, () => {
      const result = runJson([spelling], { cwd: dir });
      assert.equal(result.status, 0, describe(result));
      assert.deepEqual(result.findings, []);
      assert.match(result.stderr, /warning: .*x\.ts: file ignored because of a matching ignore pattern/);
    });
  }
});

test('--print-config prints the effective configuration for a file', (t) => {
  const dir = tempDir(t);
  writeFiles(dir, {
    'asynclint.json': '{ "rules": { "missing-catch": "warn" }, "ignorePatterns": ["dist/"], "reportUnusedSuppressions": "off" }',
    'sub/asynclint.json': '{ "rules": { "floating-promise": ["error", { "ignoreVoid": false }], "async-foreach": "off" } }',
    'a.ts': FLOATING,
    'sub/b.ts': FLOATING,
  });
  const top = run(['--print-config', 'a.ts'], { cwd: dir });
  assert.equal(top.status, 0, describe(top));
  const topConfig = JSON.parse(top.stdout);
  assert.equal(fs.realpathSync(topConfig.configFile), fs.realpathSync(path.join(dir, 'asynclint.json')));
  assert.deepEqual(severities(topConfig), { 'async-foreach': 'error', 'floating-promise': 'error', 'missing-catch': 'warn' });
  assert.deepEqual(topConfig.rules['floating-promise'][1], { ignoreVoid: true, ignoreIIFE: false, allowForKnownSafeCalls: [], reportNonRejecting: false, reportUnprovenRejections: false });
  assert.deepEqual(topConfig.ignorePatterns, ['dist/']);
  assert.equal(topConfig.reportUnusedSuppressions, 'off');

  const sub = JSON.parse(run(['--print-config', 'sub/b.ts'], { cwd: dir }).stdout);
  assert.equal(fs.realpathSync(sub.configFile), fs.realpathSync(path.join(dir, 'sub', 'asynclint.json')));
  assert.deepEqual(severities(sub), { 'async-foreach': 'off', 'floating-promise': 'error', 'missing-catch': 'error' });
  assert.equal(sub.rules['floating-promise'][1].ignoreVoid, false);
  assert.equal(sub.reportUnusedSuppressions, 'warn');
  assert.deepEqual(sub.ignorePatterns, []);

  // --rule is reflected.
  const overridden = JSON.parse(run(['--print-config', 'sub/b.ts', '--rule', 'async-foreach=warn'], { cwd: dir }).stdout);
  assert.equal(overridden.rules['async-foreach'][0], 'warn');

  // No config anywhere: the built-in defaults, configFile null.
  const bare = tempDir(t);
  writeFiles(bare, { 'x.js': FLOATING });
  const defaults = run(['--print-config', 'x.js'], { cwd: bare });
  assert.equal(defaults.status, 0, describe(defaults));
  const defaultConfig = JSON.parse(defaults.stdout);
  assert.equal(defaultConfig.configFile, null);
  assert.deepEqual(severities(defaultConfig), { 'async-foreach': 'error', 'floating-promise': 'error', 'missing-catch': 'error' });
  for (const [id, setting] of Object.entries(defaultConfig.rules)) {
    assert.ok(Array.isArray(setting) && setting.length === 2, id);
    assert.match(setting[0], /^(off|warn|error)$/, id);
  }
});

test('a bad asynclint.json exits 2 with a message naming the file and the problem', async (t) => {
  const cases = [
    { name: 'malformed JSON', text: '{ "rules": ', stderr: /asynclint\.json:1:12: unexpected end of file: expected a value$/m },
    { name: 'a missing property name', text: '{\n  "rules": {\n    , "floating-promise": "off"\n  }\n}', stderr: /asynclint\.json:3:5: expected a property name$/m },
    { name: 'trailing garbage', text: '{ "rules": {} } }', stderr: /asynclint\.json:1:17: unexpected text after the end of the configuration$/m },
    // found by fuzzing: nlohmann throws out_of_range, not parse_error, for a number too large for a double
    { name: 'number overflow', text: '{ "rules": { "floating-promise": 1e999 } }', stderr: /asynclint\.json: a number is too large/ },
    { name: 'not an object', text: '[]', stderr: /asynclint\.json: .*must be a JSON object/ },
    { name: 'unknown rule', text: '{ "rules": { "no-such-rule": "error" } }', stderr: /asynclint\.json: unknown rule 'no-such-rule'/ },
    { name: 'misspelt rule', text: '{ "rules": { "floating-promises": "error" } }', stderr: /asynclint\.json: unknown rule 'floating-promises': did you mean 'floating-promise'\?/ },
    { name: 'extends a missing file', text: '{ "extends": "../base/asynclint.json" }', stderr: /asynclint\.json: "extends": cannot read \.\.\/base\/asynclint\.json/ },
    { name: 'an override without files', text: '{ "overrides": [{ "rules": {} }] }', stderr: /asynclint\.json: overrides\[0\]: "files" is missing/ },
    { name: 'unknown option', text: '{ "rules": { "floating-promise": ["error", { "ignoreVoids": false }] } }', stderr: /asynclint\.json: rule 'floating-promise' has no option 'ignoreVoids'/ },
    { name: 'option of the wrong type', text: '{ "rules": { "floating-promise": ["error", { "ignoreVoid": "no" }] } }', stderr: /option 'ignoreVoid' must be a boolean/ },
    { name: 'bad severity', text: '{ "rules": { "floating-promise": "fatal" } }', stderr: /rule 'floating-promise': severity must be/ },
    { name: 'unknown top-level key', text: '{ "rulez": {} }', stderr: /asynclint\.json: unknown key "rulez"/ },
    { name: 'bad reportUnusedSuppressions', text: '{ "reportUnusedSuppressions": true }', stderr: /"reportUnusedSuppressions" must be/ },
    { name: 'ignorePatterns not an array', text: '{ "ignorePatterns": "dist/" }', stderr: /"ignorePatterns" must be an array of strings/ },
  ];
  for (const c of cases) {
    await t.test(c.name, (tt) => {
      const dir = tempDir(tt);
      writeFiles(dir, { 'proj/asynclint.json': c.text, 'proj/a.js': FLOATING, 'fine.js': FLOATING });
      // Found as the nearest config.
      const nearest = run(['proj'], { cwd: dir });
      assert.equal(nearest.status, 2, describe(nearest));
      assert.match(nearest.stderr, c.stderr);
      assert.equal(nearest.stdout, '');
      // Named with --config: applies even to a file elsewhere.
      const named = run(['fine.js', '--config', 'proj/asynclint.json'], { cwd: dir });
      assert.equal(named.status, 2, describe(named));
      assert.match(named.stderr, c.stderr);
      // And through --print-config.
      const printed = run(['--print-config', 'proj/a.js'], { cwd: dir });
      assert.equal(printed.status, 2, describe(printed));
      assert.match(printed.stderr, c.stderr);
    });
  }
});

test('a bad asynclint.json in a folder that is not linted does not matter', (t) => {
  const dir = tempDir(t);
  writeFiles(dir, { 'broken/asynclint.json': '{ nope', 'broken/a.js': FLOATING, 'ok/a.js': FLOATING });
  const result = runJson(['ok'], { cwd: dir });
  assert.equal(result.status, 1, describe(result));
  assert.deepEqual(brief(result.findings), ['ok/a.js:2:1 floating-promise']);
});

test('JSON with comments and trailing commas, as VS Code edits it', (t) => {
  const dir = tempDir(t);
  writeFiles(dir, {
    'asynclint.json': '{\n  // tests may float\n  "rules": {\n    "floating-promise": "off",\n  },\n  "ignorePatterns": ["dist/",],\n}\n',
    'a.js': ALL_RULES,
    'dist/b.js': ALL_RULES,
  });
  const result = runJson(['.'], { cwd: dir });
  assert.equal(result.status, 1, describe(result));
  assert.deepEqual(brief(result.findings), ['a.js:3:1 missing-catch', 'a.js:4:1 async-foreach']);
});

test('--rule with a misspelt id suggests the rule', () => {
  const result = run(['--rule', 'floating-promises=off', '.']);
  assert.equal(result.status, 2, describe(result));
  assert.match(result.stderr, /unknown rule 'floating-promises': did you mean 'floating-promise'\?/);
  assert.match(run(['rule', 'missing-catchh']).stderr, /did you mean 'missing-catch'\?/);
});

// The newcomer's case: a tests/asynclint.json that turns one rule off used to bring back every default the
// root had turned off.
test('extends and overrides: a folder config turns one rule off without undoing the root', (t) => {
  const dir = tempDir(t);
  writeFiles(dir, {
    'asynclint.json': JSON.stringify({
      rules: { 'async-foreach': 'off' },
      overrides: [{ files: ['scripts/**'], rules: { 'missing-catch': 'warn' } }, { files: ['scripts/ok.js'], rules: { 'missing-catch': 'off' } }],
    }),
    'tests/asynclint.json': '{ "extends": "../asynclint.json", "rules": { "floating-promise": "off" } }',
    'tests/a.test.js': ALL_RULES,
    'scripts/run.js': ALL_RULES,
    'scripts/ok.js': ALL_RULES,
    'src/a.js': ALL_RULES,
  });
  const result = runJson(['.'], { cwd: dir });
  assert.equal(result.status, 1, describe(result));
  assert.deepEqual(withSeverity(result.findings), [
    'scripts/ok.js:2:1 floating-promise error',
    'scripts/run.js:2:1 floating-promise error',
    'scripts/run.js:3:1 missing-catch warn',
    'src/a.js:2:1 floating-promise error',
    'src/a.js:3:1 missing-catch error',
    'tests/a.test.js:3:1 missing-catch error',
  ]);
  // --print-config shows what applies to that one file.
  const printed = JSON.parse(run(['--print-config', 'scripts/run.js'], { cwd: dir }).stdout);
  assert.deepEqual(severities(printed), { 'async-foreach': 'off', 'floating-promise': 'error', 'missing-catch': 'warn' });
  const cyclic = tempDir(t);
  writeFiles(cyclic, { 'asynclint.json': '{ "extends": "sub/asynclint.json" }', 'sub/asynclint.json': '{ "extends": "../asynclint.json" }', 'a.js': FLOATING });
  const cycle = run(['a.js'], { cwd: cyclic });
  assert.equal(cycle.status, 2, describe(cycle));
  assert.match(cycle.stderr, /"extends": .* leads back to itself/);
});

// What the published schema accepts, the binary accepts, and the other way round.
test('the JSON schema and the binary agree on overrides and extends', async (t) => {
  const { createRequire } = await import('node:module');
  const require = createRequire(path.join(SOURCE_DIR, 'package.json'));
  const Ajv = require('ajv');
  const validate = new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(fs.readFileSync(path.join(SOURCE_DIR, 'schema/asynclint.schema.json'), 'utf8')));
  const cases = [
    [true, { extends: 'base.json', overrides: [{ files: ['tests/**'], rules: { 'floating-promise': ['warn', { ignoreVoid: false }] } }] }],
    [true, { extends: ['base.json'], overrides: [{ files: '*.spec.ts' }] }],
    [false, { overrides: [{ rules: {} }] }],
    [false, { overrides: [{ files: [] }] }],
    [false, { overrides: [{ files: ['a'], rules: { 'no-such-rule': 'off' } }] }],
    [false, { overrides: [{ files: ['a'], rules: { 'floating-promise': ['warn', { nope: 1 }] } }] }],
    [false, { overrides: [{ files: ['a'], severity: 'off' }] }],
    [false, { extends: 3 }],
  ];
  for (const [valid, config] of cases) {
    const dir = tempDir(t);
    writeFiles(dir, { 'asynclint.json': JSON.stringify(config), 'base.json': '{}', 'a.js': 'export const a = 1;\n' });
    assert.equal(validate(config), valid, `schema on ${JSON.stringify(config)}: ${JSON.stringify(validate.errors)}`);
    const result = run(['a.js'], { cwd: dir });
    assert.equal(result.status, valid ? 0 : 2, `binary on ${JSON.stringify(config)}: ${describe(result)}`);
  }
});
