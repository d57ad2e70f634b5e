/**
 * Tab: the gzip size of the JavaScript the side panel loads up front (the build's own budget check measures the
 * same files: the entry and the chunks it imports, which Vite lists as modulepreload), and the time from a join
 * posted to /api/messages to the new participant on screen, in headless Chromium on the demo's side panel.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { DemoPerson } from '../../demo/people.js';
import { startDemo } from '../../demo/startDemo.js';
import { TestBrowser } from '../../test/browser/support/browser.js';
import { buildTabOnce } from '../../test/browser/support/tabBuild.js';
import { format, median, figure, type BenchmarkOutcome } from '../figures.js';
import type { BenchSettings } from '../settings.js';

const NAME = 'Tab';
const TAB_DIST = new URL('../../tab/dist/', import.meta.url);
/** tab/vite.config.ts: the build fails above it. */
const BUDGET_KB = 300;
/** tab/src/hooks/useLiveMeeting.ts: the side panel asks for news this often. */
const POLL_MS = 2000;
const SHOW_TIMEOUT_MS = 10_000;

/** The side panel's up-front JavaScript: index.html's module script and its modulepreload links. */
export function sidePanelJavaScript(): { files: string[]; gzipBytes: number; bytes: number } {
  const html = readFileSync(new URL('index.html', TAB_DIST), 'utf8');
  const files = [...html.matchAll(/<(?:script[^>]*\bsrc|link[^>]*rel="modulepreload"[^>]*\bhref)="\/tab\/([^"]+\.js)"/g)].map(
    (match) => match[1] ?? '',
  );
  if (files.length === 0) throw new Error('tab/dist/index.html loads no JavaScript: is the tab built?');
  const size = (file: string) => statSync(fileURLToPath(new URL(file, TAB_DIST))).size;
  return {
    files,
    gzipBytes: files.reduce((sum, file) => sum + size(`${file}.gz`), 0),
    bytes: files.reduce((sum, file) => sum + size(file), 0),
  };
}

function newcomer(run: number): DemoPerson {
  const number = String(run + 1).padStart(2, '0');
  return { id: `29:1benchNewcomer${number}`, aadObjectId: `de000000-0000-4000-8000-0000000bee${number}`, name: `Newcomer ${number}`, role: 'Attendee' };
}

export async function tabBenchmark(settings: BenchSettings['tab']): Promise<BenchmarkOutcome> {
  if (!settings.reuseBuild || !existsSync(new URL('index.html', TAB_DIST))) await buildTabOnce();
  const bundle = sidePanelJavaScript();

  const demo = await startDemo({ port: 0, logLevel: 'silent' });
  const browser = await TestBrowser.launch().catch(async (error: unknown) => {
    await demo.close();
    throw error;
  });
  const shownMs: number[] = [];
  const afterPollMs: number[] = [];
  try {
    const page = await browser.newPage();
    const liveAnswers: number[] = [];
    page.on('response', (response) => {
      if (response.url().endsWith('/live') && response.status() === 200) liveAnswers.push(performance.now());
    });
    await page.goto(demo.previewUrl('organizer'));
    await page.locator('li[data-participant-id]', { hasText: 'Bob Student' }).waitFor();
    for (let run = 0; run < settings.runs; run += 1) {
      // Post at a different moment of the panel's poll cycle each time.
      await sleep(500 + ((run * POLL_MS) / settings.runs + 337) % POLL_MS);
      const person = newcomer(run);
      const posted = performance.now();
      await demo.play({ kind: 'joined', people: [person] });
      const stored = performance.now();
      await page.locator('li[data-participant-id]', { hasText: person.name }).waitFor({ timeout: SHOW_TIMEOUT_MS });
      const shown = performance.now();
      shownMs.push(shown - posted);
      const fetched = liveAnswers.find((at) => at >= stored);
      if (fetched !== undefined) afterPollMs.push(shown - fetched);
    }
    await page.close();
  } finally {
    await browser.close();
    await demo.close();
  }
  return {
    figures: [
      figure(NAME, 'side panel JavaScript, gzip', `${format.kb(bundle.gzipBytes)} (${format.kb(bundle.bytes)} raw, ${bundle.files.length} files)`, {
        target: `≤ ${BUDGET_KB} KB (build budget)`,
        met: bundle.gzipBytes / 1024 <= BUDGET_KB,
      }),
      figure(NAME, `join posted → on screen, median of ${shownMs.length}`, format.ms(median(shownMs))),
      figure(NAME, '… of which after the poll that brought it (fetch → render)', format.ms(median(afterPollMs))),
      figure(NAME, '… slowest run', format.ms(Math.max(...shownMs))),
    ],
    method: [
      `The size: tab/dist after a fresh build (\`vite build\`), the files index.html loads up front (its module script and modulepreload links), summed as the build's .gz copies.`,
      `The time: \`npm run demo\`'s server and meeting in this process, the organizer's side panel in headless Chromium (Debian's, through playwright-core);`,
      `${settings.runs} new people join one at a time (posted as Teams would, timed from the POST until their row is on screen), each at a different moment of the panel's ${POLL_MS / 1000} s poll:`,
      `the wait for the next poll is most of it (half the interval on average).`,
    ],
  };
}
