/**
 * Samples the roster of live meetings whose participant events Teams may not send (instant meetings, or
 * none arrived within the grace period), and records what changed as sampled facts. One sampler per
 * meeting across all instances: each sample is taken only by the holder of the meeting's lease in the
 * shared store; if that instance dies, its lease expires and another instance's loop takes over.
 */
import { randomUUID } from 'node:crypto';
import { eventsFromSample } from '../attendance/sampling.js';
import type { Logger } from '../log.js';
import { loadMeetingAttendance } from '../meetings/meetingAttendance.js';
import type { AttendanceStore, MeetingKey } from '../store/store.js';
import type { TeamsConnector } from '../teams/connectorCalls/teamsConnector.js';
import { meetingRefOfRecord, takeRosterSample } from '../teams/rosterSample.js';
import { samplingDecision } from './samplingDecision.js';

export interface SamplerSettings {
  intervalSeconds: number;
  graceSeconds: number;
  /**
   * Stop after this many samples in a row with nobody present, or with every participant lookup answered
   * 404 (the meeting expired, or the connector has no meeting APIs).
   */
  emptySamplesBeforeStop: number;
}

export interface SamplerDeps {
  store: AttendanceStore;
  logger: Logger;
  connector: TeamsConnector;
  settings: SamplerSettings;
  now: () => Date;
}

const LEASE = 'roster-sampler';
/** A lease outlives a few missed renewals before another instance may take over. */
const LEASE_INTERVALS = 3;
/** Throttled: each retry waits twice as long, up to this many intervals. */
const MAX_BACKOFF_INTERVALS = 10;

const EVERY_LOOKUP_NOT_FOUND = 'Teams answered 404 to every participant lookup';

interface Loop {
  timer: NodeJS.Timeout | undefined;
  emptySamples: number;
  notFoundSamples: number;
  backoff: number;
  /** Teams' Retry-After, when longer than the backoff. */
  waitAtLeastMs: number;
}

export class RosterSampler {
  /** Identifies this instance as a lease holder. */
  readonly instanceId = randomUUID();
  private readonly loops = new Map<string, Loop>();

  constructor(private readonly deps: SamplerDeps) {}

  /** The meeting may be live: sample it from now on if it needs it (idempotent). */
  consider(meeting: MeetingKey): void {
    const id = loopId(meeting);
    if (this.loops.has(id)) return;
    const loop: Loop = { timer: undefined, emptySamples: 0, notFoundSamples: 0, backoff: 1, waitAtLeastMs: 0 };
    this.loops.set(id, loop);
    this.next(meeting, loop);
  }

  isSampling(meeting: MeetingKey): boolean {
    return this.loops.has(loopId(meeting));
  }

  stopAll(): void {
    for (const loop of this.loops.values()) clearTimeout(loop.timer);
    this.loops.clear();
  }

  private schedule(meeting: MeetingKey, loop: Loop, delayMs: number): void {
    loop.timer = setTimeout(() => {
      this.tick(meeting, loop).catch((error: unknown) => {
        this.deps.logger.warn({ err: error, meetingId: meeting.meetingId }, 'roster sampling failed; trying again next interval');
        this.next(meeting, loop);
      });
    }, delayMs);
    loop.timer.unref();
  }

  private next(meeting: MeetingKey, loop: Loop): void {
    if (this.loops.get(loopId(meeting)) !== loop) return;
    this.schedule(meeting, loop, Math.max(this.deps.settings.intervalSeconds * 1000 * loop.backoff, loop.waitAtLeastMs));
    loop.waitAtLeastMs = 0;
  }

  private async stop(meeting: MeetingKey, loop: Loop, why: string, level: 'info' | 'debug' = 'info'): Promise<void> {
    clearTimeout(loop.timer);
    if (this.loops.get(loopId(meeting)) === loop) this.loops.delete(loopId(meeting));
    await this.deps.store.releaseLease(meeting, LEASE, this.instanceId);
    this.deps.logger[level]({ meetingId: meeting.meetingId, instanceId: this.instanceId }, `roster sampling stopped: ${why}`);
  }

