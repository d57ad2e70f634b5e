/**
 * A Vite plugin that writes a gzip copy (file.gz) beside each built HTML, JS and CSS file, which the server
 * sends to browsers that accept gzip: compressed once at build time, never per request.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { constants, gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

const COMPRESSIBLE = /\.(html|js|css|svg|json)$/;

export function gzip(content: string | Uint8Array): Buffer {
  return gzipSync(content, { level: constants.Z_BEST_COMPRESSION });
}

export function precompress(): Plugin {
  return {
    name: 'attendance:precompress',
    apply: 'build',
    writeBundle(outputOptions, bundle) {
      const outDir = outputOptions.dir ?? '';
      for (const [fileName, output] of Object.entries(bundle)) {
        if (!COMPRESSIBLE.test(fileName)) continue;
        writeFileSync(join(outDir, `${fileName}.gz`), gzip(output.type === 'chunk' ? output.code : output.source));
      }
    },
  };
}
