/**
 * This instance's side of rooms: which local sockets are in which room, and the fan-out of one room event to them.
 * A socket is known here only as a {@link io.parley.chat.room.Recipient}.
 */
package io.parley.chat.room;
