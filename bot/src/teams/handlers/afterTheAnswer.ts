/**
 * Work that may be lost in a crash (a reply to a chat command, the welcome, who was already in the meeting
 * at install) runs after Teams has its answer: started on the next turn of the event loop, logged if it
 * fails, never awaited by the handler. It must not use the turn's context, which botbuilder revokes once
 * the turn is answered; connector calls go through BotDeps.connector.
 */
import type { BotDeps } from '../botDeps.js';

export function afterTheAnswer(deps: Pick<BotDeps, 'logger'>, what: string, work: () => Promise<void>): void {
  setImmediate(() => {
    work().catch((error: unknown) => deps.logger.warn({ err: error }, `${what} failed; the attendance itself is recorded`));
  });
}
