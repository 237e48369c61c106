import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { build, transform } from 'esbuild';

/** The console as the API serves it: /console, /console/app.js and /console/app.css. */
export interface ConsoleAssets {
  html: string;
  js: string;
  css: string;
}

const SRC = path.join(__dirname, 'src');

/**
 * Bundles the console from its sources in memory (esbuild: TSX and Preact from node_modules, no
 * CDN, nothing written to disk), so what is served always matches the code that runs.
 */
export async function buildConsoleAssets(): Promise<ConsoleAssets> {
  const [bundle, css, html] = await Promise.all([
    build({
      entryPoints: [path.join(SRC, 'main.tsx')],
      bundle: true,
      write: false,
      format: 'iife',
      platform: 'browser',
      target: ['es2020'],
      jsx: 'automatic',
      jsxImportSource: 'preact',
      tsconfig: path.join(__dirname, 'tsconfig.json'),
      minify: true,
      legalComments: 'none',
      logLevel: 'silent',
    }),
    readFile(path.join(SRC, 'app.css'), 'utf8').then((source) => transform(source, { loader: 'css', minify: true, logLevel: 'silent' })),
    readFile(path.join(SRC, 'index.html'), 'utf8'),
  ]);
  const js = bundle.outputFiles[0];
  if (!js) throw new Error('esbuild produced no console bundle');
  return { html, js: js.text, css: css.code };
}
