// .pre-commit-hooks.yaml through pre-commit itself (the Debian package; build.sh installs it): which staged
// files the hook hands to asynclint. Run by CTest as `pre-commit-hook` with ASYNCLINT set to the binary,
// whose folder goes first on PATH (the hook runs `asynclint` from PATH).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const SOURCE_DIR = path.resolve(process.env.ASYNCLINT_SOURCE_DIR || path.join(here, '..', '..'));
const BIN = path.resolve(process.env.ASYNCLINT || path.join(SOURCE_DIR, 'build', 'asynclint'));
const FLOATING = 'async function p() { await Promise.reject(new Error("io")); }\np();\n';

const scratch = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'asynclint-pre-commit-')));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

test('the hook lints every extension asynclint lints, .mts and .cts included, and no declaration file', () => {
  assert.equal(path.basename(BIN), 'asynclint', 'the hook runs "asynclint"');
  const project = path.join(scratch, 'project');
  const names = ['a.js', 'b.mjs', 'c.cjs', 'd.jsx', 'e.ts', 'f.mts', 'g.cts', 'h.tsx', 'types.d.ts', 'types.d.mts', 'types.d.cts', 'notes.txt'];
  fs.mkdirSync(path.join(project, 'src'), { recursive: true });
  for (const name of names) fs.writeFileSync(path.join(project, 'src', name), FLOATING);
  const env = { ...process.env, PATH: `${path.dirname(BIN)}${path.delimiter}${process.env.PATH}`,
    PRE_COMMIT_HOME: path.join(scratch, 'pre-commit-home'), GIT_AUTHOR_NAME: 'test', GIT_AUTHOR_EMAIL: 'test@localhost',
    GIT_COMMITTER_NAME: 'test', GIT_COMMITTER_EMAIL: 'test@localhost' };
  delete env.NO_COLOR;
  const git = (...args) => spawnSync('git', args, { cwd: project, env, encoding: 'utf8' });
  assert.equal(git('init', '-q').status, 0);
  assert.equal(git('add', '-A').status, 0);
  const run = spawnSync('pre-commit', ['try-repo', SOURCE_DIR, 'asynclint', '--verbose', '--color', 'never', '--files', ...names.map((n) => `src/${n}`)],
    { cwd: project, env, encoding: 'utf8', timeout: 120_000 });
  assert.equal(run.status, 1, `the files have findings: ${run.stdout}${run.stderr}`);
  // Each linted file is a header line of asynclint's stylish report.
  const linted = [...run.stdout.matchAll(/^src\/(\S+)$/gm)].map((m) => m[1]).sort();
  assert.deepEqual(linted, ['a.js', 'b.mjs', 'c.cjs', 'd.jsx', 'e.ts', 'f.mts', 'g.cts', 'h.tsx'], run.stdout);
});
