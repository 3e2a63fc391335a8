// Writes seed inputs for the lsp target into the folder given as argument: whole client sessions
// (initialize, open a fixture, change it, ask for diagnostics, hover and code actions, shut down) framed as
// a client sends them. The first byte of each seed is the chunk size the target reads with.
import fs from 'node:fs';
import path from 'node:path';

const [outDir, ...sources] = process.argv.slice(2);
const frame = (message) => {
  const body = Buffer.from(JSON.stringify(message));
  return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`), body]);
};

sources.forEach((source, n) => {
  const text = fs.readFileSync(source, 'utf8');
  const uri = `file:///workspace/${path.basename(source)}`;
  const doc = { uri };
  const range = { start: { line: 0, character: 0 }, end: { line: 2, character: 0 } };
  const messages = [
    { jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null, rootUri: 'file:///workspace', capabilities: { textDocument: { diagnostic: {} }, general: { positionEncodings: ['utf-8', 'utf-16'] } }, initializationOptions: { rules: { 'sequential-await': 'error' } } } },
    { jsonrpc: '2.0', method: 'initialized', params: {} },
    { jsonrpc: '2.0', method: 'textDocument/didOpen', params: { textDocument: { uri, languageId: 'typescript', version: 1, text } } },
    { jsonrpc: '2.0', id: 2, method: 'textDocument/diagnostic', params: { textDocument: doc } },
    { jsonrpc: '2.0', method: 'textDocument/didChange', params: { textDocument: { uri, version: 2 }, contentChanges: [{ range, text: 'p();\n' }] } },
    { jsonrpc: '2.0', id: 3, method: 'textDocument/hover', params: { textDocument: doc, position: { line: 1, character: 2 } } },
    { jsonrpc: '2.0', id: 4, method: 'textDocument/codeAction', params: { textDocument: doc, range, context: { diagnostics: [] } } },
    { jsonrpc: '2.0', method: '$/cancelRequest', params: { id: 4 } },
    { jsonrpc: '2.0', method: 'workspace/didChangeConfiguration', params: { settings: { asynclint: { enable: true } } } },
    { jsonrpc: '2.0', method: 'textDocument/didClose', params: { textDocument: doc } },
    { jsonrpc: '2.0', id: 5, method: 'shutdown' },
    { jsonrpc: '2.0', method: 'exit' },
  ];
  const chunk = Buffer.from([n % 64]);
  fs.writeFileSync(path.join(outDir, `session-${n}`), Buffer.concat([chunk, ...messages.map(frame)]));
});
