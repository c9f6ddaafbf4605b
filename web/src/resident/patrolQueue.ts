import { ApiError, api, NETWORK_ERROR } from '../api/client';

/**
 * The patrol's track on the phone: points are grouped into batches, each batch is kept in IndexedDB
 * until the server has taken it, and batches are sent in order. A batch whose answer was lost is sent
 * again; the server ignores points it already holds, so every point counts exactly once.
 */

export interface TrackPoint {
  lng: number;
  lat: number;
  t: string;
}

export interface Batch {
  id: string;
  patrolId: string;
  points: TrackPoint[];
}

export interface BatchStore {
  list(): Promise<Batch[]>;
  put(batch: Batch): Promise<void>;
  remove(id: string): Promise<void>;
}

export function memoryBatches(): BatchStore {
  const items = new Map<string, Batch>();
  return {
    list: async () => [...items.values()],
    put: async (b) => {
      items.set(b.id, b);
    },
    remove: async (id) => {
      items.delete(id);
    },
  };
}

const STORE = 'batches';

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

export function indexedDbBatches(name = 'hutong-patrol'): BatchStore {
  let database: Promise<IDBDatabase> | null = null;
  const open = () => {
    database ??= new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open(name, 1);
      req.onupgradeneeded = () => {
        if (!req.result.objectStoreNames.contains(STORE))
          req.result.createObjectStore(STORE, { keyPath: 'id' });
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    return database;
  };
  const tx = async (mode: IDBTransactionMode) => (await open()).transaction(STORE, mode).objectStore(STORE);
  return {
    list: async () => {
      const all = (await request((await tx('readonly')).getAll())) as Batch[];
      // Ids start with the time the batch was closed, so they sort in the order walked.
      return all.sort((a, b) => (a.id < b.id ? -1 : 1));
    },
    put: async (b) => {
      await request((await tx('readwrite')).put(b));
    },
    remove: async (id) => {
      await request((await tx('readwrite')).delete(id));
    },
  };
}

/** Sends the waiting batches in order; stops at the first that cannot go now (offline). */
export async function flushBatches(store: BatchStore): Promise<{ sent: number; waiting: number }> {
  const batches = await store.list();
  let sent = 0;
  for (const b of batches) {
    try {
      await api.post(`/api/patrols/${encodeURIComponent(b.patrolId)}/points`, { points: b.points });
    } catch (error) {
      if (error instanceof ApiError && error.code === NETWORK_ERROR) break;
      // A batch the server refuses (the patrol finished elsewhere) would block the rest forever.
      if (!(error instanceof ApiError && error.status >= 500)) {
        await store.remove(b.id);
        continue;
      }
      break;
    }
    await store.remove(b.id);
    sent++;
  }
  return { sent, waiting: batches.length - sent };
}
