/**
 * Requests with the path exactly as given: fetch() would normalise it first (resolve dot segments, escape
 * spaces, drop a fragment), which hides what a hostile or broken client really sends.
 */
import { Agent, request } from 'node:http';

export interface RawAnswer {
  status: number;
  body: string;
}

const agent = new Agent({ keepAlive: true, maxSockets: 16 });

/**
 * Sends the request; rejects when the client refuses the path (characters Node will not put in a request
 * line) or the connection ends without an answer.
 */
export function rawRequest(baseUrl: string, method: string, path: string, headers: Record<string, string> = {}): Promise<RawAnswer> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const outgoing = request({ agent, hostname, port, method, path, headers }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      incoming.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}
