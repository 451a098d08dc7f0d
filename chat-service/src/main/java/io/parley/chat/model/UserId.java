package io.parley.chat.model;

/**
 * A user id (protocol §1, a token's {@code sub}): not blank, at most {@value #MAX_LENGTH} characters counted as
 * code points, so an id of emoji or CJK characters has the same limit in a token, in the server API's path and in a
 * published message's {@code user.id}.
 *
 * @param value the id; a {@code UserId} exists only for a valid one
 */
public record UserId(String value) {

    public static final int MAX_LENGTH = 128;
    /** What a refusal says. */
    public static final String PROBLEM = "a user id has 1 to " + MAX_LENGTH + " characters and is not blank";

    /** @throws IllegalArgumentException with {@link #PROBLEM} when the id breaks the rule */
    public UserId {
        if (!isValid(value)) {
            throw new IllegalArgumentException(PROBLEM);
        }
    }

    public static boolean isValid(String id) {
        return id != null && !id.isBlank() && Text.length(id) <= MAX_LENGTH;
    }

    @Override
    public String toString() {
        return value;
    }
}
