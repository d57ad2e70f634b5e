/**
 * Entra ID bearer tokens for the HTTP API: signature from the JWKS, audience = our app, issuer = the v2.0
 * issuer of the token's own tenant. Delegated tokens (with `scp`) are users; tokens without `scp` are apps.
 */
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import type { Caller } from '../../attendance/access.js';
import { unauthorized } from '../../errors.js';
import { VerifiedTokens } from './verifiedTokens.js';

export interface TokenSettings {
  audiences: string[];
  jwksUri: string;
}

export type TokenValidator = (authorizationHeader: string | undefined) => Promise<Caller>;

const CLOCK_TOLERANCE_SECONDS = 60;

/** `now`: the clock a remembered token's expiry is checked against (jose reads the real one). */
export function createTokenValidator(settings: TokenSettings, now: () => number = Date.now): TokenValidator {
  const keys = createRemoteJWKSet(new URL(settings.jwksUri));
  const verified = new VerifiedTokens();
  return async (authorizationHeader) => {
    if (settings.audiences.length === 0) throw unauthorized('this server has no AAD_APP_CLIENT_ID configured, so it accepts no token');
    const token = /^Bearer\s+(\S+)$/i.exec(authorizationHeader ?? '')?.[1];
    if (!token) throw unauthorized('send "Authorization: Bearer <token>"');
    const known = verified.callerOf(token, now());
    if (known) return known;
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        audience: settings.audiences,
        algorithms: ['RS256'],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['exp', 'iss', 'tid'],
      }));
    } catch (error) {
      throw unauthorized(describeJoseError(error));
    }
    const caller = callerFrom(payload);
    // requiredClaims makes exp present; jose accepts a token until exp + the tolerance.
    verified.remember(token, caller, ((payload.exp ?? 0) + CLOCK_TOLERANCE_SECONDS) * 1000);
    return caller;
  };
}

function callerFrom(payload: JWTPayload): Caller {
  const tenantId = stringClaim(payload, 'tid');
  if (!tenantId) throw unauthorized('the token has no tenant (tid)');
  if (payload.iss !== `https://login.microsoftonline.com/${tenantId}/v2.0`) {
    throw unauthorized('the token was not issued by the v2.0 endpoint of its own tenant');
  }
  if (payload['scp'] === undefined) {
    const appId = stringClaim(payload, 'azp') ?? stringClaim(payload, 'appid') ?? 'unknown';
    const roles = Array.isArray(payload['roles']) ? payload['roles'].filter((role) => typeof role === 'string') : [];
    return { kind: 'app', tenantId, appId, roles };
  }
  const objectId = stringClaim(payload, 'oid');
  if (!objectId) throw unauthorized('the user token has no object id (oid)');
  return { kind: 'user', tenantId, objectId };
}

function stringClaim(payload: JWTPayload, name: string): string | undefined {
  const value = payload[name];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function describeJoseError(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'the token has expired';
  if (error instanceof joseErrors.JWTClaimValidationFailed) return `the token's "${error.claim}" claim is not accepted`;
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'the token signature is not valid';
  if (error instanceof joseErrors.JWKSNoMatchingKey) return 'the token was signed with an unknown key';
  if (error instanceof joseErrors.JOSEError) return `the token is not valid (${error.code})`;
  return 'the token is malformed';
}
