// Shared plumbing for the end-to-end tests of the asynclint binary (not a test file itself: node --test
// only runs *.test.mjs here).
//
// ASYNCLINT            the binary under test (CTest sets it); default <source>/build/asynclint
// ASYNCLINT_SOURCE_DIR the repository; default two folders up from this file
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

export const SOURCE_DIR = path.resolve(process.env.ASYNCLINT_SOURCE_DIR || path.join(here, '..', '..'));
export const BIN = path.resolve(process.env.ASYNCLINT || path.join(SOURCE_DIR, 'build', 'asynclint'));

// Time limits in tests are multiplied by this: CTest sets it for the sanitizer build, whose binary is
// several times slower.
export const TIME_FACTOR = Number(process.env.ASYNCLINT_TIME_FACTOR || 1);

// The smallest program with one finding: line 2, column 1, floating-promise (an error by default).
export const FLOATING = 'async function p() { await Promise.reject(new Error("io")); }\np();\n';

// Environment for the child: nothing that would change colouring behind a test's back.
function childEnvironment(extra) {
  const env = { ...process.env };
  delete env.NO_COLOR;
  delete env.FORCE_COLOR;
  return { ...env, ...(extra || {}) };
}

// AddressSanitizer announces once per process (or per thread, when two race to it) that it cannot fully
// follow swapcontext, which the event-loop model's coroutines use (they tell it of each switch:
// analyzer/loop/coroutine.cpp). That line is the sanitizer build's, not asynclint's output.
const ASAN_SWAPCONTEXT_NOTICE = /^==\d+==WARNING: ASan doesn't fully support makecontext\/swapcontext functions[^\n]*\n/gm;
export const withoutSanitizerNotice = (stderr) => stderr.replace(ASAN_SWAPCONTEXT_NOTICE, '');

// Runs asynclint. Returns { status, signal, stdout, stderr, error, ms }.
export function run(args, options = {}) {
  const started = Date.now();
  const result = spawnSync(BIN, args, {
    cwd: options.cwd,
    input: options.input ?? '',
    env: childEnvironment(options.env),
    encoding: 'utf8',
    timeout: options.timeout ?? 60_000,
    maxBuffer: 1024 * 1024 * 1024,
    killSignal: 'SIGKILL',
  });
  return {
    status: result.status,
    signal: result.signal,
    stdout: result.stdout ?? '',
    stderr: withoutSanitizerNotice(result.stderr ?? ''),
    error: result.error,
    ms: Date.now() - started,
  };
}

// A readable description of a run, for assertion messages.
export function describe(result) {
  const cut = (text) => (text.length > 2000 ? text.slice(0, 2000) + '…' : text);
  return `status=${result.status} signal=${result.signal} error=${result.error?.code ?? ''}\n--- stdout\n${cut(result.stdout)}\n--- stderr\n${cut(result.stderr)}`;
}

// Runs asynclint with --format json and parses the findings (throws with the output when it is not JSON).
export function runJson(args, options = {}) {
  const result = run([...args, '--format', 'json'], options);
  let findings;
  try {
    findings = JSON.parse(result.stdout);
  } catch (error) {
    throw new Error(`stdout is not JSON (${error.message})\n${describe(result)}`);
  }
  return { ...result, findings };
}

// "file:line:column rule" for each finding, in output order: the shape most tests compare.
export function brief(findings) {
  return findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.rule}`);
}

// A fresh temporary folder, removed when the test ends.
export function tempDir(t, prefix = 'asynclint-cli-') {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  t.after(() => {
    // A test may have left a file unreadable; make everything removable first.
    try {
      chmodTree(dir);
    } catch {}
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

function chmodTree(dir) {
  fs.chmodSync(dir, 0o755);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isSymbolicLink()) continue;
    if (entry.isDirectory()) chmodTree(full);
    else fs.chmodSync(full, 0o644);
  }
}

// Writes { 'relative/path': content } under dir (content: string or Buffer).
export function writeFiles(dir, files) {
  for (const [relative, content] of Object.entries(files)) {
    const full = path.join(dir, relative);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, content);
  }
}

export function hasCommand(command) {
  const result = spawnSync(command, ['--version'], { encoding: 'utf8' });
  return !result.error && result.status === 0;
}

export const ANSI = /\x1b\[/;

// Runs git with no global or system configuration (a user's core.excludesFile must not leak in).
export function git(args, cwd) {
  return spawnSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' },
  });
}
