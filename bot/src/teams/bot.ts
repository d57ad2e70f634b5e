/**
 * The bot: a route table from activity type (and event name) to handler. Each selector is a pure function
 * of the activity; the first match handles the turn, and an activity no route selects is acknowledged and ignored
 * (an invoke with an invoke response of 200).
 * (botbuilder's TeamsActivityHandler is not used: its meeting-event parsing is strict and throws on payloads
 * Teams really sends, such as a missing Title or a null JoinUrl.)
 */
import { ActivityTypes, type Activity, type TurnContext } from 'botbuilder';
import type { BotDeps } from './botDeps.js';
import { onCommand } from './handlers/onCommand.js';
import { botWasAdded, onInstalled } from './handlers/onInstalled.js';
import { onMeetingEvent } from './handlers/onMeetingEvent.js';
import { isMeetingEventName } from './parseMeetingEvent.js';

interface Route {
  name: string;
  selects(activity: Activity): boolean;
  handle(context: TurnContext, deps: BotDeps): Promise<void>;
}

export const ROUTES: readonly Route[] = [
  {
    name: 'meeting event',
    selects: (activity) => activity.type === 'event' && isMeetingEventName(activity.name),
    handle: onMeetingEvent,
  },
  {
    name: 'added to a chat',
    selects: (activity) => activity.type === 'conversationUpdate' && botWasAdded(activity),
    handle: onInstalled,
  },
  {
    name: 'chat command',
    selects: (activity) => activity.type === 'message',
    handle: onCommand,
  },
];

export type Bot = (context: TurnContext) => Promise<void>;

export function createBot(deps: BotDeps): Bot {
  return async (context) => {
    const route = ROUTES.find((candidate) => candidate.selects(context.activity));
    if (!route) {
      deps.logger.debug({ type: context.activity.type, name: context.activity.name }, 'activity ignored: no route');
      // An invoke is acknowledged by an invoke response of its own; without one the adapter answers 501.
      if (context.activity.type === ActivityTypes.Invoke) {
        await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 200 } });
      }
      return;
    }
    await route.handle(context, deps);
  };
}
