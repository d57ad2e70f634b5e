import assert from 'node:assert/strict';
import { VerifiedTokens } from '../../bot/src/http/auth/verifiedTokens.js';

describe('verified tokens remembered until they expire', () => {
  const caller = { kind: 'user' as const, tenantId: 'tenant', objectId: 'ana' };

  it('gives the caller of a token verified before, and nothing for another token', () => {
    const verified = new VerifiedTokens();
    verified.remember('token-a', caller, 2_000);
    assert.deepEqual(verified.callerOf('token-a', 1_000), caller);
    assert.equal(verified.callerOf('token-b', 1_000), undefined);
  });

  it('forgets a token from the moment verification would refuse it', () => {
    const verified = new VerifiedTokens();
    verified.remember('token-a', caller, 2_000);
    assert.deepEqual(verified.callerOf('token-a', 1_999), caller);
    assert.equal(verified.callerOf('token-a', 2_000), undefined);
    assert.equal(verified.callerOf('token-a', 1_000), undefined, 'an expired token is forgotten, not kept for later');
  });
});
