import assert from 'node:assert/strict';
import fc from 'fast-check';
import { boundedKey, escapeKey, partitionKeyFor, rowKeys, workKeys } from '../../bot/src/store/azureTablesKeys.js';

/** What Azure Table Storage refuses in PartitionKey and RowKey, plus % (decoded by some URL handling). */
const FORBIDDEN_IN_KEYS = /[/\\#?%\u0000-\u001f\u007f-\u009f]/;

describe('Azure Tables keys', () => {
  it('writes a Teams meeting id (base64 with / + =) without the characters Azure forbids in keys', () => {
    const key = partitionKeyFor({ tenantId: '9f2c1a7e-1111-4b2c-9d3e-5a6b7c8d9e0f', meetingId: 'MCMx/OTpt+ZWV0aW5n==' });
    assert.equal(key, 'meeting|9f2c1a7e-1111-4b2c-9d3e-5a6b7c8d9e0f|MCMx~2fOTpt+ZWV0aW5n==');
  });

  it('never puts a forbidden character in a key, whatever the input (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (tenantId, meetingId) => {
        for (const key of [partitionKeyFor({ tenantId, meetingId }), rowKeys.event(meetingId), rowKeys.claim(tenantId), workKeys.partition(meetingId)]) {
          assert.doesNotMatch(key, FORBIDDEN_IN_KEYS);
        }
      }),
    );
  });

  it('gives different values different keys, so escaping never merges two meetings (property)', () => {
    const awkward = fc.string({ unit: fc.constantFrom('a', '/', '~', '2', 'f', '|', '%', '\u0001') });
    fc.assert(
      fc.property(awkward, awkward, (a, b) => {
        fc.pre(a !== b);
        assert.notEqual(escapeKey(a), escapeKey(b));
      }),
    );
    fc.assert(
      fc.property(awkward, awkward, awkward, awkward, (tenantA, meetingA, tenantB, meetingB) => {
        fc.pre(tenantA !== tenantB || meetingA !== meetingB);
        assert.notEqual(partitionKeyFor({ tenantId: tenantA, meetingId: meetingA }), partitionKeyFor({ tenantId: tenantB, meetingId: meetingB }));
      }),
    );
  });
});

describe('Azure Tables keys: bounded length', () => {
  it("keeps short keys as they are and shortens adversarially long ones to a distinct, stable key within Azure's limit", () => {
    assert.equal(boundedKey('event|short'), 'event|short');
    const longA = rowKeys.event(`m|participantJoined|29:${'/'.repeat(2000)}a|2025-11-26T09:00:00.000Z`);
    const longB = rowKeys.event(`m|participantJoined|29:${'/'.repeat(2000)}b|2025-11-26T09:00:00.000Z`);
    assert.ok(longA.length <= 400 && longB.length <= 400);
    assert.notEqual(longA, longB);
    assert.equal(longA, rowKeys.event(`m|participantJoined|29:${'/'.repeat(2000)}a|2025-11-26T09:00:00.000Z`));
    assert.ok(partitionKeyFor({ tenantId: 't', meetingId: '/'.repeat(256) }).length <= 400);
  });
});
