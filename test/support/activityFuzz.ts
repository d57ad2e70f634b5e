/**
 * Malformed and mutated Teams activities for fuzzing /api/messages, derived from the real fixtures (through the
 * TeamsMeeting builders). fast-check draws a small recipe from the seed (which activity, which mutations); the
 * bytes are built only when the case is posted, since some are a megabyte. The mutations: wrong types, missing
 * fields, huge strings, unicode, nested junk, wrong key casing, arrays for objects, numbers as timestamps,
 * duplicate members, very deep nesting, prototype-pollution keys, broken JSON text and odd content types.
 */
import fc from 'fast-check';
import {
  bodyOf,
  formEncoded,
  mutate,
  RawFragments,
  Special,
  TARGETS,
  type Mutation,
  type TextMutation,
} from './activityMutations.js';
import { on, type TeamsMeeting } from './meeting.js';
import { ana, bob, carol, dan, guest, type TeamsPerson } from './people.js';

const PEOPLE: TeamsPerson[] = [ana, bob, carol, dan, guest];
const BASES = ['started', 'ended', 'joined', 'left', 'installed', 'message'] as const;

const NASTY_STRINGS = [
  '', ' ', '\u0000', '\ud800', '\udfff', 'a\ud83d', '🙂', '👩‍👩‍👧‍👦', 'e\u0301', '\u202eevil', 'Ａｎａ', '\ufeff', '\r\n',
  'null', 'undefined', 'NaN', '[object Object]', '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty',
  '29:1AnaTeacher1', '5d3c2b1a-0000-4000-8000-000000000101', '../../etc/passwd', '%00', '%', "'; DROP TABLE events; --",
  '<script>alert(1)</script>', '{{DATE(2025-11-26T09:00:00Z, SHORT)}}', '${7*7}', 'http://127.0.0.1:1/',
  'event', 'message', 'invoke', 'conversationUpdate', 'application/vnd.microsoft.meetingStart',
  'application/vnd.microsoft.meetingParticipantJoin', 'Organizer', 'MeetNow', 'expectReplies',
];

const ODD_TIMESTAMPS: unknown[] = [
  1764147605002, 0, -1, 1e21, 8.64e15 + 1, '1764147605002', '2025-11-26', '2025-11-26T09:00:00', '2025-11-26 09:00:00Z',
  '2025-11-26T09:00:00.0000001+14:00', '2025-11-26T09:00:00-23:59', '2025-02-30T25:61:61Z', '0000-01-01T00:00:00Z',
  '9999-12-31T23:59:59.999Z', '+275760-09-13T00:00:00.000Z', '2025-11-26T09:00:05.4560000Z', 'Wed, 26 Nov 2025 09:00:00 GMT',
  '', null, true, [], {}, ['2025-11-26T09:00:00Z'], { $date: '2025-11-26T09:00:00Z' },
];

const ACTIVITY_TYPES = [
  'event', 'message', 'conversationUpdate', 'invoke', 'installationUpdate', 'messageReaction', 'messageUpdate', 'messageDelete',
  'typing', 'endOfConversation', 'trace', 'handoff', 'command', 'commandResult', 'delay', 'contactRelationUpdate', 'suggestion',
  'EVENT', 'Event', ' event', 'unknown',
];

const EVENT_NAMES = [
  'application/vnd.microsoft.meetingStart', 'application/vnd.microsoft.meetingEnd',
  'application/vnd.microsoft.meetingParticipantJoin', 'application/vnd.microsoft.meetingParticipantLeave',
  'APPLICATION/VND.MICROSOFT.MEETINGSTART', 'application/vnd.microsoft.meetingStart ', 'application/vnd.microsoft.readReceipt',
  'application/vnd.microsoft.meetingSomethingNew', 'adaptiveCard/action', 'task/fetch', 'composeExtension/query', 'signin/verifyState',
];

const CONTENT_TYPES = [
  'application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON', 'text/plain', 'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x', 'application/octet-stream', 'application/json; charset=utf-16', '',
];

const hugeString = fc
  .record({ bytes: fc.integer({ min: 1_000, max: 1_150_000 }), char: fc.constantFrom('x', 'é', '🙂', '"', '\\', '\u0000', '\n') })
  // As many characters as make `bytes` of JSON text: most bodies stay under the 1 MB limit, some go over.
  .map(({ bytes, char }) => new Special('huge', Math.floor(bytes / (Buffer.byteLength(JSON.stringify(char)) - 2)), char));

const deepNesting = fc
  .record({ depth: fc.integer({ min: 10, max: 20_000 }), shape: fc.constantFrom('array', 'object') })
  .map(({ depth, shape }) => new Special('deep', depth, shape));

const pollution = fc
  .subarray(['__proto__', 'constructor', 'prototype'], { minLength: 1 })
  .map((keys) => new Special('pollution', keys.length, keys.join(',')));

/** Anything a field could be instead of what it should be. */
export const junkValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.oneof(fc.constant(null), fc.boolean(), fc.integer(), fc.double(), fc.constantFrom(0, -1, 1e308, Number.MAX_SAFE_INTEGER + 2)) },
  { weight: 4, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 64 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 200, maxLength: 3000 }) },
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 2, arbitrary: fc.constantFrom(...ODD_TIMESTAMPS) },
  { weight: 1, arbitrary: hugeString },
  { weight: 1, arbitrary: deepNesting },
  { weight: 1, arbitrary: pollution },
);

