/**
 * The {@link io.parley.chat.broker.Broker} port: durable room history plus cluster-wide fan-out, with a memory
 * implementation (single instance) and a Redis one (several instances).
 */
package io.parley.chat.broker;
