/** What the bot's handlers need from the rest of the server, passed in so tests can supply their own. */
import type { AttendanceRule } from '../attendance/rule.js';
import type { Logger } from '../log.js';
import type { AttendanceStore, MeetingKey, MeetingRecord } from '../store/store.js';
import type { TeamsConnector } from './connectorCalls/teamsConnector.js';
import type { WebhookHook } from '../webhooks/webhookNotifier.js';

export interface BotDeps {
  store: AttendanceStore;
  logger: Logger;
  /** Post the summary card to the meeting chat when the meeting ends. */
  postSummaryOnEnd: boolean;
  /** The register's rule for meetings whose organizer set none. */
  defaultRule: AttendanceRule;
  /** The current time, for live meetings only; recorded times always come from Teams' timestamps. */
  now: () => Date;
  /** Teams' connector, for what runs after the answer (replies, member lookups); never awaited by a handler. */
  connector: TeamsConnector;
  /** Told whenever a meeting may be live, so its roster is sampled if Teams may not send participant events. */
  sampler: { consider(meeting: MeetingKey): void };
  /** Told when a meeting ends, to reconcile it later with Graph call records; absent when that is off. */
  reconciliation?: { meetingEnded(meeting: MeetingKey): Promise<void> };
  /**
   * Work that must survive a crash after the answer, scheduled in the store before answering (awaited) and
   * carried out right after it (see followUps/).
   */
  followUps: {
    /** The meeting was seen: fetch its details if they are not known, then post the instant-meeting notice if it is one. */
    meetingSeen(meeting: MeetingRecord, replyToId?: string): Promise<void>;
    /** People joined or left: look up the e-mails not known yet (followUps/participantEmailsJob.ts). */
    participantsSeen(meeting: MeetingKey): Promise<void>;
    /** The meeting ended: post its summary card. */
    meetingEnded(meeting: MeetingKey, replyToId?: string): Promise<void>;
    /** Read who is expected (the chat's members) for the register, at tracking start, a start or an end. */
    readRoster(meeting: MeetingKey, moment: 'tracking' | 'start' | 'end'): Promise<void>;
  };
  /** Told of every stored meeting event, before Teams is answered, to enqueue the webhooks it owes; absent when off. */
  webhooks?: WebhookHook;
}

