// Soak test of the language server (CTest `lsp-soak`, label `soak`): one server, 50 open documents, 10,000
// random edits (seeded, so a failure can be replayed), then two checks.
//
// 1. Correctness after the long session: every document's last published diagnostics equal what a fresh
//    `asynclint --stdin` finds in the document's final text, with the same file name and asynclint.json.
//    The documents import each other, so cross-file re-checks are exercised too; before the command line
//    runs, each final text is written to disk, where the command line reads the imported files.
// 2. Memory: the server's RSS (VmRSS in /proc/PID/status) once every document is open and linted, and at
//    the end. Growth beyond the documents' own final size plus TOLERANCE fails the test: a leak of a few
//    hundred bytes per edit (or one retained tree or document copy per lint) goes over it.
//
// Edits are what an editor sends: inserts, deletions and replacements at random places (never inside a
// surrogate pair), several changes in one didChange (each relative to the one before), and now and then a
// full-text change without a range. The text is JavaScript/TypeScript fragments, async code most of all,
// including half-typed code, emoji, CJK and CRLF. Every tenth edit or so the test waits for that version's
// diagnostics, and some edits are followed by a hover and a code-action request, which must be answered.
//
// Not a *.test.mjs file: `lsp-node-client` (node --test tests/lsp/) does not run it; CTest runs it alone.
//
//   ASYNCLINT_SOAK_SEED    the random seed (default 20261207); printed on failure
//   ASYNCLINT_SOAK_EDITS   the number of edits (default 10000)
//   ASYNCLINT_SOAK_TRACE=1 the server's RSS every 250 edits, on stderr
//   ASYNCLINT_SANITIZED=1  an AddressSanitizer build (CTest sets it): RSS is not the heap there (shadow
//                          memory, quarantine), so the memory check is skipped; LeakSanitizer checks leaks
//                          at exit instead
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { BIN, lsp, offsetAt, positionAt, startServer, uriOf, workspace } from './helpers.mjs';

const SEED = Number(process.env.ASYNCLINT_SOAK_SEED || 20261207);
const EDITS = Number(process.env.ASYNCLINT_SOAK_EDITS || 10000);
const DOCUMENTS = 50;
const SANITIZED = process.env.ASYNCLINT_SANITIZED === '1';
const TOLERANCE = 8 * 1024 * 1024;  // bytes of RSS growth allowed beyond the documents' own size
const MAX_LENGTH = 4000;            // documents longer than this (UTF-16 units) only shrink

// mulberry32: small, seeded, the same sequence on every machine.
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = random(SEED);
const int = (n) => Math.floor(rand() * n);
const pick = (xs) => xs[int(xs.length)];

const EXTENSIONS = ['.ts', '.js', '.mjs', '.tsx', '.mts', '.jsx', '.cjs', '.ts'];
const names = Array.from({ length: DOCUMENTS }, (_, i) => `${i % 5 === 0 ? 'sub/' : 'src/'}doc${i}${EXTENSIONS[i % EXTENSIONS.length]}`);
const importPath = (from, to) => {
  let relative = path.posix.relative(path.posix.dirname(from), to).replace(/\.[a-z]+$/, '');
  return relative.startsWith('.') ? relative : `./${relative}`;
};

