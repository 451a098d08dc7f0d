/**
 * The chat domain shared by the core and every adapter: users, messages, message ids and the events that travel
 * through a room. Plain immutable records; no I/O. The rules of its small values are written here once and used by
 * every edge that reads them (frame codec, server API, token reader): {@link io.parley.chat.model.RoomName},
 * {@link io.parley.chat.model.UserId}, {@link io.parley.chat.model.Ref}, characters counted by
 * {@link io.parley.chat.model.Text#length} (code points), and the id format of {@link io.parley.chat.model.MessageId}
 * (which the Redis append script is given rather than repeating).
 */
package io.parley.chat.model;
