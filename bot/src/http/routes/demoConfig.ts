/**
 * Demo mode only (`npm run demo`): GET /tab/demo-config?as={persona} tells the side panel preview, opened in a
 * plain browser, which meeting to show and gives it a token for the made-up person it plays. The server mounts
 * this route only when the demo script passes DemoAccess to startApp; no setting turns it on, and it answers
 * loopback callers only.
 */
import type { Request, Response } from 'restify';
import { AppError } from '../../errors.js';

export interface DemoIdentity {
  displayName: string;
  /** A bearer token for the API, signed by the demo's own issuer (which the server's JWKS setting points at). */
  token: string;
}

export interface DemoAccess {
  meetingId: string;
  personas: readonly string[];
  identityFor(persona: string): Promise<DemoIdentity | undefined>;
}

const LOOPBACK_ADDRESSES = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

export function demoConfigRoute(demo: DemoAccess) {
  return async (req: Request, res: Response): Promise<void> => {
    if (!LOOPBACK_ADDRESSES.has(req.socket.remoteAddress ?? '')) {
      throw new AppError('Forbidden', 403, 'The demo answers on this computer only (loopback).');
    }
    const persona = String(req.query?.['as'] ?? '');
    const identity = await demo.identityFor(persona);
    if (!identity) {
      throw new AppError('NotFound', 404, `No demo persona "${persona}": use ?demo= with one of ${demo.personas.join(', ')}.`);
    }
    res.header('Cache-Control', 'no-store');
    res.send(200, { meetingId: demo.meetingId, persona, displayName: identity.displayName, token: identity.token });
  };
}
