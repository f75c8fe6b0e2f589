/** The contract's derived classes of an execution, shared by the SQL views and GraphQL. */

const MIB = 1024 * 1024;

/** FAST < 1 000 ms ≤ NORMAL < 10 000 ≤ SLOW < 60 000 ≤ VERY_SLOW; null without a duration. */
export function performanceCategory(durationMs: number | null) {
  if (durationMs === null) return null;
  if (durationMs < 1_000) return 'FAST' as const;
  if (durationMs < 10_000) return 'NORMAL' as const;
  if (durationMs < 60_000) return 'SLOW' as const;
  return 'VERY_SLOW' as const;
}

/** NONE (null or 0), SMALL < 1 MiB, MEDIUM < 100 MiB, LARGE ≥ 100 MiB. */
export function outputSizeClass(bytes: string | null) {
  if (bytes === null) return 'NONE' as const;
  const size = BigInt(bytes);
  if (size === 0n) return 'NONE' as const;
  if (size < BigInt(MIB)) return 'SMALL' as const;
  if (size < BigInt(100 * MIB)) return 'MEDIUM' as const;
  return 'LARGE' as const;
}
