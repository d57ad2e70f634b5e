/**
 * The webhook outbox part of the store contract (bot/src/store/webhookOutbox.ts), run by describeStoreContract
 * against every adapter.
 */
import assert from 'node:assert/strict';
import type { AttendanceStore } from '../../bot/src/store/store.js';
import type { WebhookDelivery } from '../../bot/src/store/webhookOutbox.js';

function delivery(overrides: Partial<WebhookDelivery> = {}): WebhookDelivery {
  return {
    tenantId: 'tenant-a',
    meetingId: 'bWVldGluZy0x',
    messageId: 'msg_01',
    endpointId: 'endpoint-1',
    endpointUrl: 'https://lms.example.edu/hooks/attendance',
    type: 'attendanceReport.created',
    reportId: 'report-1',
    body: '{"type":"attendanceReport.created"}',
    createdAt: '2025-11-26T10:00:00.000Z',
    status: 'pending',
    attempts: 0,
    nextAttemptAt: '2025-11-26T10:00:00.000Z',
    ...overrides,
  };
}

const ids = (deliveries: WebhookDelivery[]) => deliveries.map((item) => `${item.messageId}/${item.endpointId}`);

export function describeWebhookOutboxContract(context: { store(): AttendanceStore; reopen(): Promise<void> }): void {
  describe('webhook outbox', () => {
    it('stores a delivery once: the same message and endpoint enqueued again (a redelivered event) is skipped', async () => {
      const store = context.store();
      const first = delivery();
      assert.deepEqual(await store.enqueueDeliveries([first, delivery({ endpointId: 'endpoint-2' })]), { added: 2 });
      assert.deepEqual(await store.enqueueDeliveries([delivery({ body: '{"changed":true}' }), delivery({ messageId: 'msg_02' })]), {
        added: 1,
      });
      assert.deepEqual(await store.getDelivery('msg_01', 'endpoint-1'), first, 'the first one is kept as it was');
      assert.equal(await store.getDelivery('msg_01', 'endpoint-9'), undefined);
    });

    it('lists the pending deliveries due, soonest first, at most limit, and none delivered or not yet due', async () => {
      const store = context.store();
      await store.enqueueDeliveries([
        delivery({ messageId: 'msg_late', nextAttemptAt: '2025-11-26T10:00:09.000Z' }),
        delivery({ messageId: 'msg_soon', nextAttemptAt: '2025-11-26T10:00:01.000Z' }),
        delivery({ messageId: 'msg_later', nextAttemptAt: '2025-11-26T10:05:00.000Z' }),
        delivery({ messageId: 'msg_done', status: 'delivered', nextAttemptAt: undefined, attempts: 1 }),
      ]);
      const now = new Date('2025-11-26T10:00:10.000Z');
      assert.deepEqual(ids(await store.listDueDeliveries(now, 10)), ['msg_soon/endpoint-1', 'msg_late/endpoint-1']);
      assert.deepEqual(ids(await store.listDueDeliveries(now, 1)), ['msg_soon/endpoint-1']);

      const soon = (await store.getDelivery('msg_soon', 'endpoint-1')) as WebhookDelivery;
      await store.updateDelivery({ ...soon, status: 'delivered', attempts: 1, nextAttemptAt: undefined, lastResult: 'HTTP 204' });
      const late = (await store.getDelivery('msg_late', 'endpoint-1')) as WebhookDelivery;
      await store.updateDelivery({ ...late, attempts: 1, nextAttemptAt: '2025-11-26T10:30:00.000Z', lastResult: 'HTTP 500' });
      assert.deepEqual(ids(await store.listDueDeliveries(now, 10)), []);
      assert.equal((await store.getDelivery('msg_soon', 'endpoint-1'))?.lastResult, 'HTTP 204');
      assert.deepEqual(ids(await store.listDueDeliveries(new Date('2025-11-26T11:00:00.000Z'), 10)), [
        'msg_later/endpoint-1',
        'msg_late/endpoint-1',
      ]);
    });

    it("lists one tenant's deliveries newest first, never another tenant's", async () => {
      const store = context.store();
      await store.enqueueDeliveries([
        delivery({ messageId: 'msg_old', createdAt: '2025-11-26T09:00:00.000Z' }),
        delivery({ messageId: 'msg_new', createdAt: '2025-11-26T11:00:00.000Z' }),
        delivery({ messageId: 'msg_other', tenantId: 'tenant-b', createdAt: '2025-11-26T12:00:00.000Z' }),
      ]);
      assert.deepEqual(ids(await store.listDeliveries('tenant-a', 10)), ['msg_new/endpoint-1', 'msg_old/endpoint-1']);
      assert.deepEqual(ids(await store.listDeliveries('tenant-a', 1)), ['msg_new/endpoint-1']);
      assert.deepEqual(ids(await store.listDeliveries('tenant-b', 10)), ['msg_other/endpoint-1']);
      assert.deepEqual(await store.listDeliveries('tenant-c', 10), []);
    });

    it('prunes deliveries created before a cutoff, whatever their state, and keeps the rest', async () => {
      const store = context.store();
      await store.enqueueDeliveries([
        delivery({ messageId: 'msg_old', createdAt: '2025-11-01T09:00:00.000Z' }),
        delivery({ messageId: 'msg_old_done', status: 'delivered', createdAt: '2025-11-02T09:00:00.000Z' }),
        delivery({ messageId: 'msg_new', createdAt: '2025-11-26T11:00:00.000Z' }),
      ]);
      assert.equal(await store.pruneDeliveries(new Date('2025-11-20T00:00:00.000Z')), 2);
      assert.deepEqual(ids(await store.listDeliveries('tenant-a', 10)), ['msg_new/endpoint-1']);
    });

    it('deletes a meeting with its deliveries, and keeps other meetings\' deliveries', async () => {
      const store = context.store();
      await store.enqueueDeliveries([delivery({ messageId: 'msg_a' }), delivery({ messageId: 'msg_b', meetingId: 'other-meeting' })]);
      await store.deleteMeeting({ tenantId: 'tenant-a', meetingId: 'bWVldGluZy0x' });
      assert.deepEqual(ids(await store.listDeliveries('tenant-a', 10)), ['msg_b/endpoint-1']);
    });

    it('remembers disabled endpoints, also after being closed and opened again', async () => {
      assert.deepEqual(await context.store().listDisabledEndpoints(), []);
      await context.store().disableEndpoint('endpoint-key-1', 'HTTP 410 Gone', new Date('2025-11-26T10:00:00.000Z'));
      await context.store().disableEndpoint('endpoint-key-1', 'HTTP 410 Gone again', new Date('2025-11-26T10:01:00.000Z'));
      await context.store().enqueueDeliveries([delivery()]);
      await context.reopen();
      assert.deepEqual(await context.store().listDisabledEndpoints(), ['endpoint-key-1']);
      assert.equal((await context.store().getDelivery('msg_01', 'endpoint-1'))?.status, 'pending');
    });
  });
}
