#!/usr/bin/env node
// The typed bench: asynclint against typescript-eslint's type-aware promise rules on real TypeScript.
//
//   npm ci --ignore-scripts --prefix bench/typed        # once: eslint, typescript, typescript-eslint (pinned)
//   ASYNCLINT=build/asynclint node bench/typed/run.mjs [--only NAME] [--work DIR]
//
// For each project of projects.txt (an npm package that ships its TypeScript sources) it unpacks the
// tarball into $WORK (default /tmp/bench/typed), installs the package's own dependencies there (without
// scripts or devDependencies), writes a tsconfig for the source folder, and runs
//   - typescript-eslint's no-floating-promises and no-misused-promises with the program's types: the reference;
//   - asynclint with its defaults on the same files.
// Findings are paired by file, kind and line (one line of slack around asynclint's span: the two tools anchor a
// finding on different nodes of the same statement, such as a call and its callback argument). It prints
// matched / typed-only / asynclint-only per project and writes every finding, with the reason recorded for it
// in reasons.tsv if any, to $WORK/typed-run.json.
//
// Kinds: `floating` (no-floating-promises; asynclint floating-promise), `void-callback` (no-misused-promises'
// checksVoidReturn; asynclint async-foreach and missing-catch's "ignores the promise it returns"),
// `condition` (checksConditionals), `spread` (checksSpreads). asynclint findings of other kinds (a chain
// without a catch, fetch-without-abort …) have no typed counterpart and are not counted here.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const work = path.resolve(option('--work', process.env.TYPED_WORK || '/tmp/bench/typed'));
const only = option('--only', null);
const asynclint = process.env.ASYNCLINT || path.join(repo, 'build/asynclint');
const tools = path.join(here, 'node_modules');

if (!existsSync(path.join(tools, 'typescript-eslint'))) {
  console.error('typed bench: install the reference first: npm ci --ignore-scripts --prefix bench/typed');
  process.exit(2);
}
const { ESLint } = await import(path.join(tools, 'eslint/lib/api.js'));
const tseslint = (await import(path.join(tools, 'typescript-eslint/dist/index.js'))).default;

function projects() {
  return readFileSync(path.join(here, 'projects.txt'), 'utf8').split('\n')
    .map((line) => line.trim()).filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const [spec, source, enforces] = line.split(/\s+/);
      const name = spec.slice(0, spec.lastIndexOf('@'));
      return { spec, name, flat: name.replace(/^@/, '').replace(/\//g, '-'), source, enforces: enforces === 'yes' };
    })
    .filter((p) => !only || p.name === only || p.flat === only);
}

function reasons() {
  const file = path.join(here, 'reasons.tsv');
  const map = new Map();
  if (!existsSync(file)) return map;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const [kind, location, verdict, reason] = line.split('\t');
    map.set(`${kind} ${location}`, { verdict, reason });
  }
  return map;
}

// The package unpacked with its runtime dependencies and the reference's @types/node; done once per version.
function prepare(project) {
  const root = path.join(work, project.flat);
  const dir = path.join(root, 'package');
  const stamp = path.join(root, '.prepared');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === project.spec) return dir;
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  const tarball = execFileSync('npm', ['pack', '--silent', project.spec], { cwd: root, encoding: 'utf8' }).trim().split('\n').pop();
  execFileSync('tar', ['xzf', tarball], { cwd: root });
  const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
  // Only what the sources import at run time; scripts never run.
  for (const key of ['devDependencies', 'scripts', 'workspaces', 'devEngines', 'packageManager', 'engines', 'pnpm', 'resolutions']) delete manifest[key];
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
  execFileSync('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error'],
    { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  writeFileSync(stamp, project.spec);
  return dir;
}

function sourceFiles(dir, source) {
  const files = [];
  const walk = (folder) => {
    for (const entry of readdirSync(folder)) {
      if (['node_modules', 'test', 'tests', '__tests__', '__mocks__'].includes(entry)) continue;
      const full = path.join(folder, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (/\.(ts|tsx|mts|cts)$/.test(entry) && !/\.d\.[cm]?ts$/.test(entry) && !/\.(test|spec)\.tsx?$/.test(entry)) files.push(full);
    }
  };
  walk(path.join(dir, source));
  return files.sort();
}

// Lenient module resolution (extensionless and `.js` imports both resolve to the `.ts`), so that what the
// reference knows is limited by the code, not by how the package was built.
function writeTsconfig(dir, files) {
  const tsconfig = path.join(dir, 'tsconfig.typed-bench.json');
  writeFileSync(tsconfig, JSON.stringify({
    compilerOptions: {
      target: 'es2022', module: 'preserve', moduleResolution: 'bundler', strict: true, skipLibCheck: true,
      noEmit: true, esModuleInterop: true, experimentalDecorators: true, jsx: 'react-jsx', allowJs: false,
      lib: ['es2024', 'dom', 'dom.iterable'],
      typeRoots: [path.join(dir, 'node_modules/@types'), path.join(tools, '@types')], types: ['node'],
    },
    files,
  }, null, 2));
  return tsconfig;
}

async function typedFindings(dir, files, tsconfig) {
  const eslint = new ESLint({
    cwd: dir,
    overrideConfigFile: true,
    allowInlineConfig: false,  // the project's own eslint-disable comments must not hide findings from the reference
    overrideConfig: [{
      files: ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'],
      languageOptions: { parser: tseslint.parser, parserOptions: { project: tsconfig, tsconfigRootDir: dir } },
      plugins: { '@typescript-eslint': tseslint.plugin },
      rules: { '@typescript-eslint/no-floating-promises': 'error', '@typescript-eslint/no-misused-promises': 'error' },
    }],
  });
  const findings = [];
  for (const result of await eslint.lintFiles(files)) {
    for (const m of result.messages) {
      if (!m.ruleId) continue;  // a parse error
      const kind = m.ruleId.endsWith('no-floating-promises') ? 'floating'
        : m.messageId === 'conditional' ? 'condition' : m.messageId === 'spread' ? 'spread' : 'void-callback';
      findings.push({ kind, file: result.filePath, line: m.line, column: m.column, message: m.message });
    }
  }
  return findings;
}

function asynclintFindings(dir, files) {
  const out = path.join(dir, '..', 'asynclint-findings.json');
  try {
    execFileSync(asynclint, ['--no-ignore', '-f', 'json', '-o', out, ...files], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  } catch (error) {
    if (error.status !== 1) throw error;  // 1: findings were reported
  }
  const findings = [];
  for (const f of JSON.parse(readFileSync(out, 'utf8'))) {
    let kind = null;
    if (f.rule === 'floating-promise') kind = 'floating';
    else if (f.rule === 'async-foreach') kind = 'void-callback';
    else if (f.rule === 'missing-catch' && /ignores the promise/.test(f.message)) kind = 'void-callback';
    if (kind) findings.push({ kind, file: f.file, line: f.line, endLine: f.endLine || f.line, column: f.column, message: f.message, rule: f.rule });
  }
  return findings;
}

function count(items, key) {
  const counts = new Map();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) || 0) + 1);
  return counts;
}

