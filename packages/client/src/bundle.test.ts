import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

describe('the SDK bundle', () => {
  it('carries no schema library: apps import only types and plain constants from the protocol', async () => {
    const result = await build({
      entryPoints: [fileURLToPath(new URL('./index.ts', import.meta.url))],
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      write: false,
      metafile: true,
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.filter((input) => input.includes('node_modules'))).toEqual([]);
    expect(inputs.some((input) => input.endsWith('protocol/src/index.ts'))).toBe(false);
    const code = result.outputFiles[0]!.contents;
    console.info(`SDK bundle: ${code.length} bytes minified, ${gzipSync(code).length} gzipped`);
  });
});
