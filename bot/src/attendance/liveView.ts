/**
 * The side panel's view of a meeting: for each participant, the whole seconds of the intervals already closed
 * and since when they are present now, so a client ticks live durations itself (liveSeconds).
 * Nothing here reads the clock: a view changes only when a recorded fact changes it, which is what lets the
 * API answer "304 Not Modified" while time passes.
 */
import type { ViewerRole } from './access.js';
import { accuracyOf, basisOf, samplingUncertaintySeconds, type Accuracy } from './accuracy.js';
import { secondsBetween } from './duration.js';
import type { MeetingSession, ParticipantAttendance } from './ledger.js';
import type { MeetingDetails } from './meeting.js';
import { isInstantMeeting } from './meetingKinds.js';

export type MeetingStatus = 'notStarted' | 'live' | 'ended';

export interface LiveMeeting {
  title: string | null;
  /** Teams' meeting type (MeetNow, Scheduled, …), null until Teams' meeting details are known. */
  type: string | null;
  /** Instant meetings (Meet Now, calls) get no Teams or Graph attendance report. */
  isInstant: boolean;
  status: MeetingStatus;
  /** When the meeting started, if the app saw it start; null when it began before the app was added. */
  startedAt: string | null;
  endedAt: string | null;
  /** When the app began recording this run of the meeting (before a start: when it was added). */
  trackingSince: string | null;
  /** The attendance report of this run (…/attendanceReports/{reportId}.csv). */
  reportId: string | null;
}

export interface LiveParticipant {
  id: string;
  displayName: string | null;
  /** Teams' meeting role: Organizer, Presenter, Attendee, … */
  role: string;
  /** Whole seconds of the intervals that have ended, each truncated as in the report. */
  closedSeconds: number;
  /** Start of the interval still open; null when the person is not in the meeting now. */
  presentSince: string | null;
  firstJoinedAt: string;
  lastLeftAt: string | null;
  /** How many times the person joined (the report's "sessions"). */
  joinCount: number;
  /** Already in the meeting when recording began: earlier time is not counted. */
  presentBeforeTracking: boolean;
  /** This row is the caller's own. */
  isViewer: boolean;
}

export interface LiveView {
  meeting: LiveMeeting;
  viewerRole: ViewerRole;
  participants: LiveParticipant[];
  /** How exact the figures shown are (Teams events, call records or roster samples), as in the report. */
  accuracy: Accuracy;
}

export interface LiveViewer {
  role: ViewerRole;
  /** The caller's participant key (Entra object id) when the caller is a person. */
  participantKey?: string;
  /** 'all', or the one record the caller may see (see access.ts). */
  visibleRecords: 'all' | string;
}

/** The view of a meeting's latest run (`session`), or of a meeting that has not started when there is none. */
export function buildLiveView(
  session: MeetingSession | undefined,
  details: MeetingDetails | undefined,
  viewer: LiveViewer,
): LiveView {
  const visible = (session?.participants ?? [])
    .filter((entry) => entry.intervals.length > 0)
    .filter((entry) => viewer.visibleRecords === 'all' || entry.participant.key === viewer.visibleRecords);
  return {
    meeting: {
      title: details?.title ?? null,
      type: details?.meetingType ?? null,
      isInstant: isInstantMeeting(details?.meetingType),
      status: !session ? 'notStarted' : session.endedAt ? 'ended' : 'live',
      startedAt: session?.startObserved ? session.startedAt : null,
      endedAt: session?.endedAt ?? null,
      trackingSince: session?.startedAt ?? details?.trackingSince ?? null,
      reportId: session?.sessionId ?? null,
    },
    viewerRole: viewer.role,
    participants: visible.map((entry) => liveParticipant(entry, viewer.participantKey)).sort(byNameThenId),
    accuracy: accuracyOf(
      visible.map((entry) => basisOf(entry.intervals)),
      samplingUncertaintySeconds(visible.flatMap((entry) => entry.intervals)),
    ),
  };
}

/** A participant's total at `nowMs`: closed seconds plus the open interval, truncated as the report does. */
export function liveSeconds(participant: Pick<LiveParticipant, 'closedSeconds' | 'presentSince'>, nowMs: number): number {
  if (!participant.presentSince) return participant.closedSeconds;
  return participant.closedSeconds + secondsBetween(participant.presentSince, new Date(nowMs).toISOString());
}

function liveParticipant(entry: ParticipantAttendance, viewerKey: string | undefined): LiveParticipant {
  const { participant, intervals } = entry;
  const closed = intervals.flatMap(({ joinedAt, leftAt }) => (leftAt === undefined ? [] : [{ joinedAt, leftAt }]));
  const open = intervals.find((interval) => interval.leftAt === undefined);
  return {
    id: participant.key,
    displayName: participant.displayName ?? null,
    role: participant.role ?? 'Unknown',
    closedSeconds: closed.reduce((sum, interval) => sum + secondsBetween(interval.joinedAt, interval.leftAt), 0),
    presentSince: open?.joinedAt ?? null,
    firstJoinedAt: intervals[0]?.joinedAt ?? '',
    lastLeftAt: closed.at(-1)?.leftAt ?? null,
    joinCount: intervals.length,
    presentBeforeTracking: intervals.some((interval) => interval.startedBeforeTracking),
    isViewer: viewerKey !== undefined && participant.key === viewerKey,
  };
}

function byNameThenId(a: LiveParticipant, b: LiveParticipant): number {
  return (a.displayName ?? '').localeCompare(b.displayName ?? '') || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
