/**
 * What the bot endpoint does with input Teams would never send, or sends broken: a clear 4xx, nothing
 * written (not even part of an activity), a log line saying why, and a server that keeps answering.
 */
import assert from 'node:assert/strict';
import { INSTANT_MEETING_NOTICE } from '../../bot/src/teams/cards/messages.js';
import { useTestEnvironment } from '../support/environment.js';
import { on, postActivity, TeamsMeeting } from '../support/meeting.js';
import { ana, bob, dan } from '../support/people.js';
import { getApi, getMeetingApi } from '../support/reportApi.js';
import { LOG_LEVEL } from '../support/server.js';

describe('bad input to /api/messages', function () {
  const env = useTestEnvironment({ now: on('09:10:00.000') });
  let meeting: TeamsMeeting;
  let reportBefore: string;
  let postedBefore: number;

  const reportNow = async () => {
    const token = await env.tokens.appToken({ roles: ['Attendance.Read.All'] });
    const answer = await getMeetingApi(env.server.url, meeting.meetingId, '/attendanceReport', token);
    assert.equal(answer.status, 200, answer.text);
    return answer.text;
  };

  /** Posts the activity, expects a 4xx in the API's error shape, and returns the error code. */
  const rejected = async (body: object | string, status: number): Promise<string> => {
    const response = await postActivity(env.server.url, body);
    const text = await response.text();
    assert.equal(response.status, status, text);
    const json = JSON.parse(text);
    assert.equal(typeof json.error?.code, 'string', text);
    assert.equal(typeof json.error?.message, 'string', text);
    return json.error.code as string;
  };

  before(async () => {
    meeting = new TeamsMeeting(() => env.server.url, env.connector.url);
    await meeting.play(meeting.started(on('09:00:00.000')), meeting.joined(on('09:00:10.000'), [ana, bob]));
    // The instant-meeting notice (the fixture's details say MeetNow) is posted after the answers.
    await env.connector.waitForActivity((posted) => posted.body.text === INSTANT_MEETING_NOTICE);
    reportBefore = await reportNow();
    postedBefore = env.connector.activities.length;
  });

  describe('bodies that are not activities', () => {
    it('answers 400 to malformed JSON, and logs it', async () => {
      assert.equal(await rejected('{"type": "event", "name":', 400), 'InvalidContent');
      assert.ok(env.server.logsMatching('request rejected', LOG_LEVEL.warn).some((line) => line['status'] === 400));
    });

    it('answers 413 to a body over 1 MB, and logs it', async () => {
      const huge = JSON.stringify({ ...meeting.joined(on('09:01:00.000'), [dan]), padding: 'x'.repeat(1024 * 1024) });
      assert.equal(await rejected(huge, 413), 'PayloadTooLarge');
      assert.ok(env.server.logsMatching('request rejected', LOG_LEVEL.warn).some((line) => line['status'] === 413));
    });

    it('answers 400 to JSON that is not an object ([], a string, null)', async () => {
      for (const body of ['[]', '"attendance report"', 'null']) {
        assert.equal(await rejected(body, 400), 'BadRequest', body);
      }
    });

    it('answers 400 to an object without an activity type', async () => {
      assert.equal(await rejected({}, 400), 'BadRequest');
      assert.equal(await rejected({ text: 'attendance report' }, 400), 'BadRequest');
    });
  });

  describe('broken meeting events: 400, nothing written, a log line', () => {
    const badActivityLogged = (problem: RegExp) =>
      env.server.logs.some((line) => line.level >= LOG_LEVEL.warn && line['code'] === 'BadActivity' && problem.test(line.msg));

    it('refuses a join without channelData.meeting.id', async () => {
      const join = meeting.joined(on('09:01:00.000'), [dan]);
      delete join.channelData.meeting;
      assert.equal(await rejected(join, 400), 'BadActivity');
      assert.ok(badActivityLogged(/channelData\.meeting\.id/));
      assert.equal(await reportNow(), reportBefore);
    });

    it('refuses a join with an empty member list', async () => {
      const join = meeting.joined(on('09:01:00.000'), []);
      assert.equal(await rejected(join, 400), 'BadActivity');
      assert.ok(badActivityLogged(/members/));
      assert.equal(await reportNow(), reportBefore);
    });

    it('refuses events whose timestamp is missing or not a date', async () => {
      const noDate = meeting.left(on('09:01:00.000'), [bob]);
      noDate.timestamp = 'yesterday-ish';
      assert.equal(await rejected(noDate, 400), 'BadActivity');
      const noTimestamp = meeting.left(on('09:01:00.000'), [bob]);
      delete noTimestamp.timestamp;
      assert.equal(await rejected(noTimestamp, 400), 'BadActivity');
      const endWithoutDate = meeting.ended(on('09:01:00.000'));
      endWithoutDate.timestamp = 'not a date';
      assert.equal(await rejected(endWithoutDate, 400), 'BadActivity');
      assert.ok(badActivityLogged(/timestamp/));
      assert.equal(await reportNow(), reportBefore);
    });

    it('writes neither member of a join whose second member is invalid (no partial write)', async () => {
      const join = meeting.joined(on('09:02:00.000'), [dan, bob]);
      join.value.members[1].user = { name: 'No Id' };
      assert.equal(await rejected(join, 400), 'BadActivity');
      assert.ok(badActivityLogged(/members\.1\.user\.id/));
      const report = await reportNow();
      assert.equal(report, reportBefore);
      assert.ok(!report.includes('Dan Student'));
    });

    it('posts nothing to the chat for a refused activity', () => {
      assert.equal(env.connector.activities.length, postedBefore);
    });
  });

  describe('activities the bot does not handle', () => {
    it('acknowledges an unknown event name with 200 and ignores it', async () => {
      const unknown = meeting.joined(on('09:03:00.000'), [dan]);
      unknown.name = 'application/vnd.microsoft.meetingSomethingNew';
      const response = await postActivity(env.server.url, unknown);
      assert.equal(response.status, 200);
      assert.equal(await reportNow(), reportBefore);
      assert.ok(env.server.logsMatching('activity ignored: no route').some((line) => line['name'] === unknown.name));
    });

    it('acknowledges an invoke that no route handles with 200 (not the adapter\'s 501, which became a 500)', async () => {
      const invoke = { ...meeting.message('attendance report', on('09:03:10.000')), type: 'invoke', name: 'adaptiveCard/action', value: {} };
      const response = await postActivity(env.server.url, invoke);
      assert.equal(response.status, 200, await response.text());
      assert.equal(await reportNow(), reportBefore);
    });

    it('answers a chat message with null entities like one without any', async () => {
      const message = { ...meeting.message('help', on('09:03:15.000')), entities: null };
      const response = await postActivity(env.server.url, message);
      assert.equal(response.status, 200, await response.text());
      await env.connector.waitForActivity((posted) => posted.replyToId === message.id);
    });

    it('answers a chat message that has a mention but no text with the help text', async () => {
      const message = meeting.message('attendance report', on('09:03:20.000'));
      delete message.text;
      const response = await postActivity(env.server.url, message);
      assert.equal(response.status, 200, await response.text());
      const reply = await env.connector.waitForActivity((posted) => posted.replyToId === message.id);
      assert.match(reply.body.text, /^I record who attends this meeting/);
    });
  });

  // botbuilder builds replies from these fields and throws on a wrong type (or, without a service URL, calls a
  // default Bot Framework service): each of these was a 500, or worse, before the envelope was checked.
  describe('activities whose Bot Framework envelope is broken: 400 in the error shape, nothing written', () => {
    const brokenJoins: [string, (activity: any) => void][] = [
      ['no serviceUrl', (activity) => delete activity.serviceUrl],
      ['a serviceUrl that is not a URL', (activity) => (activity.serviceUrl = 'smba.trafficmanager.net')],
      ['a serviceUrl that is a number', (activity) => (activity.serviceUrl = 42)],
      ['a conversation id that is a number', (activity) => (activity.conversation.id = 42)],
      ['a conversation id outside printable ASCII (it is sent back in a header)', (activity) => (activity.conversation.id = '19:meeting_✓@thread.v2')],
      ['no sender (from)', (activity) => delete activity.from],
      ['a null recipient', (activity) => (activity.recipient = null)],
      ['an empty activity type', (activity) => (activity.type = '')],
      // Such ids made delivery keys like "1e+21|participantJoined|…" that different activities shared.
      ['an activity id that is not text', (activity) => (activity.id = 1e21)],
    ];
    for (const [what, breakIt] of brokenJoins) {
      it(`refuses a join with ${what}`, async () => {
        const join = meeting.joined(on('09:03:30.000'), [dan]);
        breakIt(join);
        assert.equal(await rejected(join, 400), 'BadRequest');
        assert.equal(await reportNow(), reportBefore);
      });
    }

    it('refuses a chat message whose mention entity names no one', async () => {
      const message = meeting.message('attendance report', on('09:03:40.000'));
      message.entities = [{ type: 'mention', text: '<at>Attendance</at>' }];
      assert.equal(await rejected(message, 400), 'BadRequest');
    });

    it('refuses an added-to-chat update whose membersAdded is not a list', async () => {
      const installed = meeting.installed(on('09:03:50.000'));
      installed.membersAdded = { id: installed.recipient.id };
      assert.equal(await rejected(installed, 400), 'BadRequest');
    });
  });

  describe('the server afterwards', () => {
    it('logged no error for any of the input above (each was the sender\'s mistake, not ours)', () => {
      assert.deepEqual(env.server.logs.filter((line) => line.level >= LOG_LEVEL.error), []);
    });

    it('still answers GET /healthz with 200 and the store status', async () => {
      const health = await getApi(env.server.url, '/healthz');
      assert.equal(health.status, 200, health.text);
      assert.equal(health.json.status, 'ok');
      assert.equal(health.json.store.ok, true);
      assert.equal(health.json.store.kind, 'sqlite');
    });

    it('still records a valid event', async () => {
      await meeting.send(meeting.joined(on('09:04:00.000'), [dan]));
      assert.ok((await reportNow()).includes('Dan Student'));
    });

    it('answers an unknown path with 404 in the API error shape', async () => {
      const answer = await getApi(env.server.url, '/api/nothing-here');
      assert.equal(answer.status, 404);
      assert.equal(typeof answer.json.error.code, 'string');
    });
  });
});
