import assert from 'node:assert/strict';
import { onlineMeetingIdOf, webhookPayload } from '../../bot/src/webhooks/webhookPayload.js';

const organizer = '5d3c2b1a-0000-4000-8000-000000000101';
const chatId = '19:meeting_YTgyZTgyZDUtMDQxNC00YjJlLTgxNGYtZDM2NTU0NTE3NzU2@thread.v2';

describe('webhook payload', () => {
  it("takes Graph's onlineMeeting id from Teams when given, else builds it as Graph does: base64 of 1*{organizer}*0**{chat thread}", () => {
    assert.equal(onlineMeetingIdOf({ onlineMeetingId: 'from-teams', organizerAadObjectId: organizer, chatId }), 'from-teams');
    const built = onlineMeetingIdOf({ organizerAadObjectId: organizer, chatId });
    assert.equal(Buffer.from(built ?? '', 'base64').toString(), `1*${organizer}*0**${chatId}`);
    assert.equal(onlineMeetingIdOf({ chatId }), null, 'unknown without the organizer');
    assert.equal(onlineMeetingIdOf({ organizerAadObjectId: organizer }), null, 'unknown without the chat');
  });

  it('is the thin body: ids, the report id and the Graph path of the report, with null for what is not known', () => {
    const meeting = { tenantId: 't1', meetingId: 'MCMx+OTpt/ZWV0aW5n==', chatId, organizerAadObjectId: organizer, organizerUpn: 'ana@contoso.test' };
    const payload = webhookPayload('attendanceReport.updated', '2025-11-26T10:00:00.000Z', { ...meeting, onlineMeetingId: 'MSo1+ZDNj/Yz==' }, 'r1');
    assert.deepEqual(payload, {
      type: 'attendanceReport.updated',
      timestamp: '2025-11-26T10:00:00.000Z',
      data: {
        tenantId: 't1',
        meetingId: 'MCMx+OTpt/ZWV0aW5n==',
        onlineMeetingId: 'MSo1+ZDNj/Yz==',
        chatThreadId: chatId,
        joinWebUrl: null,
        reportId: 'r1',
        organizer: { id: organizer, userPrincipalName: 'ana@contoso.test' },
        resource: `/v1.0/users/${organizer}/onlineMeetings/MSo1%2BZDNj%2FYz%3D%3D/attendanceReports/r1`,
      },
    });
    const unknown = webhookPayload('attendanceReport.created', '2025-11-26T10:00:00.000Z', { tenantId: 't1', meetingId: 'm1' }, 'r1').data;
    assert.deepEqual([unknown.onlineMeetingId, unknown.chatThreadId, unknown.organizer, unknown.resource], [null, null, { id: null, userPrincipalName: null }, null]);
  });
});
