// The LSP 3.17 lifecycle of `asynclint lsp`: initialize/initialized, shutdown then exit (exit code 0, or
// 1 without shutdown), InvalidRequest after shutdown, ServerNotInitialized before initialize,
// MethodNotFound, notifications never answered, position encoding negotiation.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { lsp, rawServer, startServer } from './helpers.mjs';

test('initialize announces incremental sync, hover, code actions and UTF-16 by default; shutdown + exit ends with 0', async () => {
  const server = await startServer();
  const { capabilities, serverInfo } = server.initialize;
  assert.equal(serverInfo.name, 'asynclint');
  assert.equal(capabilities.textDocumentSync.change, lsp.TextDocumentSyncKind.Incremental);
  assert.equal(capabilities.textDocumentSync.openClose, true);
  assert.equal(capabilities.positionEncoding, 'utf-16');
  assert.equal(capabilities.hoverProvider, true);
  assert.deepEqual(capabilities.codeActionProvider.codeActionKinds, ['quickfix', 'source.fixAll.asynclint']);
  assert.deepEqual(capabilities.executeCommandProvider.commands, ['asynclint.showDocumentation']);
  assert.equal(capabilities.diagnosticProvider, undefined, 'no pull diagnostics for a client that did not offer them');
  assert.deepEqual(await server.stop(), { code: 0, signal: null });
});

test('UTF-8 positions when the client offers them, UTF-16 otherwise', async () => {
  for (const [offered, expected] of [
    [['utf-8', 'utf-16'], 'utf-8'],
    [['utf-16', 'utf-8'], 'utf-8'],
    [['utf-16'], 'utf-16'],
    [['utf-32'], 'utf-16'],
  ]) {
    const server = await startServer({ capabilities: { general: { positionEncodings: offered } } });
    assert.equal(server.initialize.capabilities.positionEncoding, expected, `offered ${offered}`);
    await server.stop();
  }
});

test('pull diagnostics are announced when the client supports them', async () => {
  const server = await startServer({ capabilities: { textDocument: { diagnostic: { dynamicRegistration: false } } } });
  assert.deepEqual(server.initialize.capabilities.diagnosticProvider, { identifier: 'asynclint', interFileDependencies: true, workspaceDiagnostics: false });
  await server.stop();
});

test('exit without shutdown ends with 1', async () => {
  const server = await startServer();
  await server.connection.sendNotification(lsp.ExitNotification.type);
  assert.deepEqual(await server.exited, { code: 1, signal: null });
});

test('after shutdown, requests get InvalidRequest and notifications are dropped; exit then ends with 0', async () => {
  const server = rawServer();
  await server.initialize();
  server.send({ id: 1, method: 'shutdown' });
  assert.deepEqual((await server.response(1)).result, null);
  server.send({ id: 2, method: 'textDocument/hover', params: { textDocument: { uri: 'file:///x.ts' }, position: { line: 0, character: 0 } } });
  assert.equal((await server.response(2)).error.code, lsp.ErrorCodes.InvalidRequest);
  server.send({ id: 3, method: 'shutdown' });
  assert.equal((await server.response(3)).error.code, lsp.ErrorCodes.InvalidRequest);
  server.send({ method: 'textDocument/didOpen', params: { textDocument: { uri: 'file:///x.ts', languageId: 'typescript', version: 1, text: 'async function p() { await Promise.reject(new Error("io")); }\np();\n' } } });
  server.send({ method: 'exit' });
  assert.deepEqual(await server.exited, { code: 0, signal: null });
  assert.equal(server.messages.items.filter((m) => m.method === 'textDocument/publishDiagnostics').length, 0);
  assert.equal(server.framingError(), null);
});

test('before initialize: requests get ServerNotInitialized, notifications are dropped, exit ends with 1', async () => {
  const server = rawServer();
  server.send({ id: 1, method: 'textDocument/hover', params: {} });
  assert.equal((await server.response(1)).error.code, lsp.ErrorCodes.ServerNotInitialized);
  server.send({ id: 2, method: 'shutdown' });
  assert.equal((await server.response(2)).error.code, lsp.ErrorCodes.ServerNotInitialized);
  server.send({ method: 'textDocument/didOpen', params: { textDocument: { uri: 'file:///x.ts', languageId: 'typescript', version: 1, text: 'x' } } });
  server.send({ method: 'exit' });
  assert.deepEqual(await server.exited, { code: 1, signal: null });
  // Nothing but the two answers: no diagnostics, no log message before initialize (LSP forbids both).
  assert.deepEqual(server.messages.items.map((m) => m.id), [1, 2]);
});

test('a second initialize is an InvalidRequest', async () => {
  const server = rawServer();
  await server.initialize();
  server.send({ id: 'again', method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } });
  assert.equal((await server.response('again')).error.code, lsp.ErrorCodes.InvalidRequest);
  server.send({ id: 'bye', method: 'shutdown' });
  await server.response('bye');
  server.send({ method: 'exit' });
  assert.equal((await server.exited).code, 0);
});

test('unknown requests get MethodNotFound; notifications, known or not, are never answered', async () => {
  const server = rawServer();
  await server.initialize();
  server.send({ id: 7, method: 'textDocument/completion', params: { textDocument: { uri: 'file:///x.ts' }, position: { line: 0, character: 0 } } });
  assert.equal((await server.response(7)).error.code, lsp.ErrorCodes.MethodNotFound);
  server.send({ method: 'custom/somethingNew', params: { a: 1 } });
  server.send({ method: '$/setTrace', params: { value: 'verbose' } });
  server.send({ method: '$/cancelRequest', params: { id: 999 } });
  server.send({ method: 'textDocument/didSave', params: { textDocument: { uri: 'file:///x.ts' } } });
  server.send({ id: 8, method: 'shutdown' });
  await server.response(8);
  server.send({ method: 'exit' });
  await server.exited;
  const answers = server.messages.items.filter((m) => !('method' in m));
  assert.deepEqual(answers.map((m) => m.id), ['init', 7, 8], 'one answer per request, none for a notification');
  assert.equal(server.framingError(), null);
});

test('string and integer request ids are both echoed back', async () => {
  const server = rawServer();
  await server.initialize();
  server.send({ id: 'abc-1', method: 'workspace/symbol', params: { query: '' } });
  server.send({ id: 42, method: 'workspace/symbol', params: { query: '' } });
  assert.equal((await server.response('abc-1')).error.code, lsp.ErrorCodes.MethodNotFound);
  assert.equal((await server.response(42)).error.code, lsp.ErrorCodes.MethodNotFound);
  server.send({ id: 'x', method: 'shutdown' });
  await server.response('x');
  server.send({ method: 'exit' });
  assert.equal((await server.exited).code, 0);
});

test('the end of input ends the server: 1 without shutdown, 0 after it', async () => {
  const plain = rawServer();
  await plain.initialize();
  plain.child.stdin.end();
  assert.deepEqual(await plain.exited, { code: 1, signal: null });

  const polite = rawServer();
  await polite.initialize();
  polite.send({ id: 1, method: 'shutdown' });
  await polite.response(1);
  polite.child.stdin.end();
  assert.deepEqual(await polite.exited, { code: 0, signal: null });
});
