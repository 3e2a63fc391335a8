// What no well-behaved client sends, as raw bytes on the server's standard input: malformed headers and
// JSON, huge messages, unknown documents, out-of-range positions, wrong types. Each is answered with an
// error or logged, never a crash, and standard output stays pure LSP. Also cancellation, with the real client.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { frame, lsp, rawServer, startServer, uriOf, workspace } from './helpers.mjs';

const FLOATING = 'async function p() { await Promise.reject(new Error("io")); }\np();\n';

// Ends a raw session politely and checks that the server survived everything before it.
async function finish(server) {
  server.send({ id: 'last', method: 'shutdown' });
  assert.deepEqual((await server.response('last')).result, null, 'still answering at the end');
  server.send({ method: 'exit' });
  assert.deepEqual(await server.exited, { code: 0, signal: null }, server.stderr());
  assert.equal(server.framingError(), null);
}

const logged = (server, pattern) =>
  server.messages.next((m) => m.method === 'window/logMessage' && pattern.test(m.params.message), { what: `a log message matching ${pattern}` });

test('a malformed header is logged, its frame skipped, and the next message is still read', async () => {
  const server = rawServer();
  await server.initialize();
  const cases = [
    ['Content-Length: twelve\r\n\r\n{"jsonrpc":"2.0","id":"bad","method":"shutdown"}', /Content-Length is not a number/],
    ['Content-Type: application/json\r\n\r\n{"jsonrpc":"2.0","id":"bad","method":"shutdown"}', /without Content-Length/],
    ['this is not a header at all\r\n\r\n', /without ':'/],
    ['Content-Length: 99999999999999999999999\r\n\r\n', /Content-Length is not a number/],
    ['x'.repeat(20_000), /longer than/],
  ];
  let id = 0;
  for (const [bytes, expected] of cases) {
    server.write(Buffer.from(bytes));
    server.send({ id: ++id, method: 'workspace/symbol', params: { query: '' } });
    assert.equal((await server.response(id)).error.code, lsp.ErrorCodes.MethodNotFound, `still answering after ${bytes.slice(0, 40)}`);
    await logged(server, expected);
  }
  assert.equal(server.messages.items.find((m) => m.id === 'bad'), undefined, 'the body of a bad frame is never run');
  await finish(server);
});

test('a body that is not JSON is answered with ParseError (id null); not an object or a bad id with InvalidRequest', async () => {
  const server = rawServer();
  await server.initialize();
  server.write(frame('{"jsonrpc":"2.0","id":5,"method":'));
  const parseError = await server.messages.next((m) => m.error?.code === lsp.ErrorCodes.ParseError);
  assert.equal(parseError.id, null);
  server.write(frame(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d])));  // {"a":"<invalid UTF-8>"}
  await server.messages.next((m) => m.error?.code === lsp.ErrorCodes.ParseError && m !== parseError);
  server.write(frame('[1, 2, 3]'));
  server.write(frame('42'));
  server.write(frame({ jsonrpc: '2.0', id: { nested: true }, method: 'shutdown' }));
  server.write(frame({ jsonrpc: '2.0', id: 9, method: 17 }));
  server.write(frame({ jsonrpc: '2.0' }));
  await server.response(9).then((m) => assert.equal(m.error.code, lsp.ErrorCodes.InvalidRequest));
  await new Promise((resolve) => setTimeout(resolve, 100));
  const invalid = server.messages.items.filter((m) => m.error?.code === lsp.ErrorCodes.InvalidRequest);
  assert.equal(invalid.length, 5, JSON.stringify(invalid));
  await finish(server);
});

test('JSON nested a million levels deep is refused before it is parsed, not a stack overflow', async () => {
  const server = rawServer();
  await server.initialize();
  server.write(frame('['.repeat(1_000_000) + ']'.repeat(1_000_000)));
  server.write(frame('{"jsonrpc":"2.0","id":4,"method":"textDocument/hover","params":' + '{"a":'.repeat(200_000) + '1' + '}'.repeat(200_000) + '}'));
  const refused = await server.messages.next((m) => m.error?.code === lsp.ErrorCodes.InvalidRequest && /nested/.test(m.error.message));
  assert.equal(refused.id, null);
  await finish(server);
});

