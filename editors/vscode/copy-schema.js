// Copies the repository's schema of asynclint.json into the extension (jsonValidation can only point
// inside it). Run by `vsce package` (vscode:prepublish) and by hand before debugging the extension, so the
// extension never carries a copy that drifted from schema/asynclint.schema.json.
'use strict';
const fs = require('fs');
const path = require('path');

const source = path.join(__dirname, '..', '..', 'schema', 'asynclint.schema.json');
const target = path.join(__dirname, 'schema', 'asynclint.schema.json');
fs.mkdirSync(path.dirname(target), { recursive: true });
fs.copyFileSync(source, target);
console.log(`copied ${path.relative(process.cwd(), source)} → ${path.relative(process.cwd(), target)}`);
