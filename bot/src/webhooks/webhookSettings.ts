/**
 * Where attendance webhooks go, parsed from the environment by config.ts. One endpoint with
 * ATTENDANCE_WEBHOOK_URL + ATTENDANCE_WEBHOOK_SECRET; several, each with its own secret (and optionally only
 * one tenant's meetings), with ATTENDANCE_WEBHOOKS='[{"url":"https://…","secret":"whsec_…","tenantId":"…"}]'.
 * Both may be set: the endpoints add up. Messages never repeat a secret.
 */
import { z } from 'zod';
import { isHttpsOrLoopback } from '../loopback.js';

export interface WebhookEndpoint {
  url: string;
  /** whsec_ + base64: the Standard Webhooks signing secret this endpoint verifies with. */
  secret: string;
  /** Only this tenant's meetings; absent: every tenant's. */
  tenantId?: string;
}

export interface WebhookSettings {
  endpoints: WebhookEndpoint[];
  /** How long an attempt waits for an answer before counting as failed (Standard Webhooks: 15 s). */
  timeoutSeconds: number;
  /** The first retry's wait (Standard Webhooks: 5 s); the later ones follow the standard schedule. */
  firstRetrySeconds: number;
  /** How often each instance looks for due deliveries (an instance that records an event also looks at once). */
  pollSeconds: number;
}

/** Standard Webhooks secrets are 24 to 64 random bytes. */
const SECRET_BYTES = { min: 24, max: 64 };

const url = z
  .url({ message: 'use an absolute URL, e.g. https://lms.example.edu/hooks/attendance' })
  .refine(isHttpsOrLoopback, 'use https (plain http only on loopback, for a local receiver)');

const secret = z.string().refine(isStandardWebhooksSecret, {
  message: `use whsec_ followed by ${SECRET_BYTES.min} to ${SECRET_BYTES.max} random bytes in base64, e.g. whsec_$(openssl rand -base64 32)`,
});

const endpoint = z.strictObject({ url, secret, tenantId: z.string().min(1).optional() });

const list = z
  .string()
  .transform((text, ctx): unknown => {
    try {
      return JSON.parse(text);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'not JSON: use [{"url":"https://…","secret":"whsec_…"}]' });
      return z.NEVER;
    }
  })
  .pipe(z.array(endpoint, { message: 'use a JSON array: [{"url":"https://…","secret":"whsec_…"}]' }).min(1));

/** The zod schemas config.ts puts in its environment schema, so problems name the variable. */
export const webhookEndpoints = { url, secret, list };

function isStandardWebhooksSecret(value: string): boolean {
  const encoded = value.startsWith('whsec_') ? value.slice('whsec_'.length) : undefined;
  if (!encoded || !/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) return false;
  const bytes = Buffer.from(encoded, 'base64').length;
  return bytes >= SECRET_BYTES.min && bytes <= SECRET_BYTES.max;
}

interface WebhookEnvironment {
  ATTENDANCE_WEBHOOK_URL?: string | undefined;
  ATTENDANCE_WEBHOOK_SECRET?: string | undefined;
  ATTENDANCE_WEBHOOKS?: WebhookEndpoint[] | undefined;
  ATTENDANCE_WEBHOOK_TIMEOUT_S: number;
  ATTENDANCE_WEBHOOK_FIRST_RETRY_S: number;
  ATTENDANCE_WEBHOOK_POLL_S: number;
}

/** The settings, undefined when no endpoint is configured, or what is wrong (naming the variables). */
export function webhookSettings(env: WebhookEnvironment): WebhookSettings | undefined | string {
  const { ATTENDANCE_WEBHOOK_URL: single, ATTENDANCE_WEBHOOK_SECRET: singleSecret } = env;
  if (single && !singleSecret) return 'ATTENDANCE_WEBHOOK_URL is set but ATTENDANCE_WEBHOOK_SECRET is not: set the secret the receiver verifies with (whsec_…).';
  if (singleSecret && !single) return 'ATTENDANCE_WEBHOOK_SECRET is set but ATTENDANCE_WEBHOOK_URL is not: set both, or neither.';
  const endpoints = [...(single && singleSecret ? [{ url: single, secret: singleSecret }] : []), ...(env.ATTENDANCE_WEBHOOKS ?? [])];
  const urls = endpoints.map((item) => item.url);
  const repeated = urls.find((item, index) => urls.indexOf(item) !== index);
  if (repeated !== undefined) {
    return `ATTENDANCE_WEBHOOKS: the endpoint ${new URL(repeated).origin} is listed twice (with ATTENDANCE_WEBHOOK_URL or in the list); list each URL once.`;
  }
  if (endpoints.length === 0) return undefined;
  return {
    endpoints,
    timeoutSeconds: env.ATTENDANCE_WEBHOOK_TIMEOUT_S,
    firstRetrySeconds: env.ATTENDANCE_WEBHOOK_FIRST_RETRY_S,
    pollSeconds: env.ATTENDANCE_WEBHOOK_POLL_S,
  };
}
