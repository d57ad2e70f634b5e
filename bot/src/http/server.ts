/**
 * Builds the HTTP server (restify) around a store, a bot adapter and a token validator. It does not listen:
 * only main does, so tests can run the real server on a free port.
 */
import type { CloudAdapter } from 'botbuilder';
import restify, { type Request, type Response } from 'restify';
import type { AttendanceRule } from '../attendance/rule.js';
import { AppError } from '../errors.js';
import type { Logger } from '../log.js';
import type { RegisterChangedListener } from '../meetings/registerChanged.js';
import type { AttendanceStore } from '../store/store.js';
import type { Bot } from '../teams/bot.js';
import { MAX_MEETING_ID_LENGTH } from '../teams/meetingRef.js';
import type { TokenValidator } from './auth/entraToken.js';
import { assignRequestId, graphErrorBody } from './graph/graphErrors.js';
import { mountGraphRoutes } from './graph/graphRoutes.js';
import { FixedWindowLimiter, rateLimitedAuthentication } from './rateLimit.js';
import { deleteMeetingRoute } from './routes/deleteMeeting.js';
import { demoConfigRoute, type DemoAccess } from './routes/demoConfig.js';
import { healthRoute } from './routes/health.js';
import { classAttendanceRoute } from './routes/classAttendance.js';
import { liveRoute } from './routes/live.js';
import { meetingListRoute } from './routes/meetingList.js';
import { messagesRoute } from './routes/messages.js';
import { registerEditRoutes } from './routes/registerEdits.js';
import { reportRoutes } from './routes/reports.js';
import { tabFilesRoute } from './routes/tabFiles.js';
import { webhookDeliveriesRoute } from './routes/webhookDeliveries.js';

/**
 * Sent with every response. The tab's pages add their Content-Security-Policy (routes/tabFiles.ts) and keep
 * their own Referrer-Policy; the API's answers are JSON or CSV, never to be sniffed into anything else.
 */
const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

/** Teams activities are small; anything near this is not one. */
export const MAX_BODY_BYTES = 1024 * 1024;

export interface ServerDeps {
  store: AttendanceStore;
  adapter: CloudAdapter;
  bot: Bot;
  validateToken: TokenValidator;
  /** API requests per caller per minute (API_RATE_LIMIT_PER_MINUTE); 0 or absent: no limit. */
  rateLimitPerMinute?: number;
  logger: Logger;
  now: () => Date;
  /** The register's rule for meetings whose organizer set none (ATTENDANCE_PRESENT_PERCENT, …). */
  defaultRule: AttendanceRule;
  /** Told after a correction or a rule change is stored (see meetings/registerChanged.ts). */
  onRegisterChanged?: RegisterChangedListener;
  /** Demo mode only: the side panel preview's made-up identities. */
  demo?: DemoAccess;
}

type Handler = (req: Request, res: Response) => Promise<void>;

/** The restify-errors fields we read (and toJSON, which restify's JSON formatter calls). */
type RestifyError = Error & { statusCode?: number; body?: { code?: string }; toJSON?: () => unknown };

