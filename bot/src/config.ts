/** Every setting the server reads, parsed once from the environment, with errors that name the variable. */
import { z } from 'zod';
import { isHttpsOrLoopback, isLoopbackHost, LOOPBACK_HOSTS } from './loopback.js';
import { webhookEndpoints, webhookSettings, type WebhookSettings } from './webhooks/webhookSettings.js';
import type { AttendanceRule } from './attendance/rule.js';

const DEFAULT_JWKS_URI = 'https://login.microsoftonline.com/common/discovery/v2.0/keys';
const DEFAULT_GRAPH_BASE_URL = 'https://graph.microsoft.com/v1.0';
/** Where the Bot Framework publishes the keys that sign Teams' requests to the bot (public cloud). */
export const DEFAULT_BOT_OPENID_METADATA_URL = 'https://login.botframework.com/v1/.well-known/openidconfiguration';

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'use true or false' })
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const storeSetting = z.string().transform((value, ctx): StoreLocation => {
  if (value.startsWith('sqlite:') && value.length > 'sqlite:'.length) return { kind: 'sqlite', path: value.slice('sqlite:'.length) };
  if (value.startsWith('azure-tables:')) {
    const location = azureTablesLocation(value.slice('azure-tables:'.length));
    if (typeof location !== 'string') return location;
    ctx.addIssue({ code: 'custom', message: location });
    return z.NEVER;
  }
  ctx.addIssue({
    code: 'custom',
    message:
      'use sqlite:<path to a database file> (e.g. sqlite:./data/attendance.db), azure-tables:<connection string> ' +
      'or azure-tables:https://<account>.table.core.windows.net',
  });
  return z.NEVER;
});

const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value);

/** Graph receives the app's bearer token: https only, except a local fake Graph on loopback (tests). */
const graphBaseUrl = z
  .url()
  .refine(isHttpsOrLoopback, 'use https (plain http only on loopback, for a local fake Graph)')
  .transform((value) => value.replace(/\/+$/, ''));

/** Decides which keys may sign activities to the bot: https only, except a local test issuer on loopback. */
const botOpenIdMetadataUrl = z.url().refine(isHttpsOrLoopback, 'use https (plain http only on loopback, for a local test issuer)');

const environmentSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3978),
  HOST: z.preprocess(emptyAsUndefined, z.string().optional()),
  ATTENDANCE_STORE: z.preprocess(emptyAsUndefined, storeSetting.default({ kind: 'sqlite', path: './data/attendance.db' })),
  ATTENDANCE_TABLE: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9]{2,62}$/, { message: 'a table name is 3 to 63 letters and digits, starting with a letter' })
      .default('attendance'),
  ),
  BOT_ID: z.preprocess(emptyAsUndefined, z.string().optional()),
  BOT_PASSWORD: z.preprocess(emptyAsUndefined, z.string().optional()),
  BOT_TYPE: z.preprocess(
    emptyAsUndefined,
    z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMsi']).default('SingleTenant'),
  ),
  BOT_TENANT_ID: z.preprocess(emptyAsUndefined, z.string().optional()),
  BOT_OPENID_METADATA_URL: z.preprocess(emptyAsUndefined, botOpenIdMetadataUrl.default(DEFAULT_BOT_OPENID_METADATA_URL)),
  AAD_APP_CLIENT_ID: z.preprocess(emptyAsUndefined, z.string().optional()),
  AAD_APP_ID_URI: z.preprocess(emptyAsUndefined, z.string().optional()),
  AAD_JWKS_URI: z.preprocess(emptyAsUndefined, z.url().default(DEFAULT_JWKS_URI)),
  API_RATE_LIMIT_PER_MINUTE: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(1_000_000).default(120)),
  ATTENDANCE_RETENTION_DAYS: z.preprocess(emptyAsUndefined, z.coerce.number().positive().max(36_500).optional()),
  RETENTION_SWEEP_S: z.preprocess(emptyAsUndefined, z.coerce.number().min(0.01).max(86_400).default(3600)),
  POST_SUMMARY_ON_END: z.preprocess(emptyAsUndefined, booleanFlag.default(true)),
  ATTENDANCE_PRESENT_PERCENT: z.preprocess(emptyAsUndefined, z.coerce.number().min(0).max(100).default(75)),
  ATTENDANCE_LATE_AFTER_MIN: z.preprocess(emptyAsUndefined, z.coerce.number().min(0).max(1440).default(10)),
  ATTENDANCE_LEFT_EARLY_MIN: z.preprocess(emptyAsUndefined, z.coerce.number().min(0).max(1440).default(10)),
  SAMPLE_INTERVAL_S: z.preprocess(emptyAsUndefined, z.coerce.number().min(0.1).max(3600).default(30)),
  SAMPLE_GRACE_S: z.preprocess(emptyAsUndefined, z.coerce.number().min(0).max(86400).default(60)),
  SAMPLE_EMPTY_STOP: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(1000).default(3)),
  GRAPH_TENANT_ID: z.preprocess(emptyAsUndefined, z.string().optional()),
  GRAPH_CLIENT_ID: z.preprocess(emptyAsUndefined, z.string().optional()),
  GRAPH_CLIENT_SECRET: z.preprocess(emptyAsUndefined, z.string().optional()),
  GRAPH_USE_MANAGED_IDENTITY: z.preprocess(emptyAsUndefined, booleanFlag.default(false)),
  AZURE_CLIENT_ID: z.preprocess(emptyAsUndefined, z.string().optional()),
  GRAPH_BASE_URL: z.preprocess(emptyAsUndefined, graphBaseUrl.default(DEFAULT_GRAPH_BASE_URL)),
  RECONCILE_DELAY_S: z.preprocess(emptyAsUndefined, z.coerce.number().min(0).max(86400).default(900)),
  RECONCILE_RETRY_S: z.preprocess(emptyAsUndefined, z.coerce.number().min(0.01).max(86400).default(300)),
  // Graph keeps call records for 30 days.
  RECONCILE_GIVE_UP_H: z.preprocess(emptyAsUndefined, z.coerce.number().gt(0).max(720).default(24)),
  RECONCILE_POLL_S: z.preprocess(emptyAsUndefined, z.coerce.number().min(0.01).max(3600).default(5)),
  ATTENDANCE_WEBHOOK_URL: z.preprocess(emptyAsUndefined, webhookEndpoints.url.optional()),
  ATTENDANCE_WEBHOOK_SECRET: z.preprocess(emptyAsUndefined, webhookEndpoints.secret.optional()),
  ATTENDANCE_WEBHOOKS: z.preprocess(emptyAsUndefined, webhookEndpoints.list.optional()),
  ATTENDANCE_WEBHOOK_TIMEOUT_S: z.preprocess(emptyAsUndefined, z.coerce.number().min(0.1).max(60).default(15)),
  ATTENDANCE_WEBHOOK_FIRST_RETRY_S: z.preprocess(emptyAsUndefined, z.coerce.number().min(0.1).max(300).default(5)),
  ATTENDANCE_WEBHOOK_POLL_S: z.preprocess(emptyAsUndefined, z.coerce.number().min(0.05).max(3600).default(5)),
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
  /** The Bot Framework's OpenID configuration: which keys may sign the requests Teams sends to the bot. */
  openIdMetadataUrl: string;
}

/** Deleting meetings that nothing has been recorded for in a while (see retention/). */
export interface RetentionSettings {
  /** A meeting whose last recorded activity is older than this is deleted. */
  days: number;
  /** How often each instance looks for such meetings. */
  sweepSeconds: number;
}

export interface AzureTablesSetting {
  table: string;
  /** The table service endpoint: safe to log, it carries no secret. */
  endpoint: string;
  /** An account key or SAS connection string (secret); without one, DefaultAzureCredential (a managed identity). */
  connectionString?: string;
}

/** Microsoft Graph access for call-record reconciliation (application permission CallRecords.Read.All). */
export interface GraphSettings {
  /** The tenant whose call records are read: only its meetings are reconciled. */
  tenantId: string;
  credential: { kind: 'client-secret'; clientId: string; clientSecret: string } | { kind: 'managed-identity'; clientId?: string };
  baseUrl: string;
}

