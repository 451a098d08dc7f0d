package io.parley.chat.auth;

import io.jsonwebtoken.JwtParser;

/**
 * One key that may verify tokens of exactly one algorithm, with a jjwt parser pinned to that pair:
 * the parser refuses every other {@code alg}, which is what rules out algorithm confusion.
 */
record VerificationKey(SigningAlgorithm algorithm, JwtParser parser) {
}
