/**
 * Microsoft's Graph JavaScript client (@microsoft/microsoft-graph-client) pointed at our server as an LMS
 * configures it: base URL https://{our host}, that host in `customHosts` (so its AuthenticationHandler sends the
 * token there), an auth provider handing out our tokens. The client only speaks https (it follows an
 * @odata.nextLink only when it starts with https://), and the test server is plain http on loopback: one step
 * in the chain plays App Service's TLS front end, forwarding each request over http with X-Forwarded-Proto:
 * https, as the front end in front of the real server does.
 */
import {
  AuthenticationHandler,
  Client,
  HTTPMessageHandler,
  type AuthenticationProvider,
  type Context,
  type Middleware,
} from '@microsoft/microsoft-graph-client';

class TlsFrontEnd implements Middleware {
  private next: Middleware | undefined;

  async execute(context: Context): Promise<void> {
    const url = typeof context.request === 'string' ? context.request : context.request.url;
    const headers = new Headers(context.options?.headers as ConstructorParameters<typeof Headers>[0]);
    headers.set('X-Forwarded-Proto', 'https');
    context.request = url.replace(/^https:\/\//, 'http://');
    context.options = { ...context.options, headers: Object.fromEntries(headers) };
    await this.next?.execute(context);
  }

  setNext(middleware: Middleware): void {
    this.next = middleware;
  }
}

/** A Graph client for the server at `serverUrl` (http://127.0.0.1:port), sending the token `token()` gives. */
export function graphClientFor(serverUrl: string, token: () => Promise<string>): Client {
  const host = new URL(serverUrl);
  const provider: AuthenticationProvider = { getAccessToken: token };
  const auth = new AuthenticationHandler(provider);
  const frontEnd = new TlsFrontEnd();
  auth.setNext(frontEnd);
  frontEnd.setNext(new HTTPMessageHandler());
  return Client.initWithMiddleware({
    baseUrl: `https://${host.host}`,
    defaultVersion: 'v1.0',
    middleware: auth,
    customHosts: new Set([host.hostname]),
  });
}
