package io.parley.chat.outbox;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.parley.chat.model.User;

/**
 * One element of an events post (protocol §3): {@code {"type","room","user"?,"ts"}}.
 *
 * @param type {@link #MEMBER_ADDED}, {@link #MEMBER_REMOVED}, {@link #ROOM_OCCUPIED} or {@link #ROOM_VACATED}
 * @param user the member, for the member events; absent for the room events
 * @param ts   when this instance saw the transition, epoch milliseconds
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MonolithEvent(String type, String room, User user, long ts) {

    public static final String MEMBER_ADDED = "member_added";
    public static final String MEMBER_REMOVED = "member_removed";
    public static final String ROOM_OCCUPIED = "room_occupied";
    public static final String ROOM_VACATED = "room_vacated";
}
