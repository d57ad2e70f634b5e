/** The bot's plain-text messages, in one place so their wording can be read and reviewed together. */
import { COMMAND_HELP } from '../commands.js';

export function helpText(botName: string): string {
  const lines = COMMAND_HELP.map((command) => `- **@${botName} ${command.example}**: ${command.description}`);
  return ['I record who attends this meeting and for how long. Mention me with:', ...lines].join('\n');
}

export function welcomeText(botName: string): string {
  return `Attendance is now being recorded for this meeting: joins and leaves from this moment on. ${helpText(botName)}`;
}

export const INSTANT_MEETING_NOTICE =
  "This is an instant meeting (Meet Now or a call). Teams' and Microsoft Graph's attendance reports do not cover " +
  'instant meetings, so they will show no attendance for it. I am recording attendance myself from now on; ' +
  'anyone who joined before I was added is counted from the moment I was added. ' +
  'For future classes or webinars, schedule the meeting from the calendar.';

export const NOT_A_MEETING_CHAT =
  'I record attendance in meetings. Add me to a meeting (in the meeting, select Apps, then Attendance), then mention me in the meeting chat.';

export const NOTHING_RECORDED_YET =
  'No attendance is recorded for this meeting yet. I record joins and leaves from the moment I am added, while the meeting runs.';
