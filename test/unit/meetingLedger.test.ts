/**
 * The meeting held in memory must be the replay of what the store holds, whatever the order, the repeats and the
 * sources of the facts: MeetingLedger fed batch by batch against buildSessions of the store's set (first arrival
 * wins, as in the store), and its digest, row index and roles against what a scan of the replay finds.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { participationIn } from '../../bot/src/attendance/access.js';
import type { AttendanceEvent } from '../../bot/src/attendance/events.js';
import { buildSessions } from '../../bot/src/attendance/ledger.js';
import { MeetingLedger } from '../../bot/src/attendance/meetingLedger.js';
import { deliveryArb, PEOPLE, storedSet } from '../support/ledgerFacts.js';

describe('the meeting held in memory (MeetingLedger) against the replay (fast-check)', () => {
  const runs = { numRuns: 300 };

  it('equals the replay of what the store holds after every batch: redeliveries, retries, out of order, every source', () => {
    fc.assert(
      fc.property(deliveryArb, (batches) => {
        const ledger = new MeetingLedger();
        const delivered: AttendanceEvent[] = [];
        for (const batch of batches) {
          delivered.push(...batch);
          ledger.add(batch);
          const stored = storedSet(delivered);
          assert.equal(ledger.size, stored.length);
          assert.deepEqual(ledger.sessions(), buildSessions(stored));
        }
      }),
      runs,
    );
  });

  it('equals the replay when facts come mostly in order, one at a time (the running replay takes them as further steps)', () => {
    fc.assert(
      fc.property(deliveryArb, fc.array(fc.nat(), { maxLength: 3 }), (batches, swaps) => {
        const delivered = batches.flat().sort((a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt));
        for (const swap of swaps) {
          const index = swap % delivered.length;
          [delivered[0], delivered[index]] = [delivered[index]!, delivered[0]!];
        }
        const ledger = new MeetingLedger();
        for (const [index, event] of delivered.entries()) {
          ledger.add([event]);
          assert.deepEqual(ledger.sessions(), buildSessions(storedSet(delivered.slice(0, index + 1))));
        }
      }),
      runs,
    );
  });

  it('gives the same digest for the same set of facts in any order, and another one as soon as a fact is added', () => {
    fc.assert(
      fc.property(deliveryArb, fc.integer(), (batches, seed) => {
        const stored = storedSet(batches.flat());
        const inOrder = new MeetingLedger();
        inOrder.add(stored);
        const shuffled = new MeetingLedger();
        shuffled.add(fc.sample(fc.shuffledSubarray(stored, { minLength: stored.length, maxLength: stored.length }), { numRuns: 1, seed })[0]!);
        assert.equal(shuffled.digest, inOrder.digest);
        const digests = new Set<string>();
        const growing = new MeetingLedger();
        for (const event of stored) {
          growing.add([event]);
          digests.add(growing.digest);
        }
        assert.equal(digests.size, stored.length, 'each added fact changes the digest');
      }),
      runs,
    );
  });

  it("finds each person's row in the latest run and everyone's roles as a scan of the replay does", () => {
    fc.assert(
      fc.property(deliveryArb, (batches) => {
        const ledger = new MeetingLedger();
        ledger.add(batches.flat());
        const sessions = ledger.sessions();
        const scanned = participationIn(sessions);
        const indexed = ledger.participation();
        assert.equal(indexed.tenantId, scanned.tenantId);
        for (const { key } of PEOPLE) {
          assert.deepEqual([...indexed.rolesOf(key)].sort(), [...scanned.rolesOf(key)].sort());
          assert.equal(ledger.latestEntry(key), sessions.at(-1)?.participants.find((entry) => entry.participant.key === key));
        }
      }),
      runs,
    );
  });
});
