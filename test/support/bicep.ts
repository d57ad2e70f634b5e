/**
 * Reads Bicep files with the tree-sitter Bicep grammar (no Bicep compiler can be installed here): syntax
 * errors, declarations, and the values of object properties with their `${…}` interpolations.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Language, Parser, type Node, type Tree } from 'web-tree-sitter';

let parser: Parser | undefined;

async function bicepParser(): Promise<Parser> {
  if (!parser) {
    await Parser.init();
    const wasm = createRequire(import.meta.url).resolve('tree-sitter-bicep/tree-sitter-bicep.wasm');
    parser = new Parser();
    parser.setLanguage(await Language.load(wasm));
  }
  return parser;
}

export async function parseBicep(source: string): Promise<Tree> {
  const tree = (await bicepParser()).parse(source);
  if (!tree) throw new Error('tree-sitter returned no tree');
  return tree;
}

export async function parseBicepFile(path: string): Promise<Tree> {
  return parseBicep(readFileSync(path, 'utf8'));
}

/** Every ERROR and MISSING node, as "line:column what". */
export function syntaxProblems(tree: Tree): string[] {
  const problems: string[] = [];
  const visit = (node: Node): void => {
    const at = `${node.startPosition.row + 1}:${node.startPosition.column + 1}`;
    if (node.isError) problems.push(`${at} unexpected ${JSON.stringify(node.text.slice(0, 40))}`);
    else if (node.isMissing) problems.push(`${at} missing ${node.type}`);
    for (const child of node.children) if (child) visit(child);
  };
  visit(tree.rootNode);
  return problems;
}

function declarations(tree: Tree, type: string): Node[] {
  return tree.rootNode.namedChildren.filter((node): node is Node => node?.type === type);
}

function nameOf(declaration: Node): string {
  const name = declaration.namedChildren.find((child) => child?.type === 'identifier');
  if (!name) throw new Error(`no name in ${declaration.text.slice(0, 60)}`);
  return name.text;
}

export function outputNames(tree: Tree): string[] {
  return declarations(tree, 'output_declaration').map(nameOf);
}

/** Parameters, and whether each has a default (`param x string = …`) and so may be left out. */
export function parameters(tree: Tree): Array<{ name: string; hasDefault: boolean }> {
  return declarations(tree, 'parameter_declaration').map((declaration) => ({
    name: nameOf(declaration),
    hasDefault: declaration.namedChildren.length > 2, // identifier, type, default value
  }));
}

/** The body of the one resource whose type starts with `typePrefix` (e.g. 'Microsoft.Web/sites/config@'). */
export function resourceBody(tree: Tree, typePrefix: string): Node {
  const matches = declarations(tree, 'resource_declaration').filter((resource) =>
    resource.namedChildren.some((child) => child?.type === 'string' && unquote(child).startsWith(typePrefix)),
  );
  if (matches.length !== 1) throw new Error(`expected one resource of type ${typePrefix}*, found ${matches.length}`);
  return lastObject(matches[0]!);
}

export function moduleParams(tree: Tree, path: string): Map<string, Node> {
  const declaration = declarations(tree, 'module_declaration').find((module) =>
    module.namedChildren.some((child) => child?.type === 'string' && unquote(child) === path),
  );
  if (!declaration) throw new Error(`no module ${path}`);
  const params = properties(lastObject(declaration)).get('params');
  if (params?.type !== 'object') throw new Error(`module ${path} has no params object`);
  return properties(params);
}

export function properties(object: Node): Map<string, Node> {
  const result = new Map<string, Node>();
  for (const property of object.namedChildren) {
    if (property?.type !== 'object_property') continue;
    const [key, value] = property.namedChildren;
    if (key && value) result.set(key.type === 'string' ? unquote(key) : key.text, value);
  }
  return result;
}

/**
 * A value as a deployment would produce it: a string literal with each `${expression}` replaced by
 * `samples[expression]`, or a bare expression looked up the same way. Fails on expressions without a sample.
 */
export function sampleValue(value: Node, samples: Readonly<Record<string, string>>): string {
  const sample = (expression: Node): string => {
    const known = samples[expression.text];
    if (known === undefined) throw new Error(`no sample value for the Bicep expression ${expression.text}`);
    return known;
  };
  if (value.type !== 'string') return sample(value);
  return value.namedChildren
    .map((part) => (part?.type === 'interpolation' ? sample(part.namedChildren[0]!) : (part?.text ?? '')))
    .join('');
}

function unquote(string: Node): string {
  return string.namedChildren.map((part) => part?.text ?? '').join('');
}

function lastObject(declaration: Node): Node {
  const body = declaration.namedChildren.at(-1);
  if (body?.type !== 'object') throw new Error(`no object body in ${declaration.text.slice(0, 60)}`);
  return body;
}
