/**
 * Azurite's table service (Microsoft's Azure Storage emulator, from the `azurite` npm package) on a free
 * loopback port, in memory: the tests start it themselves, so CI needs no service, and always stop it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { TableClient } from '@azure/data-tables';
import { killWithTestRun, stopProcess } from './processes.js';

/** Azurite's well-known development account, published in its README: not a secret. */
const DEV_ACCOUNT = 'devstoreaccount1';
const DEV_ACCOUNT_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
const TABLE_SERVICE = createRequire(import.meta.url).resolve('azurite/dist/src/table/main.js');
const START_TIMEOUT_MS = 10_000;
/** Between picking a free port and Azurite binding it, something else may take it: try again a few times. */
const PORT_ATTEMPTS = 3;

class PortTaken extends Error {}

export class Azurite {
  private constructor(
    private readonly child: ChildProcess,
    readonly endpoint: string,
  ) {}

  static async start(): Promise<Azurite> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await Azurite.launch(await freePort());
      } catch (error) {
        if (!(error instanceof PortTaken) || attempt === PORT_ATTEMPTS) throw error;
      }
    }
  }

  get connectionString(): string {
    return `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};AccountKey=${DEV_ACCOUNT_KEY};TableEndpoint=${this.endpoint};`;
  }

  /** ATTENDANCE_STORE for the app. */
  get storeSetting(): string {
    return `azure-tables:${this.connectionString}`;
  }

  /** A fresh table name, so that each test has its own data. */
  static newTableName(): string {
    return `t${randomUUID().replaceAll('-', '')}`;
  }

  /** Direct access to a table, to look at or plant rows as another writer would. */
  table(name: string): TableClient {
    return TableClient.fromConnectionString(this.connectionString, name, { allowInsecureConnection: true });
  }

  async stop(): Promise<void> {
    await stopProcess(this.child);
  }

  private static async launch(port: number): Promise<Azurite> {
    const args = ['--tableHost', '127.0.0.1', '--tablePort', String(port), '--inMemoryPersistence', '--silent', '--disableTelemetry', '--skipApiVersionCheck'];
    const child = spawn(process.execPath, [TABLE_SERVICE, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    killWithTestRun(child);
    let output = '';
    const collect = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-4000);
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    const endpoint = `http://127.0.0.1:${port}/${DEV_ACCOUNT}`;
    const exited = new Promise<never>((_resolve, reject) => {
      child.once('exit', (code) => {
        const failure = `Azurite exited (code ${code}) before answering:\n${output}`;
        reject(output.includes('EADDRINUSE') ? new PortTaken(failure) : new Error(failure));
      });
    });
    try {
      await Promise.race([waitUntilAnswering(endpoint), exited]);
    } catch (error) {
      await stopProcess(child);
      throw error;
    }
    exited.catch(() => undefined); // exiting later is stop()'s business
    return new Azurite(child, endpoint);
  }
}

async function waitUntilAnswering(endpoint: string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    try {
      await fetch(`${endpoint}/Tables`); // any HTTP answer (here 403: unsigned) means it is serving
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`Azurite did not answer within ${START_TIMEOUT_MS} ms`, { cause: error });
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/** A port that was free a moment ago (the OS picks it). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
