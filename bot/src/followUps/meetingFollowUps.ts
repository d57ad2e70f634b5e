/**
 * What the bot's handlers ask of the follow-ups (BotDeps.followUps): each a durable schedule in the store,
 * awaited before Teams gets its answer, carried out right after it by the JobRunner.
 */
import type { AttendanceRule } from '../attendance/rule.js';
import type { Logger } from '../log.js';
import type { AttendanceStore, MeetingKey, MeetingRecord } from '../store/store.js';
import type { TeamsConnector } from '../teams/connectorCalls/teamsConnector.js';
import { JobRunner } from './jobRunner.js';
import { DETAILS_RETRY_MS, MEETING_DETAILS_JOB, meetingDetailsJob, needsDetails } from './meetingDetailsJob.js';
import { EMAILS_RETRY_MS, PARTICIPANT_EMAILS_JOB, participantEmailsJob } from './participantEmailsJob.js';
import { rosterReadJobs, rosterReadKind, type RosterMoment } from './rosterReadJob.js';
import { MEETING_SUMMARY_JOB, summaryJob } from './summaryJob.js';

/** Each instance looks for due follow-ups this often (and at start). */
const POLL_SECONDS = 5;
/** A failed follow-up is tried again after a minute, then two, four, up to eight; given up after an hour. */
const RETRY_SECONDS = 60;
const GIVE_UP_HOURS = 1;

export interface FollowUpDeps {
  store: AttendanceStore;
  logger: Logger;
  connector: TeamsConnector;
  now: () => Date;
  /** The register's rule for meetings whose organizer set none (the summary card shows the register). */
  defaultRule: AttendanceRule;
}

export class MeetingFollowUps {
  readonly runner: JobRunner;

  constructor(private readonly deps: FollowUpDeps) {
    this.runner = new JobRunner({
      store: deps.store,
      logger: deps.logger,
      now: deps.now,
      jobs: [meetingDetailsJob(deps), summaryJob(deps), participantEmailsJob(deps), ...rosterReadJobs(deps)],
      settings: { pollSeconds: POLL_SECONDS, retrySeconds: RETRY_SECONDS, giveUpHours: GIVE_UP_HOURS },
    });
  }

  /** The meeting was seen: if its details are not known, they are fetched (and the instant-meeting notice follows). */
  async meetingSeen(meeting: MeetingRecord, replyToId?: string): Promise<void> {
    if (!needsDetails(meeting, this.deps.now())) return;
    await this.runner.scheduleUnlessRecent(
      { tenantId: meeting.tenantId, meetingId: meeting.meetingId, kind: MEETING_DETAILS_JOB, ...(replyToId ? { replyToId } : {}) },
      DETAILS_RETRY_MS,
    );
  }

  /** People joined or left: their e-mails are looked up, unless this instance asked for that within the last minute. */
  participantsSeen(meeting: MeetingKey): Promise<void> {
    return this.runner.scheduleUnlessRecent({ tenantId: meeting.tenantId, meetingId: meeting.meetingId, kind: PARTICIPANT_EMAILS_JOB }, EMAILS_RETRY_MS);
  }

  /** The meeting ended: its summary card is posted (once per session). */
  meetingEnded(meeting: MeetingKey, replyToId?: string): Promise<void> {
    return this.runner.schedule({ tenantId: meeting.tenantId, meetingId: meeting.meetingId, kind: MEETING_SUMMARY_JOB, ...(replyToId ? { replyToId } : {}) });
  }

  /** Who is expected: the chat's members are read at this moment of the meeting (docs/register.md). */
  readRoster(meeting: MeetingKey, moment: RosterMoment): Promise<void> {
    return this.runner.schedule({ tenantId: meeting.tenantId, meetingId: meeting.meetingId, kind: rosterReadKind(moment) });
  }

  start(): void {
    this.runner.start();
  }

  stop(): Promise<void> {
    return this.runner.stop();
  }
}
