/**
 * The Bicep templates and the Agents Toolkit project agree with each other and with the server: Bicep syntax
 * (tree-sitter, no compiler here), app settings against bot/src/config.ts, and every environment variable a
 * lifecycle step reads is written by an earlier step, an env file or the toolkit itself.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../bot/src/config.js';
import {
  moduleParams,
  outputNames,
  parameters,
  parseBicep,
  parseBicepFile,
  properties,
  resourceBody,
  sampleValue,
  syntaxProblems,
} from '../support/bicep.js';
import { configEnvironmentKeys } from '../support/configKeys.js';
import {
  block,
  generatedBy,
  placeholdersIn,
  readEnvFile,
  readSteps,
  stepInputs,
  stepOutputs,
  type Step,
} from '../support/toolkitProject.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const at = (path: string) => join(root, path);

/** Server settings the cloud leaves unset on purpose, and why the default is right there. */
const LEFT_TO_DEFAULTS: Record<string, string> = {
  PORT: 'App Service sets PORT for the process itself',
  HOST: 'with BOT_ID set the server listens on 0.0.0.0, as App Service needs',
  BOT_PASSWORD: 'BOT_TYPE=UserAssignedMsi: the managed identity has no password',
  AAD_JWKS_URI: "Entra ID's public signing keys",
  BOT_OPENID_METADATA_URL: "the Bot Framework's public-cloud signing keys",
  API_RATE_LIMIT_PER_MINUTE: 'the default per-caller limit on the report API',
  ATTENDANCE_RETENTION_DAYS: "how long to keep attendance is the tenant's decision: unset keeps it until deleted",
  RETENTION_SWEEP_S: 'the default retention sweep interval (it only runs with ATTENDANCE_RETENTION_DAYS)',
  POST_SUMMARY_ON_END: 'the summary is posted when a meeting ends',
  ATTENDANCE_PRESENT_PERCENT: "the register's default rule (75 %); organizers change it per meeting",
  ATTENDANCE_LATE_AFTER_MIN: "the register's default lateness threshold (10 min); organizers change it per meeting",
  ATTENDANCE_LEFT_EARLY_MIN: "the register's default leaving-early threshold (10 min); organizers change it per meeting",
  SAMPLE_INTERVAL_S: 'the default roster sampling interval',
  SAMPLE_GRACE_S: 'the default sampling grace period',
  SAMPLE_EMPTY_STOP: 'the default number of empty samples before sampling stops',
  GRAPH_TENANT_ID: 'call-record reconciliation is opt-in: it needs CallRecords.Read.All granted by an admin first',
  GRAPH_CLIENT_ID: 'call-record reconciliation is opt-in (docs/call-record-reconciliation.md)',
  GRAPH_CLIENT_SECRET: 'no secrets in app settings; the managed identity is the cloud way (GRAPH_USE_MANAGED_IDENTITY)',
  GRAPH_USE_MANAGED_IDENTITY: 'call-record reconciliation is opt-in: set it once the identity has CallRecords.Read.All',
  GRAPH_BASE_URL: 'Microsoft Graph v1.0 in the public cloud',
  RECONCILE_DELAY_S: 'the default wait for call records after a meeting',
  RECONCILE_RETRY_S: 'the default first retry wait',
  RECONCILE_GIVE_UP_H: 'the default give-up deadline',
  RECONCILE_POLL_S: 'the default polling interval for pending work',
  ATTENDANCE_WEBHOOK_URL: 'webhooks are opt-in: the receiver is the tenant\'s own system (docs/webhooks.md)',
  ATTENDANCE_WEBHOOK_SECRET: 'no secrets in app settings: set it as a Key Vault reference with the URL (docs/webhooks.md)',
  ATTENDANCE_WEBHOOKS: 'webhooks are opt-in; several endpoints carry secrets, set as a Key Vault reference (docs/webhooks.md)',
  ATTENDANCE_WEBHOOK_TIMEOUT_S: 'the Standard Webhooks answer timeout (15 s)',
  ATTENDANCE_WEBHOOK_FIRST_RETRY_S: 'the Standard Webhooks first retry (5 s)',
  ATTENDANCE_WEBHOOK_POLL_S: 'the default polling interval for due webhook deliveries',
  LOG_LEVEL: 'info, read in the App Service log stream',
};

