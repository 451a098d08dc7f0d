package io.parley.chat.outbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The loop that empties one {@link OutboxStore} into one monolith endpoint: take up to {@code maxBatch} entries
 * (lingering at most {@code linger} for a batch to fill), post them, acknowledge what the monolith took or refused,
 * and retry the rest with capped exponential backoff for as long as it takes. While it waits it keeps its entries
 * claimed, so that a live instance in a long outage does not have its work taken over by another.
 *
 * <p>One thread per forwarder, so posts of one endpoint never overlap (the monolith sees batches one at a time from
 * each instance).
 */
public final class OutboxForwarder implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(OutboxForwarder.class.getName());
    private static final Duration IDLE_POLL = Duration.ofSeconds(1);

    /**
     * @param name      what it forwards, for logs and the thread name ({@code history}, {@code events})
     * @param maxBatch  entries per post (protocol §3: at most 100)
     * @param linger    how long the first entry of a batch may wait for others (protocol §3: at most 200 ms)
     * @param keepAlive how often held entries are re-claimed while a retry waits (well under the claim time)
     */
    public record Settings(String name, int maxBatch, Duration linger, Duration keepAlive, Duration firstRetry,
                           Duration maxRetry) {
    }

    private final Settings settings;
    private final OutboxStore store;
    private final BatchDelivery delivery;
    private final RefusalHandler refusals;
    private final Backoff backoff;
    private final Object signal = new Object();
    private final Thread thread;
    private volatile boolean running = true;
    /** A flush is waiting: batches go out without lingering. */
    private volatile boolean flushing;
    /** One-shot: the retry that is waiting out its backoff goes now (later ones back off as usual). */
    private volatile boolean retryNow;
    private boolean failing;

    public OutboxForwarder(Settings settings, OutboxStore store, BatchDelivery delivery, RefusalHandler refusals) {
        this.settings = settings;
        this.store = store;
        this.delivery = delivery;
        this.refusals = refusals;
        this.backoff = new Backoff(settings.firstRetry(), settings.maxRetry());
        this.thread = Thread.ofPlatform().daemon().name("parley-outbox-" + settings.name()).unstarted(this::run);
    }

    public void start() {
        thread.start();
    }

    /**
     * Delivers what this instance holds, waiting at most {@code timeout}; a retry that is waiting is tried at once.
     * Returns whether everything this instance held was delivered. Used by the drain: in memory, what is not
     * flushed is lost; in Redis it stays in the streams for the other instances.
     */
    public boolean flush(Duration timeout) {
        store.finishLocalOnly();
        long deadline = System.nanoTime() + timeout.toNanos();
        flushing = true;
        retryNow = true;
        wake();
        try {
            while (store.hasLocalWork()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                synchronized (signal) {
                    signal.wait(Math.max(1, Math.min(left / 1_000_000, 50)));
                }
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            flushing = false;
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        List<OutboxEntry> batch = List.of();
        while (running) {
            try {
                if (batch.isEmpty()) {
                    batch = nextBatch();
                }
                if (batch.isEmpty()) {
                    continue;
                }
                BatchDelivery.Outcome outcome = delivery.deliver(batch);
                if (!outcome.refused().isEmpty()) {
                    refusals.refused(outcome.refused());
                }
                store.acknowledge(outcome.settled());
                batch = outcome.pending();
                if (batch.isEmpty()) {
                    recovered();
                    wake();
                } else {
                    failed(outcome.failure(), batch.size());
                    waitToRetry(batch);
                }
            } catch (InterruptedException e) {
                if (!running) {
                    break;
                }
            } catch (RuntimeException e) {
                // The store itself failed (Redis unreachable): keep what is held, try again later.
                failed("store unavailable (" + e.getClass().getSimpleName() + ")", batch.size());
                try {
                    waitToRetry(batch);
                } catch (InterruptedException stop) {
                    if (!running) {
                        break;
                    }
                }
            }
        }
    }

    private List<OutboxEntry> nextBatch() throws InterruptedException {
        List<OutboxEntry> batch = new ArrayList<>(store.take(settings.maxBatch(), IDLE_POLL));
        long deadline = System.nanoTime() + settings.linger().toNanos();
        while (!batch.isEmpty() && batch.size() < settings.maxBatch() && !flushing) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                batch.addAll(store.take(settings.maxBatch() - batch.size(), Duration.ofNanos(left)));
            } catch (RuntimeException e) {
                // The store failed while the batch lingered. What was already taken is this forwarder's to deliver
                // (the store counts it as handed out and will not hand it out again): post it now, and let the
                // next take report the store's trouble. Dropping it here stranded it until a restart.
                break;
            }
        }
        return batch;
    }

    /** Sleeps the backoff delay in slices, re-claiming the held entries between them; a flush cuts it short. */
    private void waitToRetry(List<OutboxEntry> held) throws InterruptedException {
        long until = System.nanoTime() + backoff.next().toNanos();
        while (running) {
            if (retryNow) {
                retryNow = false;
                return;
            }
            long left = until - System.nanoTime();
            if (left <= 0) {
                return;
            }
            synchronized (signal) {
                signal.wait(Math.max(1, Math.min(left, settings.keepAlive().toNanos()) / 1_000_000));
            }
            if (!held.isEmpty() && until - System.nanoTime() > 0) {
                try {
                    store.keepClaimed(held);
                } catch (RuntimeException e) {
                    // The store is away: the next attempt will say so; another instance may take these meanwhile.
                }
            }
        }
    }

    private void wake() {
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    private void failed(String why, int pending) {
        if (!failing) {
            failing = true;
            LOG.log(System.Logger.Level.WARNING, "monolith " + settings.name() + " post failed: " + why
                    + "; retrying with backoff (" + pending + " entries held)");
        } else {
            LOG.log(System.Logger.Level.DEBUG, "monolith " + settings.name() + " post failed again: " + why);
        }
    }

    private void recovered() {
        backoff.reset();
        if (failing) {
            failing = false;
            LOG.log(System.Logger.Level.INFO, "monolith " + settings.name() + " posts delivered again");
        }
    }
}
