/**
 * Fuzzed report API requests: odd meeting and report ids (unicode, control characters, dot segments, very long),
 * encoded right, twice, byte by byte, not at all or brokenly, on every report route, by callers with valid tokens.
 */
import fc from 'fast-check';

export type ApiCaller = 'app' | 'organizer' | 'attendee' | 'outsider';

export interface ApiRecipe {
  method: 'GET' | 'HEAD';
  caller: ApiCaller;
  /** A real meeting (index into the known ones) or an odd id. */
  meeting: { known: number } | { odd: string } | { long: number; char: string };
  encoding: 'component' | 'raw' | 'twice' | 'bytes' | 'broken';
  route: string;
  report: { known: number } | { odd: string };
  ifNoneMatch: string | undefined;
  brokenAt: number;
}

const ROUTES = [
  '/attendanceReports', '/attendanceReports/{report}', '/attendanceReports/{report}.csv', '/attendanceReport', '/attendanceReport.csv',
  '/live', '', '/', '/attendanceReports/', '/attendanceReports/{report}/x', '/attendanceReport.CSV', '/attendanceReports/{report}.csv.csv',
];

const ODD_IDS = [
  '', ' ', '.', '..', '...', '%', '%%', '%2', '%zz', '%00', '%2F', '%2e%2e', '\u0000', '\ud800', '🙂', 'e\u0301', '\u202e', '/', '//', '\\',
  '?', '#', '&', '=', '+', ';', ':', '@', '"', "'", '<>', '{}', '[]', '|', '~', '`', '\t', '\n', ' padded ', '.csv', 'null', 'undefined',
  '__proto__', 'constructor', 'toString', 'MCMxOTptZWV0aW5nX1lUZ3l@thread.v2', '19:meeting_x@thread.v2', '../../../etc/passwd',
];

const BROKEN_ESCAPES = ['%', '%z', '%zz', '%E0%A4%A', '%C3', '%ED%A0%80', '%FF', '%00', '%%', '%u0041'];

const oddId = fc.oneof(fc.constantFrom(...ODD_IDS), fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 40 }));

export const apiRecipe: fc.Arbitrary<ApiRecipe> = fc.record({
  method: fc.oneof({ weight: 9, arbitrary: fc.constant('GET' as const) }, { weight: 1, arbitrary: fc.constant('HEAD' as const) }),
  caller: fc.constantFrom('app', 'organizer', 'attendee', 'outsider'),
  meeting: fc.oneof(
    { weight: 3, arbitrary: fc.record({ known: fc.nat(3) }) },
    { weight: 5, arbitrary: fc.record({ odd: oddId }) },
    // Up to 100,000 characters: beyond what Node accepts in a request line (about 16 KB).
    { weight: 1, arbitrary: fc.record({ long: fc.integer({ min: 500, max: 100_000 }), char: fc.constantFrom('a', 'é', '%', '/', '=') }) },
  ),
  encoding: fc.constantFrom('component', 'component', 'raw', 'twice', 'bytes', 'broken'),
  route: fc.constantFrom(...ROUTES),
  report: fc.oneof({ weight: 1, arbitrary: fc.record({ known: fc.nat(3) }) }, { weight: 2, arbitrary: fc.record({ odd: oddId }) }),
  ifNoneMatch: fc.option(fc.oneof(fc.constantFrom('*', '"x"', 'W/"x"', ',', '', '"', 'W/'), fc.string({ maxLength: 60 })), { freq: 5, nil: undefined }),
  brokenAt: fc.nat(),
});

/** The request line's path (exactly as sent) and the If-None-Match header for a recipe. */
export function apiRequestFor(
  recipe: ApiRecipe,
  known: { meetingIds: string[]; reportIds: string[] },
): { path: string; ifNoneMatch: string | undefined } {
  const meetingId =
    'known' in recipe.meeting
      ? (known.meetingIds[recipe.meeting.known % known.meetingIds.length] ?? '')
      : 'odd' in recipe.meeting
        ? recipe.meeting.odd
        : recipe.meeting.char.repeat(recipe.meeting.long);
  const reportId = 'known' in recipe.report ? (known.reportIds[recipe.report.known % Math.max(known.reportIds.length, 1)] ?? 'none') : recipe.report.odd;
  const route = recipe.route.replace('{report}', encoded(reportId, recipe.encoding, recipe.brokenAt));
  return { path: `/api/meetings/${encoded(meetingId, recipe.encoding, recipe.brokenAt)}${route}`, ifNoneMatch: recipe.ifNoneMatch };
}

export function describeApiRecipe(recipe: ApiRecipe): string {
  const meeting = 'long' in recipe.meeting ? { long: recipe.meeting.long, char: recipe.meeting.char } : recipe.meeting;
  return `${recipe.method} as ${recipe.caller}, meeting ${JSON.stringify(meeting)} encoded ${recipe.encoding}, route ${recipe.route}`;
}

function encoded(id: string, encoding: ApiRecipe['encoding'], brokenAt: number): string {
  const component = encodeURIComponent(wellFormed(id));
  switch (encoding) {
    case 'component':
      return component;
    case 'raw':
      return id;
    case 'twice':
      return encodeURIComponent(component);
    case 'bytes':
      return [...Buffer.from(id, 'utf8')].map((byte) => `%${byte.toString(16).padStart(2, '0').toUpperCase()}`).join('');
    case 'broken': {
      const at = component.length === 0 ? 0 : brokenAt % (component.length + 1);
      return `${component.slice(0, at)}${BROKEN_ESCAPES[brokenAt % BROKEN_ESCAPES.length]}${component.slice(at)}`;
    }
  }
}

/** Lone surrogates as U+FFFD: encodeURIComponent refuses them (the 'bytes' and 'raw' encodings keep them). */
export function wellFormed(text: string): string {
  return text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

export function isWellFormed(text: string): boolean {
  return wellFormed(text) === text;
}
