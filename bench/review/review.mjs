#!/usr/bin/env node
// The review loop: lint real code, sample findings, and compare every run against the verdicts people
// recorded by hand. See README.md in this folder.
//
//   node bench/review/review.mjs lint   [--out FILE]            lint the corpora, write the findings
//   node bench/review/review.mjs sample [--rule R] [--n N] [--seed S] [--unjudged] [--run FILE]
//   node bench/review/review.mjs check  [--run FILE] [--strict]  compare a run with verdicts.tsv
//   node bench/review/review.mjs show   LOCATION [--run FILE]    one finding (or location) with its code
//
// Locations are `package/path/in/corpus:line`, the same in every corpus: the benchmark corpus
// ($BENCH_CORPUS, default /tmp/bench/corpus), the application corpus ($APPS_CORPUS, /tmp/bench/apps) and,
// where it was built, the repository corpus ($REPOS_CORPUS, /tmp/bench/repos).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
export const corpora = [
  { name: 'bench', root: process.env.BENCH_CORPUS || '/tmp/bench/corpus' },
  { name: 'apps', root: process.env.APPS_CORPUS || '/tmp/bench/apps' },
  // Optional: whole repositories, built only where git mirrors of them exist (make-repo-corpus.sh).
  { name: 'repos', root: process.env.REPOS_CORPUS || '/tmp/bench/repos', optional: true },
];
const defaultRun = process.env.REVIEW_RUN || '/tmp/bench/review-run.json';
export const verdictVerbs = ['real', 'not-real', 'unsure'];

function option(args, name, fallback) {
  const at = args.indexOf(name);
  return at >= 0 && at + 1 < args.length ? args[at + 1] : fallback;
}

// --- files of the loop -------------------------------------------------------------------------------------

// verdicts.tsv: rule, location, verdict, reason, who judged and when. Later lines win over earlier ones for
// the same rule and location (a verdict can be revised by appending).
export function readVerdicts(file = path.join(here, 'verdicts.tsv')) {
  const verdicts = new Map();
  for (const [number, line] of readFileSync(file, 'utf8').split('\n').entries()) {
    if (!line.trim() || line.startsWith('#') || line.startsWith('rule\t')) continue;
    const [rule, location, verdict, reason = '', source = ''] = line.split('\t');
    if (!verdictVerbs.includes(verdict) || !/:\d+$/.test(location || ''))
      throw new Error(`${path.basename(file)}:${number + 1}: expected rule, location, real|not-real|unsure, reason, source`);
    verdicts.set(`${rule}\t${location}`, { rule, location, verdict, reason, source });
  }
  return verdicts;
}

// accepted-losses.tsv: findings judged real that a change stopped reporting on purpose, with the reason.
export function readAcceptedLosses(file = path.join(here, 'accepted-losses.tsv')) {
  const losses = new Map();
  if (!existsSync(file)) return losses;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim() || line.startsWith('#') || line.startsWith('rule\t')) continue;
    const [rule, location, reason = ''] = line.split('\t');
    losses.set(`${rule}\t${location}`, reason);
  }
  return losses;
}

// --- lint ----------------------------------------------------------------------------------------------------

export function locationOf(file) {
  for (const corpus of corpora) {
    const relative = path.relative(corpus.root, file);
    if (!relative.startsWith('..') && !path.isAbsolute(relative)) return { corpus, relative };
  }
  return null;
}

function lint(args) {
  const binary = process.env.ASYNCLINT || path.join(repo, 'build/asynclint');
  const out = option(args, '--out', defaultRun);
  const findings = [];
  for (const corpus of corpora) {
    if (!existsSync(corpus.root) && corpus.optional) {
      console.error(`review: ${corpus.root} is missing: the ${corpus.name} corpus is left out (bench/review/make-repo-corpus.sh builds it)`);
      continue;
    }
    if (!existsSync(corpus.root)) {
      console.error(`review: ${corpus.root} is missing: build it with ${corpus.name === 'bench' ? 'bench/run-corpus.sh (or ../shared/bench/make-corpus.sh)' : 'bench/review/make-app-corpus.sh'}`);
      process.exit(2);
    }
    const json = path.join(path.dirname(out), `review-${corpus.name}.json`);
    try {
      execFileSync(binary, ['--no-ignore', '-f', 'json', '-o', json, corpus.root], { stdio: ['ignore', 'ignore', 'inherit'] });
    } catch (error) {
      if (error.status !== 1) throw error;  // 1: findings were reported
    }
    for (const f of JSON.parse(readFileSync(json, 'utf8'))) {
      if (f.rule === null) continue;  // a file's first syntax error (rule null, fatal): not a finding to judge
      const relative = path.relative(corpus.root, f.file);
      findings.push({
        rule: f.rule, location: `${relative}:${f.line}`, corpus: corpus.name, file: f.file, line: f.line, column: f.column,
        severity: f.severity, message: f.message, related: f.related || [],
      });
    }
  }
  writeFileSync(out, JSON.stringify(findings, null, 1));
  const byRule = count(findings, (f) => f.rule);
  console.log(`${findings.length} findings → ${out}`);
  for (const [rule, n] of [...byRule].sort()) console.log(`  ${rule.padEnd(24)} ${n}`);
}

