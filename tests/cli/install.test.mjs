// `cmake --install` (what ./build.sh install runs) from the build folder of the binary under test: the
// binary in PREFIX/bin and the schema of asynclint.json in PREFIX/share/asynclint, where README.md says.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { BIN, SOURCE_DIR } from './helpers.mjs';

test('cmake --install puts the binary in bin/ and the schema in share/asynclint/', (t) => {
  const buildDir = path.dirname(BIN);
  assert.ok(fs.existsSync(path.join(buildDir, 'cmake_install.cmake')), `${BIN} is not in a CMake build folder`);
  const prefix = fs.mkdtempSync(path.join(os.tmpdir(), 'asynclint-install-'));
  t.after(() => fs.rmSync(prefix, { recursive: true, force: true }));
  const installed = spawnSync('cmake', ['--install', buildDir, '--prefix', prefix], { encoding: 'utf8' });
  assert.equal(installed.status, 0, installed.stdout + installed.stderr);
  const version = spawnSync(path.join(prefix, 'bin', 'asynclint'), ['--version'], { encoding: 'utf8' });
  assert.match(version.stdout, /^asynclint \d+\.\d+\.\d+\n$/);
  assert.equal(fs.readFileSync(path.join(prefix, 'share', 'asynclint', 'asynclint.schema.json'), 'utf8'),
    fs.readFileSync(path.join(SOURCE_DIR, 'schema', 'asynclint.schema.json'), 'utf8'));
});
