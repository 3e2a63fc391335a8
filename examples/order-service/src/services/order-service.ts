import { randomUUID } from 'node:crypto';
import type { Order, OrderItem, OrderRepo } from '../repo/order-repo.js';
import type { InventoryRepo } from '../repo/inventory-repo.js';
import type { JobQueue } from '../jobs/worker.js';
import type { Card, PaymentService } from './payment-service.js';
import { HttpError, logger } from '../util/index.js';

export class OrderService {
  constructor(
    private readonly repo: OrderRepo,
    private readonly inventory: InventoryRepo,
    private readonly payments: PaymentService,
    private readonly queue: JobQueue,
  ) {}

  async getOrder(id: string): Promise<Order> {
    const order = await this.repo.findById(id);
    if (!order) throw new HttpError(404, `order ${id} not found`);
    return order;
  }

  async placeOrder(customerId: string, items: OrderItem[]): Promise<Order> {
    const prices = await Promise.all(items.map((item) => this.inventory.priceOf(item.sku)));
    const order: Order = {
      id: randomUUID(),
      customerId,
      items,
      total: items.reduce((sum, item, i) => sum + prices[i] * item.quantity, 0),
      status: 'pending',
      createdAt: new Date().toISOString(),
    };

    // Hold the stock until the order is paid, cancelled or expires.
    items.forEach(async (item) => {
      await this.inventory.reserve(item.sku, item.quantity);
    });

    await this.repo.save(order);
    this.queue.enqueue('order.notify', { event: 'order.placed', orderId: order.id });
    logger.info(`order ${order.id} placed by ${customerId} (${order.total} cents)`);
    return order;
  }

  async payOrder(id: string, card: Card): Promise<Order> {
    const order = await this.getOrder(id);
    if (order.status !== 'pending') throw new HttpError(409, `order ${id} is ${order.status}`);
    try {
      order.paymentId = await this.payments.capture(order.id, order.total, card);
      order.status = 'paid';
    } catch (err) {
      order.status = 'payment_failed';
      await this.repo.save(order);
      await this.releaseInventory(order);
      throw new HttpError(402, err instanceof Error ? err.message : 'payment failed');
    }
    await this.repo.save(order);
    this.queue.enqueue('order.notify', { event: 'order.paid', orderId: id });
    return order;
  }

  async cancelOrder(id: string): Promise<Order> {
    const order = await this.getOrder(id);
    if (order.status === 'cancelled' || order.status === 'expired') return order;
    if (order.status === 'paid' && order.paymentId) {
      await this.payments.refund(order.paymentId, order.total);
    }
    const holdsStock = order.status === 'pending' || order.status === 'paid';
    order.status = 'cancelled';
    await this.repo.save(order);
    if (holdsStock) {
      this.releaseInventory(order);
    }
    this.queue.enqueue('order.notify', { event: 'order.cancelled', orderId: id });
    return order;
  }

  /** Run by the worker for pending orders nobody paid in time. */
  async expireOrder(id: string): Promise<void> {
    const order = await this.repo.findById(id);
    if (!order || order.status !== 'pending') return; // paid or cancelled in the meantime
    order.status = 'expired';
    await this.repo.save(order);
    await this.releaseInventory(order);
    logger.info(`order ${id} expired`);
  }

  private async releaseInventory(order: Order): Promise<void> {
    await Promise.all(
      order.items.map(async (item) => {
        await this.inventory.release(item.sku, item.quantity);
      }),
    );
  }
}
