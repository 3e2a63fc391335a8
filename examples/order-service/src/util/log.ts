import fs from 'node:fs';
import util from 'node:util';

type Level = 'debug' | 'info' | 'warn' | 'error';

const LEVELS: Level[] = ['debug', 'info', 'warn', 'error'];
const threshold = LEVELS.indexOf((process.env.LOG_LEVEL ?? 'info') as Level);

function write(level: Level, message: string, extra?: unknown): void {
  if (LEVELS.indexOf(level) < threshold) return;
  const line = `${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} ${message}`;
  const out = level === 'error' || level === 'warn' ? console.error : console.log;
  if (extra === undefined) out(line);
  else out(line, extra);
}

export const logger = {
  debug: (message: string, extra?: unknown) => write('debug', message, extra),
  info: (message: string, extra?: unknown) => write('info', message, extra),
  warn: (message: string, extra?: unknown) => write('warn', message, extra),
  error: (message: string, extra?: unknown) => write('error', message, extra),
};

// fs.appendFile takes a callback; promisify gives an awaitable version of it.
const appendFile = util.promisify(fs.appendFile);
const AUDIT_LOG = process.env.AUDIT_LOG ?? 'audit.log';

/** Appends one JSON line to the audit log (payments, refunds). */
export async function recordAudit(event: string, data: Record<string, unknown>): Promise<void> {
  const entry = { at: new Date().toISOString(), event, ...data };
  await appendFile(AUDIT_LOG, JSON.stringify(entry) + '\n');
}