// Fragments: whole statements (most of them async), pieces of statements, and characters that break or
// join tokens. `$N` becomes a number, `$I` another document's import path.
const STATEMENTS = [
  'async function load$N(id) {\n  const user = await getUser(id);\n  const plan = await getPlan(id);\n  return [user, plan];\n}\n',
  'export async function save$N(x) { await fetch("/api/" + x); }\n',
  'save$N(1);\n',
  'load$N(2).then((r) => console.log(r));\n',
  'items.forEach(async (item) => {\n  await save$N(item);\n});\n',
  'if (isAllowed$N(user)) { run(); }\n',
  'export async function isAllowed$N(u) { return u.admin; }\n',
  'await Promise.all(rows.map(async (row) => fetch(row.url)));\n',
  'const r$N = await fetch(url, { signal: AbortSignal.timeout(1000) });\n',
  'setTimeout(async () => { await save$N(3); }, 10);\n',
  'emitter.on("data", async (chunk) => { await write(chunk); });\n',
  'new Promise((resolve, reject) => setImmediate(resolve)).finally(() => {});\n',
  'void load$N(4);\n',
  'for (const id of ids) {\n  await fetch(`/items/${id}`);\n}\n',
  'import { load$N, save$N } from "$I";\n',
  'export { load$N as fetchAll$N };\n',
  'TS class Repo$N {\n  async get(id: string): Promise<number> { return 1; }\n  run() { this.get("a"); }\n}\n',
  'TS interface Job$N { run(): Promise<void>; }\n',
  'TS type Fn$N<T> = (x: T) => Promise<T>;\n',
  'const gen$N = async function* () { yield await next(); };\n',
  'try {\n  await load$N(5);\n} catch (e) {\n  console.error(e);\n}\n',
  '// asynclint-disable-next-line floating-promise\nsave$N(6);\n',
  'process.nextTick(() => save$N(7));\n',
  'JSX const el$N = <div onClick={async () => await save$N(8)}>x</div>;\n',
  'module.exports = { load$N };\n',
  'const { load$N: l$N } = require("$I");\n',
  'queueMicrotask(() => { load$N(9).catch(() => {}); });\n',
  'label$N: while (true) { break label$N; }\n',
  'const s$N = "😀 中文 ünïcödé";\n',
  'x$N?.y?.(await z);\r\n',
];
const PIECES = [
  'await ', 'async ', '() => ', '{', '}', '(', ')', '[', ']', ';', '\n', '\r\n', ',', '.then(', '.catch(() => {})',
  'return ', 'Promise.resolve()', 'fetch(u)', '"', "'", '`', '${', '/*', '*/', '//', ': Promise<void>', '<T>',
  'function ', 'const ', 'yield ', '?.', '!', '&&', '||', '😀', '中文', 'é', '\t', '  ', 'export ', 'import ',
];

// Statements marked TS or JSX go only into files whose grammar takes them.
const isTs = (name) => /\.[mc]?tsx?$/.test(name);
const isJsx = (name) => /\.[jt]sx$/.test(name);
const fill = (text, self) => text.replace(/\$N/g, () => String(int(5))).replace(/\$I/g, () => importPath(self, pick(names)));
function statement(self) {
  for (;;) {
    const [, mark, text] = /^(TS |JSX )?([^]*)$/.exec(pick(STATEMENTS));
    if ((mark === 'TS ' && !isTs(self)) || (mark === 'JSX ' && !isJsx(self))) continue;
    return fill(text, self);
  }
}
const fragment = (self) => (rand() < 0.55 ? statement(self) : fill(pick(PIECES), self));

// A UTF-16 offset in `text` that splits neither a surrogate pair nor a CRLF.
function offsetIn(text, at = int(text.length + 1)) {
  if (at > 0 && at < text.length && /[\uDC00-\uDFFF]/.test(text[at]) && /[\uD800-\uDBFF]/.test(text[at - 1])) return at - 1;
  if (at > 0 && at < text.length && text[at] === '\n' && text[at - 1] === '\r') return at - 1;
  return at;
}
const balanced = (text) => {
  let depth = 0;
  for (const c of text) depth += '([{'.includes(c) ? 1 : ')]}'.includes(c) ? -1 : 0;
  return depth === 0;
};
// The line starts outside every bracket: where a statement can go in or come out whole.
function topLevelLineStarts(text) {
  const starts = [0];
  let depth = 0;
  for (let i = 0; i < text.length; ++i) {
    const c = text[i];
    depth += '([{'.includes(c) ? 1 : ')]}'.includes(c) ? -1 : 0;
    if (c === '\n' && depth === 0) starts.push(i + 1);
  }
  return starts;
}
const lineStart = (text, at) => text.lastIndexOf('\n', at - 1) + 1;
const nextLineStart = (text, at) => (text.indexOf('\n', at) < 0 ? text.length : text.indexOf('\n', at) + 1);

function statements(self, n) {
  let text = '';
  for (let i = 0; i < n; ++i) text += statement(self);
  return text;
}