/** App settings read by App Service or an SDK rather than by bot/src/config.ts. */
const PLATFORM_SETTINGS = new Set([
  'WEBSITE_RUN_FROM_PACKAGE',
  'SCM_DO_BUILD_DURING_DEPLOYMENT',
  'AZURE_CLIENT_ID', // DefaultAzureCredential: which managed identity to use
]);

/** What a deployment gives the Bicep expressions in the app settings, to start the server with them. */
const DEPLOYED_VALUES: Record<string, string> = {
  'identity.properties.clientId': '3c8e1f2a-4b5d-4c6e-8f7a-9b0c1d2e3f4a',
  'identity.properties.tenantId': '9f2c1a7e-1111-4b2c-9d3e-5a6b7c8d9e0f',
  'storage.name': 'attendabc123st',
  'environment().suffixes.storage': 'core.windows.net',
  'attendanceTable.name': 'attendance',
  aadAppClientId: '6a1f3c2e-8b4d-4e5f-9a0b-1c2d3e4f5a6b',
  'webApp.properties.defaultHostName': 'attendabc123.azurewebsites.net',
};

/** Variables the toolkit supplies when the env file leaves them empty. */
const TOOLKIT_SUPPLIED: Record<string, string> = {
  AZURE_SUBSCRIPTION_ID: 'the toolkit asks for a subscription',
  AZURE_RESOURCE_GROUP_NAME: 'the toolkit asks for a resource group',
  RESOURCE_SUFFIX: 'the toolkit generates a random suffix',
};

function bicepFiles(directory = at('infra')): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return bicepFiles(path);
    return entry.name.endsWith('.bicep') ? [path] : [];
  });
}

async function cloudAppSettings(): Promise<Map<string, string>> {
  const tree = await parseBicepFile(at('infra/azure.bicep'));
  const body = properties(resourceBody(tree, 'Microsoft.Web/sites/config@'));
  const settings = body.get('properties');
  assert.ok(settings, 'the appsettings resource has no properties');
  return new Map([...properties(settings)].map(([name, value]) => [name, sampleValue(value, DEPLOYED_VALUES)]));
}

/** Walks the lifecycles in order and reports every variable read before anything has written it. */
async function readsBeforeWrites(ymlPath: string, available: Set<string>): Promise<string[]> {
  const problems: string[] = [];
  const steps = readSteps(ymlPath);
  for (const lifecycle of ['provision', 'deploy', 'publish'] as const) {
    for (const step of steps.filter((candidate) => candidate.lifecycle === lifecycle)) {
      for (const name of generatedBy(step)) available.add(name);
      for (const name of stepInputs(root, step)) {
        if (!available.has(name)) problems.push(`${lifecycle} ${step.uses} reads ${name}, which nothing has written yet`);
      }
      for (const name of await stepOutputs(root, step)) available.add(name);
    }
  }
  return problems;
}

/** Env file entries with a committed value: empty ones are only placeholders for what provisioning writes. */
function committedValues(envFile: string): string[] {
  return Object.entries(readEnvFile(at(envFile))).flatMap(([name, value]) => (value ? [name] : []));
}

/** What the local tunnel task in .vscode/tasks.json writes to env/.env.local. */
function tunnelOutputs(): string[] {
  const tasksJson = readFileSync(at('.vscode/tasks.json'), 'utf8').replace(/^\s*\/\/.*$/gm, '');
  const tasks = (JSON.parse(tasksJson) as { tasks: Array<{ command?: string; args?: { ports?: Array<{ writeToEnvironmentFile?: Record<string, string> }> } }> }).tasks;
  return tasks
    .filter((task) => task.command === 'debug-start-local-tunnel')
    .flatMap((task) => task.args?.ports ?? [])
    .flatMap((port) => Object.values(port.writeToEnvironmentFile ?? {}));
}

function isGitIgnored(path: string): boolean {
  try {
    execFileSync('git', ['check-ignore', '-q', path], { cwd: root });
    return true;
  } catch {
    return false;
  }
}

