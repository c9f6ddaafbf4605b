/** How many groups may be in flight at once, and how many items one group carries at most. */
export interface GroupLimits {
  inFlight: number;
  size: number;
}

interface Waiting<In, Out> {
  item: In;
  resolve: (out: Out) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for any call that can take many items at once. Items submitted in one turn of the
 * event loop leave together at its end (the requests that arrived together, say), so an item at a
 * quiet moment waits for nothing but the current turn; items submitted while `limits.inFlight` groups
 * are running wait, and go together (up to `limits.size`) as soon as one finishes. Under load the
 * fixed cost of a call (a round trip, planning, a commit) is shared by the group. Leaving at the end
 * of the turn matters most for the embedded engine, which answers within the turn it is asked in:
 * without it, requests arriving one socket event after another would never find a group in flight.
 *
 * `run` must answer one result per item, in order, and must be all-or-nothing (one statement, say).
 * When a group fails, each of its items is run again on its own, so one bad item fails alone.
 */
export class Grouper<In, Out> {
  private readonly waiting: Waiting<In, Out>[] = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(
    private readonly run: (items: readonly In[]) => Promise<readonly Out[]>,
    private readonly limits: GroupLimits,
    /** Called whenever the last group in flight finishes with nothing waiting. */
    private readonly onIdle?: () => void,
  ) {
    if (!(limits.inFlight >= 1 && limits.size >= 1)) throw new RangeError('group limits must be at least 1');
  }

  /** Nothing waiting and nothing in flight. */
  get idle(): boolean {
    return this.inFlight === 0 && this.waiting.length === 0 && !this.scheduled;
  }

  submit(item: In): Promise<Out> {
    return new Promise<Out>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (this.scheduled) return;
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        this.pump();
      });
    });
  }

  private pump(): void {
    while (this.waiting.length > 0 && this.inFlight < this.limits.inFlight) {
      const group = this.waiting.splice(0, this.limits.size);
      this.inFlight++;
      void this.flush(group).finally(() => {
        this.inFlight--;
        this.pump();
        if (this.idle) this.onIdle?.();
      });
    }
  }

  private async flush(group: Waiting<In, Out>[]): Promise<void> {
    let results: readonly Out[];
    try {
      results = await this.run(group.map((w) => w.item));
      if (results.length !== group.length)
        throw new Error(`${results.length} results for ${group.length} items`);
    } catch (error) {
      if (group.length === 1) {
        group[0]!.reject(error);
        return;
      }
      await Promise.all(
        group.map((w) =>
          this.run([w.item]).then(
            (r) => w.resolve(r[0]!),
            (e: unknown) => w.reject(e),
          ),
        ),
      );
      return;
    }
    for (let i = 0; i < group.length; i++) group[i]!.resolve(results[i]!);
  }
}

/** One Grouper per key (items of different keys never share a call); idle groups are dropped. */
export class KeyedGrouper<In, Out> {
  private readonly groups = new Map<string, Grouper<In, Out>>();

  constructor(
    private readonly run: (key: string, items: readonly In[]) => Promise<readonly Out[]>,
    private readonly limits: GroupLimits,
  ) {}

  submit(key: string, item: In): Promise<Out> {
    let grouper = this.groups.get(key);
    if (!grouper) {
      const created: Grouper<In, Out> = new Grouper(
        (items) => this.run(key, items),
        this.limits,
        () => {
          if (this.groups.get(key) === created) this.groups.delete(key);
        },
      );
      grouper = created;
      this.groups.set(key, grouper);
    }
    return grouper.submit(item);
  }

  /** Keys with a group alive (for tests). */
  get size(): number {
    return this.groups.size;
  }
}
