/**
 * Debian's Chromium driven by playwright-core: headless, quiet (no background networking, updates or sync),
 * with a fresh profile directory per launch, deleted on close.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** The side panel's width in a Teams meeting. */
export const SIDE_PANEL_VIEWPORT = { width: 320, height: 720 };

export class TestBrowser {
  private constructor(
    readonly context: BrowserContext,
    private readonly profileDir: string,
  ) {}

  static async launch(): Promise<TestBrowser> {
    const profileDir = mkdtempSync(join(tmpdir(), 'attendance-chromium-'));
    const context = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: SIDE_PANEL_VIEWPORT,
      timezoneId: 'UTC',
      locale: 'en-GB',
      colorScheme: 'light',
      acceptDownloads: true,
    });
    return new TestBrowser(context, profileDir);
  }

  /** A new tab that fails the test on any page error (an exception in the tab's code). */
  async newPage(): Promise<Page> {
    const page = await this.context.newPage();
    page.on('pageerror', (error) => {
      throw error;
    });
    return page;
  }

  async close(): Promise<void> {
    await this.context.close();
    rmSync(this.profileDir, { recursive: true, force: true });
  }
}

