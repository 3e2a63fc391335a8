import type { FakeDbClient } from '../db/client.js';
import { HttpError } from '../util/http.js';

export interface StockItem {
  id: string; // the SKU
  name: string;
  price: number; // cents
  available: number;
  reserved: number;
}

export class InventoryRepo {
  constructor(private readonly db: FakeDbClient) {}

  async get(sku: string): Promise<StockItem> {
    const item = await this.db.get<StockItem>('inventory', sku);
    if (!item) throw new HttpError(404, `unknown sku ${sku}`);
    return item;
  }

  async priceOf(sku: string): Promise<number> {
    const { price } = await this.get(sku);
    return price;
  }

  async reserve(sku: string, quantity: number): Promise<void> {
    const item = await this.get(sku);
    if (item.available < quantity) {
      throw new HttpError(409, `only ${item.available} x ${sku} left`);
    }
    await this.db.put('inventory', {
      ...item,
      available: item.available - quantity,
      reserved: item.reserved + quantity,
    });
  }

  async release(sku: string, quantity: number): Promise<void> {
    const item = await this.get(sku);
    const released = Math.min(quantity, item.reserved);
    await this.db.put('inventory', {
      ...item,
      available: item.available + released,
      reserved: item.reserved - released,
    });
  }

  async lowStock(threshold = 5): Promise<StockItem[]> {
    const all = await this.db.query<StockItem>('inventory');
    return all.filter((item) => item.available < threshold);
  }
}
