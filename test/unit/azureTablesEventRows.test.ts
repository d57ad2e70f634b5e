import assert from 'node:assert/strict';
import { eventTransactions } from '../../bot/src/store/azureTablesEventRows.js';
import { at, joined, person } from '../support/attendanceEvents.js';

const people = (count: number) => Array.from({ length: count }, (_, index) => person(`p${index}`));
const ana = person('ana');
const bob = person('bob');

describe('Azure Tables: a batch of events as transactions', () => {
  it('keeps each event with its delivery marker and fills a transaction up to 99 rows (49 events), one left for the write mark', () => {
    const batch = people(101).map((member) => joined(member, at('09:00:00.000'), { activityId: 'roster' }));
    const transactions = eventTransactions(batch);
    assert.deepEqual(transactions.map((transaction) => transaction.length), [49, 49, 3]);
    for (const rows of transactions.flat()) {
      assert.deepEqual(rows.map((row) => row.rowKey.split('|')[0]), ['event', 'delivery']);
    }
  });

  it('puts 99 events without an activity (one row each) in one transaction, beside the write mark', () => {
    const batch = people(100).map((member) => joined(member, at('09:00:00.000'), { activityId: null }));
    assert.deepEqual(eventTransactions(batch).map((transaction) => transaction.flat().length), [99, 1]);
  });

  it('never mixes meetings in a transaction (a transaction stays in one partition)', () => {
    const transactions = eventTransactions([
      joined(ana, at('09:00:00.000'), { meetingId: 'm1' }),
      joined(bob, at('09:00:00.000'), { meetingId: 'm2' }),
      joined(bob, at('09:00:01.000'), { meetingId: 'm1' }),
    ]);
    const partitionsOf = transactions.map((transaction) => new Set(transaction.flat().map((row) => row.partitionKey)).size);
    assert.deepEqual(partitionsOf, [1, 1]);
    assert.deepEqual(transactions.map((transaction) => transaction.length), [2, 1]);
  });

  it('drops repeats within the batch, by event key and by delivery, keeping the first', () => {
    const first = joined(ana, at('09:00:00.000'), { activityId: 'a1' });
    const transactions = eventTransactions([first, first, joined(ana, at('09:00:09.000'), { activityId: 'a1' })]);
    assert.deepEqual(transactions.flat().map((rows) => JSON.parse(rows[0]!.body as string).occurredAt), [at('09:00:00.000')]);
  });
});
