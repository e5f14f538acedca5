/**
 * The browser's search script, bundled from TypeScript source with esbuild: the one module that
 * knows esbuild. The same query parser and index reader run on the server and in the browser.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** bundleSearchScript returns `assets/search.js`: one classic script (file:// pages cannot load modules). */
export async function bundleSearchScript(): Promise<string> {
  const { build } = await import('esbuild');
  // Run from src/ (tsx) the entry is TypeScript; run from dist/ it is the compiled JavaScript.
  const typescript = fileURLToPath(new URL('./browser/search-page.ts', import.meta.url));
  const entry = existsSync(typescript) ? typescript : fileURLToPath(new URL('./browser/search-page.js', import.meta.url));
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    charset: 'utf8',
  });
  const output = result.outputFiles[0];
  if (output === undefined) throw new Error('esbuild wrote no search script');
  return output.text;
}
