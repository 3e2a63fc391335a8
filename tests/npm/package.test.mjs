// The npm packages as a user gets them: npm/pack.mjs makes the tarballs from the binary the build links for
// them (asynclint_dist), npm installs them offline into a fresh project, and `npx asynclint` runs there.
//
// ASYNCLINT_DIST       the binary to package (CTest sets it); default <source>/build/dist-bin/asynclint
// ASYNCLINT_SOURCE_DIR the repository; default two folders up from this file
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as rpc from 'vscode-jsonrpc/node.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const SOURCE_DIR = path.resolve(process.env.ASYNCLINT_SOURCE_DIR || path.join(here, '..', '..'));
const DIST_BINARY = path.resolve(process.env.ASYNCLINT_DIST || path.join(SOURCE_DIR, 'build', 'dist-bin', 'asynclint'));
const VERSION = /project\(asynclint\s+VERSION\s+(\d+\.\d+\.\d+)/.exec(fs.readFileSync(path.join(SOURCE_DIR, 'CMakeLists.txt'), 'utf8'))[1];
const PLATFORMS = JSON.parse(fs.readFileSync(path.join(SOURCE_DIR, 'npm', 'asynclint', 'platforms.json'), 'utf8'));
const BUGGY = 'async function save(id) { await Promise.reject(new Error(String(id))); }\nsave(1);\n';

const scratch = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'asynclint-npm-')));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

// npm and npx with nothing from the network nor from a cache filled earlier: an empty cache of their own.
const npmEnv = { ...process.env, npm_config_offline: 'true', npm_config_cache: path.join(scratch, 'npm-cache'),
  npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };
delete npmEnv.NO_COLOR;
const exec = (command, args, options = {}) =>
  spawnSync(command, args, { encoding: 'utf8', env: npmEnv, timeout: 120_000, ...options });
const show = (r) => `status ${r.status} signal ${r.signal}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`;

let tarballs;
const project = path.join(scratch, 'project');

before(() => {
  const packed = exec(process.execPath, [path.join(SOURCE_DIR, 'npm', 'pack.mjs'), '--binary', DIST_BINARY, '--out', path.join(scratch, 'dist')]);
  assert.equal(packed.status, 0, show(packed));
  tarballs = packed.stdout.trim().split('\n');
  fs.mkdirSync(path.join(project, 'src'), { recursive: true });
  fs.writeFileSync(path.join(project, 'package.json'), '{ "name": "a-project", "private": true }\n');
  fs.writeFileSync(path.join(project, 'src', 'orders.js'), BUGGY);
  const installed = exec('npm', ['install', ...tarballs], { cwd: project });
  assert.equal(installed.status, 0, show(installed));
});

test('the binary needs nothing but glibc, and is stripped', () => {
  const dynamic = exec('readelf', ['-d', DIST_BINARY]);
  assert.equal(dynamic.status, 0, show(dynamic));
  const needed = [...dynamic.stdout.matchAll(/\(NEEDED\).*\[(.+)\]/g)].map((m) => m[1]);
  assert.ok(needed.includes('libc.so.6'), needed.join(' '));
  for (const library of needed) assert.match(library, /^(libc|libm|libpthread|libdl|librt|ld-linux[-\w.]*)\.so\.[\d.]+$/);
  const sections = exec('readelf', ['-S', DIST_BINARY]);
  assert.doesNotMatch(sections.stdout, /\.symtab/);
});

test('two tarballs at the project version: asynclint and the platform package', () => {
  const native = createRequire(path.join(SOURCE_DIR, 'npm', 'asynclint', 'lib', 'platform.js'))('./platform.js').platformFor();
  assert.deepEqual(tarballs.map((t) => path.basename(t)).sort(), [`asynclint-${VERSION}.tgz`, `asynclint-${native.name}-${VERSION}.tgz`]);
  const main = JSON.parse(fs.readFileSync(path.join(project, 'node_modules', 'asynclint', 'package.json'), 'utf8'));
  assert.equal(main.version, VERSION);
  assert.deepEqual(main.optionalDependencies, Object.fromEntries(PLATFORMS.map((p) => [`@asynclint/${p.name}`, VERSION])));
  const platform = JSON.parse(fs.readFileSync(path.join(project, 'node_modules', '@asynclint', native.name, 'package.json'), 'utf8'));
  assert.equal(platform.version, VERSION);
  assert.deepEqual([platform.os, platform.cpu, platform.libc], [[native.os], [native.cpu], native.libc ? [native.libc] : undefined]);
  // The VS Code extension is released with the same version.
  const extension = JSON.parse(fs.readFileSync(path.join(SOURCE_DIR, 'editors', 'vscode', 'package.json'), 'utf8'));
  assert.equal(extension.version, VERSION);
});

