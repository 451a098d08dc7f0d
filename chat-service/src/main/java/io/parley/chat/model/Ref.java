package io.parley.chat.model;

/**
 * A client's or the monolith's idempotency reference ({@code ref} of a frame or of a published message): 1 to
 * {@value #MAX_LENGTH} characters counted as code points, the same in the frame codec and the server API.
 *
 * @param value the reference; a {@code Ref} exists only for a valid one
 */
public record Ref(String value) {

    public static final int MAX_LENGTH = 64;
    /** What a refusal says. */
    public static final String PROBLEM = "'ref' must be a string of 1 to " + MAX_LENGTH + " characters";

    /** @throws IllegalArgumentException with {@link #PROBLEM} when the reference breaks the rule */
    public Ref {
        if (!isValid(value)) {
            throw new IllegalArgumentException(PROBLEM);
        }
    }

    public static boolean isValid(String ref) {
        return ref != null && !ref.isEmpty() && Text.length(ref) <= MAX_LENGTH;
    }

    @Override
    public String toString() {
        return value;
    }
}
