/**
 * Reuses a bearer token until shortly before it expires, so polling every 2 s does not ask Teams for a token
 * every time. The expiry is read from the token's own `exp` claim; a token without one is not reused.
 */
const RENEW_BEFORE_EXPIRY_MS = 5 * 60_000;

export function cachedToken(fetchToken: () => Promise<string>): () => Promise<string> {
  let cached: { token: string; renewAt: number } | undefined;
  return async () => {
    if (cached && Date.now() < cached.renewAt) return cached.token;
    const token = await fetchToken();
    const expiresAt = expiryOf(token);
    cached = expiresAt === undefined ? undefined : { token, renewAt: expiresAt - RENEW_BEFORE_EXPIRY_MS };
    return token;
  };
}

function expiryOf(token: string): number | undefined {
  try {
    const payload = token.split('.')[1] ?? '';
    const claims = JSON.parse(atob(payload.replaceAll('-', '+').replaceAll('_', '/'))) as { exp?: unknown };
    return typeof claims.exp === 'number' ? claims.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}
