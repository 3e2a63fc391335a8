// Documents through a real client: pushed diagnostics and their fields, incremental edits (multi-line,
// emoji, CJK) in UTF-16 and UTF-8, full sync, pull diagnostics, hover, code actions, cross-file re-checks.
// Where positions matter, the oracle is the command line linting the same final text from scratch.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';

import { spawnSync } from 'node:child_process';
import { BIN, applyEdits, cliFindings, lsp, positionAt, rangeOf, startServer, summary, uriOf, workspace } from './helpers.mjs';

const FLOATING = 'async function p() { await Promise.reject(new Error("io")); }\np();\n';

test('diagnostics are pushed after open, with range, severity, code, href, source, message, related information', async () => {
  const ws = workspace();
  const server = await startServer({ root: ws.root });
  const file = ws.file('a.ts');
  await server.open(file, FLOATING);
  const { diagnostics, version } = await server.published(file, 1);
  assert.equal(version, 1);
  assert.equal(diagnostics.length, 1);
  const [d] = diagnostics;
  assert.deepEqual(d.range, rangeOf(FLOATING, 'p();', 'utf-16'));  // the whole statement
  assert.equal(d.severity, lsp.DiagnosticSeverity.Error);
  assert.equal(d.code, 'floating-promise');
  assert.match(d.codeDescription.href, /^https:\/\/.*\/docs\/rules\/floating-promise\.md$/);
  assert.equal(d.source, 'asynclint');
  assert.match(d.message, /promise returned by p\(\)/);
  // Related information: the explanation's steps then the related locations, as the command line's JSON
  // lists them, each in this file.
  assert.deepEqual(d.relatedInformation.map((r) => r.message), cliFindings(FLOATING, 'a.ts')[0].messages);
  assert.ok(d.relatedInformation.length >= 1);
  for (const info of d.relatedInformation) assert.equal(info.location.uri, uriOf(file));
  assert.deepEqual(await server.stop(), { code: 0, signal: null });
});

// One sequence of edits a person might make, each given as [needle to find in the current text (or a
// position), its replacement]. Multi-line and non-ASCII on purpose.
const START = 'async function p() { await Promise.reject(new Error("io")); }\nconst s = "😀 中文";\n';
const EDITS = [
  ['append', 'p();\n'],                                        // a finding on a new line
  ['中文', '日本語 한국어'],                                    // CJK replaced by longer CJK, same line
  ['"; // end', null],                                         // (no-op marker, skipped below)
  ['";\n', '"; p();\n'],                                        // a finding after emoji and CJK on one line
  ['async function p() { await Promise.reject(new Error("io")); }\n', 'async function p() {\n  return 1;\n}\nfunction q() {\n  p();\n}\n'],  // multi-line
  ['😀', '😀😀👍🏽'],                                           // astral characters, a surrogate-heavy line
  ['  p();\n}', '  void p();\n  p();\n}'],                     // edit inside a function, across lines
  ['function q() {\n', ''],                                    // deletion joining lines...
  ['  void p();\n  p();\n}\n', '  void p();\n  p();\n'],        // ...and the brace after it (now top level)
  ['"😀', '"\u00e9\u0301😀'],                                   // combining accent: two code units, one glyph
];

async function runEditSequence(encoding) {
  const ws = workspace();
  const capabilities = encoding === 'utf-8' ? { general: { positionEncodings: ['utf-8', 'utf-16'] } } : {};
  const server = await startServer({ root: ws.root, capabilities });
  assert.equal(server.initialize.capabilities.positionEncoding, encoding);
  const file = ws.file('edits.ts');
  let text = START;
  let version = 1;
  await server.open(file, text, version);
  await server.published(file, version);
  for (const [needle, replacement] of EDITS) {
    if (replacement === null) continue;
    let range;
    if (needle === 'append') {
      const end = positionAt(text, text.length, encoding);
      range = { start: end, end };
    } else {
      range = rangeOf(text, needle, encoding);
    }
    text = applyEdits(text, [{ range, newText: replacement }], encoding);
    await server.change(file, ++version, [{ range, text: replacement }]);
    const { diagnostics } = await server.published(file, version);
    // The same text linted from scratch by the command line: same findings at the same places.
    const expected = cliFindings(text, 'edits.ts').map((f) => ({
      ...f,
      range: encoding === 'utf-8' ? { start: toUtf8(text, f.range.start), end: toUtf8(text, f.range.end) } : f.range,
    }));
    assert.deepEqual(summary(diagnostics), summary(expected), `after replacing ${JSON.stringify(needle)}:\n${text}`);
  }
  assert.ok(text.includes('日本語 한국어') && text.includes('😀😀👍🏽'), 'every edit was applied');
  await server.stop();
}

