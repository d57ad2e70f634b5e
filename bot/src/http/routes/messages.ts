/**
 * POST /api/messages: Bot Framework authentication (CloudAdapter), then the bot. The adapter writes its
 * answer into a captured response so that our own errors (bad activity → 400, storage down → 503) can
 * replace its generic 500, and so an event is acknowledged with 2xx only after it is stored.
 */
import type { CloudAdapter } from 'botbuilder';
import type { Request, Response } from 'restify';
import type { Logger } from '../../log.js';
import { parseActivityEnvelope } from '../../teams/activityEnvelope.js';
import type { Bot } from '../../teams/bot.js';
import { AppError, badRequest } from '../../errors.js';

class CapturedResponse {
  statusCode = 200;
  body: unknown;
  readonly socket = null;
  status(code: number): this {
    this.statusCode = code;
    return this;
  }
  header(): this {
    return this;
  }
  send(body: unknown): this {
    this.body = body;
    return this;
  }
  end(): this {
    return this;
  }
}

export function messagesRoute(adapter: CloudAdapter, bot: Bot, logger: Logger) {
  return async (req: Request, res: Response): Promise<void> => {
    const body: unknown = req.body;
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw badRequest('The body must be a JSON Bot Framework activity (Content-Type: application/json).');
    }
    const envelope = parseActivityEnvelope(body);
    if (!envelope.ok) throw badRequest(`Not a Bot Framework activity: ${envelope.problem}`);
    req.body = { ...body, ...envelope.value };
    const captured = new CapturedResponse();
    let failure: unknown;
    try {
      await adapter.process(req, captured, async (context) => {
        try {
          await bot(context);
        } catch (error) {
          failure = error;
        }
      });
    } catch (error) {
      throw badRequest(`Not a Bot Framework activity: ${(error as Error).message}`);
    }
    if (failure) throw failure;
    if (captured.statusCode === 401) {
      logger.warn({ activityType: (body as { type?: unknown }).type }, 'bot request rejected: Bot Framework authentication failed');
      throw new AppError('Unauthorized', 401, 'The request is not authenticated by the Bot Framework.');
    }
    // The adapter's own failures (e.g. Bot Framework signing keys unreachable) carry internal error text: log, don't echo.
    if (captured.statusCode >= 500) {
      throw new Error(`Bot Framework adapter answered ${captured.statusCode}: ${String(captured.body)}`);
    }
    res.send(captured.statusCode, captured.body ?? undefined);
  };
}
