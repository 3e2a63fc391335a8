import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import type { OrderService } from '../services/order-service.js';
import type { Notifier } from '../notify/webhook.js';
import { logger } from '../util/index.js';

export type JobType = 'order.notify' | 'order.expire';

export interface Job {
  id: string;
  type: JobType;
  payload: Record<string, string>;
  enqueuedAt: number;
}

/** Minimal in-process job queue: `enqueue` emits 'job' on the next turn, the worker acks it. */
export class JobQueue extends EventEmitter {
  private readonly inFlight = new Map<string, Job>();

  get size(): number {
    return this.inFlight.size;
  }

  enqueue(type: JobType, payload: Record<string, string>): string {
    const job: Job = { id: randomUUID(), type, payload, enqueuedAt: Date.now() };
    this.inFlight.set(job.id, job);
    setImmediate(() => this.emit('job', job));
    return job.id;
  }

  ack(id: string): void {
    this.inFlight.delete(id);
    if (this.inFlight.size === 0) this.emit('drained');
  }
}

export function startWorker(queue: JobQueue, orders: OrderService, notify: Notifier): void {
  queue.on('job', async (job: Job) => {
    const waited = Date.now() - job.enqueuedAt;
    if (job.type === 'order.notify') {
      await notify(job.payload.event, job.payload.orderId);
    } else {
      await orders.expireOrder(job.payload.orderId);
    }
    queue.ack(job.id);
    logger.debug(`job ${job.type} ${job.id} done, waited ${waited}ms in the queue`);
  });

  queue.on('drained', () => logger.debug('job queue drained'));
}
