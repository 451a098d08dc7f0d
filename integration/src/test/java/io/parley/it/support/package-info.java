/**
 * Test support shared by the integration tests: {@link io.parley.it.support.ParleyProcess}, a Parley instance in a
 * child JVM that a test can stop with SIGTERM (a graceful drain) or SIGKILL (a crash);
 * and {@link io.parley.it.support.AdminProbes} for the readiness and metrics endpoints of the admin port. Conditions
 * that have no event to wait on are awaited with {@link io.parley.chat.testing.Eventually} (chat-service's test jar).
 */
package io.parley.it.support;
