import { recordAudit } from '../util/log.js';
import { retry } from '../util/retry.js';

export interface Card {
  token: string; // tokenised by the payment provider's browser SDK
  last4: string;
}

interface Charge {
  id: string;
  status: 'succeeded' | 'failed';
  failure_message?: string;
}

/** Thin client for the payment provider's REST API. */
export class PaymentService {
  constructor(
    private readonly baseUrl: string,
    private readonly apiKey: string,
  ) {}

  async capture(orderId: string, amount: number, card: Card): Promise<string> {
    // The order id is the idempotency key, so a retried request cannot charge twice.
    const charge = await retry(
      () => this.post<Charge>('/v1/charges', { amount, currency: 'eur', source: card.token }, orderId),
      { retries: 2 },
    );
    if (charge.status !== 'succeeded') {
      await recordAudit('payment.failed', { orderId, amount, reason: charge.failure_message });
      throw new Error(`card ending ${card.last4} declined: ${charge.failure_message ?? 'no reason given'}`);
    }
    recordAudit('payment.captured', { orderId, amount, chargeId: charge.id });
    return charge.id;
  }

  async refund(chargeId: string, amount: number): Promise<void> {
    await this.post('/v1/refunds', { charge: chargeId, amount }, `refund-${chargeId}`);
    await recordAudit('payment.refunded', { chargeId, amount });
  }

  private async post<T>(path: string, body: unknown, idempotencyKey: string): Promise<T> {
    const res = await fetch(new URL(path, this.baseUrl), {
      method: 'POST',
      headers: {
        authorization: `Bearer ${this.apiKey}`,
        'content-type': 'application/json',
        'idempotency-key': idempotencyKey,
      },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`payment provider answered HTTP ${res.status}`);
    return (await res.json()) as T;
  }
}
