/** What a benchmark measured: figures with their targets, printed as one table (text or Markdown). */

export interface Figure {
  /** The benchmark it belongs to: Ingest, Join storm, Report, Memory, Tab. */
  benchmark: string;
  what: string;
  /** Formatted with its unit: "1,234 /s", "12 ms", "140.1 KB". */
  value: string;
  /** The target in words ("≥ 0.8×", "< 50 ms"); absent for figures without one. */
  target?: string;
  met?: boolean;
  /** A check that the benchmark worked (no failed requests, nothing lost), not a speed target: a smoke run fails on it too. */
  correctness?: boolean;
}

/** What a benchmark hands back: its figures and a few lines on how it was measured. */
export interface BenchmarkOutcome {
  figures: Figure[];
  method: string[];
}

export function figure(
  benchmark: string,
  what: string,
  value: string,
  check?: { target: string; met: boolean; correctness?: boolean },
): Figure {
  return { benchmark, what, value, ...(check ?? {}) };
}

export const format = {
  count: (value: number) => Math.round(value).toLocaleString('en-US'),
  perSecond: (value: number) => `${Math.round(value).toLocaleString('en-US')} /s`,
  ms: (value: number) => (value >= 100 ? `${Math.round(value)} ms` : `${value.toFixed(1)} ms`),
  mb: (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`,
  kb: (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`,
  ratio: (value: number) => `${value.toFixed(2)}×`,
};

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? Number.NaN) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

function verdict(row: Figure): string {
  if (row.met === undefined) return '';
  return row.met ? 'yes' : 'MISSED';
}

const COLUMNS = ['Benchmark', 'Figure', 'Measured', 'Target', 'Met?'] as const;

function rowsOf(figures: readonly Figure[]): string[][] {
  return figures.map((row) => [row.benchmark, row.what, row.value, row.target ?? '', verdict(row)]);
}

export function textTable(figures: readonly Figure[]): string {
  const rows = [[...COLUMNS], ...rowsOf(figures)];
  const widths = COLUMNS.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  const line = (row: string[]) => row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [line(rows[0] ?? []), rule, ...rows.slice(1).map(line)].join('\n');
}

export function markdownTable(figures: readonly Figure[]): string {
  const escape = (cell: string) => cell.replaceAll('|', '\\|');
  const line = (row: string[]) => `| ${row.map(escape).join(' | ')} |`;
  return [line([...COLUMNS]), `|${COLUMNS.map(() => '---').join('|')}|`, ...rowsOf(figures).map(line)].join('\n');
}
