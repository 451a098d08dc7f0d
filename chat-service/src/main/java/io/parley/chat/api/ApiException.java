package io.parley.chat.api;

/**
 * A request the API answers with an error: {@code {"error":"<code>","message":"<message>"}} and the status. The
 * message is written here, is safe to return and never contains a secret or a signature.
 */
final class ApiException extends RuntimeException {

    private final int status;
    private final String code;

    ApiException(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    static ApiException badRequest(String message) {
        return new ApiException(400, "bad_request", message);
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }
}
