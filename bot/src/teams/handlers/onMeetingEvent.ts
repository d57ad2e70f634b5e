/**
 * Meeting start/end and participant join/leave. The answer to Teams waits for the durable writes only: the
 * events, the meeting's record, and the schedules of what must follow (reconciliation, the summary, the
 * details and the instant-meeting notice, the participants' e-mails), which survive a crash and run after the answer.
 */
import type { TurnContext } from 'botbuilder';
import { badActivity } from '../../errors.js';
import type { BotDeps } from '../botDeps.js';
import { MEETING_EVENT_NAMES, parseMeetingEvent } from '../parseMeetingEvent.js';
import { rememberMeeting } from './meetingDetails.js';

export async function onMeetingEvent(context: TurnContext, deps: BotDeps): Promise<void> {
  const parsed = parseMeetingEvent(context.activity);
  if (!parsed.ok) throw badActivity(parsed.problem);
  const { ref, events, details } = parsed.value;
  const { added } = await deps.store.appendEvents(events);
  const occurredAt = events[0]?.occurredAt ?? '';
  const ended = context.activity.name === MEETING_EVENT_NAMES.end;
  // A meeting's start and end at info; its joins and leaves, many a second in a large meeting, at debug.
  const isLifecycle = context.activity.name === MEETING_EVENT_NAMES.start || ended;
  deps.logger[isLifecycle ? 'info' : 'debug'](
    { meetingId: ref.meetingId, event: context.activity.name, members: events.length, added, occurredAt },
    added === 0 ? 'meeting event already recorded' : 'meeting event recorded',
  );
  const meeting = await rememberMeeting(deps, ref, occurredAt, details);
  await deps.webhooks?.eventsRecorded(meeting, events);
  if (!ended) deps.sampler.consider(ref);
  // Scheduled before answering: Teams redelivers an unanswered end, and scheduling again for it is harmless.
  if (ended) {
    await deps.reconciliation?.meetingEnded({ tenantId: ref.tenantId, meetingId: ref.meetingId });
    if (deps.postSummaryOnEnd) await deps.followUps.meetingEnded(ref, context.activity.id);
  }
  if (isLifecycle) await deps.followUps.readRoster(ref, ended ? 'end' : 'start');
  await deps.followUps.meetingSeen(meeting, context.activity.id);
  if (!isLifecycle) await deps.followUps.participantsSeen(ref);
}
