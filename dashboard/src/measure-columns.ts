/** The measures every per-group table shows, with their units. */
import type { Column } from './chart';
import { formatCount, formatDuration, formatRate } from './format';

interface Measured {
  executions: number;
  successRate?: number | null;
  avgDurationMs?: number | null;
  p95DurationMs?: number | null;
}

export function measureColumns<Row extends Measured>(): Column<Row>[] {
  return [
    {
      key: 'executions',
      header: 'executions',
      value: (row) => row.executions,
      format: formatCount,
    },
    {
      key: 'successRate',
      header: 'success rate',
      value: (row) => row.successRate,
      format: formatRate,
    },
    {
      key: 'avgDurationMs',
      header: 'mean duration',
      value: (row) => row.avgDurationMs,
      format: formatDuration,
    },
    {
      key: 'p95DurationMs',
      header: 'p95 duration',
      value: (row) => row.p95DurationMs,
      format: formatDuration,
    },
  ];
}
