/**
 * `npm run package` with a test environment: the built manifest passes Microsoft's Teams manifest schema (from
 * @microsoft/app-manifest, offline), the zip holds what Teams expects, and the package matches the server.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import AdmZip from 'adm-zip';
import ajvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';
import { DELETE_ALL_ROLE, READ_ALL_ROLE } from '../../bot/src/attendance/access.js';
import { COMMAND_HELP, parseCommand } from '../../bot/src/teams/commands.js';
import { readPngHeader, readRgbaPixels } from '../support/png.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const TEAMS_CLIENT_APP_IDS = ['1fec8e78-bce4-4aaf-ab1b-5451cc387264', '5e3ce6c0-2b1f-4285-8d4b-75ee78787346'];
/** TEAMS-NOTES section 4: meeting start/end and participants, for chat (scheduled, Meet Now) and channel meetings. */
const MEETING_RSC_PERMISSIONS = [
  'OnlineMeeting.ReadBasic.Chat',
  'OnlineMeetingParticipant.Read.Chat',
  'ChannelMeeting.ReadBasic.Group',
  'ChannelMeetingParticipant.Read.Group',
];

const testEnvironment = {
  TEAMS_APP_ID: '0d9a7d0e-6f3b-4f0c-9a51-3c2f0f6b1a01',
  APP_NAME_SUFFIX: '-citest',
  BOT_DOMAIN: 'attendance-citest.azurewebsites.net',
  AAD_APP_CLIENT_ID: '6a1f3c2e-8b4d-4e5f-9a0b-1c2d3e4f5a6b',
};
/** Kept in the .user file, as the toolkit does with secrets, to show that file is read too. */
const testUserEnvironment = { BOT_ID: '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b' };

interface TeamsManifest {
  manifestVersion: string;
  id: string;
  icons: { color: string; outline: string };
  bots: Array<{ botId: string; scopes: string[]; commandLists: Array<{ scopes: string[]; commands: Array<{ title: string }> }> }>;
  configurableTabs: Array<{ configurationUrl: string; scopes: string[]; context: string[] }>;
  validDomains: string[];
  webApplicationInfo: { id: string; resource: string };
  authorization: { permissions: { resourceSpecific: Array<{ name: string; type: string }> } };
}

function writeEnvFile(path: string, values: Record<string, string>): void {
  writeFileSync(path, Object.entries(values).map(([name, value]) => `${name}=${value}\n`).join(''));
}

function runPackageScript(...args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', join(root, 'scripts/packageApp.ts'), ...args], {
    cwd: root,
    encoding: 'utf8',
  });
}

function officialSchemaFor(manifestVersion: string): object {
  const packageDir = dirname(createRequire(import.meta.url).resolve('@microsoft/app-manifest/package.json'));
  const path = join(packageDir, 'build/json-schemas/teams', `v${manifestVersion}`, 'MicrosoftTeams.schema.json');
  return JSON.parse(readFileSync(path, 'utf8')) as object;
}

