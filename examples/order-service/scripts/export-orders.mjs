#!/usr/bin/env node
// Exports orders from a running service as CSV: node scripts/export-orders.mjs [status] [out.csv]

import { writeFile } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';

const BASE_URL = process.env.ORDER_SERVICE_URL ?? 'http://localhost:3000';
const [status = 'paid', outFile = `orders-${status}.csv`] = process.argv.slice(2);

async function fetchJson(url, attempts = 3) {
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await fetch(url);
      if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
      return await res.json();
    } catch (err) {
      if (attempt >= attempts) throw err;
      await delay(250 * attempt);
    }
  }
}

function toCsv(orders) {
  const quote = (value) => `"${String(value).replaceAll('"', '""')}"`;
  const rows = orders.map((o) =>
    [o.id, o.customerId, o.status, (o.total / 100).toFixed(2), o.createdAt].map(quote).join(','),
  );
  return ['id,customer,status,total_eur,created_at', ...rows].join('\n') + '\n';
}

async function main() {
  const orders = await fetchJson(`${BASE_URL}/orders?status=${encodeURIComponent(status)}&limit=10000`);
  await writeFile(outFile, toCsv(orders));
  console.log(`wrote ${orders.length} ${status} orders to ${outFile}`);
}

main();
