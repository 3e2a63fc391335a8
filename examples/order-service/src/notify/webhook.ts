import { logger, retry } from '../util/index.js';

export type Notifier = (event: string, orderId: string | null) => Promise<void>;

const WEBHOOK_URL = process.env.ORDER_WEBHOOK_URL ?? '';
const WEBHOOK_SECRET = process.env.ORDER_WEBHOOK_SECRET ?? '';

async function send(url: string, body: unknown): Promise<void> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-webhook-secret': WEBHOOK_SECRET },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(5_000),
  });
  if (!res.ok) {
    const detail = await res.text();
    throw new Error(`webhook answered ${res.status}: ${detail.slice(0, 200)}`);
  }
}

/** Posts an order event to the partner webhook, retrying transient failures. */
export async function notify(event: string, orderId: string | null): Promise<void> {
  await retry(() => send(WEBHOOK_URL, { event, orderId, at: new Date().toISOString() }), {
    retries: 3,
    onRetry: (attempt, err) => logger.warn(`webhook ${event}: attempt ${attempt} failed`, err),
  });
}

/**
 * Local development has no webhook endpoint, so print the events instead.
 * (`send` here is the output callback, not the HTTP sender above.)
 */
export function createDryRunNotifier(send: (line: string) => void = console.log): Notifier {
  return async (event, orderId) => {
    send(`[webhook dry-run] ${event} ${orderId ?? '-'}`);
  };
}
