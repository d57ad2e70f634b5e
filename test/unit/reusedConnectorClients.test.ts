/**
 * Bot Connector clients are made once per service URL and audience and shared by every turn
 * (bot/src/http/auth/reusedConnectorClients.ts): through botbuilder's own CloudAdapter in local mode, and the
 * keeping rules on their own (a failed client is not kept, the least recently used go beyond the bound).
 */
import assert from 'node:assert/strict';
import { CloudAdapter, type Activity, type TurnContext } from 'botbuilder';
import { BotAuthentication } from '../../bot/src/http/auth/botFrameworkAuthentication.js';
import { ReusedConnectorClients, type ConnectorFactory } from '../../bot/src/http/auth/reusedConnectorClients.js';

function activityFrom(serviceUrl: string, id: string): Activity {
  return {
    type: 'message',
    id,
    text: 'hi',
    channelId: 'msteams',
    serviceUrl,
    from: { id: '29:ana', name: 'Ana' },
    recipient: { id: '28:bot', name: 'Attendance' },
    conversation: { id: '19:meeting_chat@thread.v2', isGroup: true, conversationType: 'groupChat', name: '' },
  } as Activity;
}

/** The connector client CloudAdapter gave the turn of each activity. */
async function turnClientsOf(adapter: CloudAdapter, activities: Activity[]): Promise<unknown[]> {
  const clients: unknown[] = [];
  for (const activity of activities) {
    await adapter.processActivityDirect('', activity, async (context: TurnContext) => {
      clients.push(context.turnState.get(context.adapter.ConnectorClientKey));
    });
  }
  return clients;
}

/** A factory that counts what it makes; `failFirst` makes its first client fail. */
function countingFactory(failFirst = false): ConnectorFactory & { made: number } {
  const factory = {
    made: 0,
    create: async (serviceUrl: string, audience?: string) => {
      factory.made += 1;
      if (failFirst && factory.made === 1) throw new Error('no credentials');
      return { serviceUrl, audience, serial: factory.made } as unknown as Awaited<ReturnType<ConnectorFactory['create']>>;
    },
  };
  return factory;
}

describe('Bot Connector clients: one per service URL, shared by every turn', () => {
  it('gives every turn from the same service URL the same client, and another service URL its own', async () => {
    const adapter = new CloudAdapter(new BotAuthentication(undefined));
    const emea = 'https://smba.trafficmanager.net/emea/';
    const amer = 'https://smba.trafficmanager.net/amer/';
    const [first, second, other] = await turnClientsOf(adapter, [activityFrom(emea, 'a1'), activityFrom(emea, 'a2'), activityFrom(amer, 'a3')]);
    assert.ok(first, 'the turn has a connector client');
    assert.equal(second, first);
    assert.notEqual(other, first);
    assert.equal((other as { baseUri?: string }).baseUri, amer);
  });

  it('makes a client once per service URL and audience', async () => {
    const factory = countingFactory();
    const reused = new ReusedConnectorClients().around(factory);
    const a = await reused.create('https://one/', 'https://api.botframework.com');
    assert.equal(await reused.create('https://one/', 'https://api.botframework.com'), a);
    assert.notEqual(await reused.create('https://one/', 'https://api.botframework.us'), a);
    assert.notEqual(await reused.create('https://two/', 'https://api.botframework.com'), a);
    assert.equal(factory.made, 3);
  });

  it('does not keep a client that could not be made: the next turn asks again', async () => {
    const factory = countingFactory(true);
    const reused = new ReusedConnectorClients().around(factory);
    await assert.rejects(reused.create('https://one/'), /no credentials/);
    const client = await reused.create('https://one/');
    assert.equal(factory.made, 2);
    assert.equal(await reused.create('https://one/'), client);
  });

  it('keeps at most 256, dropping the least recently used', async () => {
    const factory = countingFactory();
    const clients = new ReusedConnectorClients();
    const reused = clients.around(factory);
    const first = await reused.create('https://tenant-0/');
    for (let index = 1; index < 256; index += 1) await reused.create(`https://tenant-${index}/`);
    assert.equal(await reused.create('https://tenant-0/'), first, 'used again: now the most recent');
    await reused.create('https://tenant-256/');
    assert.equal(factory.made, 257);
    assert.equal(await reused.create('https://tenant-0/'), first, 'still kept');
    await reused.create('https://tenant-1/');
    assert.equal(factory.made, 258, 'tenant-1, the least recently used, was dropped and made again');
  });
});
