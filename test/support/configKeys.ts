/** The environment variable names the server reads: the keys of the `z.object({...})` in bot/src/config.ts. */
import { readFileSync } from 'node:fs';
import ts from 'typescript';

export function configEnvironmentKeys(configPath: string): string[] {
  const source = ts.createSourceFile(configPath, readFileSync(configPath, 'utf8'), ts.ScriptTarget.Latest, true);
  let keys: string[] | undefined;
  const visit = (node: ts.Node): void => {
    if (keys) return;
    if (ts.isCallExpression(node) && node.expression.getText(source) === 'z.object') {
      const shape = node.arguments[0];
      if (shape && ts.isObjectLiteralExpression(shape)) {
        keys = shape.properties.map((property) => property.name?.getText(source) ?? '').filter(isEnvironmentName);
        return;
      }
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(source, (node) => {
    if (ts.isVariableStatement(node) && node.getText(source).includes('environmentSchema')) visit(node);
  });
  if (!keys?.length) throw new Error(`no environmentSchema = z.object({...}) found in ${configPath}`);
  return keys;
}

function isEnvironmentName(name: string): boolean {
  return /^[A-Z][A-Z0-9_]*$/.test(name);
}
