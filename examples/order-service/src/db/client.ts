import { sleep } from '../util/retry.js';

export interface Doc {
  id: string;
}

/**
 * In-memory stand-in for the document database client used in production: same
 * method names, same async signatures, a little latency, no infrastructure.
 */
export class FakeDbClient {
  private readonly collections = new Map<string, Map<string, Doc>>();
  private connected = false;

  constructor(private readonly latencyMs = 2) {}

  async connect(): Promise<void> {
    await sleep(this.latencyMs * 10);
    this.connected = true;
  }

  async get<T extends Doc>(collection: string, id: string): Promise<T | undefined> {
    await this.roundTrip();
    const doc = this.collection(collection).get(id);
    return doc ? (structuredClone(doc) as T) : undefined;
  }

  async put<T extends Doc>(collection: string, doc: T): Promise<void> {
    await this.roundTrip();
    this.collection(collection).set(doc.id, structuredClone(doc));
  }

  async query<T extends Doc>(collection: string, where: Partial<T> = {}): Promise<T[]> {
    await this.roundTrip();
    const conditions = Object.entries(where);
    return [...this.collection(collection).values()]
      .filter((doc) => conditions.every(([key, value]) => (doc as unknown as Record<string, unknown>)[key] === value))
      .map((doc) => structuredClone(doc) as T);
  }

  async ping(): Promise<void> {
    await this.roundTrip();
  }

  async close(): Promise<void> {
    this.connected = false;
  }

  private async roundTrip(): Promise<void> {
    if (!this.connected) throw new Error('db: not connected');
    await sleep(this.latencyMs);
  }

  private collection(name: string): Map<string, Doc> {
    let docs = this.collections.get(name);
    if (!docs) {
      docs = new Map();
      this.collections.set(name, docs);
    }
    return docs;
  }
}
