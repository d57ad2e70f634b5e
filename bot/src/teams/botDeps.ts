/** What the bot's handlers need from the rest of the server, passed in so tests can supply their own. */
import type { Logger } from '../log.js';
import type { AttendanceStore, MeetingKey } from '../store/store.js';
import type { WebhookHook } from '../webhooks/webhookNotifier.js';

export interface BotDeps {
  store: AttendanceStore;
  logger: Logger;
  /** Post the summary card to the meeting chat when the meeting ends. */
  postSummaryOnEnd: boolean;
  /** The current time, for live meetings only; recorded times always come from Teams' timestamps. */
  now: () => Date;
  /** Told whenever a meeting may be live, so its roster is sampled if Teams may not send participant events. */
  sampler: { consider(meeting: MeetingKey): void };
  /** Told when a meeting ends, to reconcile it later with Graph call records; absent when that is off. */
  reconciliation?: { meetingEnded(meeting: MeetingKey): Promise<void> };
  /** Told of every stored meeting event, before Teams is answered, to enqueue the webhooks it owes; absent when off. */
  webhooks?: WebhookHook;
}

