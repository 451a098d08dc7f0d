// Builds what the chat service serves under /widget/ (node build.mjs [--outdir DIR], default dist/):
//   parley.js         the widget for a <script> tag (one file, defines window.Parley)
//   parley-client.js  ParleyClient as one ES module (for pages that build their own UI)
//   parley-widget.js  the widget as one ES module (mount, get, STRINGS, LOCALES)
import { build } from 'esbuild';

const at = process.argv.indexOf('--outdir');
const outdir = at > 0 ? process.argv[at + 1] : 'dist';
const common = { bundle: true, target: 'es2020', charset: 'utf8', logLevel: 'warning', legalComments: 'inline' };

await Promise.all([
  build({ ...common, entryPoints: ['src/widget/embed.js'], format: 'iife', outfile: `${outdir}/parley.js` }),
  build({ ...common, entryPoints: ['src/client/index.js'], format: 'esm', outfile: `${outdir}/parley-client.js` }),
  build({ ...common, entryPoints: ['src/widget/index.js'], format: 'esm', outfile: `${outdir}/parley-widget.js` }),
]);
console.log(`parley: built the widget and the client into ${outdir}/`);
