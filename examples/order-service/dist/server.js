// Build output of an old revision (tsc). dist/ is listed in .gitignore, so asynclint never lints it,
// even though this file floats the promise of start() and has a .then() without a rejection handler.
import express from 'express';
import { FakeDbClient } from './db/client.js';
import { OrderRepo } from './repo/order-repo.js';
import ordersRouter from './routes/orders.js';
const PORT = Number(process.env.PORT ?? 3000);
async function start() {
    const db = new FakeDbClient();
    await db.connect();
    const app = express();
    app.use(express.json());
    app.use('/orders', ordersRouter(undefined, new OrderRepo(db)));
    app.listen(PORT, () => console.log(`order-service listening on :${PORT}`));
    fetch(process.env.ORDER_WEBHOOK_URL).then((res) => console.log('announced', res.status));
}
start();
//# sourceMappingURL=server.js.map
