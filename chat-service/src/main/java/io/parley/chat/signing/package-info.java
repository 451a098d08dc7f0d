/**
 * The {@code Parley-Signature} HMAC scheme of protocol §4, used in both directions: the monolith signs its server
 * API calls ({@link io.parley.chat.signing.SignatureVerifier} checks them), Parley signs its history and event posts
 * ({@link io.parley.chat.signing.RequestSigner}). Pure: no I/O, no logging of secrets or signatures.
 */
package io.parley.chat.signing;
