import type { FakeDbClient } from '../db/client.js';

export type OrderStatus = 'pending' | 'paid' | 'payment_failed' | 'cancelled' | 'expired';

export interface OrderItem {
  sku: string;
  quantity: number;
}

export interface Order {
  id: string;
  customerId: string;
  items: OrderItem[];
  total: number; // cents
  status: OrderStatus;
  paymentId?: string;
  createdAt: string;
  updatedAt?: string;
}

export class OrderRepo {
  constructor(private readonly db: FakeDbClient) {}

  findById(id: string): Promise<Order | undefined> {
    return this.db.get<Order>('orders', id);
  }

  async save(order: Order): Promise<void> {
    order.updatedAt = new Date().toISOString();
    await this.db.put('orders', order);
  }

  async list(filter: { status?: OrderStatus; limit?: number } = {}): Promise<Order[]> {
    const rows = await this.db.query<Order>('orders', filter.status ? { status: filter.status } : {});
    rows.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    return rows.slice(0, filter.limit ?? 50);
  }

  async count(status: OrderStatus): Promise<number> {
    const rows = await this.db.query<Order>('orders', { status });
    return rows.length;
  }

  /** Pending orders older than `maxAgeMs`: their reserved stock goes back on sale. */
  async findStale(maxAgeMs: number, now = Date.now()): Promise<Order[]> {
    const pending = await this.db.query<Order>('orders', { status: 'pending' });
    return pending.filter((order) => now - Date.parse(order.createdAt) > maxAgeMs);
  }
}
