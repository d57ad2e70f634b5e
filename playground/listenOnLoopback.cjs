// @ts-check
/**
 * Preloaded into the Agents Playground (`node --require`): it calls `server.listen(port)` with no host, which
 * listens on every interface, and has no option for the host. Every listen that names no host (a port, an
 * options object without `host`, or nothing) binds 127.0.0.1 instead, so the playground, which accepts any
 * activity and relays it to the bot, is reachable from this computer only. A listen that names a host, a
 * Unix socket path or a handle is left as it is.
 */
'use strict';
const net = require('node:net');

const LOOPBACK = '127.0.0.1';
const originalListen = net.Server.prototype.listen;

/** @param {unknown} value */
const isPort = (value) => typeof value === 'number' || (typeof value === 'string' && /^\d+$/.test(value));

/** @param {unknown[]} args */
function onLoopback(args) {
  const [first, second] = args;
  if (first === undefined || typeof first === 'function') return [0, LOOPBACK, ...args];
  if (isPort(first)) {
    if (typeof second === 'string') return args;
    if (second === undefined || second === null) return [first, LOOPBACK, ...args.slice(2)];
    return [first, LOOPBACK, ...args.slice(1)];
  }
  if (typeof first === 'object' && first !== null && !('path' in first) && !('fd' in first) && !('_handle' in first)) {
    const options = /** @type {{ host?: string }} */ (first);
    return options.host ? args : [{ ...options, host: LOOPBACK }, ...args.slice(1)];
  }
  return args;
}

net.Server.prototype.listen = function listen(...args) {
  return originalListen.apply(this, /** @type {any} */ (onLoopback(args)));
};
