import { useEffect, useState } from 'react';

// Admin page for the support team, served by the back-office app (its dev server proxies /orders).

interface OrderSummary {
  id: string;
  customerId: string;
  total: number;
  status: string;
  createdAt: string;
}

type Stats = Record<string, number>;

const STATUSES = ['pending', 'paid', 'payment_failed', 'cancelled', 'expired'];

async function fetchOrders(status: string, signal: AbortSignal): Promise<OrderSummary[]> {
  const res = await fetch(`/orders?status=${encodeURIComponent(status)}`, { signal });
  if (!res.ok) throw new Error(`GET /orders failed: HTTP ${res.status}`);
  return res.json();
}

async function cancelOrder(id: string): Promise<void> {
  const res = await fetch(`/orders/${id}/cancel`, { method: 'POST' });
  if (!res.ok) throw new Error(`cancel failed: HTTP ${res.status}`);
}

const euros = (cents: number) => (cents / 100).toLocaleString('en-IE', { style: 'currency', currency: 'EUR' });

export default function OrdersPage() {
  const [status, setStatus] = useState('pending');
  const [orders, setOrders] = useState<OrderSummary[]>([]);
  const [stats, setStats] = useState<Stats | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    async function load() {
      try {
        setOrders(await fetchOrders(status, controller.signal));
        setError(null);
      } catch (err) {
        if (!controller.signal.aborted) setError(String(err));
      }
    }
    // Fire-and-forget is fine: load() handles its own errors and the cleanup aborts it.
    void load();
    return () => controller.abort();
  }, [status, version]);

  useEffect(() => {
    fetch('/orders/stats').then((res) => res.json()).then(setStats);
  }, [version]);

  async function onCancel(id: string) {
    if (!window.confirm(`Cancel order ${id}? Paid orders are refunded.`)) return;
    try {
      await cancelOrder(id);
      setVersion((v) => v + 1);
    } catch (err) {
      setError(String(err));
    }
  }

  return (
    <main>
      <h1>Orders</h1>
      {stats && (
        <p>
          {STATUSES.map((s) => (
            <span key={s} className="badge">{s}: {stats[s] ?? 0}</span>
          ))}
        </p>
      )}
      <select value={status} onChange={(e) => setStatus(e.target.value)}>
        {STATUSES.map((s) => <option key={s}>{s}</option>)}
      </select>
      {error && <p role="alert">{error}</p>}
      <table>
        <tbody>
          {orders.map((order) => (
            <tr key={order.id}>
              <td>{order.id.slice(0, 8)}</td>
              <td>{order.customerId}</td>
              <td>{euros(order.total)}</td>
              <td>{new Date(order.createdAt).toLocaleString()}</td>
              <td>
                <button onClick={() => void onCancel(order.id)}>Cancel</button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </main>
  );
}
