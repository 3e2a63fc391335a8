// The VS Code client for `asynclint lsp`: finds the binary, starts it over stdio with
// vscode-languageclient, and forwards the "asynclint" settings. Everything else (diagnostics, hover,
// code actions, the "Show documentation" command, file watching) is the language server's.
'use strict';

const fs = require('fs');
const path = require('path');
const vscode = require('vscode');
const { LanguageClient, State } = require('vscode-languageclient/node');

const SELECTOR = ['javascript', 'javascriptreact', 'typescript', 'typescriptreact'].flatMap((language) => [
  { scheme: 'file', language },
  { scheme: 'untitled', language },
]);

let client;
let output;

function isExecutableFile(file) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function executableNames(name) {
  return process.platform === 'win32' ? [`${name}.exe`, `${name}.cmd`, name] : [name];
}

// The binary, in this order: the asynclint.path setting; the workspace's node_modules/.bin (a project that
// pins asynclint as a dev dependency gets that version); asynclint on PATH.
function findBinary() {
  const folders = vscode.workspace.workspaceFolders || [];
  const configured = vscode.workspace.getConfiguration('asynclint').get('path');
  if (configured) {
    const first = folders[0] ? folders[0].uri.fsPath : process.cwd();
    let file = configured.replace(/\$\{workspaceFolder\}/g, first);
    if (!path.isAbsolute(file)) file = path.join(first, file);
    if (isExecutableFile(file)) return { file, from: 'the asynclint.path setting' };
    throw new Error(`asynclint.path is set to ${configured}, which is not an executable file`);
  }
  for (const folder of folders) {
    for (const name of executableNames('asynclint')) {
      const file = path.join(folder.uri.fsPath, 'node_modules', '.bin', name);
      if (isExecutableFile(file)) return { file, from: `${folder.name}/node_modules/.bin` };
    }
  }
  for (const directory of (process.env.PATH || '').split(path.delimiter).filter(Boolean)) {
    for (const name of executableNames('asynclint')) {
      const file = path.join(directory, name);
      if (isExecutableFile(file)) return { file, from: 'PATH' };
    }
  }
  return null;
}

// The "asynclint" section as the server reads it (initializationOptions, didChangeConfiguration).
function settings() {
  const config = vscode.workspace.getConfiguration('asynclint');
  return {
    enable: config.get('enable', true),
    rules: config.get('rules', {}),
    configFile: config.get('configFile') || null,
    debounceMs: config.get('debounceMs', 50),
  };
}

async function start() {
  let binary;
  try {
    binary = findBinary();
  } catch (error) {
    vscode.window.showErrorMessage(`asynclint: ${error.message}`);
    return;
  }
  if (!binary) {
    vscode.window.showWarningMessage(
      'asynclint: no asynclint binary found (asynclint.path setting, node_modules/.bin, PATH). Install it with `npm i -D asynclint` (or `./build.sh install` from a clone) or set asynclint.path.',
    );
    return;
  }
  output.appendLine(`asynclint: ${binary.file} (from ${binary.from})`);
  client = new LanguageClient(
    'asynclint',
    'asynclint',
    { command: binary.file, args: ['lsp'] },
    {
      documentSelector: SELECTOR,
      initializationOptions: settings(),
      outputChannel: output,
    },
  );
  await client.start();
}

async function stop() {
  if (client && client.state !== State.Stopped) await client.stop();
  client = undefined;
}

async function activate(context) {
  output = vscode.window.createOutputChannel('asynclint');
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand('asynclint.restartServer', async () => {
      await stop();
      await start();
    }),
    vscode.commands.registerCommand('asynclint.showOutput', () => output.show()),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (!event.affectsConfiguration('asynclint')) return;
      if (event.affectsConfiguration('asynclint.path')) {
        // Another binary: a new server.
        await stop();
        await start();
      } else if (client) {
        await client.sendNotification('workspace/didChangeConfiguration', { settings: { asynclint: settings() } });
      }
    }),
  );
  await start();
}

function deactivate() {
  return stop();
}

module.exports = { activate, deactivate };
