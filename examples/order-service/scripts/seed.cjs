#!/usr/bin/env node
'use strict';
// Writes demo inventory and orders to data/seed.json: node scripts/seed.cjs [--orders 20]

const path = require('node:path');
const { randomUUID } = require('node:crypto');
const { readJson, writeJson } = require('./lib/json-file.cjs');

const SEED_FILE = path.join(__dirname, '..', 'data', 'seed.json');
const SKUS = ['mug-black', 'tee-m', 'stickers'];

function parseArgs(argv) {
  const i = argv.indexOf('--orders');
  return { orders: i >= 0 ? Number(argv[i + 1]) : 10 };
}

function demoOrder(n) {
  const items = SKUS.filter((_, j) => (n + j) % 2 === 0).map((sku) => ({ sku, quantity: 1 + (n % 3) }));
  return {
    id: randomUUID(),
    customerId: `cust-${String(n).padStart(3, '0')}`,
    items,
    total: items.length * 1500,
    status: n % 4 === 0 ? 'paid' : 'pending',
    createdAt: new Date(Date.now() - n * 60_000).toISOString(),
  };
}

async function main() {
  const { orders: count } = parseArgs(process.argv.slice(2));
  const seed = await readJson(SEED_FILE, { inventory: [], orders: [] });
  for (let n = 0; n < count; n++) seed.orders.push(demoOrder(n));
  await writeJson(SEED_FILE, seed);
  console.log(`seed: ${seed.orders.length} orders in ${path.relative(process.cwd(), SEED_FILE)}`);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
