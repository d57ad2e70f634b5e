/**
 * Whether our answer parses as Microsoft's example body does: every property of the example (but those we
 * say we do not serve) present in ours, with the same JSON type; integers as integers; date-times as ISO 8601
 * with an offset (typed Graph SDKs turn anything else into null, or fail the whole response). Where the example
 * has null, or a string or object, ours may be null (Graph's properties are nullable); never a number, boolean
 * or collection.
 */
import { readFileSync } from 'node:fs';

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export function graphExample(name: string): any {
  return JSON.parse(readFileSync(new URL(`../fixtures/graph-attendance/${name}`, import.meta.url), 'utf8'));
}

/** Every way `ours` differs from `example`, as "path: problem"; `notServed` lists paths (a.b, value[].c) left out on purpose. */
export function shapeMismatches(example: unknown, ours: unknown, notServed: readonly string[] = [], path = ''): string[] {
  if (notServed.includes(path)) return [];
  const where = path || '(root)';
  if (example === null) return [];
  if (ours === null || ours === undefined) {
    if (ours === undefined) return [`${where}: missing`];
    return typeof example === 'string' || (typeof example === 'object' && !Array.isArray(example)) ? [] : [`${where}: null where Graph has a ${typeof example}`];
  }
  if (Array.isArray(example)) {
    if (!Array.isArray(ours)) return [`${where}: not a collection`];
    const [first] = example;
    return first === undefined ? [] : ours.flatMap((item) => shapeMismatches(first, item, notServed, `${path}[]`));
  }
  if (typeof example === 'object') {
    if (typeof ours !== 'object' || Array.isArray(ours)) return [`${where}: not an object`];
    return Object.entries(example as Record<string, unknown>).flatMap(([key, value]) =>
      key === '@odata.context' ? [] : shapeMismatches(value, (ours as Record<string, unknown>)[key], notServed, path ? `${path}.${key}` : key),
    );
  }
  if (typeof example !== typeof ours) return [`${where}: a ${typeof ours} where Graph has a ${typeof example}`];
  if (typeof example === 'number' && Number.isInteger(example) && !Number.isInteger(ours)) return [`${where}: ${String(ours)} is not an integer`];
  if (typeof example === 'string' && ISO_WITH_OFFSET.test(example) && !ISO_WITH_OFFSET.test(ours as string)) return [`${where}: ${String(ours)} is not an ISO 8601 date-time with an offset`];
  return [];
}
