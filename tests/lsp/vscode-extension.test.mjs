// The VS Code extension (editors/vscode/extension.js) outside VS Code: the `vscode` API and
// vscode-languageclient are stand-ins that record what the extension asks for. Checks where it looks for
// the binary (the asynclint.path setting, then the workspace's node_modules/.bin, then PATH), how it
// starts the server, and which settings it sends. The .vsix built from it: tests/editors/.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import Module, { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { SOURCE_DIR } from './helpers.mjs';

function executable(file) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, '#!/bin/sh\n');
  fs.chmodSync(file, 0o755);
  return file;
}

// A fresh stand-in for VS Code and the client library, and the extension loaded against them.
function loadExtension({ folders = [], config = {}, pathEnv = '' }) {
  const recorded = { clients: [], warnings: [], errors: [], notifications: [], configurationListeners: [] };
  const vscode = {
    workspace: {
      workspaceFolders: folders.map((folder) => ({ name: path.basename(folder), uri: { fsPath: folder } })),
      getConfiguration: () => ({ get: (key, fallback) => (key in config ? config[key] : fallback) }),
      onDidChangeConfiguration: (listener) => (recorded.configurationListeners.push(listener), { dispose() {} }),
    },
    window: {
      createOutputChannel: () => ({ appendLine() {}, show() {}, dispose() {} }),
      showWarningMessage: (message) => recorded.warnings.push(message),
      showErrorMessage: (message) => recorded.errors.push(message),
    },
    commands: { registerCommand: () => ({ dispose() {} }) },
  };
  class LanguageClient {
    constructor(id, name, serverOptions, clientOptions) {
      Object.assign(this, { id, name, serverOptions, clientOptions, state: 2 });
      recorded.clients.push(this);
    }
    async start() {}
    async stop() {
      this.state = 1;
    }
    async sendNotification(method, params) {
      recorded.notifications.push({ method, params });
    }
  }
  const stubs = { vscode, 'vscode-languageclient/node': { LanguageClient, State: { Stopped: 1, Running: 2 } } };
  const originalLoad = Module._load;
  Module._load = function (request, ...rest) {
    return request in stubs ? stubs[request] : originalLoad.call(this, request, ...rest);
  };
  const savedPath = process.env.PATH;
  process.env.PATH = pathEnv;
  const file = path.join(SOURCE_DIR, 'editors', 'vscode', 'extension.js');
  const require = createRequire(file);
  delete require.cache[file];
  const extension = require(file);
  return {
    recorded,
    async activate() {
      try {
        await extension.activate({ subscriptions: [] });
      } finally {
        Module._load = originalLoad;
        process.env.PATH = savedPath;
      }
    },
  };
}

const scratchFolders = [];
process.on('exit', () => scratchFolders.forEach((folder) => fs.rmSync(folder, { recursive: true, force: true })));
const scratch = () => {
  const folder = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'asynclint-vscode-')));
  scratchFolders.push(folder);
  return folder;
};

test('the asynclint.path setting wins over node_modules/.bin and PATH', async () => {
  const root = scratch();
  const configured = executable(path.join(root, 'tools', 'asynclint'));
  executable(path.join(root, 'node_modules', '.bin', 'asynclint'));
  const onPath = path.dirname(executable(path.join(root, 'bin', 'asynclint')));
  const extension = loadExtension({ folders: [root], config: { path: '${workspaceFolder}/tools/asynclint' }, pathEnv: onPath });
  await extension.activate();
  assert.equal(extension.recorded.clients.length, 1);
  assert.deepEqual(extension.recorded.clients[0].serverOptions, { command: configured, args: ['lsp'] });
});

test('without the setting, the workspace node_modules/.bin comes before PATH', async () => {
  const root = scratch();
  const local = executable(path.join(root, 'node_modules', '.bin', 'asynclint'));
  const onPath = path.dirname(executable(path.join(scratch(), 'asynclint')));
  const extension = loadExtension({ folders: [root], pathEnv: onPath });
  await extension.activate();
  assert.equal(extension.recorded.clients[0].serverOptions.command, local);
});

test('then PATH; and with no binary anywhere, a warning and no server', async () => {
  const onPath = executable(path.join(scratch(), 'asynclint'));
  const found = loadExtension({ folders: [scratch()], pathEnv: `/nonexistent${path.delimiter}${path.dirname(onPath)}` });
  await found.activate();
  assert.equal(found.recorded.clients[0].serverOptions.command, onPath);

  const missing = loadExtension({ folders: [scratch()], pathEnv: '/nonexistent' });
  await missing.activate();
  assert.equal(missing.recorded.clients.length, 0);
  assert.match(missing.recorded.warnings[0], /no asynclint binary found/);

  const wrong = loadExtension({ folders: [scratch()], config: { path: '/no/such/asynclint' } });
  await wrong.activate();
  assert.equal(wrong.recorded.clients.length, 0);
  assert.match(wrong.recorded.errors[0], /not an executable file/);
});

test('settings go to the server as initializationOptions and, when they change, as didChangeConfiguration', async () => {
  const root = scratch();
  executable(path.join(root, 'node_modules', '.bin', 'asynclint'));
  const config = { enable: true, rules: { 'sequential-await': 'off' }, debounceMs: 20 };
  const extension = loadExtension({ folders: [root], config });
  await extension.activate();
  const [client] = extension.recorded.clients;
  assert.deepEqual(client.clientOptions.initializationOptions, { enable: true, rules: { 'sequential-await': 'off' }, configFile: null, debounceMs: 20 });
  assert.deepEqual(client.clientOptions.documentSelector.map((s) => s.language).sort(),
    ['javascript', 'javascript', 'javascriptreact', 'javascriptreact', 'typescript', 'typescript', 'typescriptreact', 'typescriptreact']);
  config.enable = false;
  await extension.recorded.configurationListeners[0]({ affectsConfiguration: (section) => section === 'asynclint' });
  assert.deepEqual(extension.recorded.notifications, [
    { method: 'workspace/didChangeConfiguration', params: { settings: { asynclint: { enable: false, rules: { 'sequential-await': 'off' }, configFile: null, debounceMs: 20 } } } },
  ]);
});

test('package.json validates asynclint.json with the repository schema and declares the settings the extension reads', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(SOURCE_DIR, 'editors', 'vscode', 'package.json'), 'utf8'));
  assert.deepEqual(manifest.contributes.jsonValidation, [{ fileMatch: 'asynclint.json', url: './schema/asynclint.schema.json' }]);
  const properties = Object.keys(manifest.contributes.configuration.properties).sort();
  assert.deepEqual(properties, ['asynclint.configFile', 'asynclint.debounceMs', 'asynclint.enable', 'asynclint.path', 'asynclint.rules', 'asynclint.trace.server']);
  // The rules a user can override are exactly the binary's rules (the schema of asynclint.json lists them).
  const schema = JSON.parse(fs.readFileSync(path.join(SOURCE_DIR, 'schema', 'asynclint.schema.json'), 'utf8'));
  assert.deepEqual(Object.keys(manifest.contributes.configuration.properties['asynclint.rules'].properties).sort(), Object.keys(schema.properties.rules.properties).sort());
  // Bundled: the client library is a devDependency, at the version the root pins for the bundle.
  assert.equal(manifest.dependencies, undefined);
  assert.equal(manifest.devDependencies['vscode-languageclient'], '9.0.1', 'pinned');
  const rootManifest = JSON.parse(fs.readFileSync(path.join(SOURCE_DIR, 'package.json'), 'utf8'));
  assert.equal(rootManifest.devDependencies['vscode-languageclient'], manifest.devDependencies['vscode-languageclient']);
});

