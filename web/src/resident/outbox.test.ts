import { describe, expect, it, vi } from 'vitest';
import { ApiError, NETWORK_ERROR } from '../api/client';
import { type Draft, newDraft, type SendOutcome } from './draft';
import { memoryStore, Outbox, type OutboxStore } from './outbox';

function draft(description: string): Draft {
  return { ...newDraft(), description, lng: 116.38, lat: 39.91 };
}

const networkDown = () => new ApiError(0, NETWORK_ERROR, 'Failed to fetch');
const created = (code: string): SendOutcome => ({
  trackingCode: code,
  caseNumber: `n-${code}`,
  photosDropped: false,
});

function setup(send: (draft: Draft) => Promise<SendOutcome>, store: OutboxStore = memoryStore()) {
  let online = true;
  let clock = 0;
  const outbox = new Outbox(
    store,
    send,
    () => online,
    () => new Date(Date.UTC(2026, 10, 20, 0, 0, clock++)),
  );
  return { outbox, store, setOnline: (value: boolean) => (online = value) };
}

describe('Outbox', () => {
  it('keeps a report while offline and sends it, with the same idempotency key, when online', async () => {
    const send = vi.fn(async (d: Draft) => created(d.idempotencyKey.slice(0, 4)));
    const { outbox, setOnline } = setup(send);
    setOnline(false);
    const queued = draft('垃圾成堆');
    await outbox.enqueue(queued);
    await outbox.flush();
    expect(send).not.toHaveBeenCalled();
    expect(outbox.snapshot().map((item) => item.status)).toEqual(['waiting']);

    setOnline(true);
    const sent: string[] = [];
    outbox.onEvent((event) => sent.push(event.result.trackingCode));
    await outbox.flush();
    expect(send).toHaveBeenCalledTimes(1);
    expect(send.mock.calls[0]?.[0].idempotencyKey).toBe(queued.idempotencyKey);
    expect(outbox.snapshot()).toEqual([]);
    expect(sent).toEqual([queued.idempotencyKey.slice(0, 4)]);
  });

  it('keeps waiting after a network failure and stops trying the rest of the queue', async () => {
    const send = vi.fn(async () => {
      throw networkDown();
    });
    const { outbox } = setup(send);
    await outbox.enqueue(draft('一'));
    await outbox.enqueue(draft('二'));
    await outbox.flush();
    expect(send).toHaveBeenCalledTimes(1);
    expect(outbox.snapshot().map((item) => [item.status, item.attempts])).toEqual([
      ['waiting', 1],
      ['waiting', 0],
    ]);
  });

  it('marks a report the server refused as failed, keeps it, and goes on with the next', async () => {
    const send = vi
      .fn<(d: Draft) => Promise<SendOutcome>>()
      .mockRejectedValueOnce(new ApiError(400, 'VALIDATION_FAILED', 'description too short'))
      .mockResolvedValueOnce(created('B'));
    const { outbox } = setup(send);
    await outbox.enqueue(draft('一'));
    await outbox.enqueue(draft('二'));
    await outbox.flush();
    expect(outbox.snapshot()).toHaveLength(1);
    expect(outbox.snapshot()[0]).toMatchObject({ status: 'failed', error: 'description too short' });
    // A failed report is not retried by itself: the resident decides.
    await outbox.flush();
    expect(send).toHaveBeenCalledTimes(2);
  });

  it('sends an item once when flushes overlap (two online events)', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const send = vi.fn(async () => {
      await gate;
      return created('A');
    });
    const { outbox } = setup(send);
    await outbox.enqueue(draft('一'));
    const first = outbox.flush();
    const second = outbox.flush();
    release();
    await Promise.all([first, second]);
    expect(send).toHaveBeenCalledTimes(1);
    expect(outbox.snapshot()).toEqual([]);
  });

  it('sends a report queued during a flush in the same run', async () => {
    const { outbox } = setup(async (d) => created(d.description));
    const sent: string[] = [];
    outbox.onEvent((event) => sent.push(event.result.trackingCode));
    await outbox.enqueue(draft('一'));
    const running = outbox.flush();
    await outbox.enqueue(draft('二'));
    void outbox.flush();
    await running;
    expect(sent).toEqual(['一', '二']);
  });

  it('treats an item left mid-send by a closed tab as waiting', async () => {
    const store = memoryStore();
    const item = {
      id: 'x',
      draft: draft('一'),
      queuedAt: '2026-11-20T00:00:00.000Z',
      attempts: 1,
      status: 'sending' as const,
      error: null,
    };
    await store.put(item);
    const { outbox } = setup(async () => created('A'), store);
    await outbox.load();
    expect(outbox.snapshot()[0]?.status).toBe('waiting');
  });

  it('retries a failed item when asked', async () => {
    const send = vi
      .fn<(d: Draft) => Promise<SendOutcome>>()
      .mockRejectedValueOnce(new ApiError(409, 'IDEMPOTENCY_KEY_REUSED', 'reused'))
      .mockResolvedValueOnce(created('A'));
    const { outbox } = setup(send);
    const item = await outbox.enqueue(draft('一'));
    await outbox.flush();
    expect(outbox.snapshot()[0]?.status).toBe('failed');
    await outbox.retry(item.id);
    expect(outbox.snapshot()).toEqual([]);
  });
});
