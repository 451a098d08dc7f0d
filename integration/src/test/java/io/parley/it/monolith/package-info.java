/**
 * End-to-end tests of the monolith integration (protocol §2-§4): the history outbox and the events webhook against
 * {@link io.parley.it.monolith.StandInMonolith}, a real HTTP server that checks Parley's signatures and can fail in
 * every way a Rails app can; instance crashes with Redis; dead letters and their replay through the signed server
 * API; token revocation across instances.
 */
package io.parley.it.monolith;
