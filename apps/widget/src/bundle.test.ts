import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { WIDGET_BUNDLES } from '../scripts/widget-bundles';

/** What a site pays for the chat bubble: the loader and the frame's app, gzipped, together. */
const BUDGET_BYTES = 60 * 1024;

describe('the widget bundles', () => {
  it('stay within 60 KB gzipped together, and carry no schema library or protocol runtime', async () => {
    let total = 0;
    for (const [name, options] of Object.entries(WIDGET_BUNDLES)) {
      const result = await build(options);
      const inputs = Object.keys(result.metafile!.inputs);
      expect(
        inputs.filter((input) => input.includes('node_modules')),
        name,
      ).toEqual([]);
      expect(
        inputs.filter((input) => /protocol\/src\/(?!constants\.ts$)/.test(input)),
        name,
      ).toEqual([]);
      const code = result.outputFiles![0]!.contents;
      expect(Buffer.from(code).toString('utf8'), name).not.toMatch(/\bzod\b|ZodError/);
      const gzipped = gzipSync(code).length;
      total += gzipped;
      console.info(`widget ${name}: ${code.length} bytes minified, ${gzipped} gzipped`);
    }
    expect(total).toBeLessThan(BUDGET_BYTES);
  });

  it('keep the loader tiny and free of the SDK', async () => {
    const result = await build(WIDGET_BUNDLES['widget.js']);
    const inputs = Object.keys(result.metafile!.inputs);
    expect(inputs.filter((input) => !input.startsWith('src/'))).toEqual([]);
    expect(gzipSync(result.outputFiles![0]!.contents).length).toBeLessThan(2 * 1024);
  });
});