export interface ReconciliationSettings {
  /** Wait after a meeting ends before looking for its call record (they appear minutes later). */
  delaySeconds: number;
  /** The first wait after a failed attempt; each next one doubles (capped). */
  retrySeconds: number;
  /** Give up this long after the work was scheduled. */
  giveUpHours: number;
  /** How often each instance looks for due work. */
  pollSeconds: number;
}

export type StoreSetting = { kind: 'sqlite'; path: string } | ({ kind: 'azure-tables' } & AzureTablesSetting);

/** ATTENDANCE_STORE before ATTENDANCE_TABLE is known. */
type StoreLocation = { kind: 'sqlite'; path: string } | { kind: 'azure-tables'; endpoint: string; connectionString?: string };

export interface Config {
  port: number;
  host: string;
  store: StoreSetting;
  /** Absent in local mode: Bot Framework authentication is off and the server only listens on loopback. */
  bot?: BotCredentials;
  /** `rateLimitPerMinute`: requests per caller per minute on /api/meetings (0: no limit). */
  api: { audiences: string[]; jwksUri: string; rateLimitPerMinute: number };
  /** Absent: attendance is kept until someone deletes it. */
  retention?: RetentionSettings;
  postSummaryOnEnd: boolean;
  /** The register's rule for meetings whose organizer has not set one (docs/register.md). */
  defaultRule: AttendanceRule;
  /** Roster sampling for meetings whose participant events Teams may not send (see sampling/). */
  sampling: { intervalSeconds: number; graceSeconds: number; emptySamplesBeforeStop: number };
  /** Absent without Graph credentials: call-record reconciliation is off. */
  graph?: GraphSettings;
  reconciliation: ReconciliationSettings;
  /** Absent without an endpoint: no webhooks are sent (see webhooks/). */
  webhooks?: WebhookSettings;
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
  const graph = graphSettings(env);
  const webhooks = webhookSettings(env);
  if (typeof webhooks === 'string') throw new ConfigError(webhooks);
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
    store: env.ATTENDANCE_STORE.kind === 'azure-tables' ? { ...env.ATTENDANCE_STORE, table: env.ATTENDANCE_TABLE } : env.ATTENDANCE_STORE,
    ...(bot ? { bot } : {}),
    api: {
      audiences: [env.AAD_APP_CLIENT_ID, env.AAD_APP_ID_URI].filter((value): value is string => Boolean(value)),
      jwksUri: env.AAD_JWKS_URI,
      rateLimitPerMinute: env.API_RATE_LIMIT_PER_MINUTE,
    },
    ...(env.ATTENDANCE_RETENTION_DAYS !== undefined
      ? { retention: { days: env.ATTENDANCE_RETENTION_DAYS, sweepSeconds: env.RETENTION_SWEEP_S } }
      : {}),
    postSummaryOnEnd: env.POST_SUMMARY_ON_END,
    defaultRule: {
      presentPercent: env.ATTENDANCE_PRESENT_PERCENT,
      lateAfterMinutes: env.ATTENDANCE_LATE_AFTER_MIN,
      leftEarlyMinutes: env.ATTENDANCE_LEFT_EARLY_MIN,
    },
    sampling: {
      intervalSeconds: env.SAMPLE_INTERVAL_S,
      graceSeconds: env.SAMPLE_GRACE_S,
      emptySamplesBeforeStop: env.SAMPLE_EMPTY_STOP,
    },
    ...(graph ? { graph } : {}),
    reconciliation: {
      delaySeconds: env.RECONCILE_DELAY_S,
      retrySeconds: env.RECONCILE_RETRY_S,
      giveUpHours: env.RECONCILE_GIVE_UP_H,
      pollSeconds: env.RECONCILE_POLL_S,
    },
    ...(webhooks ? { webhooks } : {}),
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
    openIdMetadataUrl: env.BOT_OPENID_METADATA_URL,
    ...(env.BOT_PASSWORD ? { password: env.BOT_PASSWORD } : {}),
    ...(env.BOT_TENANT_ID ? { tenantId: env.BOT_TENANT_ID } : {}),
  };
}

