/**
 * The usual setting of an integration suite: an Entra ID token issuer (JWKS on loopback), a fake Teams
 * connector and the real app on a temporary SQLite file, started before the suite and stopped after it.
 */
import { FakeConnector } from './fakeConnector.js';
import { TestServer, type TestServerOptions } from './server.js';
import { TokenIssuer } from './tokens.js';

/** The two stand-ins every integration suite talks to: Entra ID's token issuer and Teams' connector. */
export interface TestServices {
  tokens: TokenIssuer;
  connector: FakeConnector;
}

export interface TestEnvironment extends TestServices {
  server: TestServer;
}

/** Registers the suite's before/after hooks for the stand-ins alone, for suites that start the app themselves. */
export function useTestServices(): TestServices {
  const services = {} as TestServices;
  before(async () => Object.assign(services, await startServices()));
  after(() => stopServices(services));
  return services;
}

/** Registers the suite's before/after hooks; the returned object is filled in once `before` has run. */
export function useTestEnvironment(options: Omit<TestServerOptions, 'jwksUri'> = {}): TestEnvironment {
  const environment = {} as TestEnvironment;
  before(async () => {
    Object.assign(environment, await startServices());
    environment.server = await TestServer.start({ ...options, jwksUri: environment.tokens.jwksUri });
  });
  after(async () => {
    await environment.server?.dispose();
    await stopServices(environment);
  });
  return environment;
}

async function startServices(): Promise<TestServices> {
  return { tokens: await TokenIssuer.start(), connector: await FakeConnector.start() };
}

async function stopServices(services: Partial<TestServices>): Promise<void> {
  await services.connector?.close();
  await services.tokens?.close();
}
