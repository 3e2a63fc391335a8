// Shared plumbing for the language-server tests (not a test file: node --test runs only *.test.mjs).
//
// Two clients: a real one on the npm packages vscode-jsonrpc and vscode-languageserver-protocol (the
// libraries VS Code's own client is built on), and a raw one that writes bytes to the server's standard
// input, for what no well-behaved client would send.
//
// ASYNCLINT            the binary under test (CTest sets it); default <source>/build/asynclint
// ASYNCLINT_SOURCE_DIR the repository; default two folders up from this file
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as lsp from 'vscode-languageserver-protocol/node.js';

const here = path.dirname(fileURLToPath(import.meta.url));
export const SOURCE_DIR = path.resolve(process.env.ASYNCLINT_SOURCE_DIR || path.join(here, '..', '..'));
export const BIN = path.resolve(process.env.ASYNCLINT || path.join(SOURCE_DIR, 'build', 'asynclint'));
export { lsp };

export const uriOf = (file) => pathToFileURL(file).href;

const workspaces = [];
process.on('exit', () => {
  for (const root of workspaces) fs.rmSync(root, { recursive: true, force: true });
});

// A temporary workspace holding `files` ({relative path: text}); removed when the process exits.
export function workspace(files = {}) {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'asynclint-lsp-')));
  workspaces.push(root);
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), text);
  }
  return { root, file: (name) => path.join(root, name), uri: (name) => uriOf(path.join(root, name)) };
}

// Waits for a condition over notifications that arrive over time.
class Inbox {
  constructor() {
    this.items = [];
    this.waiters = [];
  }
  push(item) {
    this.items.push(item);
    for (const waiter of [...this.waiters]) {
      if (waiter.predicate(item)) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        clearTimeout(waiter.timer);
        waiter.resolve(item);
      }
    }
  }
  // The first item, already here (from index `since`) or still to come, that satisfies `predicate`.
  next(predicate, { since = 0, timeout = 10_000, what = 'a notification' } = {}) {
    const found = this.items.slice(since).find(predicate);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const waiter = { predicate, resolve };
      waiter.timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new Error(`timed out waiting for ${what}; got ${JSON.stringify(this.items.slice(since)).slice(0, 2000)}`));
      }, timeout);
      this.waiters.push(waiter);
    });
  }
  get length() {
    return this.items.length;
  }
}

// Starts `asynclint lsp` with a real client and initializes it.
//   capabilities            the client's (default: none, i.e. push diagnostics, UTF-16)
//   initializationOptions   passed as is
//   settings                what the client answers to workspace/configuration (its "asynclint" section)
//   root                    the workspace folder
export async function startServer({ capabilities = {}, initializationOptions, settings, root, env } = {}) {
  const child = spawn(BIN, ['lsp'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...(env || {}) } });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const connection = lsp.createProtocolConnection(new lsp.StreamMessageReader(child.stdout), new lsp.StreamMessageWriter(child.stdin));
  const diagnostics = new Inbox();
  const logs = new Inbox();
  const shown = new Inbox();
  const requests = new Inbox();  // requests from the server: { method, params }
  connection.onNotification(lsp.PublishDiagnosticsNotification.type, (params) => diagnostics.push(params));
  connection.onNotification(lsp.LogMessageNotification.type, (params) => logs.push(params));
  connection.onNotification(lsp.ShowMessageNotification.type, (params) => shown.push(params));
  const client = { settings };
  connection.onRequest(lsp.ConfigurationRequest.type, (params) => {
    requests.push({ method: 'workspace/configuration', params });
    return params.items.map(() => client.settings ?? null);
  });
  for (const type of [lsp.RegistrationRequest.type, lsp.ShowDocumentRequest.type, lsp.DiagnosticRefreshRequest.type]) {
    connection.onRequest(type, (params) => {
      requests.push({ method: type.method, params });
      return type === lsp.ShowDocumentRequest.type ? { success: true } : null;
    });
  }
  connection.listen();
  const initialize = await connection.sendRequest(lsp.InitializeRequest.type, {
    processId: process.pid,
    rootUri: root ? uriOf(root) : null,
    capabilities,
    initializationOptions,
  });
  await connection.sendNotification(lsp.InitializedNotification.type, {});

  return {
    child,
    connection,
    initialize,
    diagnostics,
    logs,
    shown,
    requests,
    client,
    exited,
    stderr: () => stderr,
    // Opens a document; languageId from the extension.
    async open(file, text, version = 1) {
      const ext = path.extname(file);
      const languageId = ext.startsWith('.t') || ext.startsWith('.mt') || ext.startsWith('.ct') ? (ext === '.tsx' ? 'typescriptreact' : 'typescript') : 'javascript';
      await connection.sendNotification(lsp.DidOpenTextDocumentNotification.type, {
        textDocument: { uri: uriOf(file), languageId, version, text },
      });
    },
    async change(file, version, contentChanges) {
      await connection.sendNotification(lsp.DidChangeTextDocumentNotification.type, {
        textDocument: { uri: uriOf(file), version },
        contentChanges,
      });
    },
    // The next publishDiagnostics for `file` at `version` (or any version when none is given).
    published(file, version, options = {}) {
      const uri = uriOf(file);
      return diagnostics.next((p) => p.uri === uri && (version === undefined || p.version === version), {
        what: `diagnostics for ${path.basename(file)}${version === undefined ? '' : ` v${version}`}`,
        ...options,
      });
    },
    async stop() {
      await connection.sendRequest(lsp.ShutdownRequest.type);
      await connection.sendNotification(lsp.ExitNotification.type);
      const result = await exited;
      connection.dispose();
      return result;
    },
  };
}

