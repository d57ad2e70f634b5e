/**
 * Reads the Agents Toolkit project files: the steps of teamsapp(.local).yml with the environment variables each
 * one reads and writes. A line reader, not a YAML parser (none is a dependency): it relies on the layout those
 * files use, two-space indents and one `- uses:` line per step, and fails loudly if it finds no steps.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { outputNames, parseBicepFile } from './bicep.js';

export type Lifecycle = 'provision' | 'deploy' | 'publish';

export interface Step {
  lifecycle: Lifecycle;
  uses: string;
  lines: string[];
}

const PLACEHOLDER = /\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

export function placeholdersIn(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((match) => match[1]!))];
}

export function readSteps(ymlPath: string): Step[] {
  const steps: Step[] = [];
  let lifecycle: Lifecycle | undefined;
  for (const rawLine of readFileSync(ymlPath, 'utf8').split('\n')) {
    const line = rawLine.replace(/(^|\s)#.*$/, '').trimEnd();
    const section = /^(provision|deploy|publish):$/.exec(line);
    if (section) lifecycle = section[1] as Lifecycle;
    else if (/^\S/.test(line)) lifecycle = undefined;
    const uses = /^ {2}- uses: (\S+)$/.exec(line);
    if (uses && lifecycle) steps.push({ lifecycle, uses: uses[1]!, lines: [] });
    else if (line && lifecycle) steps.at(-1)?.lines.push(line);
  }
  if (steps.length === 0) throw new Error(`no steps found in ${ymlPath}`);
  return steps;
}

/** The `key: value` lines indented under `block:` in a step (e.g. writeToEnvironmentFile, envs). */
export function block(step: Step, name: string): Map<string, string> {
  const entries = new Map<string, string>();
  const start = step.lines.findIndex((line) => line.trim() === `${name}:`);
  if (start < 0) return entries;
  const indent = step.lines[start]!.search(/\S/);
  for (const line of step.lines.slice(start + 1)) {
    if (line.search(/\S/) <= indent) break;
    const entry = /^\s*([\w.-]+): (.+)$/.exec(line);
    if (entry) entries.set(entry[1]!, entry[2]!.trim());
  }
  return entries;
}

/** The value of a `key: value` argument of a step, such as manifestPath or parameters. */
export function argument(step: Step, key: string): string[] {
  return step.lines.flatMap((line) => {
    const match = new RegExp(`^\\s*(?:- )?${key}: (\\S+)$`).exec(line);
    return match ? [match[1]!] : [];
  });
}

/** What a step reads: its own placeholders and those of the files it fills in (manifests, ARM parameters). */
export function stepInputs(root: string, step: Step): string[] {
  const filledFiles = [...argument(step, 'manifestPath'), ...argument(step, 'parameters')];
  const texts = [step.lines.join('\n'), ...filledFiles.map((path) => readFileSync(join(root, path), 'utf8'))];
  return placeholdersIn(texts.join('\n'));
}

/** What a step writes to the environment file. */
export async function stepOutputs(root: string, step: Step): Promise<string[]> {
  const written = [...block(step, 'writeToEnvironmentFile').values()];
  if (step.uses === 'arm/deploy') {
    for (const template of argument(step, 'path')) written.push(...outputNames(await parseBicepFile(join(root, template))));
  }
  return [...written, ...generatedBy(step)];
}

/** What a step generates for itself while it runs, so it may also read it. */
export function generatedBy(step: Step): string[] {
  // aadApp/update creates this scope id the first time the Entra manifest refers to it.
  return step.uses === 'aadApp/update' ? ['AAD_APP_ACCESS_AS_USER_PERMISSION_ID'] : [];
}

/** Names set in an env file, with their committed values (empty = filled in later). */
export function readEnvFile(path: string): Record<string, string | undefined> {
  return parseEnv(readFileSync(path, 'utf8'));
}
