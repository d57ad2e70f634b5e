/**
 * `npm run playground`: the bot in Microsoft 365 Agents Playground, a local Teams-like chat client, with a
 * meeting chat of six people. Prints where to open it and what to paste; Ctrl+C stops both and deletes the data.
 */
import { DEFAULT_PLAYGROUND_PORT, PlaygroundPortInUseError, startPlayground, type RunningPlayground } from './startPlayground.js';

const DEFAULT_APP_PORT = 3978;

async function main(): Promise<void> {
  const appPort = Number(process.env['PORT'] ?? DEFAULT_APP_PORT);
  const playgroundPort = Number(process.env['PLAYGROUND_PORT'] ?? DEFAULT_PLAYGROUND_PORT);
  let playground: RunningPlayground;
  try {
    playground = await startPlayground({
      appPort,
      playgroundPort,
      logLevel: process.env['LOG_LEVEL'] ?? 'info',
      openBrowser: (process.env['TEAMSAPPTESTER_BROWSER'] ?? 'none') !== 'none',
      playgroundOutput: 'inherit',
    });
  } catch (error) {
    if (error instanceof PlaygroundPortInUseError) {
      process.stderr.write(`Port ${error.port} is in use (is the playground already running?). Try: PLAYGROUND_PORT=${error.port + 1} npm run playground\n`);
      process.exit(1);
    }
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      process.stderr.write(`Port ${appPort} is in use (is \`npm start\` running?). Try: PORT=${appPort + 1} npm run playground\n`);
      process.exit(1);
    }
    throw error;
  }
  const lines = [
    '',
    '  Attendance in Microsoft 365 Agents Playground (local mode, on 127.0.0.1 only).',
    '',
    `  Open ${playground.playgroundUrl} and the chat "Physics 101 (meeting chat)".`,
    '  Type @Att, pick Attendance, then: help, attendance report, who is here.',
    '  Meeting events to paste in Mock an Activity > Custom activity: playground/events/ (docs/playground.md).',
  ];
  if (playgroundPort !== DEFAULT_PLAYGROUND_PORT) {
    lines.push(`  The events name port ${DEFAULT_PLAYGROUND_PORT}: set their serviceUrl to ${playground.serviceUrl} before pasting.`);
  }
  lines.push(`  The bot: ${playground.appUrl}/api/messages. Ctrl+C stops both and deletes the recorded attendance.`, '');
  process.stdout.write(lines.join('\n') + '\n');

  const shutdown = () => {
    playground.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  process.stderr.write(`The playground could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
