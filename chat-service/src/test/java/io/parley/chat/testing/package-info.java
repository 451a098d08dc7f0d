/**
 * Test support shared by chat-service's tests and, through its test jar, the integration tests: real parts to test
 * against ({@link io.parley.chat.testing.RedisServer}, {@link io.parley.chat.testing.RedisClusterServer},
 * {@link io.parley.chat.testing.TestServers}, the WebSocket clients), tokens, and time:
 * {@link io.parley.chat.testing.Eventually}, the one poll-until wait for conditions that have no event to wait on,
 * and {@link io.parley.chat.testing.MutableClock} for the clocks the code is given.
 */
package io.parley.chat.testing;