function pair(typed, ours) {
  const unmatched = new Set(ours);
  const matched = [];
  const typedOnly = [];
  for (const t of typed) {
    // Lines from the typed finding to the span of asynclint's (a callback argument sits inside the call).
    const distance = (o) => (t.line < o.line ? o.line - t.line : t.line > o.endLine ? t.line - o.endLine : 0);
    const candidates = [...unmatched].filter((o) => o.kind === t.kind && o.file === t.file && distance(o) <= 1);
    candidates.sort((a, b) => distance(a) - distance(b));
    if (candidates.length) {
      unmatched.delete(candidates[0]);
      matched.push({ typed: t, asynclint: candidates[0] });
    } else {
      typedOnly.push(t);
    }
  }
  return { matched, typedOnly, asynclintOnly: [...unmatched] };
}

const recorded = reasons();
const report = [];
console.log('project                 files  typed  matched  typed-only  asynclint-only  (floating | void-callback | other typed)');
for (const project of projects()) {
  const dir = prepare(project);
  const files = sourceFiles(dir, project.source);
  const tsconfig = writeTsconfig(dir, files);
  const typed = await typedFindings(dir, files, tsconfig);
  const ours = asynclintFindings(dir, files);
  const { matched, typedOnly, asynclintOnly } = pair(typed, ours);
  const location = (f) => `${project.flat}/${path.relative(dir, f.file)}:${f.line}`;
  const annotate = (f) => ({ ...f, file: undefined, location: location(f), recorded: recorded.get(`${f.kind} ${location(f)}`) || null });
  report.push({
    project: project.spec, enforces: project.enforces, files: files.length,
    matched: matched.map((m) => ({ kind: m.typed.kind, location: location(m.typed), asynclintLine: m.asynclint.line })),
    typedOnly: typedOnly.map(annotate), asynclintOnly: asynclintOnly.map(annotate),
  });
  const byKind = (list, kind) => list.filter((f) => f.kind === kind).length;
  const split = `${byKind(typed, 'floating')} | ${byKind(typed, 'void-callback')} | ${typed.length - byKind(typed, 'floating') - byKind(typed, 'void-callback')}`;
  console.log(`${project.flat.padEnd(22)} ${String(files.length).padStart(6)} ${String(typed.length).padStart(6)} ${String(matched.length).padStart(8)}`
    + ` ${String(typedOnly.length).padStart(11)} ${String(asynclintOnly.length).padStart(15)}  (${split})${project.enforces ? '  enforces no-floating-promises' : ''}`);
}

const all = (key) => report.reduce((n, p) => n + (Array.isArray(p[key]) ? p[key].length : 0), 0);
const typedTotal = all('matched') + all('typedOnly');
console.log(`all: ${typedTotal} typed findings, ${all('matched')} found by asynclint (${typedTotal ? Math.round((100 * all('matched')) / typedTotal) : 0}%),`
  + ` ${all('asynclintOnly')} asynclint-only`);
// The goal is measured over the typed findings that can reject: asynclint's own findings of these kinds
// name a way to reject, so a matched finding counts as one; a typed-only one counts by its verdict.
const verdicts = count(report.flatMap((p) => p.typedOnly), (f) => (f.recorded ? f.recorded.verdict : 'no verdict'));
const missedRejecting = verdicts.get('can-reject') || 0;
console.log(`typed-only by verdict: ${[...verdicts].map(([v, n]) => `${v} ${n}`).join(', ')}; of the typed findings that can reject,`
  + ` asynclint finds ${all('matched')} of ${all('matched') + missedRejecting}`
  + ` (${Math.round((100 * all('matched')) / Math.max(1, all('matched') + missedRejecting))}%)`);
const unexplained = report.flatMap((p) => [...p.typedOnly, ...p.asynclintOnly]).filter((f) => !f.recorded).length;
console.log(`${unexplained} typed-only or asynclint-only findings have no reason in bench/typed/reasons.tsv yet`);
writeFileSync(path.join(work, 'typed-run.json'), JSON.stringify(report, null, 1));
console.log(`every finding: ${path.join(work, 'typed-run.json')}`);
