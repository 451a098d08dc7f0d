// docs/widget.md, section "Client SDK", is the API reference of ParleyClient: this checks it against the type
// declarations (types/client.d.ts), name by name in both directions, so neither can drift from the other.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import * as client from '../src/client/index.js';

const dts = readFileSync(new URL('../types/client.d.ts', import.meta.url), 'utf8');
const docs = readFileSync(new URL('../../../docs/widget.md', import.meta.url), 'utf8');

/** The body of `export declare class X {` or `export interface X {` up to its closing brace at line start. */
function block(kind, name) {
  const start = dts.indexOf(`export ${kind} ${name}`);
  assert.ok(start >= 0, `${name} in client.d.ts`);
  const open = dts.indexOf('{', start);
  return dts.slice(open + 1, dts.indexOf('\n}', open));
}

function members(body) {
  const names = new Set();
  for (const line of body.split('\n')) {
    const match = line.match(/^ {2}(?:readonly )?(\w+)\??[(<:]/);
    if (match && match[1] !== 'constructor') names.add(match[1]);
  }
  return [...names].sort();
}

/** First-cell names of the table under `### heading` in the "Client SDK" section. */
function documented(heading) {
  const section = docs.slice(docs.indexOf('## Client SDK'));
  const start = section.indexOf(`### ${heading}\n`);
  assert.ok(start >= 0, `### ${heading} in the Client SDK section of docs/widget.md`);
  const end = section.indexOf('\n#', start + 4);
  const names = new Set();
  for (const line of section.slice(start, end < 0 ? undefined : end).split('\n')) {
    const match = line.match(/^\| `(?:client\.|new )?(\w+)/);
    if (match) names.add(match[1]);
  }
  return [...names].sort();
}

test('every ParleyClient member is documented, and nothing else', () => {
  assert.deepEqual(documented('Members'), members(block('declare class', 'ParleyClient')));
});

test('every constructor option is documented, and nothing else', () => {
  assert.deepEqual(documented('Options'), members(block('interface', 'ParleyClientOptions')));
});

test('every event is documented, and nothing else', () => {
  assert.deepEqual(documented('Events'), members(block('interface', 'ClientEvents')));
});

test('every export is declared and documented', () => {
  const declared = [...dts.matchAll(/^export declare (?:class|const|function) (\w+)/gm)].map((m) => m[1]).sort();
  assert.deepEqual(Object.keys(client).sort(), declared, 'the module exports what client.d.ts declares');
  assert.deepEqual(documented('Exports'), declared);
});

test('VERSION is the package version', () => {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  assert.equal(client.VERSION, pkg.version);
});
