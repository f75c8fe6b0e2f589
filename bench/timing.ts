/** Repeated timings of one operation, summarised as median and 95th percentile. */
export interface Timing {
  medianMs: number;
  p95Ms: number;
  runs: number;
}

const round = (ms: number) => Math.round(ms * 10) / 10;

/** Times `run` `repeats` times (after one untimed warm-up unless `warmUp` is false). */
export async function timeRuns(
  run: () => Promise<unknown>,
  repeats: number,
  warmUp = true,
): Promise<Timing> {
  if (warmUp) await run();
  const times: number[] = [];
  for (let i = 0; i < repeats; i += 1) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  return summarise(times);
}

/** The median and 95th percentile of measured times. */
export function summarise(measured: readonly number[]): Timing {
  const times = [...measured].sort((a, b) => a - b);
  return {
    medianMs: round(times[Math.floor(times.length / 2)]!),
    p95Ms: round(times[Math.min(times.length - 1, Math.ceil(times.length * 0.95) - 1)]!),
    runs: times.length,
  };
}
