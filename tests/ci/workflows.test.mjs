// The GitHub Action (action.yml) and every GitHub Actions workflow in docs/ci.md, checked by
// @action-validator/cli (the schemas GitHub's own editor uses) and for what code scanning needs:
// upload-sarif v4, the permissions it asks for, one category per shard, the action's version.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';

const here = path.dirname(fileURLToPath(import.meta.url));
const SOURCE_DIR = path.resolve(process.env.ASYNCLINT_SOURCE_DIR || path.join(here, '..', '..'));
const VALIDATOR = path.join(SOURCE_DIR, 'node_modules', '@action-validator', 'cli', 'cli.mjs');
const VERSION = /project\(asynclint\s+VERSION\s+(\d+\.\d+\.\d+)/.exec(fs.readFileSync(path.join(SOURCE_DIR, 'CMakeLists.txt'), 'utf8'))[1];
const read = (relative) => fs.readFileSync(path.join(SOURCE_DIR, relative), 'utf8');

const scratch = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'asynclint-ci-')));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

// action-validator tells an action from a workflow by the file name: action.yml, or anything else.
function validate(text, name) {
  const file = path.join(scratch, `${Math.random().toString(36).slice(2)}`, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return spawnSync(process.execPath, [VALIDATOR, file], { encoding: 'utf8', cwd: path.dirname(file) });
}

// The ```yaml blocks of docs/ci.md that are GitHub Actions workflows (they have `on` and `jobs`; the others
// are GitLab CI and pre-commit configurations).
const workflows = [...read('docs/ci.md').matchAll(/```yaml\n([\s\S]*?)```/g)]
  .map((m) => m[1])
  .filter((text) => /^on:/m.test(text) && /^jobs:/m.test(text));

const steps = (workflow) => Object.values(workflow.jobs).flatMap((job) => job.steps.map((step) => ({ job, step })));
const permissionsOf = (workflow, job) => job.permissions || workflow.permissions || {};

test('action.yml is a valid composite action with the inputs users need', () => {
  const result = validate(read('action.yml'), 'action.yml');
  assert.equal(result.status, 0, result.stdout + result.stderr);
  const action = yaml.load(read('action.yml'));
  assert.equal(action.runs.using, 'composite');
  for (const input of ['paths', 'format', 'args', 'sarif-file', 'category']) assert.ok(action.inputs[input], input);
  const upload = action.runs.steps.find((step) => step.uses && step.uses.startsWith('github/codeql-action/upload-sarif'));
  assert.equal(upload.uses, 'github/codeql-action/upload-sarif@v4');
  assert.equal(upload.with.category, '${{ inputs.category }}');
  // It installs the npm package at the version of the checkout the action runs from.
  assert.match(action.runs.steps[0].run, /npm install .*"asynclint@\$version"/);
  assert.match(action.runs.steps[0].run, /\$GITHUB_ACTION_PATH\/CMakeLists\.txt/);
});

test('the validator rejects what GitHub would reject', () => {
  const broken = read('action.yml').replace('using: composite', 'using: compose');
  assert.notEqual(validate(broken, 'action.yml').status, 0);
  const workflow = workflows[0].replace(/runs-on: ubuntu-latest\n/, '');
  assert.notEqual(validate(workflow, 'asynclint.yml').status, 0);
});

test('every workflow in docs/ci.md is valid', () => {
  assert.equal(workflows.length, 4, 'single job with the action, without the action, sharded, baseline');
  workflows.forEach((text, index) => {
    const result = validate(text, `docs-ci-${index + 1}.yml`);
    assert.equal(result.status, 0, `workflow ${index + 1}:\n${text}\n${result.stdout}${result.stderr}`);
  });
});

test('every job that uploads SARIF has the permissions upload-sarif needs, and uses v4', () => {
  let uploads = 0;
  for (const text of workflows) {
    const workflow = yaml.load(text);
    for (const { job, step } of steps(workflow)) {
      if (!step.uses) continue;
      const uploadsSarif = step.uses.startsWith('github/codeql-action/upload-sarif') || (step.uses.startsWith('asynclint/asynclint@') && step.with?.['sarif-file'] !== '');
      if (step.uses.startsWith('github/codeql-action/')) assert.equal(step.uses, 'github/codeql-action/upload-sarif@v4');
      if (step.uses.startsWith('asynclint/asynclint@')) assert.equal(step.uses, `asynclint/asynclint@v${VERSION}`, 'the released tag');
      if (!uploadsSarif) continue;
      uploads += 1;
      assert.deepEqual(permissionsOf(workflow, job), { contents: 'read', 'security-events': 'write', actions: 'read' }, text);
    }
  }
  assert.equal(uploads, 4);
});

test('each shard uploads its own SARIF file under its own category', () => {
  const sharded = workflows.map((text) => yaml.load(text)).filter((w) => Object.values(w.jobs).some((job) => job.strategy?.matrix?.shard));
  assert.equal(sharded.length, 1);
  const [{ job, step }] = steps(sharded[0]).filter(({ step }) => step.uses?.startsWith('asynclint/asynclint@'));
  const shards = job.strategy.matrix.shard;
  const expand = (value, shard) => value.replaceAll('${{ matrix.shard }}', String(shard));
  assert.deepEqual(shards.map((shard) => expand(step.with.args, shard)), shards.map((shard) => `--shard ${shard}/${shards.length}`));
  for (const key of ['category', 'sarif-file']) {
    assert.equal(new Set(shards.map((shard) => expand(step.with[key], shard))).size, shards.length, key);
  }
  assert.equal(job.strategy['fail-fast'], false, 'a failing shard must not cancel the others before they upload');
});

test('the pre-commit example pins a tag the release process creates', () => {
  const example = /repo: https:\/\/github\.com\/asynclint\/asynclint\n\s+rev: (\S+)/.exec(read('docs/ci.md'));
  assert.equal(example[1], `v${VERSION}`);
  assert.match(read('docs/releasing.md'), /git tag -a "v\$version"/);
});
