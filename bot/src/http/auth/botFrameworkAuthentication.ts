/**
 * Bot Framework authentication for /api/messages: botbuilder's ConfigurationBotFrameworkAuthentication with
 * the public cloud's settings spelled out (none in local mode, without bot credentials), and three changes:
 *
 * - the OpenID configuration that names the keys allowed to sign Teams' requests is a setting
 *   (BOT_OPENID_METADATA_URL): Microsoft's by default; another cloud's, or a test issuer on loopback, so that
 *   forged tokens are proven to be refused without reaching Microsoft;
 * - a token that fails inside jsonwebtoken (a bad signature under a known key id, not yet valid, malformed) is
 *   refused with 401 like any other authentication failure. botbuilder lets those errors through as plain
 *   errors, and CloudAdapter answers 500 to anything that is not its AuthenticationError;
 * - the Bot Connector clients it makes are kept and shared by every turn (reusedConnectorClients.ts), where
 *   botbuilder makes a new one for each activity.
 *
 * botbuilder passes every setting through once one of them is given ("all parameters are intentional"), so
 * the other public-cloud values are given too, taken from the same botframework-connector botbuilder uses.
 */
import { createRequire } from 'node:module';
import { CallerIdConstants, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import type { BotCredentials } from '../../config.js';
import { ReusedConnectorClients, type ConnectorFactory } from './reusedConnectorClients.js';

/** The parts of botframework-connector used here. botbuilder does not re-export them. */
interface BotFrameworkConnector {
  AuthenticationError: new (message: string, statusCode: number) => Error;
  AuthenticationConstants: {
    ToChannelFromBotLoginUrl: string;
    ToChannelFromBotOAuthScope: string;
    ToBotFromChannelTokenIssuer: string;
    OAuthUrl: string;
    ToBotFromEmulatorOpenIdMetadataUrl: string;
  };
}

/** Resolved from botbuilder's own location: the very copy whose AuthenticationError CloudAdapter recognises. */
const connector = createRequire(createRequire(import.meta.url).resolve('botbuilder'))('botframework-connector') as BotFrameworkConnector;

/** What jsonwebtoken throws for a token it refuses (JsonWebTokenError and its subclasses). */
const REFUSED_TOKEN_ERRORS = new Set(['JsonWebTokenError', 'NotBeforeError', 'TokenExpiredError']);
const UNAUTHORIZED = 401;

type AuthenticateRequest = ConfigurationBotFrameworkAuthentication['authenticateRequest'];
type CreateConnectorFactory = ConfigurationBotFrameworkAuthentication['createConnectorFactory'];

export class BotAuthentication extends ConfigurationBotFrameworkAuthentication {
  private readonly clients = new ReusedConnectorClients();

  /** Without `bot` (local mode) botbuilder accepts unauthenticated activities. */
  constructor(bot: BotCredentials | undefined) {
    super(bot ? BotAuthentication.settingsOf(bot) : {});
  }

  private static settingsOf(bot: BotCredentials) {
    const constants = connector.AuthenticationConstants;
    return {
      MicrosoftAppId: bot.appId,
      MicrosoftAppPassword: bot.password ?? '',
      MicrosoftAppType: bot.appType,
      MicrosoftAppTenantId: bot.tenantId ?? '',
      ToChannelFromBotLoginUrl: constants.ToChannelFromBotLoginUrl,
      ToChannelFromBotOAuthScope: constants.ToChannelFromBotOAuthScope,
      ToBotFromChannelTokenIssuer: constants.ToBotFromChannelTokenIssuer,
      OAuthUrl: constants.OAuthUrl,
      ToBotFromChannelOpenIdMetadataUrl: bot.openIdMetadataUrl,
      ToBotFromEmulatorOpenIdMetadataUrl: constants.ToBotFromEmulatorOpenIdMetadataUrl,
      CallerId: CallerIdConstants.PublicAzureChannel,
      ValidateAuthority: true,
    };
  }

  override async authenticateRequest(...args: Parameters<AuthenticateRequest>): ReturnType<AuthenticateRequest> {
    try {
      const result = await super.authenticateRequest(...args);
      return result.connectorFactory ? { ...result, connectorFactory: this.clients.around(result.connectorFactory) } : result;
    } catch (error) {
      if (error instanceof Error && REFUSED_TOKEN_ERRORS.has(error.name)) {
        throw new connector.AuthenticationError(`Unauthorized. The token is not valid: ${error.message}`, UNAUTHORIZED);
      }
      throw error;
    }
  }

  override createConnectorFactory(...args: Parameters<CreateConnectorFactory>): ConnectorFactory {
    return this.clients.around(super.createConnectorFactory(...args));
  }
}
