// Prepares the extension for `vsce package` (its vscode:prepublish script): bundles extension.js and
// vscode-languageclient into dist/extension.js with esbuild, so that the .vsix carries no node_modules, and
// copies the repository's schema of asynclint.json (jsonValidation can only point inside the extension) and
// LICENSE, so that the extension never carries copies that drifted. esbuild and vsce are pinned
// devDependencies of the repository root (`npm ci --ignore-scripts` there); Node finds them from here.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');

fs.mkdirSync(path.join(here, 'schema'), { recursive: true });
fs.copyFileSync(path.join(root, 'schema', 'asynclint.schema.json'), path.join(here, 'schema', 'asynclint.schema.json'));
fs.copyFileSync(path.join(root, 'LICENSE'), path.join(here, 'LICENSE'));

await esbuild.build({
  entryPoints: [path.join(here, 'extension.js')],
  outfile: path.join(here, 'dist', 'extension.js'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node18',  // VS Code 1.82's Electron
  external: ['vscode'],  // provided by VS Code at run time
  minify: true,
  sourcemap: false,
  logLevel: 'warning',
});
console.log('bundled dist/extension.js; copied schema/asynclint.schema.json and LICENSE');
