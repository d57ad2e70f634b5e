/**
 * How a fuzz recipe's mutations are applied to an activity (test/support/activityFuzz.ts draws the recipes):
 * at a path into the object, with own properties even for "__proto__", and with the values too big or too deep
 * to keep for 10,000 cases (or for JSON.stringify to write) built only now.
 */

/** A value built only when the case is posted: too big to keep for 10,000 cases, or not writable by JSON.stringify. */
export class Special {
  constructor(
    readonly kind: 'huge' | 'deep' | 'pollution',
    readonly size: number,
    readonly detail: string,
  ) {}
  toString(): string {
    return this.kind === 'huge' ? `huge(${this.size} × ${JSON.stringify(this.detail)})` : `${this.kind}(${this.size}, ${this.detail})`;
  }
}

/** The fields the server reads, to aim at them more often than chance would. */
export const TARGETS: (string | number)[][] = [
  ['type'], ['name'], ['id'], ['timestamp'], ['localTimestamp'], ['serviceUrl'], ['channelId'], ['deliveryMode'],
  ['conversation'], ['conversation', 'id'], ['conversation', 'tenantId'],
  ['channelData'], ['channelData', 'meeting'], ['channelData', 'meeting', 'id'], ['channelData', 'tenant'], ['channelData', 'tenant', 'id'],
  ['value'], ['value', 'members'], ['value', 'members', 0], ['value', 'members', 0, 'user'], ['value', 'members', 0, 'user', 'id'],
  ['value', 'members', 0, 'user', 'aadObjectId'], ['value', 'members', 0, 'user', 'name'], ['value', 'members', 0, 'meeting'],
  ['value', 'members', 0, 'meeting', 'inMeeting'], ['value', 'members', 0, 'meeting', 'role'],
  ['value', 'Title'], ['value', 'MeetingType'], ['value', 'JoinUrl'], ['value', 'Id'],
  ['recipient'], ['recipient', 'id'], ['recipient', 'name'], ['from'], ['from', 'id'], ['membersAdded'], ['membersAdded', 0],
  ['text'], ['entities'], ['entities', 0], ['entities', 0, 'mentioned'], ['replyToId'], ['attachments'], ['locale'],
];

export type Mutation =
  | { op: 'set'; target: number; value: unknown }
  | { op: 'setAnywhere'; pick: number; value: unknown }
  | { op: 'delete'; pick: number; aimed: boolean }
  | { op: 'recase'; pick: number; style: 'upper' | 'lower' | 'pascal' | 'camel' | 'swap' }
  | { op: 'wrapInArray'; pick: number }
  | { op: 'addKey'; pick: number; key: string; value: unknown }
  | { op: 'duplicateMembers'; times: number }
  | { op: 'timestamp'; value: unknown }
  | { op: 'type'; value: string }
  | { op: 'name'; value: string };

export type TextMutation =
  | { op: 'truncate'; fraction: number }
  | { op: 'appendGarbage'; text: string }
  | { op: 'bom' }
  | { op: 'invalidUtf8'; fraction: number }
  | { op: 'empty' }
  | { op: 'duplicateKey'; key: string; value: unknown };

type Path = (string | number)[];

export function mutate(activity: any, change: Mutation, raw: RawFragments): void {
  const paths = pathsOf(activity);
  const pick = (index: number): Path | undefined => paths[index % Math.max(paths.length, 1)];
  switch (change.op) {
    case 'set':
      return setAt(activity, TARGETS[change.target] as Path, materialise(change.value, raw));
    case 'setAnywhere': {
      const path = pick(change.pick);
      if (path) setAt(activity, path, materialise(change.value, raw));
      return;
    }
    case 'delete': {
      const path = change.aimed ? TARGETS[change.pick % TARGETS.length] : pick(change.pick);
      if (path) deleteAt(activity, path);
      return;
    }
    case 'recase': {
      const path = pick(change.pick);
      const key = path?.at(-1);
      if (!path || typeof key !== 'string') return;
      const parent = getAt(activity, path.slice(0, -1));
      const value = parent[key];
      delete parent[key];
      defineOwn(parent, recased(key, change.style), value);
      return;
    }
    case 'wrapInArray': {
      const path = pick(change.pick);
      if (path) setAt(activity, path, [getAt(activity, path)]);
      return;
    }
    case 'addKey': {
      const path = pick(change.pick) ?? [];
      const target = getAt(activity, path);
      if (target !== null && typeof target === 'object' && !Array.isArray(target)) defineOwn(target, change.key, materialise(change.value, raw));
      return;
    }
    case 'duplicateMembers': {
      const members = activity.value?.members;
      if (!Array.isArray(members) || members.length === 0) return;
      // No more copies than make about 2 MB: a huge member a thousand times over is a gigabyte to build.
      const times = Math.max(1, Math.min(change.times, Math.floor(2_000_000 / raw.stringify(members).length)));
      // Copies, not the same objects again: a later mutation of one member must not reach all of them.
      // (JSON.stringify keeps raw fragments as their placeholders, so the copies stay cheap.)
      const text = JSON.stringify(members);
      activity.value.members = Array.from({ length: times }, () => JSON.parse(text) as unknown[]).flat();
      return;
    }
    case 'timestamp':
      activity.timestamp = change.value;
      return;
    case 'type':
      activity.type = change.value;
      return;
    case 'name':
      activity.name = change.value;
      return;
  }
}

