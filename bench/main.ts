/**
 * `npm run bench`: every benchmark in one run (so ratios hold on a noisy machine), one table printed, and
 * docs/benchmarks.md written with the machine and the date. `npm run bench -- --smoke` (or BENCH_SMOKE=1)
 * runs tiny sizes in a few seconds for CI: it checks that the benchmark works and prints its figures, but
 * a missed target never fails it (CI machines are slow and shared); a benchmark that breaks does.
 * `-- --only ingest,tab` runs some of them (for working on one); its table goes to test-artifacts/, since
 * docs/benchmarks.md holds a whole run.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { writeBenchmarksDoc } from './benchmarksDoc.js';
import { figure, textTable, type BenchmarkOutcome, type Figure } from './figures.js';
import { describeMachine, machineLines } from './machine.js';
import { ingestBenchmark } from './scenarios/ingest.js';
import { joinStormBenchmark } from './scenarios/joinStorm.js';
import { memoryBenchmark } from './scenarios/memory.js';
import { newMeetingStormBenchmark } from './scenarios/newMeetingStorm.js';
import { reportBenchmark } from './scenarios/report.js';
import { sidePanelBenchmark } from './scenarios/sidePanel.js';
import { tabBenchmark } from './scenarios/tab.js';
import { benchSettings, type BenchSettings } from './settings.js';

const REPOSITORY = fileURLToPath(new URL('..', import.meta.url));
const DOC = fileURLToPath(new URL('../docs/benchmarks.md', import.meta.url));
const SMOKE_DOC = fileURLToPath(new URL('../test-artifacts/benchmarks-smoke.md', import.meta.url));
const PARTIAL_DOC = fileURLToPath(new URL('../test-artifacts/benchmarks-partial.md', import.meta.url));

const BENCHMARKS: { name: string; key: string; run: (settings: BenchSettings) => Promise<BenchmarkOutcome> }[] = [
  { name: 'Ingest', key: 'ingest', run: (settings) => ingestBenchmark(settings.ingest) },
  { name: 'Join storm', key: 'storm', run: (settings) => joinStormBenchmark(settings.storm) },
  { name: 'New-meeting storm', key: 'new-meetings', run: (settings) => newMeetingStormBenchmark(settings.newMeetingStorm) },
  { name: 'Report', key: 'report', run: (settings) => reportBenchmark(settings.report) },
  { name: 'Memory', key: 'memory', run: (settings) => memoryBenchmark(settings.memory) },
  { name: 'Side panel', key: 'sidePanel', run: (settings) => sidePanelBenchmark(settings.sidePanel) },
  { name: 'Tab', key: 'tab', run: (settings) => tabBenchmark(settings.tab) },
];

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** The servers under test run the compiled production build, as `npm start` does: build it from the current source. */
function buildServer(): void {
  log('building the server (tsc -p bot/tsconfig.json) ...');
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'bot/tsconfig.json'], { cwd: REPOSITORY, stdio: 'inherit' });
}

async function main(): Promise<boolean> {
  const started = Date.now();
  const settings = benchSettings(process.argv.slice(2), process.env);
  const onlyArgument = process.argv.find((argument, index, all) => all[index - 1] === '--only');
  const only = onlyArgument?.split(',');
  const machine = describeMachine();
  log(`${settings.smoke ? 'Smoke run (tiny sizes; targets are not checked)' : 'Full run'} on:\n  ${machineLines(machine).join('\n  ')}`);
  buildServer();

  const figures: Figure[] = [];
  const methods: { benchmark: string; lines: string[] }[] = [];
  let failed = false;
  for (const benchmark of BENCHMARKS.filter((candidate) => !only || only.includes(candidate.key))) {
    log(`\n${benchmark.name} ...`);
    const benchmarkStarted = Date.now();
    try {
      const outcome = await benchmark.run(settings);
      figures.push(...outcome.figures);
      methods.push({ benchmark: benchmark.name, lines: outcome.method });
      log(outcome.figures.map((row) => `  ${row.what}: ${row.value}`).join('\n'));
      log(`  (${((Date.now() - benchmarkStarted) / 1000).toFixed(1)} s)`);
    } catch (error) {
      failed = true;
      log(`  FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      figures.push(figure(benchmark.name, 'did not complete', error instanceof Error ? error.message.split('\n')[0] ?? '' : String(error)));
    }
  }
  // A missed speed target fails no run (a benchmark reports; slow CI machines are no bug), a failed correctness
  // check (requests refused, events lost) fails every run.
  failed ||= figures.some((row) => row.correctness && row.met === false);

  process.stdout.write(`\n${textTable(figures)}\n`);
  const path = settings.smoke ? SMOKE_DOC : only ? PARTIAL_DOC : DOC;
  writeBenchmarksDoc(path, { date: new Date(started), machine, figures, methods, smoke: settings.smoke, seconds: (Date.now() - started) / 1000 });
  log(`\nwritten to ${path.replace(REPOSITORY, '')}`);
  return failed;
}

// The run ends when the table is written: a benchmark that failed part-way (a server that did not start, say)
// may have left its connector or token issuer listening, which would keep the process, and CI, waiting.
main().then((failed) => process.exit(failed ? 1 : 0), (error: unknown) => {
  process.stderr.write(`The benchmark could not run: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
