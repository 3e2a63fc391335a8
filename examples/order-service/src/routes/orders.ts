import { Router } from 'express';
import type { OrderService } from '../services/order-service.js';
import type { OrderItem, OrderRepo, OrderStatus } from '../repo/order-repo.js';
import { asyncHandler, HttpError } from '../util/index.js';

const STATUSES: OrderStatus[] = ['pending', 'paid', 'payment_failed', 'cancelled', 'expired'];

function parseItems(body: unknown): OrderItem[] {
  const items = (body as { items?: unknown } | undefined)?.items;
  if (!Array.isArray(items) || items.length === 0) {
    throw new HttpError(400, 'items must be a non-empty array');
  }
  return items.map((raw) => {
    const { sku, quantity } = raw as Partial<OrderItem>;
    if (typeof sku !== 'string' || typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity <= 0) {
      throw new HttpError(400, `invalid item ${JSON.stringify(raw)}`);
    }
    return { sku, quantity };
  });
}

export default function ordersRouter(orders: OrderService, repo: OrderRepo): Router {
  const router = Router();

  router.get('/', asyncHandler(async (req, res) => {
    const status = STATUSES.find((s) => s === req.query.status);
    res.json(await repo.list({ status, limit: Number(req.query.limit ?? 50) }));
  }));

  router.get('/stats', asyncHandler(async (_req, res) => {
    const counts = await Promise.all(STATUSES.map((status) => repo.count(status)));
    res.json(Object.fromEntries(STATUSES.map((status, i) => [status, counts[i]])));
  }));

  router.get('/:id', asyncHandler(async (req, res) => {
    res.json(await orders.getOrder(req.params.id));
  }));

  router.post('/', asyncHandler(async (req, res) => {
    const customerId: unknown = req.body?.customerId;
    if (typeof customerId !== 'string') throw new HttpError(400, 'customerId is required');
    const order = await orders.placeOrder(customerId, parseItems(req.body));
    res.status(201).json(order);
  }));

  router.post('/:id/pay', asyncHandler(async (req, res) => {
    const { token, last4 } = req.body ?? {};
    if (typeof token !== 'string') throw new HttpError(400, 'card token is required');
    res.json(await orders.payOrder(req.params.id, { token, last4: String(last4 ?? '????') }));
  }));

  router.post('/:id/cancel', asyncHandler(async (req, res) => {
    res.json(await orders.cancelOrder(req.params.id));
  }));

  return router;
}