function count(items, key) {
  const counts = new Map();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) || 0) + 1);
  return counts;
}

function readRun(args) {
  const file = option(args, '--run', defaultRun);
  if (!existsSync(file)) {
    console.error(`review: no run at ${file}: run \`node bench/review/review.mjs lint\` first`);
    process.exit(2);
  }
  return JSON.parse(readFileSync(file, 'utf8'));
}

// --- sample --------------------------------------------------------------------------------------------------

// A small seeded generator (mulberry32 over a hash of the seed string): the same seed gives the same sample.
export function seededRandom(seed) {
  let h = 1779033703 ^ seed.length;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 3432918353), h = (h << 13) | (h >>> 19);
  let state = h >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// `n` findings of a list, chosen by the seed, in (location) order: the list is sorted first so the sample
// does not depend on the order the linter printed.
export function sample(findings, n, seed) {
  const sorted = [...findings].sort((a, b) => (a.location < b.location ? -1 : a.location > b.location ? 1 : 0));
  const random = seededRandom(seed);
  for (let i = sorted.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [sorted[i], sorted[j]] = [sorted[j], sorted[i]];
  }
  return sorted.slice(0, n).sort((a, b) => (a.location < b.location ? -1 : 1));
}

function codeAround(file, line, before = 8, after = 8) {
  let lines;
  try {
    lines = readFileSync(file, 'utf8').split('\n');
  } catch {
    return `  (cannot read ${file})`;
  }
  const out = [];
  for (let i = Math.max(1, line - before); i <= Math.min(lines.length, line + after); i++) {
    let text = lines[i - 1];
    if (text.length > 160) text = text.slice(0, 157) + '...';
    out.push(`${i === line ? '>' : ' '}${String(i).padStart(6)}  ${text}`);
  }
  return out.join('\n');
}

function printFinding(f, verdict) {
  console.log(`\n=== ${f.rule}  ${f.location}  (${f.severity})${verdict ? `  [judged ${verdict.verdict}: ${verdict.reason}]` : ''}`);
  console.log(`    ${f.message}`);
  console.log(codeAround(f.file, f.line));
  for (const r of f.related || []) {
    if (!r.file || (r.file === f.file && Math.abs(r.line - f.line) < 8)) continue;
    const where = locationOf(r.file);
    console.log(`  related: ${where ? where.relative : r.file}:${r.line}  ${r.message || ''}`);
    console.log(codeAround(r.file, r.line, 2, 12));
  }
}

function sampleCommand(args) {
  const findings = readRun(args);
  const verdicts = readVerdicts();
  const rule = option(args, '--rule', null);
  const n = Number(option(args, '--n', '25'));
  const seed = option(args, '--seed', 'asynclint-review');
  const unjudged = args.includes('--unjudged');
  const rules = rule ? [rule] : [...new Set(findings.map((f) => f.rule))].sort();
  for (const r of rules) {
    let pool = findings.filter((f) => f.rule === r);
    if (unjudged) pool = pool.filter((f) => !verdicts.has(`${f.rule}\t${f.location}`));
    const chosen = sample(pool, n, `${seed}/${r}`);
    console.log(`\n##### ${r}: ${chosen.length} of ${pool.length}${unjudged ? ' unjudged' : ''} findings (seed ${seed})`);
    for (const f of chosen) printFinding(f, verdicts.get(`${f.rule}\t${f.location}`));
  }
}

