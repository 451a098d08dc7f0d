package io.parley.chat.outbox;

import java.io.IOException;

import io.parley.chat.observe.ParleyMetrics;
import io.parley.chat.observe.ParleyMetrics.PostOutcome;

/**
 * Times every post of another poster and counts it by outcome ({@code parley_monolith_post_seconds},
 * {@code parley_monolith_posts_total}). Adds nothing else: what the poster answers or throws passes through.
 */
final class MeteredPoster implements BatchPoster {

    private final BatchPoster poster;
    private final String endpoint;
    private final ParleyMetrics metrics;

    /** @param endpoint the label: {@code history} or {@code events} */
    MeteredPoster(BatchPoster poster, String endpoint, ParleyMetrics metrics) {
        this.poster = poster;
        this.endpoint = endpoint;
        this.metrics = metrics;
        metrics.monolithEndpoint(endpoint);
    }

    @Override
    public Answer post(byte[] body) throws IOException, InterruptedException {
        long start = System.nanoTime();
        try {
            Answer answer = poster.post(body);
            metrics.monolithPost(endpoint, answer.success() ? PostOutcome.DELIVERED
                    : answer.refusal() ? PostOutcome.REFUSED : PostOutcome.FAILED, System.nanoTime() - start);
            return answer;
        } catch (IOException e) {
            metrics.monolithPost(endpoint, PostOutcome.NO_ANSWER, System.nanoTime() - start);
            throw e;
        }
    }
}
