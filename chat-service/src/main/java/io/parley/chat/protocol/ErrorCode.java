package io.parley.chat.protocol;

/** The {@code code} values of the {@code error} frame (protocol §1). */
public enum ErrorCode {
    BAD_REQUEST, UNAUTHORIZED, FORBIDDEN, NOT_JOINED, TOO_LARGE, RATE_LIMITED, INTERNAL;

    /** The wire spelling, e.g. {@code not_joined}. */
    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
