package io.parley.chat.outbox;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.chat.protocol.Json;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BatchDeliveryTest {

    /** What the monolith was sent, one list of ids per post. */
    private final List<List<String>> posts = new ArrayList<>();

    private static List<OutboxEntry> entries(int n) {
        return IntStream.rangeClosed(1, n).mapToObj(i -> new OutboxEntry("", Integer.toString(i),
                "{\"id\":\"m" + i + "\",\"text\":\"hi\"}")).toList();
    }

    private static List<String> ids(List<OutboxEntry> entries) {
        return entries.stream().map(OutboxEntry::entryId).toList();
    }

    /** A monolith that refuses (422) any batch holding one of {@code refused}, else answers {@code otherwise}. */
    private BatchPoster refusing(Set<String> refused, int otherwise) {
        return body -> {
            List<String> ids = new ArrayList<>();
            for (JsonNode m : Json.MAPPER.readTree(body).get("messages")) {
                ids.add(m.get("id").asText());
            }
            posts.add(ids);
            return ids.stream().anyMatch(refused::contains)
                    ? new BatchPoster.Answer(422, "{\"error\":\"bad message\"}")
                    : new BatchPoster.Answer(otherwise, "");
        };
    }

    @Test
    void aBatchTheMonolithTakesIsDeliveredInOnePost() throws Exception {
        BatchDelivery.Outcome o = new BatchDelivery(refusing(Set.of(), 204), "messages").deliver(entries(100));
        assertEquals(100, o.delivered().size());
        assertTrue(o.refused().isEmpty() && o.pending().isEmpty());
        assertEquals(1, posts.size());
    }

    @Test
    void theEnvelopeHoldsTheEntriesAsStored() {
        BatchDelivery delivery = new BatchDelivery(body -> new BatchPoster.Answer(200, ""), "events");
        assertEquals("{\"events\":[{\"id\":\"m1\",\"text\":\"hi\"},{\"id\":\"m2\",\"text\":\"hi\"}]}",
                new String(delivery.body(entries(2)), StandardCharsets.UTF_8));
        assertEquals("{\"events\":[]}", new String(delivery.body(List.of()), StandardCharsets.UTF_8));
    }

    @Test
    void aRefusedBatchIsSplitUntilOnlyTheRefusedMessagesAreLeft() throws Exception {
        BatchDelivery.Outcome o = new BatchDelivery(refusing(Set.of("m3", "m7", "m64"), 200), "messages")
                .deliver(entries(100));

        assertEquals(List.of("3", "7", "64"), o.refused().stream().map(r -> r.entry().entryId()).toList());
        o.refused().forEach(r -> {
            assertEquals(422, r.status());
            assertEquals("{\"error\":\"bad message\"}", r.error());
        });
        assertEquals(97, o.delivered().size());
        assertTrue(o.pending().isEmpty());
        assertEquals(100, o.settled().size());
        // Every message went out in a post the monolith took, or alone in one it refused.
        assertTrue(posts.size() < 3 * 2 * 7 + 1, "bisection, not one post per message: " + posts.size());
    }

    @Test
    void aSingleRefusedMessageIsRefusedWithoutASplit() throws Exception {
        BatchDelivery.Outcome o = new BatchDelivery(refusing(Set.of("m1"), 200), "messages").deliver(entries(1));
        assertEquals(1, o.refused().size());
        assertEquals(1, posts.size());
    }

    @Test
    void retryableAnswersKeepTheWholeBatchPending() throws Exception {
        for (int status : new int[] {500, 502, 503, 408, 429, 302}) {
            BatchDelivery.Outcome o = new BatchDelivery(refusing(Set.of(), status), "messages").deliver(entries(5));
            assertEquals(ids(entries(5)), ids(o.pending()), "status " + status);
            assertTrue(o.delivered().isEmpty() && o.refused().isEmpty());
            assertEquals("HTTP " + status, o.failure());
        }
    }

    @Test
    void noAnswerKeepsTheWholeBatchPending() throws Exception {
        BatchDelivery.Outcome o = new BatchDelivery(body -> {
            throw new ConnectException("refused");
        }, "messages").deliver(entries(3));
        assertEquals(3, o.pending().size());
        assertTrue(o.failure().contains("ConnectException"), o.failure());
    }

    @Test
    void anOutageDuringASplitKeepsWhatWasNotSettledPending() throws Exception {
        // The first post is refused; the monolith then goes down: the first half fails, nothing is dead-lettered.
        int[] calls = {0};
        BatchDelivery.Outcome o = new BatchDelivery(body -> {
            if (calls[0]++ == 0) {
                return new BatchPoster.Answer(400, "no");
            }
            throw new IOException("gone");
        }, "messages").deliver(entries(8));
        assertEquals(8, o.pending().size());
        assertTrue(o.refused().isEmpty() && o.delivered().isEmpty());

        // Refused, then the first half is taken, then the second half meets a 503: the second half stays pending.
        calls[0] = 0;
        o = new BatchDelivery(body -> switch (calls[0]++) {
            case 0 -> new BatchPoster.Answer(400, "no");
            case 1 -> new BatchPoster.Answer(200, "");
            default -> new BatchPoster.Answer(503, "");
        }, "messages").deliver(entries(8));
        assertEquals(List.of("1", "2", "3", "4"), ids(o.delivered()));
        assertEquals(List.of("5", "6", "7", "8"), ids(o.pending()));
    }

    @Test
    void longErrorsAreShortened() throws Exception {
        BatchDelivery.Outcome o = new BatchDelivery(body -> new BatchPoster.Answer(422, "x".repeat(5_000)),
                "messages").deliver(entries(1));
        assertEquals(BatchDelivery.MAX_ERROR_CHARS, o.refused().getFirst().error().length());
        o = new BatchDelivery(body -> new BatchPoster.Answer(410, " "), "messages").deliver(entries(1));
        assertEquals("HTTP 410", o.refused().getFirst().error());
    }

    @Test
    void anHtmlErrorPageIsKeptAsAShortExcerptOfItsText() {
        String page = "<!DOCTYPE html>\n<html><head><title>Action Controller: Exception caught</title>"
                + "<style>body { color: red; }</style><script>var x = 1;</script></head>\n<body>\n"
                + "<h1>ActiveRecord::RecordInvalid</h1>\n<p>Validation failed: Room can&apos;t be blank &amp; more</p>"
                + "<pre>" + "app/models/chat_message.rb:12\n".repeat(400) + "</pre></body></html>";
        String error = BatchDelivery.excerpt(new BatchPoster.Answer(422, page));
        assertTrue(error.startsWith("Action Controller: Exception caught ActiveRecord::RecordInvalid Validation"),
                error);
        assertTrue(error.length() <= BatchDelivery.MAX_ERROR_CHARS, error);
        assertFalse(error.contains("<") || error.contains("color: red") || error.contains("var x"), error);
        assertFalse(error.contains("\n"), "one line");
    }
}