function showCommand(args) {
  const location = args[0];
  const findings = readRun(args).filter((f) => f.location === location);
  if (findings.length === 0) {
    const [file, line] = [location.replace(/:\d+$/, ''), Number(location.match(/:(\d+)$/)?.[1] || 1)];
    for (const corpus of corpora) {
      const full = path.join(corpus.root, file);
      if (existsSync(full)) return console.log(`(not reported in this run)\n${codeAround(full, line, 12, 12)}`);
    }
    return console.log('(no such file in the corpora)');
  }
  const verdicts = readVerdicts();
  for (const f of findings) printFinding(f, verdicts.get(`${f.rule}\t${f.location}`));
}

// --- check ---------------------------------------------------------------------------------------------------

// Compares a run with the verdicts. Returns the report's lines and whether something needs attention: a
// finding judged real that is no longer reported without an accepted reason.
export function compare(findings, verdicts, losses) {
  const reported = new Set(findings.map((f) => `${f.rule}\t${f.location}`));
  const lines = [];
  const rules = [...new Set([...findings.map((f) => f.rule), ...[...verdicts.values()].map((v) => v.rule)])].sort();
  let unexplained = 0;
  const totals = { reported: 0, judged: 0, real: 0 };
  lines.push('rule                      reported  judged  real  not-real  unsure  precision(judged)  lost-real  not-real-still-reported');
  for (const rule of rules) {
    const ruleFindings = findings.filter((f) => f.rule === rule);
    const judged = ruleFindings.map((f) => verdicts.get(`${f.rule}\t${f.location}`)).filter(Boolean);
    const real = judged.filter((v) => v.verdict === 'real').length;
    const notReal = judged.filter((v) => v.verdict === 'not-real').length;
    const unsure = judged.filter((v) => v.verdict === 'unsure').length;
    const lost = [...verdicts.values()].filter((v) => v.rule === rule && v.verdict === 'real' && !reported.has(`${v.rule}\t${v.location}`));
    totals.reported += ruleFindings.length;
    totals.judged += judged.length;
    totals.real += real;
    const precision = judged.length ? `${Math.round((100 * real) / judged.length)}%` : '-';
    lines.push(`${rule.padEnd(26)}${String(ruleFindings.length).padStart(8)}${String(judged.length).padStart(8)}${String(real).padStart(6)}` +
      `${String(notReal).padStart(10)}${String(unsure).padStart(8)}${precision.padStart(19)}${String(lost.length).padStart(11)}${String(notReal + unsure).padStart(25)}`);
    for (const v of lost) {
      const reason = losses.get(`${v.rule}\t${v.location}`);
      if (!reason) unexplained++;
      lines.push(`    lost real: ${v.location}  (${v.reason})  ${reason ? `accepted: ${reason}` : 'NO ACCEPTED REASON'}`);
    }
  }
  const precision = totals.judged ? `${Math.round((100 * totals.real) / totals.judged)}%` : '-';
  lines.push(`all: ${totals.reported} reported, ${totals.judged} judged, ${totals.real} real: precision among judged ${precision} (unsure counts as not real)`);
  return { lines, unexplained };
}

function checkCommand(args) {
  const findings = readRun(args);
  const verdicts = readVerdicts();
  const { lines, unexplained } = compare(findings, verdicts, readAcceptedLosses());
  console.log(lines.join('\n'));
  if (args.includes('--list')) {
    console.log('\nnot real, still reported:');
    for (const f of findings) {
      const v = verdicts.get(`${f.rule}\t${f.location}`);
      if (v && v.verdict !== 'real') console.log(`  ${f.rule}  ${f.location}  [${v.verdict}] ${v.reason}`);
    }
  }
  if (unexplained) {
    console.log(`\n${unexplained} finding(s) judged real are no longer reported and have no line in accepted-losses.tsv`);
    if (args.includes('--strict')) process.exit(1);
  }
}

const [command, ...rest] = process.argv.slice(2);
if (import.meta.url === `file://${process.argv[1]}`) {
  if (command === 'lint') lint(rest);
  else if (command === 'sample') sampleCommand(rest);
  else if (command === 'check') checkCommand(rest);
  else if (command === 'show') showCommand(rest);
  else {
    console.error('usage: review.mjs lint|sample|check|show …  (see the comment at the top of this file)');
    process.exit(2);
  }
}
