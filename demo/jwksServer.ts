/**
 * One RS256 public key as a JWKS on 127.0.0.1, where Entra ID would serve its signing keys: what the server's
 * AAD_JWKS_URI points at when the demo (or a test) signs tokens itself.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, type CryptoKey } from 'jose';

export class JwksServer {
  private constructor(
    private readonly server: Server,
    readonly jwksUri: string,
  ) {}

  static async start(publicKey: CryptoKey, keyId: string): Promise<JwksServer> {
    const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: keyId, alg: 'RS256', use: 'sig' }] });
    const server = createServer((_req, res) => {
      // Not chained: restify patches http.ServerResponse globally, and its writeHead returns nothing.
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(jwks);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return new JwksServer(server, `http://127.0.0.1:${port}/discovery/v2.0/keys`);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
