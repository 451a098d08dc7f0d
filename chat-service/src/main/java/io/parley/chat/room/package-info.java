/**
 * This instance's side of rooms: which local sockets are in which room, and the fan-out of one room event to them.
 * A socket is known here only as a {@link io.parley.chat.room.Recipient}. Part of the core: used by
 * {@link io.parley.chat.core.ChatNode}, implemented by the connection layer.
 */
package io.parley.chat.room;
