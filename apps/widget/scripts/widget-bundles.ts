import { fileURLToPath } from 'node:url';
import type { BuildOptions } from 'esbuild';

const WIDGET = fileURLToPath(new URL('..', import.meta.url));

/**
 * The widget's two files, as `npm run build -w @parley/widget` writes them to dist/ and the
 * server serves them: `widget.js` (the loader a site embeds) and `app.js` (the chat in the
 * iframe, served as `/widget-app.js`). Both classic scripts (IIFE), minified, for ES2020 browsers.
 */
export const WIDGET_BUNDLES = {
  'widget.js': entry('loader.ts'),
  'app.js': entry('app.ts'),
} satisfies Record<string, BuildOptions>;

function entry(file: string): BuildOptions {
  return {
    // Paths in the metafile are relative to the workspace, wherever the build runs from.
    absWorkingDir: WIDGET,
    entryPoints: [`src/${file}`],
    bundle: true,
    minify: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    legalComments: 'none',
    metafile: true,
    write: false,
  };
}