describe('Bicep templates (infra/)', () => {
  it('parse without syntax errors', async () => {
    const files = bicepFiles();
    assert.ok(files.length >= 2, `found only ${files.length} .bicep files`);
    for (const file of files) {
      const tree = await parseBicepFile(file);
      assert.ok(tree.rootNode.namedChildren.length > 0, `${relative(root, file)} parsed to nothing`);
      assert.deepEqual(syntaxProblems(tree), [], relative(root, file));
    }
  });

  it('would have their syntax errors caught (the grammar rejects broken Bicep)', async () => {
    const broken = await parseBicep("resource site 'Microsoft.Web/sites@2023-12-01' = {\n  name: 'x'\n  properties: {\n");
    assert.notDeepEqual(syntaxProblems(broken), []);
  });

  it('set every app setting the server reads, or leave it to a default listed here with its reason', async () => {
    const settings = await cloudAppSettings();
    const serverKeys = configEnvironmentKeys(at('bot/src/config.ts'));
    const unset = serverKeys.filter((key) => !settings.has(key) && !(key in LEFT_TO_DEFAULTS));
    assert.deepEqual(unset, [], 'read by the server but neither set in azure.bicep nor listed in LEFT_TO_DEFAULTS');
    const unknown = [...settings.keys()].filter((name) => !serverKeys.includes(name) && !PLATFORM_SETTINGS.has(name));
    assert.deepEqual(unknown, [], 'set in azure.bicep but read by nobody');
    const stale = Object.keys(LEFT_TO_DEFAULTS).filter((key) => !serverKeys.includes(key) || settings.has(key));
    assert.deepEqual(stale, [], 'LEFT_TO_DEFAULTS names a setting the server no longer reads, or one azure.bicep sets');
  });

  it('give the server settings it starts with: managed identity bot, Azure Tables store, both token audiences', async () => {
    const config = loadConfig(Object.fromEntries(await cloudAppSettings()));
    assert.equal(config.bot?.appType, 'UserAssignedMsi');
    assert.equal(config.bot?.appId, DEPLOYED_VALUES['identity.properties.clientId']);
    assert.equal(config.bot?.tenantId, DEPLOYED_VALUES['identity.properties.tenantId']);
    assert.equal(config.bot?.password, undefined);
    assert.equal(config.host, '0.0.0.0');
    assert.deepEqual(config.store, {
      kind: 'azure-tables',
      endpoint: 'https://attendabc123st.table.core.windows.net',
      table: 'attendance',
    });
    assert.deepEqual(config.api.audiences, [
      DEPLOYED_VALUES.aadAppClientId,
      `api://${DEPLOYED_VALUES['webApp.properties.defaultHostName']}/${DEPLOYED_VALUES.aadAppClientId}`,
    ]);
  });

  it('start the server as `npm start` runs it (node options included), without its build step', () => {
    const scripts = (JSON.parse(readFileSync(at('package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    const commandLine = /appCommandLine: '([^']+)'/.exec(readFileSync(at('infra/azure.bicep'), 'utf8'))?.[1];
    assert.equal(commandLine, scripts['start']);
    assert.match(commandLine ?? '', /--max-semi-space-size=4 --heap-growing-percent=20 /, 'the memory settings docs/benchmarks.md measured');
  });

  it('get every required parameter from azure.parameters.json, and no unknown one', async () => {
    const declared = parameters(await parseBicepFile(at('infra/azure.bicep')));
    const given = Object.keys((JSON.parse(readFileSync(at('infra/azure.parameters.json'), 'utf8')) as { parameters: object }).parameters);
    assert.deepEqual(declared.filter((param) => !param.hasDefault && !given.includes(param.name)), []);
    assert.deepEqual(given.filter((name) => !declared.some((param) => param.name === name)), []);
  });

  it('pass the bot registration module exactly the parameters it declares', async () => {
    const declared = parameters(await parseBicepFile(at('infra/botRegistration/azurebot.bicep')));
    const passed = [...moduleParams(await parseBicepFile(at('infra/azure.bicep')), './botRegistration/azurebot.bicep').keys()];
    assert.deepEqual(declared.filter((param) => !param.hasDefault && !passed.includes(param.name)), []);
    assert.deepEqual(passed.filter((name) => !declared.some((param) => param.name === name)), []);
  });
});

describe('Agents Toolkit project (teamsapp.yml, teamsapp.local.yml, env/)', () => {
  it('teamsapp.yml: every variable a step or file reads was written before, and every Bicep output is read', async () => {
    const available = new Set([...committedValues('env/.env.dev'), ...Object.keys(TOOLKIT_SUPPLIED)]);
    assert.deepEqual(await readsBeforeWrites(at('teamsapp.yml'), available), []);
    const steps = readSteps(at('teamsapp.yml'));
    const read = new Set(steps.flatMap((step) => stepInputs(root, step)));
    const unread = outputNames(await parseBicepFile(at('infra/azure.bicep'))).filter((output) => !read.has(output));
    assert.deepEqual(unread, [], 'Bicep outputs that no step, manifest or parameter file reads');
  });

  it('teamsapp.local.yml: every variable a step or file reads was written before (tunnel included)', async () => {
    const tunnel = tunnelOutputs();
    assert.deepEqual(tunnel.sort(), ['BOT_DOMAIN', 'BOT_ENDPOINT']);
    const available = new Set([...committedValues('env/.env.local'), ...tunnel]);
    assert.deepEqual(await readsBeforeWrites(at('teamsapp.local.yml'), available), []);
  });

  it('teamsapp.local.yml: the server starts with the settings it writes to .localConfigs, a single-tenant bot on loopback', () => {
    const writeSettings = readSteps(at('teamsapp.local.yml')).find((step) => step.uses === 'file/createOrUpdateEnvironmentFile');
    assert.ok(writeSettings, 'no file/createOrUpdateEnvironmentFile step');
    const settings = block(writeSettings, 'envs');
    const serverKeys = configEnvironmentKeys(at('bot/src/config.ts'));
    assert.deepEqual([...settings.keys()].filter((name) => !serverKeys.includes(name)), [], 'settings the server does not read');
    const sample = (value: string) => value.replace(/\$\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => `sample-${name.toLowerCase()}`);
    const config = loadConfig(Object.fromEntries([...settings].map(([name, value]) => [name, sample(value)])));
    assert.equal(config.bot?.appType, 'SingleTenant');
    assert.equal(config.host, '127.0.0.1');
  });

  it('keeps secrets out of git: SECRET_* only in git-ignored files, none in committed env files', () => {
    for (const [ymlFile, env] of [['teamsapp.yml', 'dev'], ['teamsapp.local.yml', 'local']] as const) {
      const steps = readSteps(at(ymlFile));
      // The toolkit keeps every SECRET_* it writes in env/.env.<env>.user.
      if (steps.some((step) => [...block(step, 'writeToEnvironmentFile').values()].some((name) => name.startsWith('SECRET_')))) {
        assert.ok(isGitIgnored(`env/.env.${env}.user`), `env/.env.${env}.user is not git-ignored`);
      }
      for (const step of steps.filter((candidate) => placeholdersIn(candidate.lines.join('\n')).some((name) => name.startsWith('SECRET_')))) {
        const target = block(step, 'with').get('target');
        assert.ok(target && isGitIgnored(target), `${ymlFile} ${step.uses} writes a secret to ${target}, which git does not ignore`);
      }
      assert.deepEqual(Object.keys(readEnvFile(at(`env/.env.${env}`))).filter((name) => name.startsWith('SECRET_')), []);
    }
  });

  it('runs only npm scripts that package.json defines', () => {
    const scripts = (JSON.parse(readFileSync(at('package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    const npmSteps: Step[] = ['teamsapp.yml', 'teamsapp.local.yml'].flatMap((file) => readSteps(at(file))).filter((step) => step.uses === 'cli/runNpmCommand');
    const missing = npmSteps
      .flatMap((step) => [...step.lines.join('\n').matchAll(/args: run (\S+)/g)].map((match) => match[1]!))
      .filter((script) => !(script in scripts));
    assert.deepEqual(missing, []);
  });
});
