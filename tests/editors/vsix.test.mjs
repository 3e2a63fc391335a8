// The VS Code extension's .vsix as `npx vsce package` builds it in editors/vscode (its README's command):
// vsce runs build.mjs, which bundles the extension with esbuild; the package must hold the bundle, the
// schema and the licence, and no node_modules. Run by CTest as `vscode-vsix`.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import Module, { createRequire, isBuiltin } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const SOURCE_DIR = path.resolve(process.env.ASYNCLINT_SOURCE_DIR || path.join(here, '..', '..'));
const out = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'asynclint-vsix-')));
after(() => fs.rmSync(out, { recursive: true, force: true }));

test('vsce packages the extension as one bundle with the schema and the licence, without node_modules', () => {
  const extensionDir = path.join(SOURCE_DIR, 'editors', 'vscode');
  const vsix = path.join(out, 'asynclint.vsix');
  const packed = spawnSync('npx', ['vsce', 'package', '--out', vsix], { cwd: extensionDir, encoding: 'utf8', timeout: 120_000,
    env: { ...process.env, npm_config_offline: 'true', npm_config_update_notifier: 'false' } });
  assert.equal(packed.status, 0, packed.stdout + packed.stderr);
  const listing = spawnSync('python3', ['-c', 'import json, sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); z.extractall(sys.argv[2]); print(json.dumps(z.namelist()))', vsix, out], { encoding: 'utf8' });
  assert.equal(listing.status, 0, listing.stderr);
  const entries = JSON.parse(listing.stdout).filter((name) => name.startsWith('extension/')).sort();
  assert.deepEqual(entries, ['extension/LICENSE.txt', 'extension/dist/extension.js', 'extension/package.json', 'extension/readme.md', 'extension/schema/asynclint.schema.json']);
  const packaged = path.join(out, 'extension');
  assert.equal(JSON.parse(fs.readFileSync(path.join(packaged, 'package.json'), 'utf8')).main, './dist/extension.js');
  assert.equal(fs.readFileSync(path.join(packaged, 'schema', 'asynclint.schema.json'), 'utf8'), fs.readFileSync(path.join(SOURCE_DIR, 'schema', 'asynclint.schema.json'), 'utf8'));
  assert.equal(fs.readFileSync(path.join(packaged, 'LICENSE.txt'), 'utf8'), fs.readFileSync(path.join(SOURCE_DIR, 'LICENSE'), 'utf8'));
  // The bundle loads with nothing but VS Code's API and Node's own modules.
  const requested = new Set();
  const originalLoad = Module._load;
  Module._load = function (request, ...rest) {
    requested.add(request);
    // The client library subclasses VS Code's classes when it loads: every name is a class here.
    return request === 'vscode' ? new Proxy({}, { get: () => class {} }) : originalLoad.call(this, request, ...rest);
  };
  let bundle;
  try {
    bundle = createRequire(path.join(packaged, 'dist', 'extension.js'))('./extension.js');
  } finally {
    Module._load = originalLoad;
  }
  assert.equal(typeof bundle.activate, 'function');
  assert.equal(typeof bundle.deactivate, 'function');
  const foreign = [...requested].filter((request) => request !== 'vscode' && request !== './extension.js' && !isBuiltin(request));
  assert.deepEqual(foreign, []);
});
