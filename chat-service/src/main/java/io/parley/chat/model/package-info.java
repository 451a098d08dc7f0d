/**
 * The chat domain shared by the core and every adapter: users, messages, message ids and the events that travel
 * through a room. Plain immutable records; no I/O.
 */
package io.parley.chat.model;
