/**
 * playground/listenOnLoopback.cjs, preloaded into a real Node process as `npm run playground` preloads it into
 * the Agents Playground: every listen() that names no host binds 127.0.0.1; one that names a host keeps it.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const PRELOAD = fileURLToPath(new URL('../../playground/listenOnLoopback.cjs', import.meta.url));

/** Each way of calling listen() the playground and its libraries use, and the address it ends up on. */
const LISTENERS = `
const http = require('node:http');
const net = require('node:net');
const calls = {
  'listen(port, callback)': (server, done) => server.listen(0, done),
  'listen(port, undefined, undefined, callback)': (server, done) => server.listen(0, undefined, undefined, done),
  'listen(port, backlog, callback)': (server, done) => server.listen(0, 511, done),
  'listen("port", callback)': (server, done) => server.listen('0', done),
  'listen({ port }, callback)': (server, done) => server.listen({ port: 0 }, done),
  'listen(callback)': (server, done) => server.listen(done),
  'listen(port, "0.0.0.0", callback)': (server, done) => server.listen(0, '0.0.0.0', done),
  'listen({ port, host: "0.0.0.0" }, callback)': (server, done) => server.listen({ port: 0, host: '0.0.0.0' }, done),
};
(async () => {
  const addresses = {};
  for (const [call, listen] of Object.entries(calls)) {
    for (const create of [() => http.createServer(), () => net.createServer()]) {
      const server = create();
      await new Promise((resolve) => listen(server, resolve));
      addresses[call] = [...(addresses[call] ?? []), server.address().address];
      await new Promise((resolve) => server.close(resolve));
    }
  }
  process.stdout.write(JSON.stringify(addresses));
})();
`;

describe('the playground loopback preload (playground/listenOnLoopback.cjs)', () => {
  it('binds every listen that names no host to 127.0.0.1, and leaves a named host alone', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--require', PRELOAD, '-e', LISTENERS]);
    assert.deepEqual(JSON.parse(stdout), {
      'listen(port, callback)': ['127.0.0.1', '127.0.0.1'],
      'listen(port, undefined, undefined, callback)': ['127.0.0.1', '127.0.0.1'],
      'listen(port, backlog, callback)': ['127.0.0.1', '127.0.0.1'],
      'listen("port", callback)': ['127.0.0.1', '127.0.0.1'],
      'listen({ port }, callback)': ['127.0.0.1', '127.0.0.1'],
      'listen(callback)': ['127.0.0.1', '127.0.0.1'],
      'listen(port, "0.0.0.0", callback)': ['0.0.0.0', '0.0.0.0'],
      'listen({ port, host: "0.0.0.0" }, callback)': ['0.0.0.0', '0.0.0.0'],
    });
  });
});
