/**
 * Participant join/leave activities as Teams posts them to /api/messages, built from the shared fixtures
 * (test/support/meeting.ts), each one distinct: its own activity id, person, kind and timestamp. A meeting's
 * activity is rendered once as a JSON template and filled in per request, so a load generator can make
 * thousands per second without becoming the bottleneck it measures.
 */
import { TeamsMeeting } from '../../test/support/meeting.js';
import type { TeamsPerson } from '../../test/support/people.js';

export type ParticipantAction = 'join' | 'leave';

/** One activity to send: which meeting, who, what, and when (Teams' timestamp, milliseconds). */
export interface PlannedActivity {
  meeting: number;
  person: number;
  action: ParticipantAction;
  at: number;
}

const MARK = { activityId: '@@ACTIVITY@@', at: '@@AT@@', userId: '@@USER@@', objectId: '@@OBJECT@@', name: '@@NAME@@', role: '@@ROLE@@' };

/** A made-up participant: number 0 organises, everyone else attends. */
export function benchPerson(index: number): TeamsPerson {
  const suffix = index.toString(16).padStart(12, '0');
  return {
    id: `29:1bench${suffix}`,
    aadObjectId: `b0000000-0000-4000-8000-${suffix}`,
    name: `Participant ${index}`,
    role: index === 0 ? 'Organizer' : 'Attendee',
  };
}

export class MeetingActivities {
  readonly meetings: TeamsMeeting[];
  private readonly templates: Record<ParticipantAction, string[]>;
  private sent = 0;

  /** `serviceUrl`: the loopback connector the bot calls back. */
  constructor(meetingCount: number, serviceUrl: string) {
    this.meetings = Array.from({ length: meetingCount }, () => new TeamsMeeting(() => '', serviceUrl));
    const placeholder: TeamsPerson = { id: MARK.userId, aadObjectId: MARK.objectId, name: MARK.name, role: MARK.role };
    const render = (activity: object) => JSON.stringify(activity);
    this.templates = {
      join: this.meetings.map((meeting) => render(meeting.joined(MARK.at, [placeholder], { id: MARK.activityId }))),
      leave: this.meetings.map((meeting) => render(meeting.left(MARK.at, [placeholder], { id: MARK.activityId }))),
    };
  }

  meetingId(index: number): string {
    return this.meetingAt(index).meetingId;
  }

  /** The activity's JSON body, with a fresh activity id. */
  body(planned: PlannedActivity): string {
    const template = this.templates[planned.action][planned.meeting];
    if (template === undefined) throw new Error(`no meeting ${planned.meeting}`);
    const person = benchPerson(planned.person);
    this.sent += 1;
    return template
      .replace(MARK.activityId, `bench-${planned.at}-${this.sent}`)
      .replace(MARK.at, new Date(planned.at).toISOString())
      .replace(MARK.userId, person.id)
      .replace(MARK.objectId, person.aadObjectId ?? '')
      .replace(MARK.name, person.name)
      .replace(MARK.role, person.role);
  }

  private meetingAt(index: number): TeamsMeeting {
    const meeting = this.meetings[index];
    if (!meeting) throw new Error(`no meeting ${index}`);
    return meeting;
  }
}
