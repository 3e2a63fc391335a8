import express from 'express';
import { FakeDbClient } from './db/client.js';
import { OrderRepo } from './repo/order-repo.js';
import { InventoryRepo, type StockItem } from './repo/inventory-repo.js';
import { OrderService } from './services/order-service.js';
import { PaymentService } from './services/payment-service.js';
import ordersRouter from './routes/orders.js';
import { JobQueue, startWorker } from './jobs/worker.js';
import { Scheduler } from './jobs/scheduler.js';
import { createDryRunNotifier, notify } from './notify/webhook.js';
import { errorHandler, logger, sleep } from './util/index.js';

const PORT = Number(process.env.PORT ?? 3000);
const PENDING_TTL_MS = 15 * 60_000;

const DEMO_STOCK: StockItem[] = [
  { id: 'mug-black', name: 'Black mug', price: 1200, available: 40, reserved: 0 },
  { id: 'tee-m', name: 'T-shirt (M)', price: 2500, available: 12, reserved: 0 },
  { id: 'stickers', name: 'Sticker pack', price: 400, available: 200, reserved: 0 },
];

async function start(): Promise<void> {
  const db = new FakeDbClient();
  await db.connect();
  await Promise.all(DEMO_STOCK.map((item) => db.put('inventory', item)));

  const repo = new OrderRepo(db);
  const queue = new JobQueue();
  const payments = new PaymentService(
    process.env.PAYMENT_API_URL ?? 'http://localhost:4010',
    process.env.PAYMENT_API_KEY ?? 'sk_test_local',
  );
  const orders = new OrderService(repo, new InventoryRepo(db), payments, queue);
  const notifier = process.env.ORDER_WEBHOOK_URL ? notify : createDryRunNotifier();
  startWorker(queue, orders, notifier);

  const scheduler = new Scheduler();
  scheduler.add('expire-stale-orders', 60_000, async () => {
    const stale = await repo.findStale(PENDING_TTL_MS);
    for (const order of stale) queue.enqueue('order.expire', { orderId: order.id });
  });
  scheduler.add('db-heartbeat', 30_000, () => db.ping());
  scheduler.start();

  const app = express();
  app.use(express.json());
  app.get('/health', (_req, res) => {
    res.json({ ok: true, queuedJobs: queue.size });
  });
  app.use('/orders', ordersRouter(orders, repo));
  app.use(errorHandler);

  const server = app.listen(PORT, () => logger.info(`order-service listening on :${PORT}`));

  // Announce the deploy once the server is up. Best effort: a failure is only logged.
  setTimeout(async () => {
    try {
      await notifier('service.started', null);
    } catch (err) {
      logger.warn('start-up announcement failed', err);
    }
  }, 1_000);

  async function shutdown(signal: string): Promise<void> {
    logger.info(`${signal} received, shutting down`);
    scheduler.stop();
    await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    // Give in-flight jobs up to five seconds to finish.
    for (let waited = 0; queue.size > 0 && waited < 5_000; waited += 100) await sleep(100);
    await db.close();
  }

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      shutdown(signal).then(
        () => process.exit(0),
        (err) => {
          logger.error('shutdown failed', err);
          process.exit(1);
        },
      );
    });
  }
}

start().catch((err) => {
  logger.error('order-service failed to start', err);
  process.exit(1);
});
