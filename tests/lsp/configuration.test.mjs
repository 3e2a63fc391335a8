// Configuration through a real client: asynclint.json from the workspace (re-read after
// didChangeWatchedFiles, or when its modification time changes), ignorePatterns, a malformed file, and the
// editor's settings on top (initializationOptions, workspace/configuration, didChangeConfiguration).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';

import { lsp, startServer, summary, uriOf, workspace } from './helpers.mjs';

const FLOATING = 'async function p() { await Promise.reject(new Error("io")); }\np();\n';
const severities = (published) => published.diagnostics.map((d) => `${d.code}:${d.severity}`);

test('asynclint.json in the workspace applies; a change announced by didChangeWatchedFiles is picked up', async () => {
  const ws = workspace({ 'asynclint.json': '{ "rules": { "floating-promise": "off" } }', 'src/a.ts': FLOATING });
  const server = await startServer({ root: ws.root });
  const file = ws.file('src/a.ts');
  await server.open(file, FLOATING);
  assert.deepEqual((await server.published(file, 1)).diagnostics, []);
  fs.writeFileSync(ws.file('asynclint.json'), '{ "rules": { "floating-promise": "warn" } }');
  const mark = server.diagnostics.length;
  await server.connection.sendNotification(lsp.DidChangeWatchedFilesNotification.type, { changes: [{ uri: ws.uri('asynclint.json'), type: lsp.FileChangeType.Changed }] });
  const after = await server.diagnostics.next((p) => p.uri === uriOf(file), { since: mark, what: 'diagnostics after the config change' });
  assert.deepEqual(severities(after), [`floating-promise:${lsp.DiagnosticSeverity.Warning}`]);
  await server.stop();
});

test('without file watching, an edited asynclint.json is noticed by its modification time at the next lint', async () => {
  const ws = workspace({ 'asynclint.json': '{ "rules": { "floating-promise": "warn" } }' });
  const server = await startServer({ root: ws.root });
  const file = ws.file('b.ts');
  await server.open(file, FLOATING);
  assert.deepEqual(severities(await server.published(file, 1)), ['floating-promise:2']);
  fs.writeFileSync(ws.file('asynclint.json'), '{ "rules": { "floating-promise": "error" } }\n');
  await server.change(file, 2, [{ range: { start: { line: 1, character: 4 }, end: { line: 1, character: 4 } }, text: ' ' }]);
  assert.deepEqual(severities(await server.published(file, 2)), ['floating-promise:1']);
  // A new asynclint.json closer to the file takes over (the nearest one wins, as on the command line).
  fs.mkdirSync(ws.file('sub'));
  const nested = ws.file('sub/c.ts');
  fs.writeFileSync(ws.file('sub/asynclint.json'), '{ "rules": { "floating-promise": "off" } }');
  await server.open(nested, FLOATING);
  assert.deepEqual((await server.published(nested, 1)).diagnostics, []);
  await server.stop();
});

// The editor reads the same configuration as the command line: overrides by glob, and what a folder's
// asynclint.json extends (an edit to the extended file is noticed too).
test('overrides and extends apply in the editor as on the command line', async () => {
  const ws = workspace({
    'asynclint.json': '{ "rules": { "floating-promise": "warn" }, "overrides": [{ "files": ["*.test.ts"], "rules": { "floating-promise": "off" } }] }',
    'tests/asynclint.json': '{ "extends": "../config/base.json", "rules": { "missing-catch": "off" } }',
    'config/base.json': '{ "rules": { "floating-promise": "warn" } }',
  });
  const server = await startServer({ root: ws.root });
  const plain = ws.file('src/a.ts');
  const spec = ws.file('src/a.test.ts');
  const nested = ws.file('tests/b.ts');
  await server.open(plain, FLOATING);
  await server.open(spec, FLOATING);
  await server.open(nested, FLOATING);
  assert.deepEqual(severities(await server.published(plain, 1)), ['floating-promise:2']);
  assert.deepEqual((await server.published(spec, 1)).diagnostics, []);
  assert.deepEqual(severities(await server.published(nested, 1)), ['floating-promise:2']);  // the base's "warn", through extends
  // config/ is not above the file: only `extends` leads there.
  fs.writeFileSync(ws.file('config/base.json'), '{ "rules": { "floating-promise": "error" } }   \n');
  await server.change(nested, 2, [{ range: { start: { line: 1, character: 4 }, end: { line: 1, character: 4 } }, text: ' ' }]);
  assert.deepEqual(severities(await server.published(nested, 2)), ['floating-promise:1']);
  await server.stop();
});

test('ignorePatterns from asynclint.json: an ignored file gets no diagnostics in the editor either', async () => {
  const ws = workspace({ 'asynclint.json': '{ "ignorePatterns": ["generated/"] }' });
  const server = await startServer({ root: ws.root });
  const ignored = ws.file('generated/out.js');
  const linted = ws.file('src/in.js');
  await server.open(ignored, FLOATING);
  await server.open(linted, FLOATING);
  assert.deepEqual((await server.published(ignored, 1)).diagnostics, []);
  assert.equal((await server.published(linted, 1)).diagnostics.length, 1);
  await server.stop();
});

