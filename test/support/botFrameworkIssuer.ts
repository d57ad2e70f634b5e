/**
 * A stand-in for the Bot Framework's token service, the way botbuilder reads it: an OpenID configuration on
 * 127.0.0.1 (the app's BOT_OPENID_METADATA_URL) pointing at a JWKS whose key is endorsed for Teams, and the
 * tokens the Bot Framework puts on its requests to a bot (issuer https://api.botframework.com, audience the
 * bot's app id, the activity's serviceUrl as a claim), good ones and forged ones.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type CryptoKey } from 'jose';
import { signToken } from './tokens.js';

/** The issuer of the Bot Framework's tokens to bots (botframework-connector AuthenticationConstants). */
export const BOT_FRAMEWORK_ISSUER = 'https://api.botframework.com';
const KEY_ID = 'bot-framework-test-key';

export interface ChannelTokenOptions {
  /** The bot's app id (the token's audience). */
  appId: string;
  /** The activity's serviceUrl, which botbuilder requires in the `serviceurl` claim. */
  serviceUrl: string;
  /** Overrides and extra claims; a claim set to undefined is removed. */
  claims?: Record<string, unknown>;
}

export class BotFrameworkIssuer {
  /** The paths botbuilder fetched: proof that the server asked this issuer, not Microsoft. */
  readonly requests: string[] = [];

  private constructor(
    private readonly server: Server,
    readonly openIdMetadataUrl: string,
    private readonly signingKey: CryptoKey,
    private readonly otherKey: CryptoKey,
  ) {}

  static async start(): Promise<BotFrameworkIssuer> {
    const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
    const other = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: KEY_ID, alg: 'RS256', use: 'sig', endorsements: ['msteams'] };
    let issuer: BotFrameworkIssuer | undefined;
    const server = createServer((req, res) => {
      issuer?.requests.push(req.url ?? '');
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const body =
        req.url === '/v1/.well-known/openidconfiguration'
          ? { issuer: BOT_FRAMEWORK_ISSUER, jwks_uri: `${base}/v1/.well-known/keys`, id_token_signing_alg_values_supported: ['RS256'] }
          : req.url === '/v1/.well-known/keys'
            ? { keys: [jwk] }
            : undefined;
      // Not chained: restify patches http.ServerResponse globally, and its writeHead returns nothing.
      res.writeHead(body ? 200 : 404, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body ?? { error: 'not found' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    issuer = new BotFrameworkIssuer(server, `http://127.0.0.1:${port}/v1/.well-known/openidconfiguration`, privateKey, other.privateKey);
    return issuer;
  }

  /** What the Bot Framework sends with an activity for this bot. */
  channelToken(options: ChannelTokenOptions): Promise<string> {
    return this.sign(channelClaims(options));
  }

  /** Signed with a key the JWKS does not have, under a key id it does not list. */
  withUnknownKey(options: ChannelTokenOptions): Promise<string> {
    return this.sign(channelClaims(options), { key: this.otherKey, kid: 'unknown-key' });
  }

  /** Signed with another key under the JWKS's key id: the signature does not verify. */
  withBadSignature(options: ChannelTokenOptions): Promise<string> {
    return this.sign(channelClaims(options), { key: this.otherKey });
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private sign(claims: Record<string, unknown>, options: { key?: CryptoKey; kid?: string } = {}): Promise<string> {
    return signToken(claims, options.key ?? this.signingKey, options.kid ?? KEY_ID);
  }
}

function channelClaims(options: ChannelTokenOptions): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return { iss: BOT_FRAMEWORK_ISSUER, aud: options.appId, serviceurl: options.serviceUrl, iat: now - 60, nbf: now - 60, exp: now + 3600, ...options.claims };
}