export interface FuzzRecipe {
  base: (typeof BASES)[number];
  meeting: number;
  people: number[];
  /** Seconds after 09:00 on the fixtures' day. */
  second: number;
  millis: number;
  mutations: Mutation[];
  text: TextMutation | undefined;
  contentType: string;
}

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constant('set' as const), target: fc.nat(TARGETS.length - 1), value: junkValue }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('setAnywhere' as const), pick: fc.nat(), value: junkValue }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('delete' as const), pick: fc.nat(), aimed: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('recase' as const), pick: fc.nat(), style: fc.constantFrom('upper', 'lower', 'pascal', 'camel', 'swap') }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('wrapInArray' as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('addKey' as const), pick: fc.nat(), key: fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', 'toJSON', 'valueOf'), fc.string({ maxLength: 12 })), value: junkValue }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('duplicateMembers' as const), times: fc.oneof(fc.integer({ min: 2, max: 5 }), fc.integer({ min: 900, max: 1100 })) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('timestamp' as const), value: fc.oneof(fc.constantFrom(...ODD_TIMESTAMPS), fc.integer(), fc.date({ noInvalidDate: true }).map((date) => date.toISOString())) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('type' as const), value: fc.constantFrom(...ACTIVITY_TYPES) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('name' as const), value: fc.constantFrom(...EVENT_NAMES) }) },
);

const textMutation: fc.Arbitrary<TextMutation> = fc.oneof(
  fc.record({ op: fc.constant('truncate' as const), fraction: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({ op: fc.constant('appendGarbage' as const), text: fc.constantFrom('}', ']', ',', 'x', '\u0000', '{"a":1}', ' \n\t') }),
  fc.record({ op: fc.constant('bom' as const) }),
  fc.record({ op: fc.constant('invalidUtf8' as const), fraction: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({ op: fc.constant('empty' as const) }),
  fc.record({ op: fc.constant('duplicateKey' as const), key: fc.constantFrom('type', 'name', 'value', 'channelData', 'timestamp', 'id'), value: junkValue }),
);

/** One fuzz case: a base activity from the fixtures and what to do to it (a fifth of them are left intact). */
export const fuzzRecipe: fc.Arbitrary<FuzzRecipe> = fc.record({
  base: fc.constantFrom(...BASES),
  meeting: fc.nat(3),
  people: fc.uniqueArray(fc.nat(PEOPLE.length - 1), { minLength: 1, maxLength: 3 }),
  second: fc.nat(2 * 3600),
  millis: fc.nat(999),
  mutations: fc.oneof({ weight: 1, arbitrary: fc.constant<Mutation[]>([]) }, { weight: 4, arbitrary: fc.array(mutation, { minLength: 1, maxLength: 4 }) }),
  // One case in ten has its JSON text broken as well.
  text: fc.oneof({ weight: 9, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: textMutation }),
  contentType: fc.oneof({ weight: 30, arbitrary: fc.constant('application/json') }, { weight: 1, arbitrary: fc.constantFrom(...CONTENT_TYPES) }),
});

export interface FuzzCase {
  body: Buffer;
  /** Absent: no Content-Type header at all. */
  contentType: string | undefined;
  /** The activity id in the body (fuzz-<index>, unless a mutation replaced or removed it). */
  activityId: string | undefined;
}

/** The bytes to post for a recipe, against one of `meetings`. */
export function buildCase(recipe: FuzzRecipe, index: number, meetings: readonly TeamsMeeting[]): FuzzCase {
  const meeting = meetings[recipe.meeting % meetings.length] as TeamsMeeting;
  const at = new Date(Date.parse(on('09:00:00.000')) + recipe.second * 1000 + recipe.millis).toISOString();
  const people = recipe.people.map((person) => PEOPLE[person] as TeamsPerson);
  const activity = baseActivity(meeting, recipe.base, at, people);
  activity.id = `fuzz-${index}`;
  const raw = new RawFragments();
  for (const change of recipe.mutations) mutate(activity, change, raw);
  const contentType = recipe.contentType === '' ? undefined : recipe.contentType;
  const text = contentType === 'application/x-www-form-urlencoded' ? formEncoded(activity) : raw.stringify(activity);
  const body = bodyOf(text, recipe.text, raw);
  return { body, contentType, activityId: activityIdIn(body) ?? (typeof activity.id === 'string' ? activity.id : undefined) };
}

/** The id the server reads from the bytes (a repeated key in the text replaces the one the activity was built with). */
function activityIdIn(body: Buffer): string | undefined {
  try {
    const id = (JSON.parse(body.toString('utf8')) as { id?: unknown } | null)?.id;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}

/** A recipe in words, for a failure message. */
export function describeRecipe(recipe: FuzzRecipe): string {
  const changes = recipe.mutations.map((change) => {
    const { op, ...rest } = change;
    const target = change.op === 'set' ? TARGETS[change.target]?.join('.') : undefined;
    return `${op}(${target ?? ''}${JSON.stringify(rest, (_key, value) => (value instanceof Special ? String(value) : value)).slice(0, 160)})`;
  });
  const text = recipe.text ? ` then text:${recipe.text.op}` : '';
  return `${recipe.base} [${changes.join(', ') || 'intact'}]${text} as ${recipe.contentType || '(no content type)'}`;
}

function baseActivity(meeting: TeamsMeeting, base: FuzzRecipe['base'], at: string, people: TeamsPerson[]): any {
  switch (base) {
    case 'started':
      return meeting.started(at);
    case 'ended':
      return meeting.ended(at);
    case 'joined':
      return meeting.joined(at, people);
    case 'left':
      return meeting.left(at, people);
    case 'installed':
      return meeting.installed(at);
    case 'message':
      return meeting.message(['attendance report', 'who is here', 'help', 'report'][people.length] ?? 'help', at, { from: people[0] as TeamsPerson });
  }
}
