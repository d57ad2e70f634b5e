/**
 * The register's part of the store contract (called by storeContract.ts for every adapter): roster facts and
 * corrections appended once and read back by meeting, the rule replaced, each chat's meetings listed by key,
 * and all of it deleted with its meeting.
 */
import assert from 'node:assert/strict';
import type { Correction } from '../../bot/src/attendance/corrections.js';
import type { RosterFact } from '../../bot/src/attendance/roster.js';
import type { RuleChange } from '../../bot/src/attendance/rule.js';
import type { AttendanceStore, MeetingKey } from '../../bot/src/store/store.js';

const tenantId = 'tenant-a';
const meeting: MeetingKey = { tenantId, meetingId: 'MCMxOTptZWV0aW5nX3Rlc3Q/+=' };
const other: MeetingKey = { tenantId, meetingId: 'other-meeting' };
const otherTenant: MeetingKey = { tenantId: 'tenant-b', meetingId: meeting.meetingId };

function fact(key: string, observedAt: string, where: MeetingKey = meeting): RosterFact {
  return { ...where, participant: { key, teamsUserId: `29:${key}`, displayName: key }, observedAt };
}

function correctionOf(id: string, where: MeetingKey = meeting): Correction {
  return {
    ...where,
    id,
    reportId: 'report-1',
    participantId: 'dan',
    action: 'addInterval',
    joinDateTime: '2025-11-26T09:05:00.000Z',
    leaveDateTime: '2025-11-26T10:00:00.000Z',
    reason: 'dialled in by phone',
    by: { id: 'ana-oid', displayName: 'Ana Teacher' },
    at: '2025-11-26T12:00:00.000Z',
  };
}

const sortBy = <T>(items: T[], key: (item: T) => string) => [...items].sort((a, b) => key(a).localeCompare(key(b)));

export function describeRegisterContract(store: () => AttendanceStore): void {
  describe('the register', () => {
    it('appends roster facts once (same person and time), and reads them back by meeting and tenant', async () => {
      const facts = Array.from({ length: 130 }, (_, index) => fact(`p${String(index).padStart(3, '0')}`, '2025-11-26T09:00:00.000Z'));
      assert.deepEqual(await store().appendRosterFacts(facts), { added: 130 }, 'more than one Azure transaction holds');
      const again = [fact('p000', '2025-11-26T09:00:00.000Z'), fact('p000', '2025-11-26T10:00:00.000Z'), fact('p000', '2025-11-26T10:00:00.000Z')];
      assert.deepEqual(await store().appendRosterFacts(again), { added: 1 });
      await store().appendRosterFacts([fact('x', '2025-11-26T09:00:00.000Z', other), fact('y', '2025-11-26T09:00:00.000Z', otherTenant)]);
      const read = await store().readRoster(meeting);
      assert.equal(read.length, 131);
      assert.deepEqual(read.find((stored) => stored.participant.key === 'p129'), facts[129]);
      assert.deepEqual((await store().readRoster(otherTenant)).map((stored) => stored.participant.key), ['y']);
    });

    it('keeps one rule per meeting, the last one set', async () => {
      assert.equal(await store().getRule(meeting), undefined);
      const first: RuleChange = { rule: { presentPercent: 75, lateAfterMinutes: 10, leftEarlyMinutes: 10 }, changedBy: { id: 'ana', displayName: 'Ana' }, changedAt: '2025-11-26T10:00:00.000Z' };
      const second: RuleChange = { ...first, rule: { presentPercent: 60.5, lateAfterMinutes: 5, leftEarlyMinutes: 0 }, changedAt: '2025-11-26T10:05:00.000Z' };
      await store().saveRule(meeting, first);
      await store().saveRule(meeting, second);
      assert.deepEqual(await store().getRule(meeting), second);
      assert.equal(await store().getRule(otherTenant), undefined);
    });

    it('appends corrections, never replacing one with the same id, and reads them back by meeting', async () => {
      assert.equal(await store().appendCorrection(correctionOf('c1')), true);
      assert.equal(await store().appendCorrection({ ...correctionOf('c1'), reason: 'changed' }), false);
      assert.equal(await store().appendCorrection({ ...correctionOf('c2'), action: 'undo', correctionId: 'c1', reason: 'mistake' }), true);
      await store().appendCorrection(correctionOf('c1', other));
      const read = sortBy(await store().readCorrections(meeting), (correction) => correction.id);
      assert.deepEqual(read.map((correction) => [correction.id, correction.reason]), [['c1', 'dialled in by phone'], ['c2', 'mistake']]);
      assert.deepEqual(read[0], correctionOf('c1'));
      assert.deepEqual(await store().readCorrections(otherTenant), []);
    });

    it("lists a chat's meetings in its tenant, from the meeting records that name the chat", async () => {
      const chatId = '19:abc/def?#%@thread.v2';
      await store().saveMeeting({ ...meeting, chatId, title: 'Week 1' });
      await store().saveMeeting({ ...other, chatId });
      await store().saveMeeting({ ...meeting, title: 'Week 1, renamed' });
      await store().saveMeeting({ ...otherTenant, chatId });
      await store().saveMeeting({ tenantId, meetingId: 'elsewhere', chatId: '19:another@thread.v2' });
      const listed = sortBy(await store().listChatMeetings(tenantId, chatId), (key) => key.meetingId);
      assert.deepEqual(listed, sortBy([meeting, other], (key) => key.meetingId));
      assert.deepEqual(await store().listChatMeetings('tenant-c', chatId), []);
    });

    it('deletes the roster, rule, corrections and chat listing with their meeting, and nothing of another', async () => {
      const chatId = '19:class@thread.v2';
      for (const where of [meeting, other]) {
        await store().saveMeeting({ ...where, chatId });
        await store().appendRosterFacts([fact('p', '2025-11-26T09:00:00.000Z', where)]);
        await store().saveRule(where, { rule: { presentPercent: 50, lateAfterMinutes: 1, leftEarlyMinutes: 1 }, changedBy: { id: 'a', displayName: null }, changedAt: '2025-11-26T10:00:00.000Z' });
        await store().appendCorrection(correctionOf('c1', where));
      }
      await store().deleteMeeting(meeting);
      assert.deepEqual(await store().readRoster(meeting), []);
      assert.equal(await store().getRule(meeting), undefined);
      assert.deepEqual(await store().readCorrections(meeting), []);
      assert.deepEqual(await store().listChatMeetings(tenantId, chatId), [other]);
      assert.equal((await store().readRoster(other)).length, 1);
      assert.ok(await store().getRule(other));
      assert.equal((await store().readCorrections(other)).length, 1);
    });
  });
}
