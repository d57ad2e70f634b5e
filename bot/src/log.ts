/** Structured logs (pino) with credentials redacted wherever they could appear. */
import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

export const REDACTED_PATHS = [
  'req.headers.authorization',
  'headers.authorization',
  'authorization',
  'token',
  'password',
  '*.password',
  '*.token',
  // an Azure Tables connection string holds the account key or a SAS (config.store.connectionString)
  'connectionString',
  '*.connectionString',
  '*.*.connectionString',
  // the Graph client secret (config.graph.credential.clientSecret)
  'clientSecret',
  '*.clientSecret',
  '*.*.clientSecret',
  '*.*.*.clientSecret',
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = { level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } };
  return destination ? pino(options, destination) : pino(options);
}
