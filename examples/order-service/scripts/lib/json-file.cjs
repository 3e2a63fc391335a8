'use strict';

const fs = require('node:fs/promises');
const path = require('node:path');

/** Reads a JSON file; returns `fallback` when the file does not exist (if one is given). */
async function readJson(file, fallback) {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (err) {
    if (err.code === 'ENOENT' && fallback !== undefined) return fallback;
    throw err;
  }
}

/** Writes atomically: a crash mid-write leaves the previous file intact. */
async function writeJson(file, data) {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(tmp, JSON.stringify(data, null, 2) + '\n');
  await fs.rename(tmp, file);
}

module.exports = { readJson, writeJson };