// One change event on `doc`'s text: its LSP form and the text after it. Most documents are edited tidily
// (whole statements in and out at line starts, numbers in names retyped), so that they mostly parse and
// have findings to compare; every third one gets anything anywhere (half-typed code, stray quotes).
function randomChange(doc) {
  const { text, name } = doc;
  const kind = rand();
  if (kind < 0.03) {
    const full = statements(name, 2 + int(5));
    return { change: { text: full }, text: full };
  }
  const long = text.length > MAX_LENGTH;
  let start = offsetIn(text);
  let end = start;
  let inserted;
  if (doc.tidy) {
    if (kind < 0.15 && /\d/.test(text)) {
      // Retype a number in a name or a literal: a small edit inside a line.
      const digits = [...text.matchAll(/\d+/g)];
      const match = pick(digits);
      start = match.index;
      end = start + match[0].length;
      inserted = String(int(5));
    } else {
      start = pick(topLevelLineStarts(text));
      end = start;
      if (long || kind < 0.45) {
        // Whole lines out, as many as it takes for the brackets in them to balance (statements, mostly).
        for (let n = 1 + int(long ? 8 : 3); (n > 0 || !balanced(text.slice(start, end))) && end < text.length; --n) end = nextLineStart(text, end);
      }
      inserted = long || kind < 0.3 ? '' : statement(name);
    }
  } else {
    inserted = long || kind < 0.25 ? '' : fragment(name);  // < 0.25: a pure deletion
    // A whole statement goes where a line starts, mostly.
    if (inserted.endsWith('\n') && rand() < 0.8) start = lineStart(text, start);
    if (long || kind < 0.45) end = offsetIn(text, Math.min(text.length, start + 1 + int(long ? 400 : 60)));
  }
  const range = { start: positionAt(text, start), end: positionAt(text, end) };
  // The client's own arithmetic: the offsets back from the positions.
  const from = offsetAt(text, range.start);
  const to = offsetAt(text, range.end);
  assert.deepEqual([from, to], [start, end], `positions round-trip in ${JSON.stringify(text)}`);
  return { change: { range, text: inserted }, text: text.slice(0, from) + inserted + text.slice(to) };
}

function rssBytes(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(status);
  assert.ok(match, status);
  return Number(match[1]) * 1024;
}

const comparable = (diagnostics) =>
  diagnostics
    .map((d) => `${d.code} ${d.severity} ${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${d.message}`)
    .sort();

// What `asynclint --stdin --format json` finds (a fresh parse of the whole text), in LSP's shape with
// severity and message; syntax-error entries are not diagnostics the server publishes.
// `syntaxErrors` counts the documents the command line could not parse whole (only reported).
let syntaxErrors = 0;
function cliFindings(text, filename, cwd) {
  const result = spawnSync(BIN, ['--stdin', '--stdin-filename', filename, '--format', 'json'], { input: text, encoding: 'utf8', cwd });
  if (result.status !== 0 && result.status !== 1) throw new Error(`asynclint failed (${result.status}): ${result.stderr}`);
  const entries = JSON.parse(result.stdout);
  if (entries.some((f) => f.fatal)) syntaxErrors += 1;
  return entries
    .filter((f) => !f.fatal)
    .map((f) => ({
      code: f.rule,
      severity: f.severity === 'error' ? 1 : 2,
      message: f.message,
      range: { start: { line: f.line - 1, character: f.column - 1 }, end: { line: f.endLine - 1, character: f.endColumn - 1 } },
    }));
}

