#!/usr/bin/env node
// Language-server figures (issues 6 and 7), measured by a real client (vscode-languageserver-protocol):
//
//   1. edit latency: in a 5,000-line TypeScript file, the time from sending a one-character
//      textDocument/didChange to receiving the publishDiagnostics for that version; median and p90 over
//      100 edits (alternately typing and deleting one character in the middle of the file), once with the
//      default debounce and once with debounceMs 0 (the server's own work: edit, incremental re-parse,
//      lint, conversion to LSP);
//   2. memory: the server's resident set (VmRSS, VmHWM from /proc) after opening 200 files and receiving
//      every file's diagnostics.
//
//   node bench/lsp-latency.mjs [path/to/asynclint]     (default build/asynclint)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as lsp from 'vscode-languageserver-protocol/node.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const BIN = path.resolve(process.argv[2] || path.join(here, '..', 'build', 'asynclint'));
const EDITS = 100;

// ~28 lines of ordinary service code per block, numbered so that no two blocks declare the same name.
// A buggy block has three findings (async-foreach, missing-catch, sequential-await); a clean one none.
function block(i, buggy) {
  const refresh = buggy
    ? `ids.forEach(async (id) => {
      this.cache.set(id, await loadOrder${i}(id));
    });`
    : `for (const id of ids) {
      this.cache.delete(id);
    }`;
  const total = buggy
    ? `const order = await loadOrder${i}(id);
    const other = await loadOrder${i}(otherId);`
    : `const [order, other] = await Promise.all([loadOrder${i}(id), loadOrder${i}(otherId)]);
    // (fetched together)`;
  const notify = buggy ? `loadOrder${i}(id).then((order) => console.log(order.total));` : `loadOrder${i}(id).then((order) => console.log(order.total)).catch(console.error);`;
  return `
// --- orders ${i} ---------------------------------------------------------------
export interface Order${i} { id: string; items: string[]; total: number }

async function loadOrder${i}(id: string): Promise<Order${i}> {
  const response = await fetch(\`/orders/\${id}\`, { signal: AbortSignal.timeout(5000) });
  return (await response.json()) as Order${i};
}

export class OrderService${i} {
  private cache = new Map<string, Order${i}>();

  async refresh(ids: string[]): Promise<void> {
    ${refresh}
  }

  async total(id: string, otherId: string): Promise<number> {
    ${total}
    return order.total + other.total;
  }

  notify(id: string) {
    ${notify}
  }
}
`;
}

// A file of exactly `lines` lines whose blocks are buggy one time in `every`, padded with comment lines.
function fileText(lines, every) {
  let text = '';
  for (let i = 0; ; ++i) {
    const next = block(i, i % every === 0);
    if ((text + next).split('\n').length > lines) break;
    text += next;
  }
  while (text.split('\n').length < lines) text += '// (end of the generated orders)\n';
  return text;
}

function startServer(initializationOptions) {
  const child = spawn(BIN, ['lsp'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = lsp.createProtocolConnection(new lsp.StreamMessageReader(child.stdout), new lsp.StreamMessageWriter(child.stdin));
  const waiting = new Map();  // uri → { version, resolve }
  const published = new Map();  // uri → last params
  connection.onNotification(lsp.PublishDiagnosticsNotification.type, (params) => {
    published.set(params.uri, params);
    const waiter = waiting.get(params.uri);
    if (waiter && params.version === waiter.version) {
      waiting.delete(params.uri);
      waiter.resolve(params);
    }
  });
  connection.listen();
  const diagnosticsFor = (uri, version) =>
    new Promise((resolve) => {
      const last = published.get(uri);
      if (last && last.version === version) resolve(last);
      else waiting.set(uri, { version, resolve });
    });
  return { child, connection, diagnosticsFor, initializationOptions };
}

async function initialize(server, root) {
  await server.connection.sendRequest(lsp.InitializeRequest.type, {
    processId: process.pid,
    rootUri: pathToFileURL(root).href,
    capabilities: {},
    initializationOptions: server.initializationOptions,
  });
  await server.connection.sendNotification(lsp.InitializedNotification.type, {});
}

async function stop(server) {
  await server.connection.sendRequest(lsp.ShutdownRequest.type);
  await server.connection.sendNotification(lsp.ExitNotification.type);
  await new Promise((resolve) => server.child.on('exit', resolve));
  server.connection.dispose();
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))];

