/**
 * A Vite plugin that prints the gzip size of the JavaScript a page loads up front (its entry chunk and every
 * chunk that one statically imports) and fails the build over budget: the side panel opens inside a Teams
 * meeting, often on a busy connection.
 */
import type { Logger, Plugin } from 'vite';
import { gzip } from './precompress.ts';

interface BundleSizeOptions {
  /** The HTML page whose JavaScript is measured, relative to the Vite root. */
  page: string;
  budgetKb: number;
}

interface Chunk {
  code: string;
  imports: string[];
}

export function bundleSize(options: BundleSizeOptions): Plugin {
  let logger: Logger | undefined;
  return {
    name: 'attendance:bundle-size',
    apply: 'build',
    configResolved(config) {
      logger = config.logger;
    },
    writeBundle(_outputOptions, bundle) {
      const chunks = new Map<string, Chunk>();
      let entry: string | undefined;
      for (const [fileName, output] of Object.entries(bundle)) {
        if (output.type !== 'chunk') continue;
        chunks.set(fileName, output);
        if (output.isEntry && output.facadeModuleId?.replaceAll('\\', '/').endsWith(`/${options.page}`)) entry = fileName;
      }
      if (!entry) return this.error(`bundle size: no entry chunk for ${options.page}`);
      const loaded = new Set<string>();
      const visit = (fileName: string): void => {
        if (loaded.has(fileName)) return;
        loaded.add(fileName);
        for (const imported of chunks.get(fileName)?.imports ?? []) visit(imported);
      };
      visit(entry);
      const bytes = [...loaded].reduce((sum, fileName) => sum + gzip(chunks.get(fileName)?.code ?? '').length, 0);
      const kb = bytes / 1024;
      const files = `${loaded.size} file${loaded.size === 1 ? '' : 's'}`;
      const summary = `${options.page} loads ${kb.toFixed(1)} KB of JavaScript, gzip (${files}); budget ${options.budgetKb} KB`;
      if (kb > options.budgetKb) return this.error(`over budget: ${summary}`);
      logger?.info(`bundle size: ${summary}`);
    },
  };
}