test('a message over the size limit (70 MB) is read, dropped and logged; the server goes on', async () => {
  const server = rawServer();
  await server.initialize();
  const huge = 70 * 1024 * 1024;
  server.write(Buffer.from(`Content-Length: ${huge}\r\n\r\n`));
  const chunk = Buffer.alloc(1024 * 1024, 0x20);
  for (let i = 0; i < 70; ++i) server.write(chunk);
  server.send({ id: 3, method: 'workspace/symbol', params: { query: '' } });
  assert.equal((await server.response(3, { timeout: 30_000 })).error.code, lsp.ErrorCodes.MethodNotFound);
  await logged(server, /over the \d+-byte limit/);
  await finish(server);
});

test('a document over the file-size limit (12 MB) is not linted: a log message, empty diagnostics', async () => {
  const server = rawServer();
  await server.initialize();
  const text = FLOATING + '// padding\n'.repeat(1_100_000);
  server.send({ method: 'textDocument/didOpen', params: { textDocument: { uri: 'file:///tmp/huge.ts', languageId: 'typescript', version: 1, text } } });
  const published = await server.messages.next((m) => m.method === 'textDocument/publishDiagnostics', { timeout: 30_000 });
  assert.deepEqual(published.params.diagnostics, []);
  await logged(server, /max-file-size/);
  await finish(server);
});

test('requests about unknown documents are errors; notifications about them are logged', async () => {
  const server = rawServer();
  await server.initialize();
  const unknown = { uri: 'file:///nowhere/never-opened.ts' };
  server.send({ id: 1, method: 'textDocument/hover', params: { textDocument: unknown, position: { line: 0, character: 0 } } });
  server.send({ id: 2, method: 'textDocument/codeAction', params: { textDocument: unknown, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [] } } });
  server.send({ id: 3, method: 'textDocument/diagnostic', params: { textDocument: unknown } });
  for (const id of [1, 2, 3]) {
    const { error } = await server.response(id);
    assert.equal(error.code, lsp.ErrorCodes.InvalidParams);
    assert.match(error.message, /unknown document/);
  }
  server.send({ method: 'textDocument/didChange', params: { textDocument: { ...unknown, version: 2 }, contentChanges: [{ text: 'x' }] } });
  server.send({ method: 'textDocument/didClose', params: { textDocument: unknown } });
  await logged(server, /didChange for a document that is not open/);
  await logged(server, /didClose for a document that is not open/);
  await finish(server);
});

test('out-of-range positions: a change past the last line is refused and logged, requests get InvalidParams', async () => {
  const server = rawServer();
  await server.initialize();
  const uri = 'file:///tmp/range.ts';
  server.send({ method: 'textDocument/didOpen', params: { textDocument: { uri, languageId: 'typescript', version: 1, text: FLOATING } } });
  await server.messages.next((m) => m.method === 'textDocument/publishDiagnostics' && m.params.version === 1);
  server.send({ method: 'textDocument/didChange', params: { textDocument: { uri, version: 2 }, contentChanges: [{ range: { start: { line: 400, character: 0 }, end: { line: 401, character: 0 } }, text: 'void ' }] } });
  await logged(server, /past the last line/);
  // The document is as it was: the finding is still where it was.
  const published = await server.messages.next((m) => m.method === 'textDocument/publishDiagnostics' && m.params.version === 2);
  assert.deepEqual(published.params.diagnostics.map((d) => d.range.start), [{ line: 1, character: 0 }]);
  // A character past the end of its line means the end of the line (LSP 3.17): accepted.
  server.send({ method: 'textDocument/didChange', params: { textDocument: { uri, version: 3 }, contentChanges: [{ range: { start: { line: 1, character: 999 }, end: { line: 1, character: 999 } }, text: ' // ok' }] } });
  await server.messages.next((m) => m.method === 'textDocument/publishDiagnostics' && m.params.version === 3);
  server.send({ id: 1, method: 'textDocument/hover', params: { textDocument: { uri }, position: { line: 99, character: 0 } } });
  server.send({ id: 2, method: 'textDocument/hover', params: { textDocument: { uri }, position: { line: -1, character: 0 } } });
  server.send({ id: 3, method: 'textDocument/codeAction', params: { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 70, character: 0 } }, context: { diagnostics: [] } } });
  server.send({ id: 4, method: 'textDocument/hover', params: { textDocument: { uri }, position: { line: 'one', character: 0 } } });
  server.send({ id: 5, method: 'textDocument/hover', params: { textDocument: 17 } });
  for (const id of [1, 2, 3, 4, 5]) assert.equal((await server.response(id)).error.code, lsp.ErrorCodes.InvalidParams, `request ${id}`);
  await finish(server);
});