// A UTF-16 position as UTF-8 (bytes before it on its line).
function toUtf8(text, position) {
  const line = text.split(/\r\n|\r|\n/)[position.line] ?? '';
  return { line: position.line, character: Buffer.byteLength(line.slice(0, position.character), 'utf8') };
}

test('incremental edits (multi-line, emoji, CJK) give the findings of a fresh lint, UTF-16 positions', async () => {
  await runEditSequence('utf-16');
});

test('incremental edits (multi-line, emoji, CJK) give the findings of a fresh lint, UTF-8 positions', async () => {
  await runEditSequence('utf-8');
});

test('several changes in one notification apply in order, each relative to the last', async () => {
  const ws = workspace();
  const server = await startServer({ root: ws.root });
  const file = ws.file('multi.ts');
  await server.open(file, FLOATING);
  await server.published(file, 1);
  // Insert a line before p(); then, in the text that produced, make p() awaited-looking with void.
  await server.change(file, 2, [
    { range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: 'const x = "✓";\n' },
    { range: { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } }, text: 'void ' },
  ]);
  assert.deepEqual((await server.published(file, 2)).diagnostics, []);
  // Then one change without a range: full sync is accepted too.
  await server.change(file, 3, [{ text: '// 😀\n' + FLOATING }]);
  const { diagnostics } = await server.published(file, 3);
  assert.deepEqual(summary(diagnostics), ['floating-promise@2:0-2:4']);
  await server.stop();
});

test('pull diagnostics: nothing is pushed, textDocument/diagnostic answers, unchanged results say so', async () => {
  const ws = workspace();
  const server = await startServer({ root: ws.root, capabilities: { textDocument: { diagnostic: {} } } });
  const file = ws.file('pull.ts');
  await server.open(file, FLOATING);
  const first = await server.connection.sendRequest(lsp.DocumentDiagnosticRequest.type, { textDocument: { uri: uriOf(file) } });
  assert.equal(first.kind, 'full');
  assert.deepEqual(summary(first.items), ['floating-promise@1:0-1:4']);
  const again = await server.connection.sendRequest(lsp.DocumentDiagnosticRequest.type, { textDocument: { uri: uriOf(file) }, previousResultId: first.resultId });
  assert.deepEqual(again, { kind: 'unchanged', resultId: first.resultId });
  await server.change(file, 2, [{ range: rangeOf(FLOATING, 'p();\n', 'utf-16', 0), text: 'void p();\n' }]);
  const after = await server.connection.sendRequest(lsp.DocumentDiagnosticRequest.type, { textDocument: { uri: uriOf(file) }, previousResultId: first.resultId });
  assert.equal(after.kind, 'full');
  assert.deepEqual(after.items, []);
  assert.notEqual(after.resultId, first.resultId);
  await new Promise((resolve) => setTimeout(resolve, 200));  // longer than the debounce: a push would have come
  assert.equal(server.diagnostics.length, 0, 'a pull client gets no publishDiagnostics');
  await server.stop();
});

