/**
 * The mocha hooks of a browser suite, apart from browser.ts, which the benchmark uses outside mocha too.
 */
import type { Page } from 'playwright-core';
import { TestBrowser } from './browser.js';

/** Registers a suite's hooks: one browser for the suite, a fresh tab for each test, closed after it. */
export function useTestBrowser(): { readonly page: Page } {
  let browser: TestBrowser | undefined;
  let page: Page | undefined;
  before(async () => {
    browser = await TestBrowser.launch();
  });
  beforeEach(async () => {
    page = await (browser as TestBrowser).newPage();
  });
  afterEach(async () => {
    await page?.close();
    page = undefined;
  });
  after(async () => {
    await browser?.close();
  });
  return {
    get page(): Page {
      if (!page) throw new Error('the page exists only while a test runs');
      return page;
    },
  };
}
