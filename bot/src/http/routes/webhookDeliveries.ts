/**
 * GET /api/webhooks/deliveries: the caller's tenant's recent webhook deliveries, newest first, for applications
 * with Attendance.Read.All (the same app role that reads every report the webhooks announce). `?top=` (1 to
 * 500, default 100) bounds the list; deliveries are kept for KEEP_DAYS after their event.
 */
import type { Request, Response } from 'restify';
import { z } from 'zod';
import { tenantReadPermission } from '../../attendance/access.js';
import { badRequest, forbidden } from '../../errors.js';
import type { WebhookDelivery } from '../../store/webhookOutbox.js';
import { endpointForLogs } from '../../webhooks/webhookDeliverer.js';
import { describeCaller, type MeetingReadDeps } from './meetingAccess.js';

const query = z.object({ top: z.coerce.number().int().min(1).max(500).default(100) });

export function webhookDeliveriesRoute(deps: MeetingReadDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    const caller = await deps.authenticate(req);
    const permission = tenantReadPermission(caller);
    if (!permission.allowed) {
      deps.logger.warn({ caller: describeCaller(caller), reason: permission.reason }, 'webhook deliveries access refused');
      throw forbidden(permission.reason);
    }
    const parsed = query.safeParse(req.query ?? {});
    if (!parsed.success) throw badRequest('top must be a whole number from 1 to 500.');
    const deliveries = await deps.store.listDeliveries(caller.tenantId, parsed.data.top);
    res.send(200, { value: deliveries.map(describeDelivery) });
  };
}

function describeDelivery(delivery: WebhookDelivery) {
  return {
    id: delivery.messageId,
    type: delivery.type,
    meetingId: delivery.meetingId,
    reportId: delivery.reportId,
    endpoint: endpointForLogs(delivery.endpointUrl),
    status: delivery.status,
    attempts: delivery.attempts,
    createdDateTime: delivery.createdAt,
    lastAttemptDateTime: delivery.lastAttemptAt ?? null,
    lastResult: delivery.lastResult ?? null,
    nextAttemptDateTime: delivery.nextAttemptAt ?? null,
  };
}