test('hover on a finding shows its message as Markdown; elsewhere there is nothing', async () => {
  const ws = workspace();
  const server = await startServer({ root: ws.root, capabilities: { textDocument: { hover: { contentFormat: ['markdown', 'plaintext'] } } } });
  const file = ws.file('hover.ts');
  const text = 'async function p() { await Promise.reject(new Error("io")); }\nconst label = "中文😀"; p();\n';
  await server.open(file, text);
  await server.published(file, 1);
  const at = rangeOf(text, 'p();', 'utf-16');
  const hover = await server.connection.sendRequest(lsp.HoverRequest.type, {
    textDocument: { uri: uriOf(file) },
    position: { line: at.start.line, character: at.start.character + 1 },
  });
  assert.equal(hover.contents.kind, 'markdown');
  assert.match(hover.contents.value, /`floating-promise`/);
  assert.match(hover.contents.value, /promise returned by p\(\)/);
  assert.match(hover.contents.value, /\[floating-promise documentation\]\(https:/);
  // Every step of the execution-order explanation, when the engine has one for this finding.
  for (const step of cliFindings(text, 'hover.ts')[0].explanation) assert.ok(hover.contents.value.includes(step.message), step.message);
  assert.deepEqual(hover.range, at);
  const nothing = await server.connection.sendRequest(lsp.HoverRequest.type, { textDocument: { uri: uriOf(file) }, position: { line: 0, character: 3 } });
  assert.equal(nothing, null);
  await server.stop();
});

// The explanation of a floating promise starts with a step nested under the caller: as a Markdown list that
// became an orphan bullet before "1.", so every number was one off from the command line's.
test('the hover numbers the explanation\'s steps exactly as asynclint --explain does', async () => {
  const ws = workspace();
  const server = await startServer({ root: ws.root, capabilities: { textDocument: { hover: { contentFormat: ['markdown'] } } } });
  const file = ws.file('numbers.ts');
  const text = 'async function p() { await Promise.reject(new Error("io")); }\nfunction run() {\n  p();\n}\nrun();\n';
  await server.open(file, text);
  await server.published(file, 1);
  const at = rangeOf(text, 'p();', 'utf-16');
  const hover = await server.connection.sendRequest(lsp.HoverRequest.type, { textDocument: { uri: uriOf(file) }, position: at.start });
  const cli = spawnSync(BIN, ['--stdin', '--stdin-filename', 'numbers.ts', '--explain', '--no-color'], { input: text, encoding: 'utf8' });
  const numbered = (lines) => lines.map((line) => /^\s*(\d+)\. (.*)$/.exec(line)).filter(Boolean).map((m) => `${m[1]}. ${m[2]}`);
  const cliSteps = numbered(cli.stdout.split('\n'));
  assert.ok(cliSteps.length >= 2, cli.stdout);
  assert.ok(/^\s+1\. /m.test(cli.stdout.split('how it runs')[1]), 'the first step is nested: the case that went wrong');
  const hoverSteps = numbered(hover.contents.value.split('\n'));
  assert.deepEqual(hoverSteps, cliSteps);
  await server.stop();
});

test('the hover shows the fixed code\'s run after the code as written, as --explain does', async () => {
  const ws = workspace();
  const server = await startServer({ root: ws.root, capabilities: { textDocument: { hover: { contentFormat: ['markdown'] } } } });
  const file = ws.file('load.js');
  const text = 'const fs = require("fs");\nasync function load(url) {\n  const res = await fetch(url);\n  return res.json();\n}\n';
  await server.open(file, text);
  await server.published(file, 1);
  const at = rangeOf(text, 'fetch(url)', 'utf-16');
  const hover = await server.connection.sendRequest(lsp.HoverRequest.type, { textDocument: { uri: uriOf(file) }, position: at.start });
  const [asWritten, fixed] = hover.contents.value.split('**What happens when it runs**')[1].split('**With the suggested fix**');
  assert.ok(fixed, hover.contents.value);
  const [finding] = cliFindings(text, 'load.js');
  for (const step of finding.explanation) assert.ok(asWritten.includes(step.message), step.message);
  for (const step of finding.fixedExplanation) assert.ok(fixed.includes(step.message), step.message);
  assert.doesNotMatch(asWritten, /AbortSignal/);
  await server.stop();
});

test('code actions: the suggestion as a quickfix that removes the finding, disable for this line, documentation', async () => {
  const ws = workspace();
  const server = await startServer({ root: ws.root, capabilities: { workspace: { workspaceEdit: { documentChanges: true } }, window: { showDocument: { support: true } } } });
  const file = ws.file('actions.ts');
  let text = 'async function p() { await Promise.reject(new Error("io")); }\nfunction run() {\n  p();\n}\n';
  await server.open(file, text);
  const { diagnostics } = await server.published(file, 1);
  assert.equal(diagnostics.length, 1);
  const actions = await server.connection.sendRequest(lsp.CodeActionRequest.type, {
    textDocument: { uri: uriOf(file) },
    range: diagnostics[0].range,
    context: { diagnostics },
  });
  // Every suggestion the CLI gives (a `.catch`, then `void`), the first one preferred, then the two actions
  // every finding has.
  const suggestions = cliFindings(text, 'actions.ts')[0].suggestions;
  assert.equal(suggestions.length, 2);
  assert.deepEqual(actions.map((a) => a.title), [...suggestions.map((s) => s.description), 'Disable floating-promise for this line', 'Show documentation for floating-promise']);
  assert.ok(actions.every((a) => a.kind === 'quickfix'));
  assert.equal(actions[0].isPreferred, true);
  assert.ok(!actions[1].isPreferred);
  assert.deepEqual(actions[0].diagnostics, diagnostics);

  // Apply the quickfix as an editor would (versioned edit of this document), send the change, and the
  // finding is gone.
  const [change] = actions[0].edit.documentChanges;
  assert.deepEqual(change.textDocument, { uri: uriOf(file), version: 1 });
  const fixed = applyEdits(text, change.edits);
  await server.change(file, 2, change.edits.map((e) => ({ range: e.range, text: e.newText })));
  assert.deepEqual((await server.published(file, 2)).diagnostics, []);
  assert.equal(fixed, text.replace('  p();', '  p().catch((error) => {\n    console.error(error);\n  });'));

  // Undo it, then disable the rule for the line instead: gone too, and the comment is not "unused".
  await server.change(file, 3, [{ text }]);
  assert.equal((await server.published(file, 3)).diagnostics.length, 1);
  const disable = actions[2].edit.documentChanges[0].edits;
  text = applyEdits(text, disable);
  assert.equal(text, 'async function p() { await Promise.reject(new Error("io")); }\nfunction run() {\n  // asynclint-disable-next-line floating-promise\n  p();\n}\n');
  await server.change(file, 4, disable.map((e) => ({ range: e.range, text: e.newText })));
  assert.deepEqual((await server.published(file, 4)).diagnostics, []);

  // Show documentation: a command the server executes; it opens the page and returns the Markdown.
  const result = await server.connection.sendRequest(lsp.ExecuteCommandRequest.type, actions[3].command);
  assert.equal(result.rule, 'floating-promise');
  assert.match(result.markdown, /floating-promise/);
  const shown = await server.requests.next((r) => r.method === 'window/showDocument');
  assert.deepEqual(shown.params, { uri: result.href, external: true });
  await server.stop();
});

test('code actions: a second rule on a disabled line extends the directive; source.fixAll offers only safe fixes', async () => {
  const ws = workspace();
  const server = await startServer({ root: ws.root });
  const file = ws.file('two.ts');
  const text = 'async function p() { await Promise.reject(new Error("io")); }\nasync function run(xs: number[]) {\n  // asynclint-disable-next-line floating-promise\n  xs.forEach(async () => { p(); await null; });\n}\n';
  await server.open(file, text);
  const { diagnostics } = await server.published(file, 1);
  const foreach = diagnostics.find((d) => d.code === 'async-foreach');
  assert.ok(foreach, JSON.stringify(diagnostics));
  const actions = await server.connection.sendRequest(lsp.CodeActionRequest.type, { textDocument: { uri: uriOf(file) }, range: foreach.range, context: { diagnostics: [foreach] } });
  const disable = actions.find((a) => a.title === 'Disable async-foreach for this line');
  const edited = applyEdits(text, disable.edit.changes[uriOf(file)]);
  assert.match(edited, /\/\/ asynclint-disable-next-line floating-promise, async-foreach\n  xs\.forEach/);
  // No rule has a fix that cannot change behaviour, so "fix all" must not touch the file (the
  // suggestions above are offered one by one, never applied wholesale).
  const fixAll = await server.connection.sendRequest(lsp.CodeActionRequest.type, { textDocument: { uri: uriOf(file) }, range: foreach.range, context: { diagnostics: [], only: ['source.fixAll'] } });
  assert.deepEqual(fixAll, []);
  await server.stop();
});

test('cross-file: when an imported function becomes async in its open buffer, the importer is re-checked', async () => {
  const ws = workspace({
    // Synchronous, it throws; made async, it returns a promise that rejects: a finding in main.ts.
    'src/store.ts': "export function save(x: number) { if (x < 0) throw new Error('negative'); return x; }\n",
    'src/main.ts': "import { save } from './store';\nexport function run() {\n  save(1);\n}\n",
  });
  const server = await startServer({ root: ws.root });
  const main = ws.file('src/main.ts');
  const store = ws.file('src/store.ts');
  await server.open(main, fs.readFileSync(main, 'utf8'));
  assert.deepEqual((await server.published(main, 1)).diagnostics, []);
  await server.open(store, fs.readFileSync(store, 'utf8'));
  await server.published(store, 1);
  const mark = server.diagnostics.length;
  // Only store.ts changes; main.ts's diagnostics must follow.
  await server.change(store, 2, [{ range: rangeOf('export function', 'export '), text: 'export async ' }]);
  const republished = await server.diagnostics.next((p) => p.uri === uriOf(main) && p.diagnostics.length > 0, { since: mark, what: 'main.ts re-checked' });
  assert.deepEqual(summary(republished.diagnostics), ['floating-promise@2:2-2:10']);
  const related = republished.diagnostics[0].relatedInformation.map((r) => r.location.uri);
  assert.ok(related.includes(uriOf(store)), `points at the declaration in store.ts: ${related}`);
  // Closing store.ts: the file on disk (still synchronous) is what main.ts imports again.
  const beforeClose = server.diagnostics.length;
  await server.connection.sendNotification(lsp.DidCloseTextDocumentNotification.type, { textDocument: { uri: uriOf(store) } });
  const cleared = await server.diagnostics.next((p) => p.uri === uriOf(main), { since: beforeClose, what: 'main.ts re-checked after close' });
  assert.deepEqual(cleared.diagnostics, []);
  await server.stop();
});

test('cross-file: a file changed on disk (didChangeWatchedFiles) re-checks the open files importing it', async () => {
  const ws = workspace({
    'lib.js': 'export function flush() {}\n',
    'app.js': "import { flush } from './lib.js';\nflush();\n",
  });
  const server = await startServer({ root: ws.root, capabilities: { workspace: { didChangeWatchedFiles: { dynamicRegistration: true } } } });
  const registration = await server.requests.next((r) => r.method === 'client/registerCapability');
  const globs = registration.params.registrations[0].registerOptions.watchers.map((w) => w.globPattern);
  assert.ok(globs.includes('**/asynclint.json'), globs);
  const app = ws.file('app.js');
  await server.open(app, fs.readFileSync(app, 'utf8'));
  assert.deepEqual((await server.published(app, 1)).diagnostics, []);
  fs.writeFileSync(ws.file('lib.js'), 'export async function flush() { await Promise.reject(new Error("io")); }\n');
  const mark = server.diagnostics.length;
  await server.connection.sendNotification(lsp.DidChangeWatchedFilesNotification.type, { changes: [{ uri: ws.uri('lib.js'), type: lsp.FileChangeType.Changed }] });
  const { diagnostics } = await server.diagnostics.next((p) => p.uri === uriOf(app), { since: mark, what: 'app.js re-checked' });
  assert.deepEqual(summary(diagnostics), ['floating-promise@1:0-1:8']);
  await server.stop();
});

test('closing a document clears its diagnostics', async () => {
  const ws = workspace();
  const server = await startServer({ root: ws.root });
  const file = ws.file('closing.js');
  await server.open(file, FLOATING);
  assert.equal((await server.published(file, 1)).diagnostics.length, 1);
  const mark = server.diagnostics.length;
  await server.connection.sendNotification(lsp.DidCloseTextDocumentNotification.type, { textDocument: { uri: uriOf(file) } });
  assert.deepEqual((await server.diagnostics.next((p) => p.uri === uriOf(file), { since: mark })).diagnostics, []);
  await server.stop();
});
