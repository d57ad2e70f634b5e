/**
 * The built tab served under /tab/ by the app server: cache headers, gzip, no escape from tab/dist, and a
 * Content-Security-Policy whose frame-ancestors lets Teams and Microsoft 365 frame it, and nobody else.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { TestServer } from '../support/server.js';
import { useTestBrowser } from './support/browserHooks.js';
import { buildTabOnce } from './support/tabBuild.js';

/** A raw GET, so the path reaches the server exactly as written (fetch would normalise ".."). */
function rawGet(url: string, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(url);
    request({ hostname, port, path, method: 'GET' }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    })
      .on('error', reject)
      .end();
  });
}

describe('the tab files (/tab/)', function () {
  this.timeout(60_000);
  let server: TestServer;
  const browser = useTestBrowser();
  let scriptPath: string;

  before(async () => {
    await buildTabOnce();
    server = await TestServer.start();
    const html = await (await fetch(`${server.url}/tab/index.html`)).text();
    scriptPath = /<script type="module" crossorigin src="([^"]+)"/.exec(html)?.[1] ?? '';
    assert.match(scriptPath, /^\/tab\/assets\/index-[\w-]+\.js$/);
  });

  after(async () => {
    await server?.dispose();
  });

  it('serves the pages uncached and the hashed assets immutable, gzipped for browsers that accept it', async () => {
    for (const path of ['/tab/', '/tab/index.html', '/tab/config.html']) {
      const response = await fetch(`${server.url}${path}`);
      assert.equal(response.status, 200, path);
      assert.equal(response.headers.get('content-type'), 'text/html; charset=utf-8');
      assert.equal(response.headers.get('cache-control'), 'no-cache');
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    }
    const script = await fetch(`${server.url}${scriptPath}`, { headers: { 'accept-encoding': 'gzip' } });
    assert.equal(script.status, 200);
    assert.equal(script.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.equal(script.headers.get('content-encoding'), 'gzip');
    assert.match(script.headers.get('content-type') ?? '', /^text\/javascript/);
    assert.ok((await script.text()).length > 1000, 'fetch decompresses a real script');
  });

  it('lets only Teams and Microsoft 365 hosts frame the pages', async () => {
    const policy = (await fetch(`${server.url}/tab/index.html`)).headers.get('content-security-policy') ?? '';
    const ancestors = /frame-ancestors ([^;]+)/.exec(policy)?.[1]?.split(' ') ?? [];
    for (const host of ["'self'", 'https://teams.microsoft.com', 'https://*.teams.microsoft.com', 'https://*.cloud.microsoft', 'https://*.office.com', 'https://*.microsoft365.com']) {
      assert.ok(ancestors.includes(host), `frame-ancestors should allow ${host}`);
    }
    assert.ok(!ancestors.some((source) => source === '*' || source.startsWith('http:')), policy);
    // Only: every source is the tab's own origin or an https host under a Teams or Microsoft 365 domain.
    const microsoftHost = /^https:\/\/(\*\.)?([a-z0-9-]+\.)*(teams\.microsoft\.com|cloud\.microsoft|microsoft365\.com|office\.com|office365\.com)$/;
    assert.deepEqual(ancestors.filter((source) => source !== "'self'" && !microsoftHost.test(source)), [], policy);
    assert.match(policy, /script-src 'self'(;|$)/);
    assert.match(policy, /object-src 'none'/);
    for (const path of ['/tab/config.html', '/tab/']) {
      const response = await fetch(`${server.url}${path}`);
      assert.equal(response.headers.get('content-security-policy'), policy, `${path} has the same policy`);
      assert.ok(response.headers.get('referrer-policy'), `${path} has a Referrer-Policy`);
    }
  });

  it('is refused by the browser inside a frame on any other site', async () => {
    const foreign = server.url.replace('127.0.0.1', 'localhost');
    await browser.page.route(`${foreign}/framer.html`, (route) =>
      route.fulfill({ contentType: 'text/html', body: `<iframe id="tab" src="${server.url}/tab/index.html"></iframe>` }),
    );
    await browser.page.goto(`${foreign}/framer.html`); // waits for the load event, which waits for the frame
    const framed = browser.page.frames().find((frame) => frame !== browser.page.mainFrame());
    assert.ok(framed, 'the frame exists');
    assert.equal(await framed.locator('#root').count(), 0, 'the tab must not render in a foreign frame');
  });

  it('serves nothing outside tab/dist and nothing it does not know the type of', async () => {
    assert.equal(await rawGet(server.url, '/tab/..%2f..%2fpackage.json'), 404);
    assert.equal(await rawGet(server.url, '/tab/%2e%2e/%2e%2e/package.json'), 404);
    assert.equal(await rawGet(server.url, '/tab/missing.js'), 404);
    assert.equal(await rawGet(server.url, '/tab/index.html.gz'), 404);
  });
});
