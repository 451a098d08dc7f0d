// HS256 JSON Web Tokens with Node's own crypto: the load client signs one per socket, the reference server verifies
// them. Only HS256: the benchmark's tokens are what chat-service's test Tokens mint (sub, name, iat, exp, jti).
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';

/** The secret every benchmark server is configured with (chat-service's test Tokens.SECRET). */
export const TEST_SECRET = 'test-secret-test-secret-test-secret-0001';

const HEADER = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));

function base64url(text) {
  return Buffer.from(text, 'utf8').toString('base64url');
}

function signature(secret, signingInput) {
  return createHmac('sha256', secret).update(signingInput).digest();
}

/**
 * A token for user `id` as the monolith would issue it: "ada" is named "Ada", like Tokens.name, and a fresh `jti`
 * makes every token distinct.
 */
export function signUserToken(id, { secret = TEST_SECRET, lifetimeSeconds = 12 * 3600 } = {}) {
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    sub: id,
    name: id.charAt(0).toUpperCase() + id.slice(1),
    iat: now,
    exp: now + lifetimeSeconds,
    jti: randomUUID(),
  };
  const signingInput = `${HEADER}.${base64url(JSON.stringify(claims))}`;
  return `${signingInput}.${signature(secret, signingInput).toString('base64url')}`;
}

/** Why a token was refused; the message never contains the token. */
export class TokenError extends Error {}

/**
 * The claims of a valid token, else a TokenError. The algorithm is pinned to HS256 (never `none`, never what the
 * header asks for), the signature is compared in constant time against each secret (two during a rotation), `exp`
 * is required, `nbf` honoured, both with `leewaySeconds`.
 */
export function verifyToken(token, secrets, { leewaySeconds = 2, nowSeconds = Date.now() / 1000 } = {}) {
  if (typeof token !== 'string') throw new TokenError('missing token');
  const parts = token.split('.');
  if (parts.length !== 3) throw new TokenError('malformed token');
  const [headerPart, claimsPart, signaturePart] = parts;
  const header = decodeJson(headerPart);
  if (header?.alg !== 'HS256') throw new TokenError('algorithm not allowed');
  const given = Buffer.from(signaturePart, 'base64url');
  const signingInput = `${headerPart}.${claimsPart}`;
  const matches = secrets.some((secret) => {
    const expected = signature(secret, signingInput);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  if (!matches) throw new TokenError('bad signature');
  const claims = decodeJson(claimsPart);
  if (claims === null || typeof claims !== 'object') throw new TokenError('malformed claims');
  if (typeof claims.exp !== 'number') throw new TokenError('exp is required');
  if (claims.exp + leewaySeconds < nowSeconds) throw new TokenError('token expired');
  if (typeof claims.nbf === 'number' && claims.nbf - leewaySeconds > nowSeconds) {
    throw new TokenError('token not yet valid');
  }
  // A numeric subject is read as its decimal string, as the contract says.
  const sub = typeof claims.sub === 'number' && Number.isInteger(claims.sub) ? String(claims.sub) : claims.sub;
  if (typeof sub !== 'string' || sub === '') throw new TokenError('sub is required');
  if (claims.name !== undefined && (typeof claims.name !== 'string' || claims.name.length > 64)) {
    throw new TokenError('bad name');
  }
  return { ...claims, sub };
}

function decodeJson(part) {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
}
