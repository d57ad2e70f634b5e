/** The register's request bodies, parsed at the boundary (zod): a 400 says which field is wrong and how. */
import { z } from 'zod';
import { CORRECTION_ACTIONS, type CorrectionRequest } from '../../attendance/corrections.js';
import { RULE_LIMITS, type AttendanceRule } from '../../attendance/rule.js';
import { badRequest } from '../../errors.js';

const bounded = (name: keyof typeof RULE_LIMITS, unit: string) =>
  z
    .number({ message: `${name} must be a number (${unit})` })
    .min(RULE_LIMITS[name].min, `${name} must be at least ${RULE_LIMITS[name].min}`)
    .max(RULE_LIMITS[name].max, `${name} must be at most ${RULE_LIMITS[name].max}`);

const ruleSchema = z
  .object({
    presentPercent: bounded('presentPercent', 'a percentage'),
    lateAfterMinutes: bounded('lateAfterMinutes', 'minutes'),
    leftEarlyMinutes: bounded('leftEarlyMinutes', 'minutes'),
  })
  .strict();

const dateTime = (name: string) => z.iso.datetime({ offset: true, message: `${name} must be an ISO 8601 date-time with a time zone, e.g. 2025-11-26T09:05:00Z` });

const correctionSchema = z
  .object({
    participantId: z.string({ message: 'participantId is required: the id of a record or absentee of the report' }).min(1).max(256),
    action: z.enum(CORRECTION_ACTIONS, { message: `action must be one of ${CORRECTION_ACTIONS.join(', ')}` }),
    joinDateTime: dateTime('joinDateTime').optional(),
    leaveDateTime: dateTime('leaveDateTime').optional(),
    correctionId: z.string().min(1).max(100).optional(),
    reason: z
      .string({ message: 'reason is required: say why (e.g. "dialled in by phone")' })
      .trim()
      .min(1, 'reason must not be empty: say why (e.g. "dialled in by phone")')
      .max(500, 'reason must be at most 500 characters'),
  })
  .strict();

export function parseRule(body: unknown): AttendanceRule {
  return parse(ruleSchema, body, 'The rule cannot be set');
}

/** Times normalised to UTC ISO strings, so stored corrections compare as instants. */
export function parseCorrection(body: unknown): CorrectionRequest {
  const parsed = parse(correctionSchema, body, 'The correction cannot be made');
  const request: CorrectionRequest = { participantId: parsed.participantId, action: parsed.action, reason: parsed.reason };
  if (parsed.joinDateTime) request.joinDateTime = new Date(parsed.joinDateTime).toISOString();
  if (parsed.leaveDateTime) request.leaveDateTime = new Date(parsed.leaveDateTime).toISOString();
  if (parsed.correctionId) request.correctionId = parsed.correctionId;
  return request;
}

function parse<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  if (body === undefined || body === null || typeof body !== 'object') throw badRequest(`${what}: send a JSON object (Content-Type: application/json).`);
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => (issue.code === 'unrecognized_keys' ? `unknown field(s) ${issue.keys.join(', ')}` : issue.message));
  throw badRequest(`${what}: ${problems.join('; ')}.`);
}
