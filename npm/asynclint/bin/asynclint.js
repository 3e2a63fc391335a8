#!/usr/bin/env node
// `asynclint` for npm: runs the native binary from the platform package npm installed next to this one
// (an optional dependency chosen by os/cpu/libc), with the same arguments, standard input, output and
// error, and ends with its exit code, or by the signal that ended it.
'use strict';

const { spawnSync } = require('node:child_process');
const os = require('node:os');
const path = require('node:path');
const { platforms, current, describe, platformFor } = require('../lib/platform.js');

// Exit code 2 is asynclint's "usage, configuration or internal error".
function fail(message) {
  process.stderr.write(`asynclint: ${message}\n`);
  process.exit(2);
}

const machine = current();
const platform = platformFor(machine);
if (!platform) {
  fail(`no prebuilt binary for ${describe(machine)}; the npm packages have one for ` +
    `${platforms.map((p) => p.name).join(', ')}. On another platform, build asynclint from source ` +
    '(./build.sh build in a clone of the repository) and run that binary.');
}

const packageName = `@asynclint/${platform.name}`;
let binary;
try {
  binary = path.join(path.dirname(require.resolve(`${packageName}/package.json`)), platform.binary);
} catch {
  fail(`${packageName}, the package with the binary for ${describe(machine)}, is not installed. npm installs ` +
    'it as an optional dependency of asynclint: install again without --omit=optional (or --no-optional); ' +
    'a lockfile written on another platform can also leave it out.');
}

const result = spawnSync(binary, process.argv.slice(2), { stdio: 'inherit', windowsHide: true });
if (result.error) fail(`cannot run ${binary}: ${result.error.message}`);
if (result.signal) {
  // End the same way, so that a caller sees the signal rather than an exit code; 128 + n if this process
  // survives its own signal (one that Node handles).
  process.kill(process.pid, result.signal);
  process.exit(128 + (os.constants.signals[result.signal] || 0));
}
process.exit(result.status);