test(`soak: ${EDITS} random edits over ${DOCUMENTS} open documents (seed ${SEED})`, { timeout: 30 * 60 * 1000 }, async (t) => {
  const ws = workspace({
    // A project of its own: the search for event emitters (missing-catch) stays inside it, for the command
    // line too, whatever package.json lies above the temporary folder.
    'package.json': '{ "name": "soak", "type": "module" }\n',
    // A configuration the server and the command line must both apply: a severity, an option, an override.
    'asynclint.json': JSON.stringify({
      rules: { 'sequential-await': 'error', 'floating-promise': ['error', { ignoreVoid: false }] },
      overrides: [{ files: ['sub/**'], rules: { 'missing-catch': 'warn', 'fetch-without-abort': 'off' } }],
    }),
  });
  const docs = names.map((name, i) => ({ name, file: ws.file(name), text: statements(name, 3 + int(6)), version: 1, tidy: i % 3 !== 2 }));
  for (const doc of docs) {
    fs.mkdirSync(path.dirname(doc.file), { recursive: true });
    fs.writeFileSync(doc.file, doc.text);
  }
  const server = await startServer({ root: ws.root, settings: { debounceMs: 0 } });
  t.after(() => server.child.kill());  // a failed assertion must not leave it running
  const started = Date.now();
  const failure = (message) => `${message}\n(seed ${SEED}; replay with ASYNCLINT_SOAK_SEED=${SEED})\nserver stderr: ${server.stderr().slice(-2000)}`;

  for (const doc of docs) await server.open(doc.file, doc.text, doc.version);
  for (const doc of docs) await server.published(doc.file, doc.version, { timeout: 60_000 });
  const sizeOf = () => docs.reduce((sum, doc) => sum + Buffer.byteLength(doc.text, 'utf8'), 0);
  const startSize = sizeOf();
  const rssStart = rssBytes(server.child.pid);

  let requests = 0;
  let notifications = 0;
  for (let edit = 0; edit < EDITS; ) {
    const doc = pick(docs);
    const changes = [];
    // One to three changes per notification (each counts as an edit), applied in order.
    for (let n = rand() < 0.85 ? 1 : 2 + int(2); n > 0 && edit < EDITS; --n, ++edit) {
      const { change, text } = randomChange(doc);
      changes.push(change);
      doc.text = text;
    }
    doc.version += 1;
    notifications += 1;
    if (process.env.ASYNCLINT_SOAK_TRACE && edit % 250 < changes.length) console.error(`edit ${edit} rss ${rssBytes(server.child.pid) >> 20} MiB, ${sizeOf()} bytes`);
    await server.change(doc.file, doc.version, changes);
    if (rand() < 0.1) {
      const { diagnostics } = await server.published(doc.file, doc.version, { timeout: 60_000 }).catch((e) => assert.fail(failure(e.message)));
      if (rand() < 0.3) {
        // A hover and the code actions somewhere in the text, as an editor asks when the cursor rests.
        const position = positionAt(doc.text, offsetIn(doc.text));
        const textDocument = { uri: uriOf(doc.file) };
        await server.connection.sendRequest(lsp.HoverRequest.type, { textDocument, position });
        const range = diagnostics.length ? pick(diagnostics).range : { start: position, end: position };
        const actions = await server.connection.sendRequest(lsp.CodeActionRequest.type, { textDocument, range, context: { diagnostics } });
        assert.ok(Array.isArray(actions), failure(`code actions: ${JSON.stringify(actions)}`));
        requests += 2;
      }
    }
  }

  // Every document's final version is linted; cross-file re-checks may follow (the same version again), so
  // the answer is the last publication once the server has been quiet for a while.
  for (const doc of docs) await server.published(doc.file, doc.version, { timeout: 60_000 }).catch((e) => assert.fail(failure(e.message)));
  const quiet = SANITIZED ? 5000 : 1500;
  for (let count = -1; count !== server.diagnostics.length; ) {
    count = server.diagnostics.length;
    await new Promise((resolve) => setTimeout(resolve, quiet));
  }
  const seconds = (Date.now() - started) / 1000;
  const rssEnd = rssBytes(server.child.pid);
  const endSize = sizeOf();

  const last = new Map();
  for (const published of server.diagnostics.items) last.set(published.uri, published);
  for (const doc of docs) fs.writeFileSync(doc.file, doc.text);
  const mismatches = [];
  for (const doc of docs) {
    const published = last.get(uriOf(doc.file));
    assert.equal(published.version, doc.version, failure(`${doc.name}: the last publication is for another version`));
    const a = comparable(published.diagnostics);
    const b = comparable(cliFindings(doc.text, doc.name, ws.root));
    if (JSON.stringify(a) !== JSON.stringify(b)) mismatches.push({ name: doc.name, server: a, cli: b, text: doc.text });
  }
  const findings = [...last.values()].reduce((sum, p) => sum + p.diagnostics.length, 0);
  const growth = rssEnd - rssStart;
  const mib = (bytes) => (bytes / 1024 / 1024).toFixed(1);
  console.log(
    `soak: seed ${SEED}, ${EDITS} edits in ${notifications} didChange notifications over ${DOCUMENTS} documents, ${requests} hover/code-action requests, ${seconds.toFixed(1)} s; ` +
      `documents ${startSize} → ${endSize} bytes, ${findings} findings at the end, ${syntaxErrors} documents with a syntax error; ` +
      `RSS ${mib(rssStart)} MiB after opening → ${mib(rssEnd)} MiB at the end (growth ${mib(growth)} MiB, allowed ${mib(endSize + TOLERANCE)} MiB)`,
  );
  assert.deepEqual(mismatches, [], failure(`${mismatches.length} documents whose diagnostics differ from a fresh lint`));
  if (!SANITIZED) assert.ok(growth <= endSize + TOLERANCE, failure(`RSS grew by ${growth} bytes, more than ${endSize} + ${TOLERANCE}`));
  assert.deepEqual(await server.stop(), { code: 0, signal: null }, failure('the server did not exit cleanly'));
});
