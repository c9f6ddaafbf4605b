import { describe, expect, it } from 'vitest';
import { Grouper, KeyedGrouper } from './grouper.ts';

/** A call that records each group it gets and answers when `release` is called. */
function recordingRun() {
  const calls: number[][] = [];
  const pending: (() => void)[] = [];
  const run = (items: readonly number[]) => {
    calls.push([...items]);
    return new Promise<number[]>((resolve, reject) => {
      pending.push(() =>
        items.includes(-1) ? reject(new Error('bad item -1')) : resolve(items.map((x) => x * 10)),
      );
    });
  };
  const releaseAll = async () => {
    await new Promise((r) => setImmediate(r));
    while (pending.length) {
      pending.shift()!();
      await new Promise((r) => setTimeout(r, 0));
    }
  };
  return { run, calls, releaseAll };
}

describe('Grouper', () => {
  it('sends the items of one turn together at its end, and groups those that arrive while calls are in flight', async () => {
    const r = recordingRun();
    const g = new Grouper(r.run, { inFlight: 2, size: 3 });
    const first = [1, 2, 3, 4].map((x) => g.submit(x));
    // Nothing leaves before the end of the turn in which the items were submitted.
    expect(r.calls).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(r.calls).toEqual([[1, 2, 3], [4]]);
    // Two calls in flight: later items wait, then go together.
    const later = [5, 6, 7, 8].map((x) => g.submit(x));
    await new Promise((resolve) => setImmediate(resolve));
    expect(r.calls).toHaveLength(2);
    await r.releaseAll();
    expect(await Promise.all([...first, ...later])).toEqual([10, 20, 30, 40, 50, 60, 70, 80]);
    expect(r.calls).toEqual([[1, 2, 3], [4], [5, 6, 7], [8]]);
    expect(g.idle).toBe(true);
  });

  it('sends an item submitted at a quiet moment alone, without waiting for company', async () => {
    const r = recordingRun();
    const g = new Grouper(r.run, { inFlight: 1, size: 10 });
    const out = g.submit(7);
    await new Promise((resolve) => setImmediate(resolve));
    expect(r.calls).toEqual([[7]]);
    await r.releaseAll();
    expect(await out).toBe(70);
  });

  it('runs the items of a failed group again one by one, so that only the bad one fails', async () => {
    const r = recordingRun();
    const g = new Grouper(r.run, { inFlight: 1, size: 10 });
    const outs = Promise.allSettled([1, 2, -1, 3].map((x) => g.submit(x)));
    await r.releaseAll();
    const settled = await outs;
    expect(settled.map((s) => (s.status === 'fulfilled' ? s.value : 'failed'))).toEqual([
      10,
      20,
      'failed',
      30,
    ]);
    expect(r.calls).toEqual([[1, 2, -1, 3], [1], [2], [-1], [3]]);
  });

  it('treats a call that answers the wrong number of results as failed', async () => {
    let calls = 0;
    const g = new Grouper(async (items: readonly number[]) => (++calls === 1 ? [1] : items.map((x) => x)), {
      inFlight: 1,
      size: 5,
    });
    const outs = [1, 2, 3].map((x) => g.submit(x));
    expect(await Promise.all(outs)).toEqual([1, 2, 3]);
    expect(calls).toBe(4);
  });

  it('refuses limits under 1', () => {
    expect(() => new Grouper(async () => [], { inFlight: 0, size: 1 })).toThrow(RangeError);
    expect(() => new Grouper(async () => [], { inFlight: 1, size: 0 })).toThrow(RangeError);
  });
});

describe('KeyedGrouper', () => {
  it('never puts items of different keys in one call, and drops groups once idle', async () => {
    const calls: [string, number[]][] = [];
    const g = new KeyedGrouper<number, string>(
      async (key, items) => {
        calls.push([key, [...items]]);
        await new Promise((r) => setTimeout(r, 1));
        return items.map((x) => `${key}${x}`);
      },
      { inFlight: 1, size: 10 },
    );
    const outs = [g.submit('a', 1), g.submit('b', 2), g.submit('a', 3), g.submit('b', 4), g.submit('a', 5)];
    expect(g.size).toBe(2);
    expect(await Promise.all(outs)).toEqual(['a1', 'b2', 'a3', 'b4', 'a5']);
    expect(calls).toEqual([
      ['a', [1, 3, 5]],
      ['b', [2, 4]],
    ]);
    await new Promise((r) => setTimeout(r, 0));
    expect(g.size).toBe(0);
  });
});
