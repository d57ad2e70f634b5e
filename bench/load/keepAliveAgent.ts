/**
 * The load generators' pool of keep-alive connections to the server under test: it closes a connection idle
 * for 4 s, before the server does. Node's server closes one idle for its keepAliveTimeout (5 s), and Node's
 * client keeps one exactly as long (the server's `Keep-Alive: timeout=5` hint), so a request sent at that
 * moment meets a socket being closed and fails with ECONNRESET, which a browser retries on a new connection
 * and Node's client does not. The 1 s margin is agentkeepalive's (its freeSocketTimeout).
 */
import { Agent } from 'node:http';

const IDLE_SOCKET_TIMEOUT_MS = 4000;

export function keepAliveAgent(maxSockets: number): Agent {
  return new Agent({ keepAlive: true, maxSockets, timeout: IDLE_SOCKET_TIMEOUT_MS });
}
