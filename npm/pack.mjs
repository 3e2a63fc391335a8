#!/usr/bin/env node
// Makes the npm tarballs from a built binary: the main package `asynclint` (the Node launcher, the schema)
// and the platform package holding the binary, both at the version in CMakeLists.txt.
//
//   node npm/pack.mjs --binary build-dist/dist-bin/asynclint --out dist [--platform linux-x64-gnu]
//
// --platform defaults to the machine this runs on (a platform package can only be made where its binary
// was built). Prints the path of each tarball it wrote.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const require = createRequire(import.meta.url);
const { platforms, describe, platformFor } = require('./asynclint/lib/platform.js');

function fail(message) {
  process.stderr.write(`npm/pack.mjs: ${message}\n`);
  process.exit(2);
}

const { values: options } = parseArgs({
  options: { binary: { type: 'string' }, out: { type: 'string' }, platform: { type: 'string' } },
});
if (!options.binary || !options.out) fail('usage: node npm/pack.mjs --binary FILE --out DIR [--platform NAME]');

// The project's version lives in CMakeLists.txt (project(asynclint VERSION x.y.z)); the binary prints it.
function projectVersion() {
  const cmake = fs.readFileSync(path.join(root, 'CMakeLists.txt'), 'utf8');
  const match = /project\(asynclint\s+VERSION\s+(\d+\.\d+\.\d+)/.exec(cmake);
  if (!match) fail('no "project(asynclint VERSION x.y.z)" in CMakeLists.txt');
  return match[1];
}

const version = projectVersion();
const native = platformFor();
const platform = options.platform ? platforms.find((p) => p.name === options.platform) : native;
if (!platform) {
  fail(options.platform
    ? `unknown platform ${options.platform}; npm/asynclint/platforms.json lists ${platforms.map((p) => p.name).join(', ')}`
    : 'this machine is not one of the platforms in npm/asynclint/platforms.json');
}
const binary = path.resolve(options.binary);
if (!fs.existsSync(binary)) fail(`${binary} does not exist (./build.sh dist builds it)`);
if (platform === native) {
  // A binary of another version would ship under this version's name.
  const printed = execFileSync(binary, ['--version'], { encoding: 'utf8' }).trim();
  if (printed !== `asynclint ${version}`) fail(`${binary} --version prints "${printed}", CMakeLists.txt says ${version}`);
}

const out = path.resolve(options.out);
fs.mkdirSync(out, { recursive: true });
const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'asynclint-pack-'));
const writeJson = (file, value) => fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);

function pack(folder) {
  const [info] = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', out], {
    cwd: folder, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'],
  }));
  const tarball = path.join(out, info.filename);
  console.log(tarball);
  return tarball;
}

try {
  // The main package: the template in npm/asynclint, the schema, the licence.
  const main = path.join(staging, 'asynclint');
  fs.cpSync(path.join(here, 'asynclint'), main, { recursive: true });
  const manifest = JSON.parse(fs.readFileSync(path.join(main, 'package.json'), 'utf8'));
  manifest.version = version;
  manifest.optionalDependencies = Object.fromEntries(platforms.map((p) => [`@asynclint/${p.name}`, version]));
  writeJson(path.join(main, 'package.json'), manifest);
  fs.mkdirSync(path.join(main, 'schema'));
  fs.copyFileSync(path.join(root, 'schema', 'asynclint.schema.json'), path.join(main, 'schema', 'asynclint.schema.json'));
  fs.copyFileSync(path.join(root, 'LICENSE'), path.join(main, 'LICENSE'));
  pack(main);

  // The platform package: the binary and nothing to run at install time.
  const platformFolder = path.join(staging, platform.name);
  fs.mkdirSync(platformFolder);
  writeJson(path.join(platformFolder, 'package.json'), {
    name: `@asynclint/${platform.name}`,
    version,
    description: `The asynclint binary for ${describe(platform)}; installed by the asynclint package.`,
    license: manifest.license,
    repository: manifest.repository,
    os: [platform.os],
    cpu: [platform.cpu],
    ...(platform.libc ? { libc: [platform.libc] } : {}),
    files: [platform.binary],
    preferUnplugged: true,
  });
  fs.copyFileSync(binary, path.join(platformFolder, platform.binary));
  fs.chmodSync(path.join(platformFolder, platform.binary), 0o755);
  fs.copyFileSync(path.join(root, 'LICENSE'), path.join(platformFolder, 'LICENSE'));
  fs.writeFileSync(path.join(platformFolder, 'README.md'),
    `# @asynclint/${platform.name}\n\nThe asynclint binary for ${describe(platform)}. Install \`asynclint\`, ` +
    'not this package: npm picks the platform package that fits the machine.\n');
  pack(platformFolder);
} finally {
  fs.rmSync(staging, { recursive: true, force: true });
}