  private async tick(meeting: MeetingKey, loop: Loop): Promise<void> {
    const { store, logger, settings } = this.deps;
    const now = this.deps.now();
    const { meeting: record, sessions } = await loadMeetingAttendance(store, meeting);
    const ref = record && meetingRefOfRecord(record);
    if (!record || !ref) return this.stop(meeting, loop, 'the meeting chat is not known');
    // Said once already: every later event of the meeting would start the loop, and the log, again.
    if (record.samplingProblem?.startsWith(EVERY_LOOKUP_NOT_FOUND)) return this.stop(meeting, loop, record.samplingProblem, 'debug');
    const latest = sessions.at(-1);
    const decision = samplingDecision(record, latest, now, settings.graceSeconds);
    if (decision === 'stop') return this.stop(meeting, loop, latest?.endedAt ? 'the meeting ended' : 'Teams sends participant events');
    if (decision === 'wait') return this.next(meeting, loop);
    const ttlMs = settings.intervalSeconds * 1000 * LEASE_INTERVALS * loop.backoff;
    if (!(await store.tryAcquireLease(meeting, LEASE, this.instanceId, ttlMs, now))) return this.next(meeting, loop);

    const outcome = await takeRosterSample(this.deps.connector, ref);
    if (!outcome.ok) {
      logger.warn({ meetingId: meeting.meetingId, problem: outcome.problem, detail: outcome.detail }, 'roster sample not taken');
      if (outcome.problem === 'not-installed') {
        await store.saveMeeting({ ...meeting, samplingProblem: outcome.detail });
        return this.stop(meeting, loop, outcome.detail);
      }
      if (outcome.problem === 'throttled') {
        loop.backoff = Math.min(loop.backoff * 2, MAX_BACKOFF_INTERVALS);
        loop.waitAtLeastMs = outcome.retryAfterMs ?? 0;
      }
      return this.next(meeting, loop);
    }
    loop.backoff = 1;
    const { presence } = outcome;
    const events = eventsFromSample(latest, {
      ...meeting,
      takenAt: now.toISOString(),
      intervalSeconds: settings.intervalSeconds,
      present: presence.present,
      absent: presence.absent,
      unreadable: presence.unreadable,
    });
    const { added } = events.length > 0 ? await store.appendEvents(events) : { added: 0 };
    logger.info(
      {
        meetingId: meeting.meetingId,
        instanceId: this.instanceId,
        present: presence.present.length,
        absent: presence.absent.length,
        unreadable: presence.unreadable.length,
        changes: added,
      },
      'roster sample taken',
    );
    if (presence.rosterTruncated) {
      await store.saveMeeting({ ...meeting, samplingProblem: 'the chat has more members than Teams lets an app look up (350): only the first 350 are sampled' });
    }
    loop.notFoundSamples = outcome.allNotFound ? loop.notFoundSamples + 1 : 0;
    if (loop.notFoundSamples >= settings.emptySamplesBeforeStop) {
      const detail = `${EVERY_LOOKUP_NOT_FOUND} in ${loop.notFoundSamples} samples in a row: the meeting has expired, or this connector does not offer Teams' meeting APIs`;
      await store.saveMeeting({ ...meeting, samplingProblem: detail });
      return this.stop(meeting, loop, detail);
    }
    // A sample in which nobody could be read says nothing about who is there: it neither counts as empty nor resets the count.
    const readable = presence.present.length + presence.absent.length > 0 || presence.unreadable.length === 0;
    if (readable) loop.emptySamples = presence.present.length === 0 ? loop.emptySamples + 1 : 0;
    if (loop.emptySamples >= settings.emptySamplesBeforeStop) return this.stop(meeting, loop, 'nobody has been in the meeting for several samples');
    this.next(meeting, loop);
  }
}

function loopId(meeting: MeetingKey): string {
  return `${meeting.tenantId}|${meeting.meetingId}`;
}