/** Graph credentials: a client secret, or the managed identity; none at all turns reconciliation off. */
function graphSettings(env: z.infer<typeof environmentSchema>): GraphSettings | undefined {
  const { GRAPH_TENANT_ID: tenantId, GRAPH_CLIENT_ID: clientId, GRAPH_CLIENT_SECRET: clientSecret } = env;
  if (env.GRAPH_USE_MANAGED_IDENTITY) {
    if (clientId || clientSecret) {
      throw new ConfigError(
        'GRAPH_USE_MANAGED_IDENTITY=true takes no GRAPH_CLIENT_ID or GRAPH_CLIENT_SECRET (a user-assigned identity is named by AZURE_CLIENT_ID).',
      );
    }
    if (!tenantId) throw new ConfigError('GRAPH_USE_MANAGED_IDENTITY=true needs GRAPH_TENANT_ID (the tenant whose call records are read).');
    return {
      tenantId,
      credential: { kind: 'managed-identity', ...(env.AZURE_CLIENT_ID ? { clientId: env.AZURE_CLIENT_ID } : {}) },
      baseUrl: env.GRAPH_BASE_URL,
    };
  }
  if (!tenantId && !clientId && !clientSecret) return undefined;
  if (!tenantId || !clientId || !clientSecret) {
    const missing = Object.entries({ GRAPH_TENANT_ID: tenantId, GRAPH_CLIENT_ID: clientId, GRAPH_CLIENT_SECRET: clientSecret })
      .filter(([, value]) => !value)
      .map(([name]) => name);
    throw new ConfigError(
      `Call-record reconciliation needs GRAPH_TENANT_ID, GRAPH_CLIENT_ID and GRAPH_CLIENT_SECRET (or GRAPH_USE_MANAGED_IDENTITY=true); missing: ${missing.join(', ')}.`,
    );
  }
  return { tenantId, credential: { kind: 'client-secret', clientId, clientSecret }, baseUrl: env.GRAPH_BASE_URL };
}

/** What the logs may say about the store: never the connection string, which holds the account key or SAS. */
export function describeStore(store: StoreSetting): string {
  return store.kind === 'sqlite' ? `sqlite:${store.path}` : `azure-tables:${store.endpoint} (table ${store.table})`;
}

/**
 * The table endpoint and credentials of `azure-tables:<value>`, or what is wrong with it. Messages never
 * repeat the value: it may hold an account key.
 */
function azureTablesLocation(value: string): StoreLocation | string {
  if (/^https?:\/\//i.test(value)) {
    const url = URL.canParse(value) ? new URL(value) : undefined;
    if (!url) return 'azure-tables:<URL> is not a valid URL';
    if (url.protocol !== 'https:') return 'azure-tables:<URL> uses a managed identity, whose tokens are only sent over https';
    if (url.search || url.username) return 'azure-tables:<URL> takes no credentials; put a SAS in a connection string instead';
    return { kind: 'azure-tables', endpoint: value.replace(/\/+$/, '') };
  }
  const fields = new Map(
    value
      .split(';')
      .filter((part) => part.includes('='))
      .map((part) => [part.slice(0, part.indexOf('=')).trim().toLowerCase(), part.slice(part.indexOf('=') + 1).trim()]),
  );
  const accountName = fields.get('accountname');
  if (!(accountName && fields.get('accountkey')) && !fields.get('sharedaccesssignature')) {
    return 'the connection string needs AccountName and AccountKey, or TableEndpoint and SharedAccessSignature';
  }
  const endpoint =
    fields.get('tableendpoint') ??
    (accountName
      ? `${fields.get('defaultendpointsprotocol') ?? 'https'}://${accountName}.table.${fields.get('endpointsuffix') ?? 'core.windows.net'}`
      : undefined);
  if (!endpoint || !URL.canParse(endpoint)) return 'the connection string needs a valid TableEndpoint (or AccountName)';
  const url = new URL(endpoint);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    return 'the table endpoint must use https; plain http is only for the local emulator (Azurite) on loopback';
  }
  return { kind: 'azure-tables', endpoint: endpoint.replace(/\/+$/, ''), connectionString: value };
}
