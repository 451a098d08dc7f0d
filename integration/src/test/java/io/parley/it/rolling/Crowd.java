package io.parley.it.rolling;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * The users of the rolling-restart test and the conversation they hold: one timer thread paces everyone's lines (and
 * schedules reconnects), so the load is steady and no user thread sleeps. Closing it closes every socket with 1000
 * before the instances go away, so that nothing after the test reads as a problem.
 */
final class Crowd implements AutoCloseable {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("conversation").daemon().factory());
    private final List<ChatUser> users = new ArrayList<>();
    private final List<ScheduledFuture<?>> talking = new ArrayList<>();

    /** Adds a user who connects to {@code port} now and reconnects where {@code router} says after a 1012. */
    ChatUser join(String id, List<String> rooms, int port, IntSupplier router) {
        ChatUser user = ChatUser.connect(id, rooms, port, router, timer);
        users.add(user);
        return user;
    }

    List<ChatUser> users() {
        return List.copyOf(users);
    }

    /** Everyone says a line every {@code period}, starting at random offsets within one period. */
    void startTalking(Duration period, Random random) {
        for (ChatUser user : users) {
            talking.add(timer.scheduleAtFixedRate(user::say, random.nextLong(period.toMillis()), period.toMillis(),
                    TimeUnit.MILLISECONDS));
        }
    }

    void stopTalking() {
        talking.forEach(line -> line.cancel(false));
    }

    /** Acknowledgements received so far, by everyone. */
    int acked() {
        return users.stream().mapToInt(ChatUser::ackedCount).sum();
    }

    /** Everything unexpected any user saw, each prefixed with the user. */
    List<String> problems() {
        return users.stream().flatMap(u -> u.problems().stream().map(p -> u.id() + ": " + p)).toList();
    }

    /** A short account of {@link #problems()}, for failure messages. */
    String problemSummary() {
        List<String> all = problems();
        return all.isEmpty() ? "no problems seen" : all.size() + " problems, first: " + all.subList(0,
                Math.min(5, all.size()));
    }

    @Override
    public void close() {
        stopTalking();
        users.forEach(ChatUser::leave);
        timer.shutdownNow();
    }
}
