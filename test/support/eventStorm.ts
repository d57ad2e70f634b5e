/**
 * A storm of participant joins and leaves in one meeting: many people coming and going at once, as a class
 * arriving does. Each person's events go out in order (a leave only once the join before it was acknowledged,
 * as Teams sends one person's changes), different people's in parallel. The player records which events the
 * server acknowledged, so a test can kill the server mid-storm and check what survived.
 */
import type { TeamsMeeting } from './meeting.js';
import type { TeamsPerson } from './people.js';

export interface StormEvent {
  person: TeamsPerson;
  /** The person's report record id: Entra object id, else Teams user id. */
  recordId: string;
  kind: 'join' | 'leave';
  at: string;
  activity: any;
}

/** Each person's events, in the order they happened: join, leave, join, … */
export type StormPlan = StormEvent[][];

export interface StormOptions {
  people: number;
  /** How many events person `index` has; an odd count leaves them in the meeting. */
  eventsOf: (index: number) => number;
  /** No event is stamped before this instant. */
  after: string;
}

/** The interval shape of the report API (Graph's attendanceInterval without the duration). */
export interface Interval {
  joinDateTime: string;
  leaveDateTime: string | null;
}

const MINUTE_MS = 60_000;

/** Person `index` of a storm; every fifth one an anonymous guest (no Entra id, keyed by the Teams user id). */
export function stormPerson(index: number): TeamsPerson {
  const padded = String(index).padStart(4, '0');
  if (index % 5 === 4) return { id: `29:storm-guest-${padded}`, name: `Storm Guest ${padded}`, role: 'Attendee' };
  return {
    id: `29:storm-${padded}`,
    aadObjectId: `5d3c2b1a-0000-4000-9000-00000000${padded}`,
    name: `Storm Person ${padded}`,
    email: `storm${padded}@contoso.test`,
    role: index === 0 ? 'Organizer' : 'Attendee',
  };
}

/**
 * Every event of the storm. Person `p`'s event `k` happens about k minutes in, shifted by p seconds and a few
 * odd milliseconds, so that every fact is unique, intervals have uneven lengths and their whole seconds
 * do not simply add up.
 */
export function planStorm(meeting: TeamsMeeting, options: StormOptions): StormPlan {
  const start = Date.parse(options.after);
  return Array.from({ length: options.people }, (_unused, personIndex) => {
    const person = stormPerson(personIndex);
    return Array.from({ length: options.eventsOf(personIndex) }, (_again, eventIndex) => {
      const at = new Date(start + (eventIndex + 1) * MINUTE_MS + personIndex * 997 + ((eventIndex * 7919 + personIndex * 131) % 4000)).toISOString();
      const kind = eventIndex % 2 === 0 ? ('join' as const) : ('leave' as const);
      const activity = kind === 'join' ? meeting.joined(at, [person]) : meeting.left(at, [person]);
      return { person, recordId: person.aadObjectId ?? person.id, kind, at, activity };
    });
  });
}

/** The intervals that a person's events (in order) make, open at the end unless `endedAt` closes them. */
export function intervalsOf(events: readonly StormEvent[], endedAt?: string): Interval[] {
  const intervals: Interval[] = [];
  for (const event of events) {
    if (event.kind === 'join') intervals.push({ joinDateTime: event.at, leaveDateTime: null });
    else (intervals.at(-1) as Interval).leaveDateTime = event.at;
  }
  const last = intervals.at(-1);
  if (endedAt && last && last.leaveDateTime === null) last.leaveDateTime = endedAt;
  return intervals;
}

/** Whole seconds per interval, summed: Graph's totalAttendanceInSeconds, computed here from the plan alone. */
export function totalSecondsOf(intervals: readonly Interval[]): number {
  return intervals.reduce(
    (sum, interval) => sum + Math.floor((Date.parse(interval.leaveDateTime as string) - Date.parse(interval.joinDateTime)) / 1000),
    0,
  );
}

export interface StormOutcome {
  /** Per person, how many of their events (a prefix) were answered with 2xx. */
  acknowledged: number[];
  /** Per person, whether the event after the acknowledged ones was sent and got no answer (the server died). */
  inFlight: boolean[];
  /** Answers other than 2xx, which a healthy server never gives to these events. */
  refused: { event: StormEvent; status: number; body: string }[];
}

export interface PlayOptions {
  url: () => string;
  /** Requests in flight at once (one per worker; each worker plays its share of the people). */
  workers: number;
  /** Called after each acknowledgement, with how many there have been in this play. */
  onAcknowledged?: (count: number) => void;
  /** The activity to send for an event (default: the planned one). */
  activityOf?: (event: StormEvent) => object;
}

/** Plays the storm until every event is acknowledged, or the server stops answering. */
export async function playStorm(plan: StormPlan, options: PlayOptions): Promise<StormOutcome> {
  const outcome: StormOutcome = {
    acknowledged: plan.map(() => 0),
    inFlight: plan.map(() => false),
    refused: [],
  };
  let acknowledgements = 0;
  const worker = async (workerIndex: number) => {
    const mine = plan.map((_events, person) => person).filter((person) => person % options.workers === workerIndex);
    while (mine.some((person) => outcome.acknowledged[person]! < plan[person]!.length)) {
      for (const person of mine) {
        const event = plan[person]![outcome.acknowledged[person]!];
        if (!event) continue;
        let response: Response;
        try {
          response = await fetch(`${options.url()}/api/messages`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify(options.activityOf?.(event) ?? event.activity),
          });
        } catch {
          outcome.inFlight[person] = true;
          return; // the server is gone
        }
        // The status line arrived: a 2xx counts as acknowledged even if the body is cut off by the kill.
        const body = await response.text().catch(() => '');
        if (!response.ok) {
          outcome.refused.push({ event, status: response.status, body });
          return;
        }
        outcome.acknowledged[person]! += 1;
        acknowledgements += 1;
        options.onAcknowledged?.(acknowledgements);
      }
    }
  };
  await Promise.all(Array.from({ length: options.workers }, (_unused, index) => worker(index)));
  return outcome;
}
