/**
 * Random meeting facts for property tests of what is derived from the ledger: few people, few moments and few
 * activity ids (so ties, retries and redeliveries with another timestamp are common), every source, delivered
 * shuffled in batches; and what a store keeps of them.
 */
import fc from 'fast-check';
import { deliveryKeyFor, type AttendanceEvent, type EventSource } from '../../bot/src/attendance/events.js';
import { foundPresent, joined, left, meetingEnded, meetingStarted, person } from './attendanceEvents.js';

export const PEOPLE = ['ana', 'bob', 'carol', 'dan'].map((name, index) =>
  person(`oid-${name}`, { aadObjectId: `oid-${name}`, displayName: name, role: index === 0 ? 'Organizer' : index === 1 ? 'Presenter' : 'Attendee' }),
);
const SOURCES: EventSource[] = ['event', 'seeded', 'sampled', 'reconciled'];

/** A few minutes of one morning, on whole seconds often, so that ties between facts are common. */
const momentArb = fc.integer({ min: 0, max: 40 }).map((step) => new Date(Date.UTC(2025, 10, 26, 9, 0, step * 15)).toISOString());

const factArb: fc.Arbitrary<AttendanceEvent> = fc
  .record({
    kind: fc.constantFrom('start', 'end', 'join', 'leave', 'found'),
    who: fc.integer({ min: 0, max: PEOPLE.length - 1 }),
    at: momentArb,
    source: fc.constantFrom(...SOURCES),
    // Few activity ids: two facts of one activity and person (a redelivery with another timestamp) happen.
    activity: fc.option(fc.integer({ min: 0, max: 6 }).map((id) => `activity-${id}`), { nil: null }),
  })
  .map(({ kind, who, at, source, activity }) => {
    const options = { activityId: activity, source, ...(source === 'sampled' ? { sampleIntervalSeconds: 30 } : {}) };
    const participant = PEOPLE[who]!;
    if (kind === 'start') return meetingStarted(at, options);
    if (kind === 'end') return meetingEnded(at, options);
    if (kind === 'join') return joined(participant, at, options);
    if (kind === 'leave') return left(participant, at, options);
    return foundPresent(participant, at, options);
  });

/** Facts as delivered: each maybe again (as is, or retried under a new activity id), all shuffled, in batches. */
export const deliveryArb = fc
  .array(factArb, { minLength: 1, maxLength: 40 })
  .chain((facts) =>
    fc.tuple(fc.subarray(facts), fc.subarray(facts)).chain(([repeated, retried]) => {
      const delivered = [...facts, ...repeated.map((event) => structuredClone(event)), ...retried.map((event) => ({ ...event, activityId: `${event.activityId ?? ''}#retry` }))];
      return fc.shuffledSubarray(delivered, { minLength: delivered.length, maxLength: delivered.length });
    }),
  )
  .chain((delivered) =>
    fc.array(fc.integer({ min: 1, max: 5 }), { minLength: delivered.length, maxLength: delivered.length }).map((sizes) => batchesOf(delivered, sizes)),
  );

function batchesOf<T>(items: T[], sizes: number[]): T[][] {
  const batches: T[][] = [];
  for (let start = 0, turn = 0; start < items.length; turn += 1) {
    const size = sizes[turn] ?? 1;
    batches.push(items.slice(start, start + size));
    start += size;
  }
  return batches;
}

/** What a store keeps of the facts in arrival order: the first of each event key and of each delivery. */
export function storedSet(delivered: readonly AttendanceEvent[]): AttendanceEvent[] {
  const keys = new Set<string>();
  const deliveries = new Set<string>();
  return delivered.filter((event) => {
    const delivery = deliveryKeyFor(event);
    if (keys.has(event.eventKey) || (delivery && deliveries.has(delivery))) return false;
    keys.add(event.eventKey);
    if (delivery) deliveries.add(delivery);
    return true;
  });
}

