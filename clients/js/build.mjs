// Builds what the chat service serves under /widget/ (node build.mjs [--outdir DIR], default dist/):
//   parley.js         the widget for a <script> tag (one file, defines window.Parley)
//   parley-client.js  ParleyClient as one ES module (for pages that build their own UI)
//   parley-widget.js  the widget as one ES module (mount, get, STRINGS, LOCALES)
// each with its source map (.js.map).
import { readFileSync } from 'node:fs';
import { build } from 'esbuild';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const banner = (what) => ({ js: `/*! Parley ${what} ${version}. Sources and reference: clients/js, docs/widget.md */` });

const at = process.argv.indexOf('--outdir');
const outdir = at > 0 ? process.argv[at + 1] : 'dist';
// Minified, with a linked source map beside each file, so browser dev tools show the sources.
const common = { bundle: true, minify: true, sourcemap: 'linked', target: 'es2020', charset: 'utf8', logLevel: 'warning', legalComments: 'inline' };

await Promise.all([
  build({ ...common, entryPoints: ['src/widget/embed.js'], format: 'iife', banner: banner('chat widget'), outfile: `${outdir}/parley.js` }),
  build({ ...common, entryPoints: ['src/client/index.js'], format: 'esm', banner: banner('client'), outfile: `${outdir}/parley-client.js` }),
  build({ ...common, entryPoints: ['src/widget/index.js'], format: 'esm', banner: banner('chat widget module'), outfile: `${outdir}/parley-widget.js` }),
]);
console.log(`parley: built the widget and the client into ${outdir}/`);
