/**
 * A labelled figure: a Chart.js chart, and the same numbers as a table (for screen
 * readers, for copying, and for tests, which read each cell's exact `data-value`).
 */
import {
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  DoughnutController,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartConfiguration,
} from 'chart.js';
import { useEffect, useRef, type ReactNode } from 'react';
import { CATEGORIES, PROVIDERS } from './dimensions';
import type { Provider, ReportCategory } from './gql/graphql';

Chart.register(
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  DoughnutController,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
);
Chart.defaults.animation = false;
Chart.defaults.maintainAspectRatio = false;
Chart.defaults.font.family = 'system-ui, sans-serif';

/** A fixed colour per series name, so a provider keeps its colour across charts. */
const PALETTE = ['#2563eb', '#f97316', '#16a34a', '#dc2626', '#9333ea', '#0891b2', '#ca8a04'];
export function colourOf(name: string, index = 0): string {
  const place = Math.max(
    PROVIDERS.indexOf(name as Provider),
    CATEGORIES.indexOf(name as ReportCategory),
  );
  return PALETTE[(place >= 0 ? place : index) % PALETTE.length]!;
}

export function ChartCanvas({ config, label }: { config: ChartConfiguration; label: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current) return;
    const chart = new Chart(canvas.current, config);
    return () => chart.destroy();
  }, [config]);
  return (
    <div className="chart">
      <canvas ref={canvas} role="img" aria-label={label} />
    </div>
  );
}

export interface Column<Row> {
  key: string;
  header: ReactNode;
  value: (row: Row) => string | number | null | undefined;
  format?: (value: never) => string;
}

export function DataTable<Row>({
  rows,
  columns,
  caption,
}: {
  rows: readonly Row[];
  columns: readonly Column<Row>[];
  caption?: string;
}) {
  return (
    <div className="table-scroll">
      <table className="data">
        {caption && <caption>{caption}</caption>}
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column.key} data-key={column.key} scope="col">
                {column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, index) => (
            <tr key={index}>
              {columns.map((column) => {
                const value = column.value(row);
                const shown =
                  value === null || value === undefined
                    ? '–'
                    : column.format
                      ? (column.format as (v: typeof value) => string)(value)
                      : String(value);
                return (
                  <td key={column.key} data-key={column.key} data-value={value ?? ''}>
                    {shown}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A panel: its title with units, the window it covers, and its content. */
export function Panel({
  id,
  title,
  covers,
  className,
  tools,
  children,
}: {
  id: string;
  title: string;
  covers: string;
  className?: string;
  tools?: ReactNode;
  children: ReactNode;
}) {
  return (
    <section className={`panel ${className ?? ''}`} data-panel={id} aria-labelledby={`${id}-title`}>
      <header>
        <h2 id={`${id}-title`}>{title}</h2>
        {tools}
      </header>
      <p className="covers" data-covers>
        {covers}
      </p>
      {children}
    </section>
  );
}

/** The chart and, folded away, its numbers. */
export function ChartWithTable<Row>({
  config,
  label,
  rows,
  columns,
}: {
  config: ChartConfiguration;
  label: string;
  rows: readonly Row[];
  columns: readonly Column<Row>[];
}) {
  return (
    <>
      <ChartCanvas config={config} label={label} />
      <details>
        <summary>Numbers</summary>
        <DataTable rows={rows} columns={columns} />
      </details>
    </>
  );
}
