/**
 * The {@link io.parley.chat.broker.Broker} port: durable room history plus cluster-wide fan-out, with a memory
 * implementation (single instance) and a Redis one (several instances), chosen by the composition root. A new broker
 * is one more implementation here, run against {@code BrokerContract} in the tests and named in {@code Adapters}.
 */
package io.parley.chat.broker;