test('the README\'s "$schema" path and the licence are in the installed package', () => {
  const installed = path.join(project, 'node_modules', 'asynclint');
  assert.equal(fs.readFileSync(path.join(installed, 'schema', 'asynclint.schema.json'), 'utf8'),
    fs.readFileSync(path.join(SOURCE_DIR, 'schema', 'asynclint.schema.json'), 'utf8'));
  assert.match(fs.readFileSync(path.join(installed, 'LICENSE'), 'utf8'), /^MIT License/);
  assert.match(fs.readFileSync(path.join(SOURCE_DIR, 'README.md'), 'utf8'), /"\$schema": "\.\/node_modules\/asynclint\/schema\/asynclint\.schema\.json"/);
});

test("the README's first command, npx asynclint src/, reports the bug and exits 1; --version prints the version", () => {
  // The README opens with the two commands a user types: npm i -D asynclint, then npx asynclint src/.
  const [install, lint] = /```sh\n([\s\S]*?)```/.exec(fs.readFileSync(path.join(SOURCE_DIR, 'README.md'), 'utf8'))[1].trim().split('\n');
  assert.equal(install, 'npm i -D asynclint');
  assert.equal(lint, 'npx asynclint src/');
  const linted = exec('npx', lint.split(' ').slice(1), { cwd: project });
  assert.equal(linted.status, 1, show(linted));
  assert.match(linted.stdout, /src\/orders\.js\n\s+2:1\s+error\s+.*floating-promise/);
  const version = exec('npx', ['asynclint', '--version'], { cwd: project });
  assert.equal(version.status, 0, show(version));
  assert.equal(version.stdout.trim(), `asynclint ${VERSION}`);
  // Standard input and a usage error's exit code go through the launcher too.
  const stdin = exec('npx', ['asynclint', '--stdin', '--stdin-filename', 'piped.ts', '-f', 'json'], { cwd: project, input: BUGGY });
  assert.equal(stdin.status, 1, show(stdin));
  assert.equal(JSON.parse(stdin.stdout)[0].rule, 'floating-promise');
  const usage = exec('npx', ['asynclint', '--format', 'no-such-format', 'src/'], { cwd: project });
  assert.equal(usage.status, 2, show(usage));
});

test('npx asynclint lsp answers initialize, shuts down and exits 0', async () => {
  const child = spawn('npx', ['asynclint', 'lsp'], { cwd: project, env: npmEnv, stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const connection = rpc.createMessageConnection(new rpc.StreamMessageReader(child.stdout), new rpc.StreamMessageWriter(child.stdin));
  connection.listen();
  try {
    const result = await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
    assert.equal(result.serverInfo.name, 'asynclint');
    assert.equal(result.serverInfo.version, VERSION);
    assert.ok(result.capabilities.textDocumentSync, JSON.stringify(result));
    await connection.sendNotification('initialized', {});
    await connection.sendRequest('shutdown');
    await connection.sendNotification('exit');
    assert.deepEqual(await exited, { code: 0, signal: null });
  } finally {
    connection.dispose();
    child.kill();
  }
});

// The launcher on its own, against stand-in platform packages: what it does when the binary is missing,
// cannot fit, exits with a code or dies by a signal.
function launcherWith(binaryScript) {
  const root = fs.mkdtempSync(path.join(scratch, 'launcher-'));
  fs.cpSync(path.join(project, 'node_modules', 'asynclint'), path.join(root, 'node_modules', 'asynclint'), { recursive: true });
  if (binaryScript !== undefined) {
    const native = createRequire(path.join(root, 'node_modules', 'asynclint', 'lib', 'platform.js'))('./platform.js').platformFor();
    const folder = path.join(root, 'node_modules', '@asynclint', native.name);
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, 'package.json'), JSON.stringify({ name: `@asynclint/${native.name}`, version: VERSION }));
    fs.writeFileSync(path.join(folder, native.binary), `#!/bin/sh\n${binaryScript}\n`, { mode: 0o755 });
  }
  return path.join(root, 'node_modules', 'asynclint', 'bin', 'asynclint.js');
}