test('input that stops in the middle of a message ends the server cleanly', async () => {
  const server = rawServer();
  await server.initialize();
  server.write(Buffer.from('Content-Length: 1000\r\n\r\n{"jsonrpc":"2.0",'));
  server.child.stdin.end();
  assert.deepEqual(await server.exited, { code: 1, signal: null });
  assert.equal(server.framingError(), null);
});

test('cancellation: a request cancelled while it waits behind a slow one is answered RequestCancelled', async () => {
  const ws = workspace();
  const server = await startServer({ root: ws.root, capabilities: { textDocument: { diagnostic: {} } } });
  // A big document whose first lint (on the pull request below) keeps the server busy for a while.
  const big = ws.file('big.ts');
  const text = Array.from({ length: 20_000 }, (_, i) => `async function f${i}() { await f${i + 1}(); }`).join('\n') + '\n';
  await server.open(big, text);
  const slow = server.connection.sendRequest(lsp.DocumentDiagnosticRequest.type, { textDocument: { uri: uriOf(big) } });
  const source = new lsp.CancellationTokenSource();
  const queued = server.connection.sendRequest(lsp.HoverRequest.type, { textDocument: { uri: uriOf(big) }, position: { line: 0, character: 0 } }, source.token);
  source.cancel();
  await assert.rejects(queued, (error) => error.code === lsp.LSPErrorCodes.RequestCancelled);
  assert.equal((await slow).kind, 'full', 'the request that was not cancelled is answered');
  // Cancelling an answered request, or one that never existed, does nothing.
  await server.connection.sendNotification('$/cancelRequest', { id: 123456 });
  const hover = await server.connection.sendRequest(lsp.HoverRequest.type, { textDocument: { uri: uriOf(big) }, position: { line: 0, character: 0 } });
  assert.equal(hover, null);
  await server.stop();
});

test('cancellation on the wire: the cancelled request gets RequestCancelled, the same request uncancelled an answer', async () => {
  const server = rawServer();
  await server.initialize({ textDocument: { diagnostic: {} } });
  const uri = 'file:///tmp/cancel-big.ts';
  const text = Array.from({ length: 20_000 }, (_, i) => `async function f${i}() { await f${i + 1}(); }`).join('\n') + '\n';
  const hover = (id) => frame({ jsonrpc: '2.0', id, method: 'textDocument/hover', params: { textDocument: { uri }, position: { line: 0, character: 0 } } });
  // One write: open, a slow pull, two hovers, and a cancel for the first hover only.
  server.write(Buffer.concat([
    frame({ jsonrpc: '2.0', method: 'textDocument/didOpen', params: { textDocument: { uri, languageId: 'typescript', version: 1, text } } }),
    frame({ jsonrpc: '2.0', id: 'pull', method: 'textDocument/diagnostic', params: { textDocument: { uri } } }),
    hover('cancelled'),
    hover('kept'),
    frame({ jsonrpc: '2.0', method: '$/cancelRequest', params: { id: 'cancelled' } }),
  ]));
  assert.equal((await server.response('pull')).result.kind, 'full');
  assert.equal((await server.response('cancelled')).error.code, lsp.LSPErrorCodes.RequestCancelled);
  assert.deepEqual((await server.response('kept')).result, null);
  await finish(server);
});

test('a document whose parse runs away (the explain fuzzer\'s 5 KB input) is refused at once, and the server goes on', async () => {
  // Its bytes as an editor would send them: invalid UTF-8 replaced, the NUL characters kept (JSON "\u0000").
  // tree-sitter alone spends minutes recovering from its errors; the server bounds the parse and the lint
  // then skips the document as binary.
  const bytes = readFileSync(new URL('../regressions/explain/parser-error-recovery-runs-away.js', import.meta.url));
  const text = bytes.toString('utf8').replaceAll('\uFFFD', ' ');
  assert.ok(text.includes('\u0000'));
  const server = rawServer();
  await server.initialize();
  server.send({ method: 'textDocument/didOpen', params: { textDocument: { uri: 'file:///tmp/runaway.js', languageId: 'javascript', version: 1, text } } });
  const published = await server.messages.next((m) => m.method === 'textDocument/publishDiagnostics', { timeout: 30_000 });
  assert.deepEqual(published.params.diagnostics, []);
  await logged(server, /binary file/);
  await finish(server);
});