// --- positions, as a client computes them -----------------------------------------------------------

// LSP position of a JavaScript string index. JavaScript strings are UTF-16, so the UTF-16 character is
// simply the index within the line; for UTF-8 it is the byte length of the line's text before it.
export function positionAt(text, index, encoding = 'utf-16') {
  const before = text.slice(0, index);
  const line = before.split(/\r\n|\r|\n/).length - 1;
  const lineStart = Math.max(before.lastIndexOf('\n'), before.lastIndexOf('\r')) + 1;
  const prefix = text.slice(lineStart, index);
  return { line, character: encoding === 'utf-8' ? Buffer.byteLength(prefix, 'utf8') : prefix.length };
}

export function offsetAt(text, position, encoding = 'utf-16') {
  const lines = text.split(/(?<=\r\n|\n|\r(?!\n))/);
  let offset = 0;
  for (let i = 0; i < position.line; ++i) offset += lines[i].length;
  const lineText = (lines[position.line] ?? '').replace(/\r?\n$|\r$/, '');
  if (encoding === 'utf-16') return offset + Math.min(position.character, lineText.length);
  let bytes = 0;
  let i = 0;
  for (const ch of lineText) {
    if (bytes >= position.character) break;
    bytes += Buffer.byteLength(ch, 'utf8');
    i += ch.length;
  }
  return offset + i;
}

// The range of the `occurrence`-th `needle` in `text`.
export function rangeOf(text, needle, encoding = 'utf-16', occurrence = 0) {
  let index = -1;
  for (let i = 0; i <= occurrence; ++i) index = text.indexOf(needle, index + 1);
  if (index < 0) throw new Error(`'${needle}' is not in the text`);
  return { start: positionAt(text, index, encoding), end: positionAt(text, index + needle.length, encoding) };
}

// Applies LSP text edits to a string, as an editor applies a WorkspaceEdit.
export function applyEdits(text, edits, encoding = 'utf-16') {
  const sorted = [...edits].sort((a, b) => offsetAt(text, b.range.start, encoding) - offsetAt(text, a.range.start, encoding));
  for (const edit of sorted) {
    text = text.slice(0, offsetAt(text, edit.range.start, encoding)) + edit.newText + text.slice(offsetAt(text, edit.range.end, encoding));
  }
  return text;
}

// --- the command line as an oracle ------------------------------------------------------------------

// What `asynclint --stdin --format json` finds in `text`: a fresh parse of the whole text, without the
// language server's incremental edits. Returned as LSP-shaped ranges (0-based; UTF-16 columns).
export function cliFindings(text, filename, cwd) {
  const result = spawnSync(BIN, ['--stdin', '--stdin-filename', filename, '--format', 'json'], { input: text, encoding: 'utf8', cwd });
  if (result.status !== 0 && result.status !== 1) throw new Error(`asynclint failed: ${result.stderr}`);
  // The command line's syntax-error entries (rule null, fatal) are not findings: the editor's own language
  // server shows syntax errors.
  return JSON.parse(result.stdout).filter((f) => !f.fatal).map((f) => ({
    code: f.rule,
    range: { start: { line: f.line - 1, character: f.column - 1 }, end: { line: f.endLine - 1, character: f.endColumn - 1 } },
    suggestions: f.suggestions,
    messages: [...(f.explanation ?? []), ...(f.related ?? [])].map((step) => step.message),  // what relatedInformation carries
    explanation: f.explanation ?? [],
    fixedExplanation: f.fixedExplanation ?? [],
  }));
}

export const summary = (diagnostics) => diagnostics.map((d) => `${d.code}@${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`);

// --- the raw client ---------------------------------------------------------------------------------

export const frame = (body) => {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body), 'utf8');
  return Buffer.concat([Buffer.from(`Content-Length: ${bytes.length}\r\n\r\n`, 'ascii'), bytes]);
};

// Starts `asynclint lsp` and reads its standard output strictly as LSP frames: anything else on standard
// output (a stray log line) fails the test.
export function rawServer() {
  const child = spawn(BIN, ['lsp'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let buffer = Buffer.alloc(0);
  let stderr = '';
  const messages = new Inbox();
  let framingError = null;
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => (stderr += chunk));
  child.stdin.on('error', () => {});  // the server may exit before reading everything: that is for the test to judge
  child.stdout.on('data', (chunk) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      const headerEnd = buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) break;
      const header = buffer.subarray(0, headerEnd).toString('ascii');
      const match = /^Content-Length: (\d+)$/.exec(header);
      if (!match) {
        framingError = `not an LSP header on stdout: ${JSON.stringify(header.slice(0, 200))}`;
        buffer = Buffer.alloc(0);
        break;
      }
      const length = Number(match[1]);
      if (buffer.length < headerEnd + 4 + length) break;
      messages.push(JSON.parse(buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8')));
      buffer = buffer.subarray(headerEnd + 4 + length);
    }
  });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return {
    child,
    messages,
    exited,
    stderr: () => stderr,
    framingError: () => framingError ?? (buffer.length ? `unframed bytes left on stdout: ${buffer.toString('utf8', 0, 200)}` : null),
    write(bytes) {
      child.stdin.write(bytes);
    },
    send(message) {
      child.stdin.write(frame({ jsonrpc: '2.0', ...message }));
    },
    response(id, options) {
      return messages.next((m) => m.id === id && !('method' in m), { what: `the response to ${JSON.stringify(id)}`, ...options });
    },
    async initialize(capabilities = {}) {
      this.send({ id: 'init', method: 'initialize', params: { processId: null, rootUri: null, capabilities } });
      const answer = await this.response('init');
      this.send({ method: 'initialized', params: {} });
      return answer;
    },
  };
}