describe('Teams app package (npm run package)', () => {
  let workDir: string;
  let envDir: string;
  let outDir: string;
  let manifest: TeamsManifest;
  let zip: AdmZip;

  before(() => {
    workDir = mkdtempSync(join(tmpdir(), 'attendance-package-'));
    envDir = join(workDir, 'env');
    outDir = join(workDir, 'build');
    mkdirSync(envDir);
    writeEnvFile(join(envDir, '.env.citest'), testEnvironment);
    writeEnvFile(join(envDir, '.env.citest.user'), testUserEnvironment);
    const run = runPackageScript('--env', 'citest', '--env-dir', envDir, '--out-dir', outDir);
    assert.equal(run.status, 0, run.stderr);
    manifest = JSON.parse(readFileSync(join(outDir, 'manifest.citest.json'), 'utf8')) as TeamsManifest;
    zip = new AdmZip(join(outDir, 'appPackage.citest.zip'));
  });

  after(() => rmSync(workDir, { recursive: true, force: true }));

  it('fills every placeholder from env/.env.<env> and its .user file', () => {
    const built = readFileSync(join(outDir, 'manifest.citest.json'), 'utf8');
    assert.doesNotMatch(built, /\$\{\{/);
    assert.equal(manifest.id, testEnvironment.TEAMS_APP_ID);
    assert.equal(manifest.bots[0]?.botId, testUserEnvironment.BOT_ID);
  });

  it("passes Microsoft's Teams manifest schema for its manifestVersion", () => {
    // The Teams schemas are JSON Schema draft-04; both packages are CommonJS, hence `.default`.
    const ajv = new ajvDraft04.default({ allErrors: true, strict: false });
    ajvFormats.default(ajv);
    const validate = ajv.compile(officialSchemaFor(manifest.manifestVersion));
    assert.ok(validate(manifest), ajv.errorsText(validate.errors, { separator: '\n' }));
  });

  it('zips manifest.json and the two icons at the root, and nothing else', () => {
    const entries = zip.getEntries().map((entry) => entry.entryName).sort();
    assert.deepEqual(entries, ['color.png', 'manifest.json', 'outline.png']);
    assert.deepEqual(JSON.parse(zip.readAsText('manifest.json')), manifest);
  });

  it('has a 192x192 color icon and a 32x32 outline icon', () => {
    const color = readPngHeader(zip.readFile(manifest.icons.color)!);
    const outline = readPngHeader(zip.readFile(manifest.icons.outline)!);
    assert.deepEqual([color.width, color.height], [192, 192]);
    assert.deepEqual([outline.width, outline.height], [32, 32]);
  });

  it('has an outline icon that is white on a transparent background', () => {
    const pixels = readRgbaPixels(zip.readFile(manifest.icons.outline)!).flat();
    const transparent = pixels.filter(([, , , alpha]) => alpha === 0);
    const notWhite = pixels.filter(([red, green, blue, alpha]) => alpha > 0 && (red < 255 || green < 255 || blue < 255));
    assert.ok(transparent.length > 0, 'the outline icon has no transparent pixel');
    assert.equal(notWhite.length, 0, `${notWhite.length} visible pixels of the outline icon are not white`);
  });

  it("lists exactly the bot's chat commands, each of which the bot understands", () => {
    const bot = manifest.bots[0]!;
    for (const list of bot.commandLists) {
      const titles = list.commands.map((command) => command.title);
      assert.deepEqual(titles, COMMAND_HELP.map((command) => command.example), `command list for ${list.scopes.join(', ')}`);
    }
    for (const { title } of bot.commandLists.flatMap((list) => list.commands)) {
      assert.equal(parseCommand(title) === 'help', title === 'help', `the bot reads "${title}" as ${parseCommand(title)}`);
    }
    assert.deepEqual([...new Set(bot.commandLists.flatMap((list) => list.scopes))].sort(), [...bot.scopes].sort());
  });

  it("puts the meeting tab, SSO and valid domains on the environment's host and Entra app", () => {
    const { BOT_DOMAIN, AAD_APP_CLIENT_ID } = testEnvironment;
    const tab = manifest.configurableTabs[0]!;
    assert.equal(tab.configurationUrl, `https://${BOT_DOMAIN}/tab/config.html`);
    assert.deepEqual(tab.context, ['meetingSidePanel', 'meetingChatTab', 'meetingDetailsTab']);
    assert.deepEqual(manifest.validDomains, [BOT_DOMAIN]);
    assert.deepEqual(manifest.webApplicationInfo, { id: AAD_APP_CLIENT_ID, resource: `api://${BOT_DOMAIN}/${AAD_APP_CLIENT_ID}` });
  });

  it('asks for the meeting RSC permissions as application permissions', () => {
    const permissions = manifest.authorization.permissions.resourceSpecific;
    assert.deepEqual(permissions.map((permission) => permission.name).sort(), [...MEETING_RSC_PERMISSIONS].sort());
    assert.ok(permissions.every((permission) => permission.type === 'Application'));
  });

  it('refuses to package when a placeholder has no value, naming every missing one', () => {
    writeEnvFile(join(envDir, '.env.incomplete'), { ...testEnvironment, BOT_DOMAIN: '', TEAMS_APP_ID: '' });
    const run = runPackageScript('--env', 'incomplete', '--env-dir', envDir, '--out-dir', outDir);
    assert.equal(run.status, 1);
    assert.match(run.stderr, /No value for TEAMS_APP_ID, BOT_ID, BOT_DOMAIN in /);
  });
});

describe('Entra app manifest (appPackage/aad.manifest.json)', () => {
  interface AadManifest {
    identifierUris: string[];
    appRoles: Array<{ id: string; value: string; allowedMemberTypes: string[]; isEnabled: boolean }>;
    oauth2Permissions: Array<{ id: string; value: string; type: string; isEnabled: boolean }>;
    preAuthorizedApplications: Array<{ appId: string; permissionIds: string[] }>;
  }
  const aad = JSON.parse(readFileSync(join(root, 'appPackage/aad.manifest.json'), 'utf8')) as AadManifest;
  const teams = JSON.parse(readFileSync(join(root, 'appPackage/manifest.json'), 'utf8')) as TeamsManifest;

  it('declares the app roles the report API requires of applications (reading, and deleting), with distinct ids', () => {
    for (const value of [READ_ALL_ROLE, DELETE_ALL_ROLE]) {
      const role = aad.appRoles.find((candidate) => candidate.value === value);
      assert.ok(role, `no app role ${value}`);
      assert.deepEqual(role.allowedMemberTypes, ['Application']);
      assert.ok(role.isEnabled);
    }
    assert.equal(new Set(aad.appRoles.map((role) => role.id)).size, aad.appRoles.length, 'app role ids must be unique');
  });

  it('exposes access_as_user and pre-authorises the Teams clients for it', () => {
    const scope = aad.oauth2Permissions.find((permission) => permission.value === 'access_as_user');
    assert.ok(scope?.isEnabled);
    for (const appId of TEAMS_CLIENT_APP_IDS) {
      const client = aad.preAuthorizedApplications.find((candidate) => candidate.appId === appId);
      assert.deepEqual(client?.permissionIds, [scope.id], `Teams client ${appId}`);
    }
  });

  it('uses the app id URI that the Teams manifest asks SSO tokens for', () => {
    assert.deepEqual(aad.identifierUris, [teams.webApplicationInfo.resource]);
  });
});
