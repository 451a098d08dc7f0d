package io.parley.chat.outbox;

import java.io.IOException;

/** Posts one JSON batch to the monolith and returns its answer. */
@FunctionalInterface
public interface BatchPoster {

    /**
     * @throws IOException no answer (refused connection, timeout, reset): the batch is retried
     */
    Answer post(byte[] body) throws IOException, InterruptedException;

    /** The monolith's answer: status and body (kept short, for the dead-letter store). */
    record Answer(int status, String body) {

        public boolean success() {
            return status >= 200 && status < 300;
        }

        /** A refusal of the content itself: splitting the batch finds the refused entries. */
        public boolean refusal() {
            return status >= 400 && status < 500 && status != 408 && status != 429;
        }
    }
}