/** Every path into the object (keys and array indexes), parents before children, down to a few levels. */
function pathsOf(value: unknown, prefix: Path = [], depth = 6): Path[] {
  if (depth === 0 || value === null || typeof value !== 'object') return [];
  return Object.keys(value).flatMap((key) => {
    const path = [...prefix, Array.isArray(value) && /^\d+$/.test(key) ? Number(key) : key];
    return [path, ...pathsOf((value as Record<string, unknown>)[key], path, depth - 1)];
  });
}

function getAt(root: any, path: Path): any {
  return path.reduce((node, key) => (node !== null && typeof node === 'object' ? node[key] : undefined), root);
}

/** Sets the value, creating missing parents as objects; a parent that is not an object is replaced by one. */
function setAt(root: any, path: Path, value: unknown): void {
  let node = root;
  path.slice(0, -1).forEach((key, index) => {
    if (node[key] === null || typeof node[key] !== 'object') defineOwn(node, key, typeof path[index + 1] === 'number' ? [] : {});
    node = node[key];
  });
  defineOwn(node, path.at(-1) as string | number, value);
}

function deleteAt(root: any, path: Path): void {
  const parent = getAt(root, path.slice(0, -1));
  if (parent !== null && typeof parent === 'object') delete parent[path.at(-1) as string | number];
}

/** An own property even for "__proto__" (a plain assignment would set the prototype instead). */
function defineOwn(target: any, key: string | number, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function recased(key: string, style: 'upper' | 'lower' | 'pascal' | 'camel' | 'swap'): string {
  switch (style) {
    case 'upper':
      return key.toUpperCase();
    case 'lower':
      return key.toLowerCase();
    case 'pascal':
      return key.charAt(0).toUpperCase() + key.slice(1);
    case 'camel':
      return key.charAt(0).toLowerCase() + key.slice(1);
    case 'swap':
      return [...key].map((char) => (char === char.toUpperCase() ? char.toLowerCase() : char.toUpperCase())).join('');
  }
}

/** Specials become real values: a huge string, an object with own prototype-pollution keys, or a raw deep fragment. */
export function materialise(value: unknown, raw: RawFragments): unknown {
  // A copy, so that later mutations of the activity never change the recipe (JSON.parse keeps "__proto__" keys own).
  if (!(value instanceof Special)) return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
  switch (value.kind) {
    case 'huge':
      return value.detail.repeat(value.size);
    case 'deep':
      return raw.add(value.detail === 'array' ? `${'['.repeat(value.size)}1${']'.repeat(value.size)}` : `${'{"a":'.repeat(value.size)}1${'}'.repeat(value.size)}`);
    case 'pollution': {
      const polluted = {};
      for (const key of value.detail.split(',')) {
        defineOwn(polluted, key, key === 'constructor' ? { prototype: { polluted: 'yes' } } : { polluted: 'yes', members: [] });
      }
      return polluted;
    }
  }
}

/** JSON text fragments JSON.stringify cannot produce (nesting deeper than its recursion allows). */
export class RawFragments {
  private readonly fragments: string[] = [];
  add(fragment: string): string {
    this.fragments.push(fragment);
    return `\u0000raw${this.fragments.length - 1}\u0000`;
  }
  stringify(value: unknown): string {
    const text = JSON.stringify(value) ?? 'null';
    return this.fragments.length === 0 ? text : text.replace(/"\\u0000raw(\d+)\\u0000"/g, (_match, index: string) => this.fragments[Number(index)] ?? 'null');
  }
}

/** The activity as a form post (bracketed keys, as qs reads them): what a misconfigured client might send. */
export function formEncoded(activity: unknown): string {
  const pairs: string[] = [];
  const walk = (value: unknown, key: string, depth: number) => {
    if (value !== null && typeof value === 'object' && depth < 5) {
      for (const [child, inner] of Object.entries(value)) walk(inner, key ? `${key}[${child}]` : child, depth + 1);
    } else {
      pairs.push(`${formPart(key)}=${formPart(String(value).slice(0, 2000))}`);
    }
  };
  walk(activity, '', 0);
  return pairs.join('&');
}

/** encodeURIComponent refuses lone surrogates: they become "?" first. */
function formPart(text: string): string {
  return encodeURIComponent(text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '?'));
}

/** The bytes of the body: the JSON text, broken as the recipe says (cut short, invalid UTF-8, a repeated key, …). */
export function bodyOf(text: string, change: TextMutation | undefined, raw: RawFragments): Buffer {
  switch (change?.op) {
    case undefined:
      return Buffer.from(text, 'utf8');
    case 'truncate':
      return Buffer.from(text.slice(0, Math.floor(text.length * change.fraction)), 'utf8');
    case 'appendGarbage':
      return Buffer.from(text + change.text, 'utf8');
    case 'bom':
      return Buffer.from(`\ufeff${text}`, 'utf8');
    case 'empty':
      return Buffer.alloc(0);
    case 'duplicateKey':
      return Buffer.from(text.replace(/}\s*$/, `,${JSON.stringify(change.key)}:${raw.stringify(materialise(change.value, raw))}}`), 'utf8');
    case 'invalidUtf8': {
      const body = Buffer.from(text, 'utf8');
      const cut = Math.floor(body.length * change.fraction);
      return Buffer.concat([body.subarray(0, cut), Buffer.from([0xff, 0xc3, 0x28, 0xed, 0xa0, 0x80]), body.subarray(cut)]);
    }
  }
}
