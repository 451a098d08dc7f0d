/**
 * What flows from Parley to the monolith (protocol §3): every accepted message to the history endpoint, and room and
 * presence events to the events endpoint, in signed batches, at least once.
 *
 * <p>The port is {@link io.parley.chat.outbox.OutboxStore}, where entries wait until the monolith acknowledged them:
 * {@link io.parley.chat.outbox.MemoryOutbox} (a bounded queue; lost with the process) or
 * {@link io.parley.chat.outbox.RedisOutbox} (streams read through a consumer group; survives instance crashes).
 * {@link io.parley.chat.outbox.OutboxForwarder} takes batches, posts them with
 * {@link io.parley.chat.outbox.SignedPoster}, retries with {@link io.parley.chat.outbox.Backoff}, and
 * {@link io.parley.chat.outbox.BatchDelivery} splits a batch the monolith refuses with a 4xx so that only the refused
 * entries go to the {@link io.parley.chat.outbox.DeadLetters} store. {@link io.parley.chat.outbox.MonolithLink}
 * assembles the parts for one instance on the {@link io.parley.chat.outbox.MonolithLink.Stores} the composition root
 * chose (memory or Redis); nothing in this package picks an implementation.
 */
package io.parley.chat.outbox;
