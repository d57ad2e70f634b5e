/** Every setting the server reads, parsed once from the environment, with errors that name the variable. */
import { z } from 'zod';

const DEFAULT_JWKS_URI = 'https://login.microsoftonline.com/common/discovery/v2.0/keys';
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'use true or false' })
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const storeSetting = z
  .string()
  .regex(/^sqlite:.+/, { message: 'use sqlite:<path to a database file>, e.g. sqlite:./data/attendance.db' })
  .transform((value) => ({ kind: 'sqlite' as const, path: value.slice('sqlite:'.length) }));

const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value);

const environmentSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3978),
  HOST: z.preprocess(emptyAsUndefined, z.string().optional()),
  ATTENDANCE_STORE: z.preprocess(emptyAsUndefined, storeSetting.default({ kind: 'sqlite', path: './data/attendance.db' })),
  BOT_ID: z.preprocess(emptyAsUndefined, z.string().optional()),
  BOT_PASSWORD: z.preprocess(emptyAsUndefined, z.string().optional()),
  BOT_TYPE: z.preprocess(
    emptyAsUndefined,
    z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMsi']).default('SingleTenant'),
  ),
  BOT_TENANT_ID: z.preprocess(emptyAsUndefined, z.string().optional()),
  AAD_APP_CLIENT_ID: z.preprocess(emptyAsUndefined, z.string().optional()),
  AAD_APP_ID_URI: z.preprocess(emptyAsUndefined, z.string().optional()),
  AAD_JWKS_URI: z.preprocess(emptyAsUndefined, z.url().default(DEFAULT_JWKS_URI)),
  POST_SUMMARY_ON_END: z.preprocess(emptyAsUndefined, booleanFlag.default(true)),
  LOG_LEVEL: z.preprocess(
    emptyAsUndefined,
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
});

export interface BotCredentials {
  appId: string;
  appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMsi';
  password?: string;
  tenantId?: string;
}

export interface Config {
  port: number;
  host: string;
  store: { kind: 'sqlite'; path: string };
  /** Absent in local mode: Bot Framework authentication is off and the server only listens on loopback. */
  bot?: BotCredentials;
  api: { audiences: string[]; jwksUri: string };
  postSummaryOnEnd: boolean;
  logLevel: string;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(environment: NodeJS.ProcessEnv = process.env): Config {
  const parsed = environmentSchema.safeParse(environment);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const env = parsed.data;
  const bot = botCredentials(env);
  const host = env.HOST ?? (bot ? '0.0.0.0' : '127.0.0.1');
  if (!bot && !LOOPBACK_HOSTS.has(host)) {
    throw new ConfigError(
      `HOST=${host}: without BOT_ID the bot endpoint accepts unauthenticated activities, so it only listens on ` +
        'loopback (127.0.0.1). Set BOT_ID (and BOT_PASSWORD or BOT_TYPE=UserAssignedMsi) to listen elsewhere.',
    );
  }
  return {
    port: env.PORT,
    host,
    store: env.ATTENDANCE_STORE,
    ...(bot ? { bot } : {}),
    api: {
      audiences: [env.AAD_APP_CLIENT_ID, env.AAD_APP_ID_URI].filter((value): value is string => Boolean(value)),
      jwksUri: env.AAD_JWKS_URI,
    },
    postSummaryOnEnd: env.POST_SUMMARY_ON_END,
    logLevel: env.LOG_LEVEL,
  };
}

function botCredentials(env: z.infer<typeof environmentSchema>): BotCredentials | undefined {
  if (!env.BOT_ID) {
    if (env.BOT_PASSWORD) throw new ConfigError('BOT_PASSWORD is set but BOT_ID is not: set both, or neither for local mode.');
    return undefined;
  }
  if (env.BOT_TYPE !== 'UserAssignedMsi' && !env.BOT_PASSWORD) {
    throw new ConfigError(`BOT_ID is set with BOT_TYPE=${env.BOT_TYPE}: BOT_PASSWORD is required (or use BOT_TYPE=UserAssignedMsi).`);
  }
  if (env.BOT_TYPE !== 'MultiTenant' && !env.BOT_TENANT_ID) {
    throw new ConfigError(`BOT_TYPE=${env.BOT_TYPE} needs BOT_TENANT_ID (the tenant of the bot's app registration).`);
  }
  return {
    appId: env.BOT_ID,
    appType: env.BOT_TYPE,
    ...(env.BOT_PASSWORD ? { password: env.BOT_PASSWORD } : {}),
    ...(env.BOT_TENANT_ID ? { tenantId: env.BOT_TENANT_ID } : {}),
  };
}
