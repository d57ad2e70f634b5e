/**
 * Security suite, headers: every answer of the server, whatever the route or outcome (the API, errors,
 * restify's own 404, the bot endpoint, the health check, the tab's files), says nosniff and sets a
 * Referrer-Policy. The tab's Content-Security-Policy (frame-ancestors) is tested where the tab is built:
 * test/browser/tabFiles.test.ts.
 */
import assert from 'node:assert/strict';
import { useTestEnvironment } from '../support/environment.js';
import { on, postActivity, TeamsMeeting } from '../support/meeting.js';
import { ana } from '../support/people.js';

describe('security: response headers', function () {
  const env = useTestEnvironment();
  let meeting: TeamsMeeting;

  before(async () => {
    meeting = new TeamsMeeting(() => env.server.url, env.connector.url);
    await meeting.play(meeting.started(on('09:00:00.000')), meeting.joined(on('09:00:10.000'), [ana]));
  });

  it('sends X-Content-Type-Options: nosniff and a Referrer-Policy with every answer', async () => {
    const api = (path: string) => `${env.server.url}/api/meetings/${encodeURIComponent(meeting.meetingId)}${path}`;
    const organizer = { authorization: `Bearer ${await env.tokens.userToken({ oid: ana.aadObjectId as string })}` };
    const answers: [string, Promise<Response>][] = [
      ['a report', fetch(api('/attendanceReport'), { headers: organizer })],
      ['a CSV report', fetch(api('/attendanceReport.csv'), { headers: organizer })],
      ['the live view', fetch(api('/live'), { headers: organizer })],
      ['a 401', fetch(api('/attendanceReport'))],
      ['a 404 of the API', fetch(`${env.server.url}/api/meetings/MCMxbm9uZQ%3D%3D/live`, { headers: organizer })],
      ["restify's own 404", fetch(`${env.server.url}/no/such/route`)],
      ["restify's own 405", fetch(`${env.server.url}/healthz`, { method: 'POST' })],
      ['the health check', fetch(`${env.server.url}/healthz`)],
      ['the bot endpoint', postActivity(env.server.url, meeting.joined(on('09:00:20.000'), [ana]))],
      ['a bad activity', postActivity(env.server.url, '{"type":')],
      ['a missing tab file', fetch(`${env.server.url}/tab/no-such-file.js`)],
    ];
    for (const [name, pending] of answers) {
      const response = await pending;
      await response.arrayBuffer();
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff', `${name} (${response.status})`);
      assert.ok(response.headers.get('referrer-policy'), `${name} (${response.status}) has no Referrer-Policy`);
    }
  });

  it('keeps the 304 of the live view free of a body but not of the headers', async () => {
    const organizer = { authorization: `Bearer ${await env.tokens.userToken({ oid: ana.aadObjectId as string })}` };
    const url = `${env.server.url}/api/meetings/${encodeURIComponent(meeting.meetingId)}/live`;
    const etag = (await fetch(url, { headers: organizer })).headers.get('etag') as string;
    const again = await fetch(url, { headers: { ...organizer, 'if-none-match': etag } });
    assert.equal(again.status, 304);
    assert.equal(again.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(again.headers.get('referrer-policy'), 'no-referrer');
  });
});
