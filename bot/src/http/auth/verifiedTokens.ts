/**
 * Tokens whose signature and claims were verified already, until they expire: a side panel polls every few
 * seconds with the same token for an hour, and checking an RS256 signature costs more than the rest of a poll.
 * Keyed by the token's SHA-256 (the tokens themselves are not kept). A token is valid for as long as its `exp`
 * says, cached or not: nothing here accepts a token that verification would refuse at that moment.
 */
import { createHash } from 'node:crypto';
import type { Caller } from '../../attendance/access.js';

/** Enough for every viewer of several webinars; the least recently used go first. */
const REMEMBERED = 20_000;

interface Verified {
  caller: Caller;
  /** When verification would start refusing it (its exp, plus the clock tolerance), in ms since the epoch. */
  validUntilMs: number;
}

export class VerifiedTokens {
  private readonly verified = new Map<string, Verified>();

  /** The caller of a token verified before and still valid at `nowMs`. */
  callerOf(token: string, nowMs: number): Caller | undefined {
    const key = keyOf(token);
    const known = this.verified.get(key);
    if (!known) return undefined;
    this.verified.delete(key);
    if (known.validUntilMs <= nowMs) return undefined;
    this.verified.set(key, known);
    return known.caller;
  }

  remember(token: string, caller: Caller, validUntilMs: number): void {
    this.verified.set(keyOf(token), { caller, validUntilMs });
    if (this.verified.size > REMEMBERED) this.verified.delete(this.verified.keys().next().value as string);
  }
}

function keyOf(token: string): string {
  return createHash('sha256').update(token).digest('base64');
}
