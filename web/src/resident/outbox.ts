import { isRetryable } from './api';
import type { Draft, SendOutcome } from './draft';

/**
 * Reports that could not be sent yet (no network, or a server that did not answer), kept on the
 * device with their photos and sent when the network returns. Each keeps the idempotency key of its
 * draft, so a send that reached the server but whose answer was lost is answered, not repeated.
 */

export type OutboxStatus = 'waiting' | 'sending' | 'failed';

export interface OutboxItem {
  id: string;
  draft: Draft;
  queuedAt: string;
  attempts: number;
  status: OutboxStatus;
  /** The server's refusal of a failed item, for the resident to read before deleting or retrying. */
  error: string | null;
}

/** Records kept by id on the phone: the resident's outbox, the patrol's track batches. */
export interface KeyedStore<T extends { id: string }> {
  list(): Promise<T[]>;
  put(item: T): Promise<void>;
  remove(id: string): Promise<void>;
}

export type OutboxStore = KeyedStore<OutboxItem>;

export function memoryKeyedStore<T extends { id: string }>(): KeyedStore<T> {
  const items = new Map<string, T>();
  return {
    list: async () => [...items.values()],
    put: async (item) => {
      items.set(item.id, item);
    },
    remove: async (id) => {
      items.delete(id);
    },
  };
}

export function memoryStore(): OutboxStore {
  return memoryKeyedStore<OutboxItem>();
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

/**
 * One object store of its own database, keyed by `id`. Blobs go in as they are (structured clone), so
 * photos survive a closed tab; a write resolves once its transaction has completed.
 */
export function indexedDbKeyedStore<T extends { id: string }>(
  name: string,
  storeName: string,
): KeyedStore<T> {
  let database: Promise<IDBDatabase> | null = null;
  const open = () => {
    database ??= new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open(name, 1);
      req.onupgradeneeded = () => {
        if (!req.result.objectStoreNames.contains(storeName))
          req.result.createObjectStore(storeName, { keyPath: 'id' });
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    return database;
  };
  const withStore = async <R>(mode: IDBTransactionMode, run: (store: IDBObjectStore) => IDBRequest<R>) => {
    const db = await open();
    const tx = db.transaction(storeName, mode);
    const result = await request(run(tx.objectStore(storeName)));
    await new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
    return result;
  };
  return {
    list: async () => (await withStore('readonly', (store) => store.getAll())) as T[],
    put: async (item) => {
      await withStore('readwrite', (store) => store.put(item));
    },
    remove: async (id) => {
      await withStore('readwrite', (store) => store.delete(id));
    },
  };
}

export function indexedDbStore(name = 'hutong-resident'): OutboxStore {
  return indexedDbKeyedStore<OutboxItem>(name, 'outbox');
}

export type OutboxEvent = { type: 'sent'; item: OutboxItem; result: SendOutcome };

type Listener = () => void;
type EventListener = (event: OutboxEvent) => void;

function byQueueTime(a: OutboxItem, b: OutboxItem): number {
  return a.queuedAt.localeCompare(b.queuedAt);
}

export class Outbox {
  private items: OutboxItem[] = [];
  private listeners = new Set<Listener>();
  private eventListeners = new Set<EventListener>();
  private flushing: Promise<void> | null = null;
  private flushAgain = false;

  constructor(
    private readonly store: OutboxStore,
    private readonly send: (draft: Draft) => Promise<SendOutcome>,
    private readonly isOnline: () => boolean,
    private readonly now: () => Date = () => new Date(),
  ) {}

  snapshot = (): readonly OutboxItem[] => this.items;

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  onEvent(listener: EventListener): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  private async refresh(): Promise<void> {
    this.items = (await this.store.list()).sort(byQueueTime);
    for (const listener of this.listeners) listener();
  }

  /** Reads what an earlier visit left; an item caught mid-send by a closed tab is simply waiting again. */
  async load(): Promise<void> {
    for (const item of await this.store.list()) {
      if (item.status === 'sending') await this.store.put({ ...item, status: 'waiting' });
    }
    await this.refresh();
  }

  async enqueue(draft: Draft): Promise<OutboxItem> {
    const item: OutboxItem = {
      id: draft.id,
      draft,
      queuedAt: this.now().toISOString(),
      attempts: 0,
      status: 'waiting',
      error: null,
    };
    await this.store.put(item);
    await this.refresh();
    return item;
  }

  async remove(id: string): Promise<void> {
    await this.store.remove(id);
    await this.refresh();
  }

  /** Sends a failed item again (after the resident read why), then everything else waiting. */
  async retry(id: string): Promise<void> {
    const item = this.items.find((candidate) => candidate.id === id);
    if (item) await this.store.put({ ...item, status: 'waiting', error: null });
    await this.refresh();
    await this.flush();
  }

  /**
   * Sends waiting items oldest first. One flush at a time: a call during a flush (an `online` event,
   * a report queued meanwhile) joins it and makes it look once more at the end, rather than sending
   * an item twice at once. A pass stops at the first network failure: the rest would fail the same way.
   */
  flush(): Promise<void> {
    if (this.flushing) {
      this.flushAgain = true;
      return this.flushing;
    }
    this.flushing = (async () => {
      do {
        this.flushAgain = false;
        await this.drain();
      } while (this.flushAgain && this.isOnline());
    })().finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  private async drain(): Promise<void> {
    const waiting = (await this.store.list()).filter((item) => item.status !== 'failed').sort(byQueueTime);
    for (const item of waiting) {
      if (!this.isOnline()) break;
      const sending: OutboxItem = { ...item, status: 'sending', attempts: item.attempts + 1 };
      await this.store.put(sending);
      await this.refresh();
      try {
        const result = await this.send(item.draft);
        await this.store.remove(item.id);
        await this.refresh();
        for (const listener of this.eventListeners) listener({ type: 'sent', item: sending, result });
      } catch (error) {
        const retryable = isRetryable(error);
        await this.store.put({
          ...sending,
          status: retryable ? 'waiting' : 'failed',
          error: retryable ? null : error instanceof Error ? error.message : String(error),
        });
        await this.refresh();
        if (retryable) break;
      }
    }
  }
}
