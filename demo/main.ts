/**
 * `npm run demo`: the side panel on a simulated Meet Now meeting, in a plain browser, without Teams or a tenant.
 * Prints the preview addresses, then narrates the meeting as it is played; Ctrl+C stops it and deletes its data.
 */
import { describeStep } from './script.js';
import { startDemo, type Demo } from './startDemo.js';
import type { ChatMessage } from './connector.js';

const DEFAULT_PORT = 3978;

function clock(): string {
  return new Date().toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

function narrate(line: string): void {
  process.stdout.write(`${clock()}  ${line}\n`);
}

/** What the bot posted to the meeting chat, in one line. */
function chatLine(message: ChatMessage): string {
  if ('card' in message) return `Attendance posted a card to the meeting chat: "${message.card}"`;
  const [firstLine = '', ...more] = message.text.split('\n');
  return `Attendance wrote in the meeting chat: "${firstLine}${more.length > 0 ? ' …' : ''}"`;
}

async function main(): Promise<void> {
  const port = Number(process.env['PORT'] ?? DEFAULT_PORT);
  let demo: Demo;
  try {
    demo = await startDemo({ port, logLevel: process.env['LOG_LEVEL'] ?? 'warn', onChatMessage: (message) => narrate(chatLine(message)) });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      process.stderr.write(`Port ${port} is in use (is \`npm start\` running?). Try: PORT=${port + 1} npm run demo\n`);
      process.exit(1);
    }
    throw error;
  }
  process.stdout.write(
    [
      '',
      '  Attendance demo: a Meet Now meeting with a dozen made-up people, played to the bot as Teams would.',
      '',
      `  Side panel, as the organizer:  ${demo.previewUrl('organizer')}`,
      `  ... as an attendee:            ${demo.previewUrl('attendee')}`,
      '',
      '  Narrow the browser window to about 320 px to see it as in the Teams side panel.',
      '  DEMO MODE: made-up identities, signed on this computer only. The meeting ends in 6 minutes;',
      '  Ctrl+C stops the demo and deletes its database.',
      '',
    ].join('\n') + '\n',
  );

  const stop = new AbortController();
  const shutdown = () => {
    stop.abort();
    demo.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  try {
    await demo.playLive((step) => narrate(describeStep(step)), stop.signal);
    narrate('The side panel now shows the final totals and a Download CSV button. Ctrl+C to stop.');
  } catch (error) {
    if (!stop.signal.aborted) throw error;
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`The demo could not run: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
