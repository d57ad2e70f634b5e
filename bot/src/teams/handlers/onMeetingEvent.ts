/** Meeting start/end and participant join/leave: record the facts durably first, then the follow-ups. */
import type { TurnContext } from 'botbuilder';
import { buildSessions } from '../../attendance/ledger.js';
import { badActivity } from '../../errors.js';
import type { BotDeps } from '../botDeps.js';
import { MEETING_EVENT_NAMES, parseMeetingEvent } from '../parseMeetingEvent.js';
import { ensureMeetingDetails, rememberMeeting } from './meetingDetails.js';
import { followUp, postSummary, warnIfInstant } from './notices.js';

export async function onMeetingEvent(context: TurnContext, deps: BotDeps): Promise<void> {
  const parsed = parseMeetingEvent(context.activity);
  if (!parsed.ok) throw badActivity(parsed.problem);
  const { ref, events, details } = parsed.value;
  const { added } = await deps.store.appendEvents(events);
  const occurredAt = events[0]?.occurredAt ?? '';
  // A meeting's start and end at info; its joins and leaves, many a second in a large meeting, at debug.
  const isLifecycle = context.activity.name === MEETING_EVENT_NAMES.start || context.activity.name === MEETING_EVENT_NAMES.end;
  deps.logger[isLifecycle ? 'info' : 'debug'](
    { meetingId: ref.meetingId, event: context.activity.name, members: events.length, added, occurredAt },
    added === 0 ? 'meeting event already recorded' : 'meeting event recorded',
  );
  let meeting = await rememberMeeting(deps, ref, occurredAt, details);
  await deps.webhooks?.eventsRecorded(meeting, events);
  if (context.activity.name !== MEETING_EVENT_NAMES.end) deps.sampler.consider(ref);
  // Before acknowledging, not as a follow-up: Teams redelivers an unacknowledged end, and a lost schedule
  // would lose the reconciliation, while scheduling again for a redelivered end is harmless.
  if (context.activity.name === MEETING_EVENT_NAMES.end) await deps.reconciliation?.meetingEnded({ tenantId: ref.tenantId, meetingId: ref.meetingId });

  await followUp(deps, 'fetching meeting details', async () => {
    meeting = await ensureMeetingDetails(context, deps, ref, meeting);
  });
  await followUp(deps, 'the instant-meeting notice', () => warnIfInstant(context, deps, meeting));
  if (context.activity.name === MEETING_EVENT_NAMES.end && deps.postSummaryOnEnd) {
    await followUp(deps, 'the end-of-meeting summary', async () => {
      const sessions = buildSessions(await deps.store.readEvents(ref));
      const ended = sessions.find((session) => session.endedAt === occurredAt);
      if (ended) await postSummary(context, deps, meeting, ended);
    });
  }
}
