import { ApiError, api, NETWORK_ERROR } from '../api/client';
import { indexedDbKeyedStore, type KeyedStore } from './outbox';

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

export type BatchStore = KeyedStore<Batch>;

export function indexedDbBatches(name = 'hutong-patrol'): BatchStore {
  const store = indexedDbKeyedStore<Batch>(name, 'batches');
  return {
    ...store,
    // Ids start with the time the batch was closed, so they sort in the order walked.
    list: async () => (await store.list()).sort((a, b) => (a.id < b.id ? -1 : 1)),
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
