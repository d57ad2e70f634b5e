/**
 * The Bot Framework envelope every activity must carry before botbuilder sees it (teams/activityEnvelope.ts):
 * the fixtures pass unchanged, made-up fields in the accounts are dropped (replies are built from them), and a
 * wrong type is named in the problem. test/integration/badInput.test.ts checks the answers on the wire.
 */
import assert from 'node:assert/strict';
import { parseActivityEnvelope, type ActivityEnvelope } from '../../bot/src/teams/activityEnvelope.js';
import { loadFixture } from '../support/fixtures.js';

const FIXTURES = [
  'bot-installed.json',
  'meeting-start.json',
  'meeting-end.json',
  'participants-join.json',
  'participant-leave.json',
  'message-attendance-report.json',
];

function envelopeOf(activity: object): ActivityEnvelope {
  const result = parseActivityEnvelope(activity);
  if (!result.ok) assert.fail(`expected the envelope to pass, got: ${result.problem}`);
  return result.value;
}

function problemOf(activity: object): string {
  const result = parseActivityEnvelope(activity);
  if (result.ok) assert.fail('expected the envelope to be refused');
  return result.problem;
}

describe('parseActivityEnvelope: what botbuilder needs to answer an activity', () => {
  for (const name of FIXTURES) {
    it(`passes ${name} with its envelope unchanged`, () => {
      const activity = loadFixture(name);
      const envelope = envelopeOf(activity);
      for (const [field, value] of Object.entries(envelope)) assert.deepEqual(value, activity[field], field);
      assert.equal(envelope.conversation.id, activity.conversation.id);
    });
  }

  it('turns null entities into none, which is all botbuilder\'s mention helpers can read', () => {
    const envelope = envelopeOf({ ...loadFixture('message-attendance-report.json'), entities: null });
    assert.equal(envelope.entities, undefined);
  });

  it('keeps null where Teams may send it (a locale, a name)', () => {
    const activity = { ...loadFixture('message-attendance-report.json'), locale: null };
    activity.from.name = null;
    const envelope = envelopeOf(activity);
    assert.equal(envelope.locale, null);
    assert.equal(envelope.from.name, null);
  });

  it('drops fields the accounts do not have, so nothing made up is echoed back in a reply', () => {
    const activity = loadFixture('message-attendance-report.json');
    activity.conversation.padding = { deeply: { nested: ['junk'] } };
    activity.recipient.extra = 'x'.repeat(1000);
    const envelope = envelopeOf(activity);
    assert.ok(!('padding' in envelope.conversation));
    assert.ok(!('extra' in envelope.recipient));
    assert.ok(!('value' in envelope), 'only the envelope is returned; the rest is for the handlers to parse');
  });

  const broken: [string, (activity: any) => void, RegExp][] = [
    ['its serviceUrl is not a URL', (activity) => (activity.serviceUrl = 'smba.trafficmanager.net'), /serviceUrl must be an http\(s\) URL/],
    ['its serviceUrl is not http(s)', (activity) => (activity.serviceUrl = 'file:///etc/passwd'), /serviceUrl must be an http\(s\) URL/],
    ['it has no serviceUrl', (activity) => delete activity.serviceUrl, /serviceUrl/],
    ['its conversation.id is a number', (activity) => (activity.conversation.id = 19), /conversation\.id/],
    ['its conversation.id has a line break', (activity) => (activity.conversation.id = '19:a\r\nX-Injected: 1'), /conversation\.id must be printable ASCII/],
    ['its conversation.isGroup is text', (activity) => (activity.conversation.isGroup = 'yes'), /conversation\.isGroup/],
    ['its recipient is null', (activity) => (activity.recipient = null), /recipient/],
    ['its from.id is empty', (activity) => (activity.from.id = ''), /from\.id/],
    ['the activity id is a number', (activity) => (activity.id = 1732613500005), /^id /],
    ['the activity id is too long for the reply URL', (activity) => (activity.id = '🙂'.repeat(257)), /^id longer than 512 characters/],
    ['the activity id has a lone surrogate (no URL can encode it)', (activity) => (activity.id = '1732\udfff'), /^id must be well-formed Unicode/],
    ['the type is empty', (activity) => (activity.type = ''), /^type /],
    ['the text is an object', (activity) => (activity.text = { value: 'report' }), /^text /],
    ['its entities are not a list', (activity) => (activity.entities = 'mention'), /entities/],
    ['a mention names no one', (activity) => delete activity.entities[0].mentioned, /entities\.0 a mention needs text and mentioned\.id/],
    ['its membersAdded is an object', (activity) => (activity.membersAdded = { id: '28:bot' }), /membersAdded/],
  ];
  for (const [what, breakIt, problem] of broken) {
    it(`refuses an activity when ${what}, naming the field`, () => {
      const activity = loadFixture('message-attendance-report.json');
      breakIt(activity);
      assert.match(problemOf(activity), problem);
    });
  }
});
