/**
 * The rolling restart of issue 6, end to end: two Parley child processes on one {@code redis-server} and a stand-in
 * monolith, a few hundred real WebSocket clients that resume as the contract asks (reconnect on 1012, {@code since}
 * the last id shown, re-send unacknowledged messages with the same {@code ref}), and SIGTERM to one instance in the
 * middle of the conversation (protocol §5).
 */
package io.parley.it.rolling;
