/**
 * A stand-in for Entra ID: an RSA key pair, its JWKS served on 127.0.0.1, and signed access tokens for the
 * report API (user tokens, app-only tokens, and the bad ones a real attacker or a misconfigured client sends).
 */
import { generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import { JwksServer } from '../../demo/jwksServer.js';
import { TENANT_ID } from './people.js';

export const CLIENT_ID = '7c1e0a4b-2222-4c3d-8e9f-0a1b2c3d4e5f';
export const OTHER_TENANT_ID = '0b0b0b0b-3333-4d4e-9f00-112233445566';
const KEY_ID = 'test-key-1';

export interface UserTokenOptions {
  oid: string;
  tid?: string;
  /** Overrides and extra claims; a claim set to undefined is removed. */
  claims?: Record<string, unknown>;
}

export interface AppTokenOptions {
  roles?: string[];
  azp?: string;
  tid?: string;
  claims?: Record<string, unknown>;
}

export class TokenIssuer {
  private constructor(
    private readonly jwks: JwksServer,
    private readonly signingKey: CryptoKey,
    private readonly otherKey: CryptoKey,
  ) {}

  static async start(): Promise<TokenIssuer> {
    const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
    const other = await generateKeyPair('RS256');
    return new TokenIssuer(await JwksServer.start(publicKey, KEY_ID), privateKey, other.privateKey);
  }

  get jwksUri(): string {
    return this.jwks.jwksUri;
  }

  /** A delegated (SSO) token for a user, as the tab would get from Teams. */
  userToken(options: UserTokenOptions): Promise<string> {
    const tid = options.tid ?? TENANT_ID;
    return this.sign({ ...standardClaims(tid), oid: options.oid, scp: 'access_as_user', ...options.claims });
  }

  /** An app-only (client credentials) token, as an LMS or a script would get: no scp, app roles instead. */
  appToken(options: AppTokenOptions = {}): Promise<string> {
    const tid = options.tid ?? TENANT_ID;
    const claims: Record<string, unknown> = { ...standardClaims(tid), azp: options.azp ?? 'lms-app-id', oid: 'lms-sp-object-id' };
    if (options.roles) claims['roles'] = options.roles;
    return this.sign({ ...claims, ...options.claims });
  }

  /** Signed with a key that is not in the JWKS, under the JWKS's key id. */
  signedWithOtherKey(oid: string): Promise<string> {
    return this.sign({ ...standardClaims(TENANT_ID), oid, scp: 'access_as_user' }, { key: this.otherKey });
  }

  /** Signed with the right key but naming a key id the JWKS does not have. */
  withUnknownKeyId(oid: string): Promise<string> {
    return this.sign({ ...standardClaims(TENANT_ID), oid, scp: 'access_as_user' }, { kid: 'no-such-key' });
  }

  expired(oid: string): Promise<string> {
    const longAgo = Math.floor(Date.now() / 1000) - 3 * 3600;
    return this.userToken({ oid, claims: { iat: longAgo, nbf: longAgo, exp: longAgo + 3600 } });
  }

  /** Valid only from `secondsAhead` from now (nbf and iat in the future). */
  notYetValid(oid: string, secondsAhead: number): Promise<string> {
    const later = Math.floor(Date.now() / 1000) + secondsAhead;
    return this.userToken({ oid, claims: { iat: later, nbf: later, exp: later + 3600 } });
  }

  wrongAudience(oid: string): Promise<string> {
    return this.userToken({ oid, claims: { aud: 'api://some-other-app' } });
  }

  wrongIssuer(oid: string): Promise<string> {
    return this.userToken({ oid, claims: { iss: 'https://sts.windows.net/' + TENANT_ID + '/' } });
  }

  /** A perfectly valid token of a user in another tenant. */
  otherTenant(oid: string): Promise<string> {
    return this.userToken({ oid, tid: OTHER_TENANT_ID });
  }

  close(): Promise<void> {
    return this.jwks.close();
  }

  private sign(claims: Record<string, unknown>, options: { key?: CryptoKey; kid?: string } = {}): Promise<string> {
    return signToken(claims, options.key ?? this.signingKey, options.kid ?? KEY_ID);
  }
}

/** An RS256 JWT of these claims (a claim set to undefined is left out), with `kid` in its header. */
export function signToken(claims: Record<string, unknown>, key: CryptoKey, kid: string): Promise<string> {
  const payload = Object.fromEntries(Object.entries(claims).filter(([, value]) => value !== undefined)) as JWTPayload;
  return new SignJWT(payload).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid }).sign(key);
}

function standardClaims(tid: string): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return {
    aud: CLIENT_ID,
    iss: `https://login.microsoftonline.com/${tid}/v2.0`,
    tid,
    iat: now - 60,
    nbf: now - 60,
    exp: now + 3600,
    ver: '2.0',
  };
}

export function bearer(token: string): { authorization: string } {
  return { authorization: `Bearer ${token}` };
}
