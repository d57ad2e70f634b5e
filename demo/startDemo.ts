/**
 * Starts the demo: its identity issuer and connector on 127.0.0.1, the real server in local mode on a throw-away
 * SQLite file (with the demo-config route that only demo mode has), and the meeting so far, posted to
 * /api/messages exactly as Teams would. `playLive` then plays the rest of the script in real time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startApp, type RunningApp } from '../bot/src/app.js';
import { loadConfig } from '../bot/src/config.js';
import type { DemoAccess } from '../bot/src/http/routes/demoConfig.js';
import { createLogger } from '../bot/src/log.js';
import { MeetingActivities, newMeetingIds } from './activities.js';
import { DemoConnector, type ChatMessage } from './connector.js';
import { DemoIdentityIssuer } from './identityIssuer.js';
import { DEMO_CLIENT_ID, PERSONAS, type DemoPerson } from './people.js';
import { DEMO_SCRIPT, IN_MEETING_AT_INSTALL, type DemoStep } from './script.js';

export interface DemoOptions {
  /** 0 picks a free port. */
  port: number;
  logLevel: string;
  onChatMessage?: (message: ChatMessage) => void;
}

/** A step without its time: posted now (or at the given time). */
export type DemoAction = { kind: 'joined' | 'left'; people: DemoPerson[] } | { kind: 'ended' };

export interface Demo {
  url: string;
  meetingId: string;
  /** The side panel as the persona sees it (organizer, presenter, attendee). */
  previewUrl(persona: string): string;
  play(action: DemoAction, at?: Date): Promise<void>;
  /** Plays the steps after 0 at their time; `onStep` hears each one once it is recorded. */
  playLive(onStep: (step: DemoStep) => void, signal: AbortSignal): Promise<void>;
  close(): Promise<void>;
}

export async function startDemo(options: DemoOptions): Promise<Demo> {
  const startedAt = Date.now();
  const ids = newMeetingIds();
  const directory = mkdtempSync(join(tmpdir(), 'attendance-demo-'));
  const issuer = await DemoIdentityIssuer.start();
  const connector = await DemoConnector.start(ids, IN_MEETING_AT_INSTALL, options.onChatMessage ?? (() => undefined));
  const config = loadConfig({
    PORT: String(options.port),
    HOST: '127.0.0.1',
    ATTENDANCE_STORE: `sqlite:${join(directory, 'attendance.db')}`,
    AAD_APP_CLIENT_ID: DEMO_CLIENT_ID,
    AAD_JWKS_URI: issuer.jwksUri,
    LOG_LEVEL: options.logLevel,
  });
  const logger = createLogger(config.logLevel);
  logger.warn(
    { jwksUri: issuer.jwksUri },
    'DEMO MODE: the API trusts ONLY the demo identity issuer on this computer, which signs tokens for made-up people; ' +
      '/tab/demo-config hands them to the side panel preview. Never expose this server.',
  );
  const resources: { close(): Promise<void> }[] = [connector, issuer];
  const closeAll = async () => {
    for (const resource of [...resources].reverse()) await resource.close();
    rmSync(directory, { recursive: true, force: true });
  };

  let app: RunningApp;
  try {
    app = await startApp(config, logger, () => new Date(), { demo: demoAccess(ids.meetingId, issuer) });
    resources.push(app);
  } catch (error) {
    await closeAll();
    throw error;
  }
  const activities = new MeetingActivities(ids, connector.url);
  const post = async (activity: object): Promise<void> => {
    const response = await fetch(`${app.url}/api/messages`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(activity),
    });
    if (!response.ok) throw new Error(`the bot answered ${response.status}: ${await response.text()}`);
  };
  const activityFor = (step: DemoStep | DemoAction, at: Date): object => {
    if (step.kind === 'installed') return activities.installed(at);
    if (step.kind === 'ended') return activities.ended(at);
    return step.kind === 'joined' ? activities.joined(at, step.people) : activities.left(at, step.people);
  };
  const timeOf = (step: DemoStep) => new Date(startedAt + step.at * 1000);

  try {
    for (const step of DEMO_SCRIPT.filter((candidate) => candidate.at <= 0)) await post(activityFor(step, timeOf(step)));
  } catch (error) {
    await closeAll();
    throw error;
  }

  return {
    url: app.url,
    meetingId: ids.meetingId,
    previewUrl: (persona) => `${app.url}/tab/index.html?demo=${encodeURIComponent(persona)}`,
    play: (action, at = new Date()) => post(activityFor(action, at)),
    playLive: async (onStep, signal) => {
      for (const step of DEMO_SCRIPT.filter((candidate) => candidate.at > 0)) {
        await sleep(Math.max(0, timeOf(step).getTime() - Date.now()), undefined, { signal });
        await post(activityFor(step, timeOf(step)));
        onStep(step);
      }
    },
    close: closeAll,
  };
}

/** What the server's demo-config route hands the preview: the meeting, and a token for the persona asked for. */
function demoAccess(meetingId: string, issuer: DemoIdentityIssuer): DemoAccess {
  return {
    meetingId,
    personas: Object.keys(PERSONAS),
    identityFor: async (persona) => {
      const person = Object.hasOwn(PERSONAS, persona) ? PERSONAS[persona] : undefined;
      return person && { displayName: person.name, token: await issuer.tokenFor(person) };
    },
  };
}
