/**
 * Plays a Teams meeting as Teams delivers it: activities built from the shared fixtures for one meeting
 * (its id, its chat, the fake connector's serviceUrl), posted to the bot's /api/messages.
 */
import { randomUUID } from 'node:crypto';
import { loadFixture } from './fixtures.js';
import { ana, memberOf, type TeamsPerson } from './people.js';

/** An instant on the fixtures' meeting day: on('09:00:05.456') → '2025-11-26T09:00:05.456Z'. */
export function on(time: string): string {
  return `2025-11-26T${time.length === 8 ? `${time}.000` : time}Z`;
}

/** The fixtures' meeting id (a base64 id as Teams sends them). */
export const FIXTURE_MEETING_ID: string = loadFixture('meeting-start.json').channelData.meeting.id;

/** A fresh meeting id shaped like Teams' (base64 of "0#19:meeting_…@thread.v2#0", so it may contain + / =). */
export function newMeetingId(): string {
  return Buffer.from(`0#19:meeting_${randomUUID()}@thread.v2#0`).toString('base64');
}

export interface ActivityOptions {
  /** The activity id; a fresh one by default. */
  id?: string;
}

export class TeamsMeeting {
  readonly meetingId: string;
  readonly chatId: string;
  private activityCount = 0;

  constructor(
    private readonly botUrl: () => string,
    private readonly serviceUrl: string,
    options: { meetingId?: string; chatId?: string } = {},
  ) {
    this.meetingId = options.meetingId ?? newMeetingId();
    this.chatId = options.chatId ?? `19:meeting_${randomUUID().replaceAll('-', '')}@thread.v2`;
  }

  started(at: string, options: ActivityOptions = {}): any {
    const activity = this.fromFixture('meeting-start.json', at, options);
    activity.value = { ...activity.value, Id: this.meetingId, StartTime: at };
    return activity;
  }

  ended(at: string, options: ActivityOptions = {}): any {
    const activity = this.fromFixture('meeting-end.json', at, options);
    activity.value = { ...activity.value, Id: this.meetingId, EndTime: at };
    return activity;
  }

  joined(at: string, people: TeamsPerson[], options: ActivityOptions = {}): any {
    const activity = this.fromFixture('participants-join.json', at, options);
    activity.value = { members: people.map((person) => memberOf(person, true)) };
    return activity;
  }

  left(at: string, people: TeamsPerson[], options: ActivityOptions = {}): any {
    const activity = this.fromFixture('participant-leave.json', at, options);
    activity.value = { members: people.map((person) => memberOf(person, false)) };
    return activity;
  }

  /** The app added to this meeting's chat (conversationUpdate with the bot in membersAdded). */
  installed(at: string, options: ActivityOptions = {}): any {
    return this.fromFixture('bot-installed.json', at, options);
  }

  /** A chat message that @mentions the bot: message('who is here') → "<at>Attendance</at> who is here". */
  message(text: string, at: string, options: ActivityOptions & { from?: TeamsPerson } = {}): any {
    const activity = this.fromFixture('message-attendance-report.json', at, options);
    activity.text = `<at>Attendance</at> ${text}`;
    const from = options.from ?? ana;
    activity.from = { id: from.id, name: from.name, ...(from.aadObjectId ? { aadObjectId: from.aadObjectId } : {}) };
    return activity;
  }

  /** Posts an activity and fails unless the bot acknowledged it (2xx). */
  async send(activity: object): Promise<Response> {
    const response = await postActivity(this.botUrl(), activity);
    if (!response.ok) {
      throw new Error(`the bot answered ${response.status} to a ${describeActivity(activity)}: ${await response.text()}`);
    }
    return response;
  }

  /** Posts activities one after another, each acknowledged. */
  async play(...activities: object[]): Promise<void> {
    for (const activity of activities) await this.send(activity);
  }

  private fromFixture(name: string, at: string, options: ActivityOptions): any {
    const activity = loadFixture(name);
    this.activityCount += 1;
    activity.id = options.id ?? `${Date.parse(at)}-${this.activityCount}-${randomUUID().slice(0, 8)}`;
    activity.timestamp = at;
    activity.serviceUrl = this.serviceUrl;
    activity.conversation.id = this.chatId;
    activity.channelData.meeting.id = this.meetingId;
    return activity;
  }
}

/** POSTs anything to the bot endpoint as JSON (or as the raw string given). */
export function postActivity(botUrl: string, activity: object | string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${botUrl}/api/messages`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof activity === 'string' ? activity : JSON.stringify(activity),
  });
}

function describeActivity(activity: object): string {
  const { type, name } = activity as { type?: string; name?: string };
  return name ? `${type} ${name}` : String(type);
}