export function createServer(deps: ServerDeps): restify.Server {
  // The router refuses longer path parameters as "no such route" (its default, 100, is shorter than some Teams
  // meeting ids): up to the longest meeting id an activity may carry, so every recorded meeting can be read.
  const server = restify.createServer({ name: 'attendance', handleUncaughtExceptions: false, maxParamLength: MAX_MEETING_ID_LENGTH });
  const { logger } = deps;
  // Before routing, so every answer has them: restify's own 404/405 too, and /api/messages.
  server.pre((_req: Request, res: Response, next: () => void) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.header(name, value);
    next();
  });
  server.use(restify.plugins.queryParser({ mapParams: false }));
  server.use(restify.plugins.bodyParser({ maxBodySize: MAX_BODY_BYTES, mapParams: false, mapFiles: false }));

  const handle = (route: string, handler: Handler) => async (req: Request, res: Response) => {
    try {
      await handler(req, res);
    } catch (error) {
      sendError(req, res, route, error, logger);
    }
  };

  // The API's gate: token validation behind a per-caller rate limit. Never /api/messages (Teams must not be
  // throttled by us) nor /healthz.
  const limit = deps.rateLimitPerMinute ?? 0;
  const api = { ...deps, authenticate: rateLimitedAuthentication(deps.validateToken, limit > 0 ? new FixedWindowLimiter(limit) : undefined) };
  const reports = reportRoutes(api);
  const register = registerEditRoutes(api);
  server.post('/api/messages', handle('messages', messagesRoute(deps.adapter, deps.bot, logger)));
  server.get('/api/meetings', handle('meetings.list', meetingListRoute(api)));
  server.get('/api/meetings/:meetingId/attendanceReports', handle('reports.list', reports.list));
  server.get('/api/meetings/:meetingId/attendanceReports/:reportId', handle('reports.one', reports.one));
  server.get('/api/meetings/:meetingId/attendanceReport', handle('reports.latest', reports.latest(false)));
  server.get('/api/meetings/:meetingId/attendanceReport.csv', handle('reports.latest.csv', reports.latest(true)));
  server.get('/api/meetings/:meetingId/live', handle('live', liveRoute(api)));
  server.put('/api/meetings/:meetingId/rule', handle('register.rule', register.putRule));
  server.post('/api/meetings/:meetingId/attendanceReports/:reportId/corrections', handle('register.correct', register.postCorrection));
  server.get('/api/meetings/:meetingId/attendanceReports/:reportId/corrections', handle('register.corrections', register.listCorrections));
  server.get('/api/chats/:chatThreadId/attendance', handle('class.attendance', classAttendanceRoute(api, false)));
  server.get('/api/chats/:chatThreadId/attendance.csv', handle('class.attendance.csv', classAttendanceRoute(api, true)));
  server.del('/api/meetings/:meetingId', handle('meetings.delete', deleteMeetingRoute(api)));
  mountGraphRoutes(server, api);
  server.get('/api/webhooks/deliveries', handle('webhooks.deliveries', webhookDeliveriesRoute(api)));
  server.get('/healthz', handle('health', healthRoute(deps.store)));
  if (deps.demo) server.get('/tab/demo-config', handle('demo.config', demoConfigRoute(deps.demo)));
  server.get('/tab/*', handle('tab.files', tabFilesRoute()));

  // restify's own rejections (malformed JSON 400, body too large 413, unknown route 404): log each one, and
  // answer in the API's error shape ({ error: { code, message } }) rather than restify's ({ code, message }).
  server.on('restifyError', (req: Request, res: Response, error: RestifyError, callback: () => void) => {
    logger.warn({ method: req.method, url: req.url, status: error.statusCode, err: error.message }, 'request rejected');
    const code = error.body?.code ?? error.name;
    // The Graph-compatible paths answer in Graph's error shape, which typed Graph SDKs can read.
    if (req.url?.startsWith('/v1.0/')) {
      const requestId = assignRequestId(req, res);
      const clientRequestId = req.header('client-request-id') || undefined;
      error.toJSON = () => graphErrorBody(error.statusCode ?? 500, error.message, requestId, clientRequestId);
    } else {
      error.toJSON = () => ({ error: { code, message: error.message } });
    }
    callback();
  });
  return server;
}

function sendError(req: Request, res: Response, route: string, error: unknown, logger: Logger): void {
  if (error instanceof AppError) {
    logger.warn({ route, method: req.method, url: req.url, status: error.status, code: error.code }, error.message);
    for (const [name, value] of Object.entries(error.headers)) res.header(name, value);
    res.send(error.status, { error: { code: error.code, message: error.message } });
    return;
  }
  logger.error({ route, method: req.method, url: req.url, err: error }, 'request failed');
  res.send(500, { error: { code: 'InternalError', message: 'Something went wrong on our side. Retry; if it persists, check the server log.' } });
}
