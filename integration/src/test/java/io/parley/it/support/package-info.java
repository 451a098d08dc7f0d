/**
 * Test support shared by the integration tests: {@link io.parley.it.support.ParleyProcess}, a Parley instance in a
 * child JVM that a test can stop with SIGTERM (a graceful drain) or SIGKILL (a crash);
 * {@link io.parley.it.support.AdminProbes} for the readiness and metrics endpoints of the admin port; and
 * {@link io.parley.it.support.Await}, the one polling wait for conditions that have no event to wait on.
 */
package io.parley.it.support;
