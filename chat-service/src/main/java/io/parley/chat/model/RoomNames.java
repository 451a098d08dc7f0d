package io.parley.chat.model;

import java.util.regex.Pattern;

/** Room name syntax (protocol §1): 1 to 64 of {@code A-Z a-z 0-9 _ . : -}; {@code *} never appears. */
public final class RoomNames {

    /** The room-name rule of protocol §1, also sent to clients in {@code welcome.limits}. */
    public static final String RULE = "^[A-Za-z0-9_.:-]{1,64}$";
    private static final Pattern VALID = Pattern.compile(RULE);

    private RoomNames() {
    }

    public static boolean isValid(String room) {
        return room != null && VALID.matcher(room).matches();
    }
}
