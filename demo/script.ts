/**
 * What happens in the demo meeting, in seconds from the moment the demo starts. Everything before 0 is played
 * at once (stamped with its own past time, so the meeting is already under way when the preview opens); the
 * rest is played live. The organizer started the meeting with Meet now and added the app a little later, so
 * the three people already there are counted from then.
 */
import { ana, bob, carol, dan, emma, farid, grace, hiro, isabel, jonas, kavya, leo, mia, type DemoPerson } from './people.js';

export type DemoStep =
  | { at: number; kind: 'installed' }
  | { at: number; kind: 'joined' | 'left'; people: DemoPerson[] }
  | { at: number; kind: 'ended' };

/** In the meeting when the app is added (Teams reports them when asked). */
export const IN_MEETING_AT_INSTALL: DemoPerson[] = [ana, carol, dan];

export const INSTALLED_AT_SECONDS = -480;

export const DEMO_SCRIPT: DemoStep[] = [
  { at: INSTALLED_AT_SECONDS, kind: 'installed' },
  { at: -460, kind: 'joined', people: [bob] },
  { at: -430, kind: 'joined', people: [emma, farid] },
  { at: -390, kind: 'joined', people: [grace] },
  { at: -350, kind: 'joined', people: [leo] },
  { at: -300, kind: 'joined', people: [hiro] },
  { at: -260, kind: 'left', people: [dan] },
  { at: -210, kind: 'joined', people: [isabel] },
  { at: -165, kind: 'left', people: [farid] },
  { at: -120, kind: 'joined', people: [dan] },
  { at: -70, kind: 'joined', people: [jonas] },
  { at: -30, kind: 'left', people: [grace] },
  { at: 20, kind: 'joined', people: [kavya] },
  { at: 45, kind: 'joined', people: [farid] },
  { at: 70, kind: 'left', people: [leo] },
  { at: 100, kind: 'joined', people: [mia] },
  { at: 130, kind: 'left', people: [hiro] },
  { at: 160, kind: 'joined', people: [grace] },
  { at: 195, kind: 'left', people: [emma] },
  { at: 225, kind: 'joined', people: [leo] },
  { at: 260, kind: 'left', people: [isabel] },
  { at: 300, kind: 'joined', people: [emma] },
  { at: 360, kind: 'ended' },
];

export function describeStep(step: DemoStep): string {
  if (step.kind === 'installed') return 'The organizer added Attendance to the meeting';
  if (step.kind === 'ended') return 'The meeting ended';
  return `${step.people.map((person) => person.name).join(' and ')} ${step.kind}`;
}
