package io.parley.chat.outbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Posts one batch, and when the monolith refuses it with a 4xx (other than 408/429) splits it in halves until the
 * refused entries stand alone: those are {@link Outcome#refused() refused}, every other entry is delivered. A
 * retryable failure (no answer, 5xx, 408, 429) stops the search; what was not delivered yet is
 * {@link Outcome#pending() pending} and goes back to the retry loop. Refusing k entries of n costs about
 * {@code 2k log2(n)} posts. Stateless and thread-safe.
 */
public final class BatchDelivery {

    static final int MAX_ERROR_CHARS = 200;
    private static final Pattern SCRIPTS = Pattern.compile("(?is)<(script|style)\\b.*?</\\1\\s*>");
    private static final Pattern TAGS = Pattern.compile("(?s)<[^>]*>");

    private final BatchPoster poster;
    private final byte[] prefix;

    /**
     * @param field the JSON field that holds the batch: {@code messages} for the history, {@code events} for events
     */
    public BatchDelivery(BatchPoster poster, String field) {
        this.poster = poster;
        this.prefix = ("{\"" + field + "\":[").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @param failure why {@code pending} is not empty (a status or the kind of network failure); empty otherwise
     */
    public record Outcome(List<OutboxEntry> delivered, List<Refused> refused, List<OutboxEntry> pending,
                          String failure) {

        /** Entries the store may forget: delivered, or refused and about to be dead-lettered. */
        public List<OutboxEntry> settled() {
            List<OutboxEntry> settled = new ArrayList<>(delivered);
            refused.forEach(r -> settled.add(r.entry()));
            return settled;
        }
    }

    public Outcome deliver(List<OutboxEntry> batch) throws InterruptedException {
        Progress progress = new Progress();
        attempt(batch, progress);
        return new Outcome(List.copyOf(progress.delivered), List.copyOf(progress.refused),
                List.copyOf(progress.pending), progress.failure);
    }

    /** The body of a batch: the entries' JSON as stored, in a {@code {"<field>":[...]}} envelope. */
    public byte[] body(List<OutboxEntry> entries) {
        StringBuilder sb = new StringBuilder();
        for (OutboxEntry e : entries) {
            sb.append(sb.isEmpty() ? "" : ",").append(e.json());
        }
        byte[] items = sb.append("]}").toString().getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[prefix.length + items.length];
        System.arraycopy(prefix, 0, body, 0, prefix.length);
        System.arraycopy(items, 0, body, prefix.length, items.length);
        return body;
    }

    private static final class Progress {
        final List<OutboxEntry> delivered = new ArrayList<>();
        final List<Refused> refused = new ArrayList<>();
        final List<OutboxEntry> pending = new ArrayList<>();
        String failure = "";
    }

    /** Returns false when a retryable failure ended the attempt (the part is then pending). */
    private boolean attempt(List<OutboxEntry> part, Progress progress) throws InterruptedException {
        BatchPoster.Answer answer;
        try {
            answer = poster.post(body(part));
        } catch (IOException e) {
            progress.failure = "no answer (" + e.getClass().getSimpleName() + ")";
            progress.pending.addAll(part);
            return false;
        }
        if (answer.success()) {
            progress.delivered.addAll(part);
            return true;
        }
        if (!answer.refusal()) {
            progress.failure = "HTTP " + answer.status();
            progress.pending.addAll(part);
            return false;
        }
        if (part.size() == 1) {
            progress.refused.add(new Refused(part.getFirst(), answer.status(), excerpt(answer)));
            return true;
        }
        int half = part.size() / 2;
        if (!attempt(part.subList(0, half), progress)) {
            progress.pending.addAll(part.subList(half, part.size()));
            return false;
        }
        return attempt(part.subList(half, part.size()), progress);
    }

    /**
     * What a dead letter keeps of the monolith's answer: its text on one line, without markup (an error page's
     * title and first words say more than its HTML), at most {@link #MAX_ERROR_CHARS} characters.
     */
    static String excerpt(BatchPoster.Answer answer) {
        String body = answer.body() == null ? "" : answer.body();
        String text = TAGS.matcher(SCRIPTS.matcher(body).replaceAll(" ")).replaceAll(" ")
                .replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&")
                .replaceAll("\\s+", " ").strip();
        if (text.isEmpty()) {
            return "HTTP " + answer.status();
        }
        return text.length() <= MAX_ERROR_CHARS ? text : text.substring(0, MAX_ERROR_CHARS - 1) + "…";
    }
}