test('a malformed asynclint.json is shown to the user and reported on the file, not a crash', async () => {
  const ws = workspace({ 'asynclint.json': '{ "rules": { "no-such-rule": "error" } }' });
  const server = await startServer({ root: ws.root });
  const file = ws.file('d.ts');
  await server.open(file, FLOATING);
  const { diagnostics } = await server.published(file, 1);
  assert.deepEqual(diagnostics.map((d) => d.code), ['invalid-config']);
  assert.match(diagnostics[0].message, /no-such-rule/);
  assert.equal(diagnostics[0].severity, lsp.DiagnosticSeverity.Error);
  const shown = await server.shown.next(() => true);
  assert.equal(shown.type, lsp.MessageType.Error);
  assert.match(shown.message, /asynclint\.json/);
  // Fixed on disk: back to normal at the next change.
  fs.writeFileSync(ws.file('asynclint.json'), '{}');
  await server.change(file, 2, [{ text: FLOATING }]);
  assert.deepEqual((await server.published(file, 2)).diagnostics.map((d) => d.code), ['floating-promise']);
  await server.stop();
});

test('initializationOptions override asynclint.json severities', async () => {
  const ws = workspace({ 'asynclint.json': '{ "rules": { "floating-promise": "error" } }' });
  const server = await startServer({ root: ws.root, initializationOptions: { rules: { 'floating-promise': 'warn' } } });
  const file = ws.file('e.ts');
  await server.open(file, FLOATING);
  assert.deepEqual(severities(await server.published(file, 1)), ['floating-promise:2']);
  await server.stop();
});

test('workspace/configuration: the server asks for the "asynclint" section and lints with the answer', async () => {
  const ws = workspace();
  const server = await startServer({ root: ws.root, capabilities: { workspace: { configuration: true } }, settings: { rules: { 'floating-promise': 'off' } } });
  const asked = await server.requests.next((r) => r.method === 'workspace/configuration');
  assert.deepEqual(asked.params.items, [{ section: 'asynclint' }]);
  const file = ws.file('f.ts');
  await server.open(file, FLOATING + 'async function q() { [1].forEach(async () => { await null; }); }\n');
  assert.deepEqual(summary((await server.published(file, 1)).diagnostics).map((s) => s.split('@')[0]), ['async-foreach']);
  // didChangeConfiguration without settings (the pull model): the server asks again.
  server.client.settings = { rules: { 'async-foreach': 'off' } };
  const mark = server.diagnostics.length;
  await server.connection.sendNotification(lsp.DidChangeConfigurationNotification.type, { settings: null });
  const after = await server.diagnostics.next((p) => p.uri === uriOf(file), { since: mark, what: 'diagnostics after the new settings' });
  assert.deepEqual(after.diagnostics.map((d) => d.code), ['floating-promise']);
  await server.stop();
});

test('didChangeConfiguration with settings: enable false clears the diagnostics, true brings them back', async () => {
  const ws = workspace();
  const server = await startServer({ root: ws.root });
  const file = ws.file('g.js');
  await server.open(file, FLOATING);
  assert.equal((await server.published(file, 1)).diagnostics.length, 1);
  let mark = server.diagnostics.length;
  await server.connection.sendNotification(lsp.DidChangeConfigurationNotification.type, { settings: { asynclint: { enable: false } } });
  assert.deepEqual((await server.diagnostics.next((p) => p.uri === uriOf(file), { since: mark })).diagnostics, []);
  mark = server.diagnostics.length;
  await server.connection.sendNotification(lsp.DidChangeConfigurationNotification.type, { settings: { asynclint: { enable: true, rules: { 'floating-promise': 'warn' } } } });
  assert.deepEqual(severities(await server.diagnostics.next((p) => p.uri === uriOf(file), { since: mark })), ['floating-promise:2']);
  await server.stop();
});

test('invalid settings are logged and ignored, not fatal', async () => {
  const ws = workspace();
  const server = await startServer({ root: ws.root, initializationOptions: { rules: { 'not-a-rule': 'off', 'floating-promise': 'sometimes' }, debounceMs: -4, enable: 'yes' } });
  const file = ws.file('h.js');
  await server.open(file, FLOATING);
  assert.deepEqual(severities(await server.published(file, 1)), ['floating-promise:1']);
  const warnings = server.logs.items.filter((l) => l.type === lsp.MessageType.Warning).map((l) => l.message).join('\n');
  for (const expected of [/not-a-rule/, /sometimes|off, warn or error/, /debounceMs/, /enable/]) assert.match(warnings, expected);
  await server.stop();
});
