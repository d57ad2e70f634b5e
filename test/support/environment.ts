/**
 * The usual setting of an integration suite: an Entra ID token issuer (JWKS on loopback), a fake Teams
 * connector and the real app on a temporary SQLite file, started before the suite and stopped after it.
 */
import { FakeConnector } from './fakeConnector.js';
import { TestServer, type TestServerOptions } from './server.js';
import { TokenIssuer } from './tokens.js';

export interface TestEnvironment {
  tokens: TokenIssuer;
  connector: FakeConnector;
  server: TestServer;
}

/** Registers the suite's before/after hooks; the returned object is filled in once `before` has run. */
export function useTestEnvironment(options: Omit<TestServerOptions, 'jwksUri'> = {}): TestEnvironment {
  const environment = {} as TestEnvironment;
  before(async () => {
    environment.tokens = await TokenIssuer.start();
    environment.connector = await FakeConnector.start();
    environment.server = await TestServer.start({ ...options, jwksUri: environment.tokens.jwksUri });
  });
  after(async () => {
    await environment.server?.dispose();
    await environment.connector?.close();
    await environment.tokens?.close();
  });
  return environment;
}
