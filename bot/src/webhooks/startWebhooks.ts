/** Starts the webhook delivery loop when endpoints are configured, and says once when webhooks are off. */
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import type { AttendanceStore } from '../store/store.js';
import { endpointForLogs, WebhookDeliverer } from './webhookDeliverer.js';
import { WebhookNotifier } from './webhookNotifier.js';

export interface RunningWebhooks {
  notifier: WebhookNotifier;
  stop(): Promise<void>;
}

export function startWebhooks(config: Pick<Config, 'webhooks'>, deps: { store: AttendanceStore; logger: Logger; now: () => Date }): RunningWebhooks | undefined {
  const settings = config.webhooks;
  if (!settings) {
    deps.logger.info('attendance webhooks are off: set ATTENDANCE_WEBHOOK_URL and ATTENDANCE_WEBHOOK_SECRET (or ATTENDANCE_WEBHOOKS) to push reports');
    return undefined;
  }
  const deliverer = new WebhookDeliverer({ ...deps, settings });
  const notifier = new WebhookNotifier({ ...deps, endpoints: settings.endpoints, onEnqueued: () => deliverer.nudge() });
  deliverer.start();
  deps.logger.info({ endpoints: settings.endpoints.map((endpoint) => endpointForLogs(endpoint.url)) }, 'attendance webhooks are on');
  return { notifier, stop: () => deliverer.stop() };
}
