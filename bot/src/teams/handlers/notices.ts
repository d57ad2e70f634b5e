/** Messages the bot posts on its own, each at most once per meeting (or per session) across all instances. */
import type { TurnContext } from 'botbuilder';
import { buildReport } from '../../attendance/report.js';
import { isInstantMeeting } from '../../attendance/meetingKinds.js';
import type { MeetingSession } from '../../attendance/ledger.js';
import type { MeetingRecord } from '../../store/store.js';
import type { BotDeps } from '../botDeps.js';
import { reportCard } from '../cards/reportCard.js';
import { INSTANT_MEETING_NOTICE } from '../cards/messages.js';

export async function warnIfInstant(context: TurnContext, deps: BotDeps, meeting: MeetingRecord): Promise<void> {
  if (!isInstantMeeting(meeting.meetingType)) return;
  if (!(await deps.store.claimOnce(meeting, 'instant-meeting-notice'))) return;
  await context.sendActivity(INSTANT_MEETING_NOTICE);
  deps.logger.info({ meetingId: meeting.meetingId, meetingType: meeting.meetingType }, 'posted the instant-meeting notice');
}

export async function postSummary(
  context: TurnContext,
  deps: BotDeps,
  meeting: MeetingRecord,
  session: MeetingSession,
): Promise<void> {
  if (!(await deps.store.claimOnce(meeting, `summary:${session.sessionId}`))) return;
  const report = buildReport(session, meeting, deps.now().toISOString());
  await context.sendActivity({ attachments: [reportCard(report)] });
  deps.logger.info({ meetingId: meeting.meetingId, reportId: session.sessionId }, 'posted the end-of-meeting summary');
}

/** Runs a follow-up whose failure must not undo the recording already done: logged, never thrown. */
export async function followUp(deps: BotDeps, what: string, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    deps.logger.warn({ err: error }, `${what} failed; the attendance itself is recorded`);
  }
}
