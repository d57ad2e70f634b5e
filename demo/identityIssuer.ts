/**
 * The demo's stand-in for Entra ID, on 127.0.0.1 only: an RSA key generated at start (never stored), its JWKS
 * for the server's AAD_JWKS_URI, and tokens for the demo's made-up people. It exists only while the demo runs.
 */
import { generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { JwksServer } from './jwksServer.js';
import { DEMO_CLIENT_ID, DEMO_TENANT_ID, type DemoPerson } from './people.js';

const KEY_ID = 'attendance-demo';
const TOKEN_LIFETIME_SECONDS = 12 * 3600;

export class DemoIdentityIssuer {
  private constructor(
    private readonly jwks: JwksServer,
    private readonly signingKey: CryptoKey,
  ) {}

  static async start(): Promise<DemoIdentityIssuer> {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    return new DemoIdentityIssuer(await JwksServer.start(publicKey, KEY_ID), privateKey);
  }

  get jwksUri(): string {
    return this.jwks.jwksUri;
  }

  /** A delegated token for the person, shaped like the one Teams SSO gives the tab. */
  tokenFor(person: DemoPerson): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({
      aud: DEMO_CLIENT_ID,
      iss: `https://login.microsoftonline.com/${DEMO_TENANT_ID}/v2.0`,
      tid: DEMO_TENANT_ID,
      oid: person.aadObjectId,
      name: person.name,
      scp: 'access_as_user',
      ver: '2.0',
      iat: now,
      nbf: now,
      exp: now + TOKEN_LIFETIME_SECONDS,
    })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: KEY_ID })
      .sign(this.signingKey);
  }

  close(): Promise<void> {
    return this.jwks.close();
  }
}
