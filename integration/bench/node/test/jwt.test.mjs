// The reference server's token checks: what Parley refuses, it refuses too (alg pinned, exp required, signature).
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import { signUserToken, TEST_SECRET, TokenError, verifyToken } from '../lib/jwt.mjs';

const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
function token(header, claims, secret = TEST_SECRET) {
  const input = `${b64(header)}.${b64(claims)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}
const later = () => Math.floor(Date.now() / 1000) + 600;

test('a token of the load client verifies, named as Tokens.name names it', () => {
  const claims = verifyToken(signUserToken('c7'), [TEST_SECRET]);
  assert.equal(claims.sub, 'c7');
  assert.equal(claims.name, 'C7');
  assert.ok(claims.jti);
});

test('refused: another secret, alg none, a missing or past exp, a missing sub', () => {
  const refused = (t) => assert.throws(() => verifyToken(t, [TEST_SECRET]), TokenError);
  refused(signUserToken('c1', { secret: 'another-secret-another-secret-0002' }));
  refused(`${b64({ alg: 'none' })}.${b64({ sub: 'x', exp: later() })}.`);
  refused(token({ alg: 'HS256' }, { sub: 'x' }));
  refused(token({ alg: 'HS256' }, { sub: 'x', exp: Math.floor(Date.now() / 1000) - 60 }));
  refused(token({ alg: 'HS256' }, { exp: later() }));
});

test('a numeric sub is read as its decimal string; the second secret of a rotation works', () => {
  const second = 'rotated-secret-rotated-secret-00003';
  const claims = verifyToken(token({ alg: 'HS256' }, { sub: 42, exp: later() }, second), [TEST_SECRET, second]);
  assert.equal(claims.sub, '42');
});
