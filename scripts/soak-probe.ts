// Loaded into the server process by the soak test (`node --import ./scripts/soak-probe.ts …`): every
// sampling period it sends the process's memory and the event-loop delay of the period to the parent
// over the IPC channel, then resets the histogram. It does nothing when not started with one.
import { monitorEventLoopDelay } from 'node:perf_hooks';

const periodMs = Number(process.env.HUTONG_SOAK_PROBE_MS ?? 60_000);
if (process.send) {
  // The histogram records each tick of a timer of this period, so an idle loop reads about the period
  // itself: it is taken off to give the delay beyond it.
  const resolution = 10;
  const histogram = monitorEventLoopDelay({ resolution });
  histogram.enable();
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    process.send?.({
      rss: m.rss,
      heapUsed: m.heapUsed,
      eldP50: Math.max(0, histogram.percentile(50) / 1e6 - resolution),
      eldP99: Math.max(0, histogram.percentile(99) / 1e6 - resolution),
      eldMax: Math.max(0, histogram.max / 1e6 - resolution),
    });
    histogram.reset();
  }, periodMs);
  timer.unref();
  // The channel must not keep the server alive after SIGTERM has closed everything else.
  process.channel?.unref();
}
