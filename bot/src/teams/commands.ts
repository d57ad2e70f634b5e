/** Chat commands, read from what a person typed after @mentioning the bot. Unknown text means help. */
export type Command = 'report' | 'presence' | 'help';

export const COMMAND_HELP: ReadonlyArray<{ example: string; description: string }> = [
  { example: 'attendance report', description: "everyone's total time, sessions, first join and last leave" },
  { example: 'who is here', description: 'who is in the meeting now, and since when' },
  { example: 'help', description: 'this list' },
];

export function parseCommand(text: string | undefined): Command {
  const words = (text ?? '')
    .toLowerCase()
    .replace(/<[^>]*>/g, ' ')
    .replace(/[^\p{L}\p{N}\s']/gu, ' ')
    .split(/\s+/)
    .filter(Boolean)
    .join(' ');
  if (/\breport\b/.test(words)) return 'report';
  if (/\bwho('s| is)? (here|present|in)\b/.test(words) || /\battendance now\b/.test(words)) return 'presence';
  return 'help';
}
