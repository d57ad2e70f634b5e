/** GET /healthz: liveness plus the store's state, for App Service health checks and operators. */
import type { Request, Response } from 'restify';
import type { AttendanceStore } from '../../store/store.js';

export function healthRoute(store: AttendanceStore) {
  return async (_req: Request, res: Response) => {
    const health = await store.health();
    res.send(health.ok ? 200 : 503, { status: health.ok ? 'ok' : 'unavailable', store: health });
  };
}
