/**
 * Development mode only ({@code PARLEY_DEV=true} with an explicit {@code PARLEY_DEV_SECRET}): the demo page and a
 * token issuer that stands in for the monolith. Never enabled in production.
 */
package io.parley.chat.dev;