test('the launcher passes arguments and standard input, and the exit code or the signal back', () => {
  const echo = launcherWith('printf "%s|" "$@"; cat; exit 7');
  const result = exec(process.execPath, [echo, 'a b', '--x'], { input: 'from stdin' });
  assert.equal(result.status, 7, show(result));
  assert.equal(result.stdout, 'a b|--x|from stdin');
  const killed = exec(process.execPath, [launcherWith('kill -TERM $$')]);
  assert.equal(killed.signal, 'SIGTERM', show(killed));
});

test('the launcher says which platform package is missing, or that none fits this machine', () => {
  const missing = exec(process.execPath, [launcherWith(undefined)]);
  assert.equal(missing.status, 2, show(missing));
  assert.match(missing.stderr, /asynclint: @asynclint\/[\w-]+, the package with the binary for .*, is not installed/);
  // A machine no platform package fits: Node reports another processor.
  const preload = path.join(scratch, 'other-cpu.cjs');
  fs.writeFileSync(preload, "Object.defineProperty(process, 'arch', { value: 'riscv64' });\n");
  const unfit = exec(process.execPath, ['--require', preload, launcherWith('exit 0')]);
  assert.equal(unfit.status, 2, show(unfit));
  assert.match(unfit.stderr, /asynclint: no prebuilt binary for linux-riscv64 \(glibc\); the npm packages have one for linux-x64-gnu, linux-arm64-gnu, /);
  assert.match(unfit.stderr, /build asynclint from source/);
});

// action.yml's lint step, run as the runner runs it (bash, its env, GITHUB_OUTPUT) against the installed
// package; the install and upload steps need GitHub and the registry.
test("action.yml's lint step prints annotations, writes the SARIF file and reports the exit code", async () => {
  const yaml = (await import('js-yaml')).default;
  const action = yaml.load(fs.readFileSync(path.join(SOURCE_DIR, 'action.yml'), 'utf8'));
  const lint = action.runs.steps.find((step) => step.id === 'lint');
  const runStep = (inputs) => {
    const output = path.join(scratch, `github-output-${Math.random().toString(36).slice(2)}`);
    fs.writeFileSync(output, '');
    const result = exec('bash', ['-e', '-c', lint.run], { cwd: project, env: { ...npmEnv, GITHUB_OUTPUT: output,
      ASYNCLINT_BIN: path.join(project, 'node_modules', '.bin', 'asynclint'), ...inputs } });
    return { ...result, outputs: fs.readFileSync(output, 'utf8') };
  };
  const found = runStep({ PATHS: 'src/', FORMAT: 'github', ARGS: '', SARIF_FILE: 'asynclint.sarif' });
  assert.equal(found.status, 0, `the step itself succeeds so that the upload runs: ${show(found)}`);
  assert.equal(found.outputs, 'exit-code=1\n');
  assert.match(found.stdout, /^::error file=src\/orders\.js,line=2,/m);
  const sarif = JSON.parse(fs.readFileSync(path.join(project, 'asynclint.sarif'), 'utf8'));
  assert.deepEqual(sarif.runs[0].results.map((r) => r.ruleId), ['floating-promise']);
  const clean = runStep({ PATHS: 'src/', FORMAT: 'stylish', ARGS: '--rule floating-promise=off', SARIF_FILE: '' });
  assert.equal(clean.outputs, 'exit-code=0\n', show(clean));
  const usage = runStep({ PATHS: 'src/', FORMAT: 'no-such-format', ARGS: '', SARIF_FILE: 'other.sarif' });
  assert.equal(usage.outputs, 'exit-code=2\n', show(usage));
  assert.equal(fs.existsSync(path.join(project, 'other.sarif')), false, 'no SARIF run after a usage error');
});