async function editLatency(root, every, initializationOptions) {
  const file = path.join(root, 'orders.ts');
  const text = fileText(5000, every);
  fs.writeFileSync(file, text);
  const lines = text.split('\n').length;
  const uri = pathToFileURL(file).href;
  const server = startServer(initializationOptions);
  await initialize(server, root);
  await server.connection.sendNotification(lsp.DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'typescript', version: 1, text } });
  const first = await server.diagnosticsFor(uri, 1);
  // The edit point: the end of a comment line in the middle of the file, so findings stay the same.
  const line = text.split('\n').findIndex((l, i) => i > lines / 2 && l.startsWith('// --- orders'));
  const character = text.split('\n')[line].length;
  const times = [];
  let version = 1;
  for (let i = 0; i < EDITS; ++i) {
    const typing = i % 2 === 0;
    const range = typing
      ? { start: { line, character }, end: { line, character } }
      : { start: { line, character }, end: { line, character: character + 1 } };
    const started = process.hrtime.bigint();
    await server.connection.sendNotification(lsp.DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: ++version },
      contentChanges: [{ range, text: typing ? 'x' : '' }],
    });
    const params = await server.diagnosticsFor(uri, version);
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
    if (params.diagnostics.length !== first.diagnostics.length) throw new Error('the edit changed the findings: not the edit meant to be measured');
    await new Promise((resolve) => setTimeout(resolve, 20));  // a typist's pause, so edits do not coalesce
  }
  await stop(server);
  times.sort((a, b) => a - b);
  return { lines, findings: first.diagnostics.length, median: percentile(times, 0.5), p90: percentile(times, 0.9), max: times[times.length - 1] };
}

function memoryOf(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)[1]);
  return { rssMiB: kib('VmRSS') / 1024, peakMiB: kib('VmHWM') / 1024 };
}

async function memoryWithOpenFiles(root, count) {
  const server = startServer();
  await initialize(server, root);
  const before = memoryOf(server.child.pid);
  let bytes = 0;
  let lines = 0;
  const pending = [];
  for (let i = 0; i < count; ++i) {
    // 10 blocks (~250 lines) per file, each importing the previous one: cross-file facts in play.
    const text = (i > 0 ? `import { OrderService0 as Previous } from './file${i - 1}';\nexport { Previous };\n` : '') +
      Array.from({ length: 10 }, (_, b) => block(b, b === 0)).join('');
    bytes += Buffer.byteLength(text);
    lines += text.split('\n').length;
    const file = path.join(root, `file${i}.ts`);
    fs.writeFileSync(file, text);
    const uri = pathToFileURL(file).href;
    await server.connection.sendNotification(lsp.DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'typescript', version: 1, text } });
    pending.push(server.diagnosticsFor(uri, 1));
  }
  await Promise.all(pending);
  const after = memoryOf(server.child.pid);
  await stop(server);
  return { count, megabytes: bytes / 1e6, lines, before, after };
}

const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'asynclint-lsp-bench-')));
try {
  for (const [label, every] of [['typical: one buggy block in 20', 20], ['dense: every block buggy', 1]]) {
    const debounced = await editLatency(root, every, undefined);
    const immediate = await editLatency(root, every, { debounceMs: 0 });
    console.log(`edit latency, ${debounced.lines}-line file, ${label} (${debounced.findings} findings), ${EDITS} one-character edits:`);
    console.log(`  default debounce (50 ms): median ${debounced.median.toFixed(1)} ms, p90 ${debounced.p90.toFixed(1)} ms, max ${debounced.max.toFixed(1)} ms`);
    console.log(`  debounceMs 0:             median ${immediate.median.toFixed(1)} ms, p90 ${immediate.p90.toFixed(1)} ms, max ${immediate.max.toFixed(1)} ms`);
  }
  const memory = await memoryWithOpenFiles(fs.mkdtempSync(path.join(root, 'many-')), 200);
  console.log(`memory, ${memory.count} open files (${memory.lines} lines, ${memory.megabytes.toFixed(1)} MB): ` +
    `RSS ${memory.after.rssMiB.toFixed(1)} MiB (peak ${memory.after.peakMiB.toFixed(1)} MiB; ${memory.before.rssMiB.toFixed(1)} MiB after initialize)`);
} finally {
  fs.rmSync(root, { recursive: true, force: true });
}
