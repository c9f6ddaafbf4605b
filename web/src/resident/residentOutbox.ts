import { sendDraft } from './api';
import { rememberReport } from './myReports';
import { indexedDbStore, memoryStore, Outbox } from './outbox';

// Without IndexedDB (old browsers, some private modes) queued reports live only as long as the tab.
const store = typeof indexedDB === 'undefined' ? memoryStore() : indexedDbStore();

export const outbox = new Outbox(store, sendDraft, () => navigator.onLine);

// Whatever page is open when a queued report goes out, its code lands in "reports from this device".
outbox.onEvent((event) =>
  rememberReport({
    trackingCode: event.result.trackingCode,
    description: event.item.draft.description,
    at: new Date().toISOString(),
  }),
);

const RETRY_MS = 30_000;
let started = false;

/** Loads what earlier visits queued and sends it whenever the network comes (back). Once per page. */
export function startOutbox(): void {
  if (started) return;
  started = true;
  const flush = () => {
    if (navigator.onLine) void outbox.flush();
  };
  // A database that cannot open shows up when the first report is queued; nothing to send before that.
  void outbox.load().then(flush, () => undefined);
  window.addEventListener('online', flush);
  // `online` is not fired when the network was there but the server was not (a 502 during a deploy).
  window.setInterval(() => {
    if (outbox.snapshot().some((item) => item.status === 'waiting')) flush();
  }, RETRY_MS);
}
