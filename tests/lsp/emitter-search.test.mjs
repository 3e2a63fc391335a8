// The search for an event's emitters (missing-catch on async listeners) stays inside the workspace folder,
// as the command line's stays inside the folder it walks. Found by the soak test (soak.mjs): with a
// package.json far above the workspace (one in /tmp, as on the development machine), the server read every
// script under that folder while linting one listener: 25 s and 250 MB of RSS that it kept.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { BIN, startServer, summary, workspace } from './helpers.mjs';

test('an emitter outside the workspace folder is not searched for, whatever package.json lies above it', async (t) => {
  const outer = workspace({
    'package.json': '{}\n',
    // Outside the workspace: awaits the emit, which would make the listener's rejection handled.
    'elsewhere/runner.js':
      "import Emittery from 'emittery';\nexport class Runner extends Emittery {\n  async step() { await this.emit('runner.before'); }\n}\n",
    'ws/lock.js':
      "async function take() { throw new Error('held'); }\nexport function attach(runner) {\n  runner.on('runner.before', async () => take());\n}\n",
  });
  const root = path.join(outer.root, 'ws');
  const server = await startServer({ root });
  // A failed assertion must not leave the server running (node --test would wait for it).
  t.after(() => server.child.kill());
  const file = outer.file('ws/lock.js');
  await server.open(file, fs.readFileSync(file, 'utf8'));
  const { diagnostics } = await server.published(file, 1);
  // The command line over the same folder: it searches only what it walks.
  const cli = spawnSync(BIN, [root, '--format', 'json'], { encoding: 'utf8', cwd: outer.root });
  const expected = JSON.parse(cli.stdout).filter((f) => !f.fatal).map((f) => `${f.rule}@${f.line - 1}`);
  assert.deepEqual(expected, ['missing-catch@2'], cli.stderr);
  assert.deepEqual(summary(diagnostics).map((s) => s.replace(/:.*/, '')), expected);
  // And the search inside the workspace still works: the same emitter inside it silences the finding.
  fs.mkdirSync(path.join(root, 'lib'));
  fs.copyFileSync(outer.file('elsewhere/runner.js'), path.join(root, 'lib/runner.js'));
  await server.change(file, 2, [{ text: fs.readFileSync(file, 'utf8') + '\n' }]);
  assert.deepEqual((await server.published(file, 2)).diagnostics, []);
  assert.deepEqual(await server.stop(), { code: 0, signal: null });
});
