package io.parley.it.rolling;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.parley.chat.api.SignedApiClient;
import io.parley.chat.testing.Eventually;
import io.parley.chat.testing.RedisServer;
import io.parley.chat.testing.TestServers;
import io.parley.it.monolith.StandInMonolith;
import io.parley.it.support.AdminProbes;
import io.parley.it.support.ParleyProcess;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A rolling restart is a non-event (issue 6, protocol §5). Two instances share a real {@code redis-server} (AOF) and a
 * stand-in monolith; two hundred users in ten rooms chat through them, half on each. Instance A gets SIGTERM in the
 * middle of the conversation, as Kubernetes sends it to a pod it replaces:
 * <ul>
 *   <li>A's readiness goes down at once and A refuses new upgrades, while its sockets are still being closed;</li>
 *   <li>A's clients are closed 1012, spread over the drain period (not all at once: no reconnect storm);</li>
 *   <li>they reconnect to B, resume each room with {@code since} = the last id they were shown, and re-send what was
 *   not acknowledged with the same {@code ref};</li>
 *   <li>every acknowledged message is shown to every member of its room, and no message is shown twice to anyone
 *   (the resume neither loses nor repeats);</li>
 *   <li>the monolith receives exactly the acknowledged messages (after de-duplication on id);</li>
 *   <li>A exits 0.</li>
 * </ul>
 * What the run measured (close spread, time to resume) is printed at the end.
 */
class RollingRestartIT {

    private static final int USERS = 200;
    private static final int ROOMS = 10;
    private static final int ROOMS_PER_USER = 2;
    private static final Duration DRAIN_PERIOD = Duration.ofSeconds(3);
    private static final Duration PRESENCE_TTL = Duration.ofSeconds(2);
    /** Each user says a line this often: about 80 messages a second in all, each shown to some 40 members. */
    private static final Duration SAY_EVERY = Duration.ofMillis(2500);
    /** The conversation is well under way when A gets SIGTERM... */
    private static final int ACKS_BEFORE_SIGTERM = 200;
    /** ...and goes on for this many more acknowledgements once every client of A has resumed on B. */
    private static final int ACKS_AFTER_RESUME = 200;
    private static final Duration EXIT_WAIT = Duration.ofSeconds(30);
    private static final String API_SECRET = "rolling-api-secret-0123456789abcdef-01234";

    @Test
    void aRollingRestartLosesNothingAndRepeatsNothing() {
        try (RedisServer redis = RedisServer.start();
             StandInMonolith monolith = StandInMonolith.start();
             ParleyProcess a = ParleyProcess.start(environment("a", redis, monolith));
             ParleyProcess b = ParleyProcess.start(environment("b", redis, monolith));
             Crowd crowd = new Crowd()) {
            List<String> rooms = new ArrayList<>();
            for (int r = 0; r < ROOMS; r++) {
                rooms.add("rolling-" + r);
            }
            Map<String, Set<String>> ackedByRoom = openRooms(rooms, new SignedApiClient(b.adminPort(), API_SECRET));

            // Half the users on each instance, each in two rooms drawn at random: every room has members on both.
            // After A's 1012 the load balancer (here: the router) sends new connections to B, the ready one.
            Random random = new Random(6);
            for (int i = 0; i < USERS; i++) {
                List<String> mine = new ArrayList<>(rooms);
                Collections.shuffle(mine, random);
                crowd.join(String.format("u%03d", i), mine.subList(0, ROOMS_PER_USER),
                        i % 2 == 0 ? a.publicPort() : b.publicPort(), b::publicPort);
            }
            List<ChatUser> users = crowd.users();
            List<ChatUser> onA = users.stream().filter(u -> u.port() == a.publicPort()).toList();
            List<ChatUser> onB = users.stream().filter(u -> u.port() == b.publicPort()).toList();
            Eventually.until("all users connected and in their rooms", () -> users.stream().allMatch(ChatUser::isReady),
                    crowd::problemSummary, Eventually.DEFAULT);
            crowd.startTalking(SAY_EVERY, random);
            Eventually.until(ACKS_BEFORE_SIGTERM + " messages acknowledged", () -> crowd.acked() >= ACKS_BEFORE_SIGTERM,
                    crowd::problemSummary, Eventually.DEFAULT);

            // ---- SIGTERM, mid-conversation ----
            long sigterm = System.nanoTime();
            a.sigterm();
            int[] readiness = new int[1];
            Eventually.until("A reports not ready", () -> (readiness[0] = AdminProbes.readiness(a.adminPort())) != 200);
            long notReady = System.nanoTime();
            long stillOpenOnA = onA.stream().filter(u -> u.closes().isEmpty()).count();
            assertEquals(503, readiness[0], "A answers its readiness probe with 503 while it drains");
            assertTrue(stillOpenOnA >= onA.size() / 2, "readiness went down at the start of the drain, while "
                    + stillOpenOnA + " of " + onA.size() + " sockets were still open");
            assertEquals(503, refusedUpgrade(a.publicPort()), "a draining instance refuses new sockets");

            Eventually.until("every client of A closed 1012 and resumed on B",
                    () -> onA.stream().allMatch(u -> u.isReady() && u.port() == b.publicPort()),
                    () -> crowd.problemSummary() + "; not resumed: "
                            + onA.stream().filter(u -> !u.isReady()).limit(5).toList(),
                    DRAIN_PERIOD.plus(Eventually.DEFAULT));
            long resumed = System.nanoTime();
            int exitCode = a.awaitExit(EXIT_WAIT);
            long exited = System.nanoTime();

            int ackedAtResume = crowd.acked();
            Eventually.until(ACKS_AFTER_RESUME + " more messages acknowledged on B",
                    () -> crowd.acked() >= ackedAtResume + ACKS_AFTER_RESUME, crowd::problemSummary, Eventually.DEFAULT);
            crowd.stopTalking();
            Eventually.until("every message said was acknowledged", () -> users.stream().allMatch(ChatUser::isSettled),
                    () -> crowd.problemSummary() + "; unsettled: "
                            + users.stream().filter(u -> !u.isSettled()).limit(5).toList(), Eventually.DEFAULT);
            for (ChatUser user : users) {
                user.rooms().forEach(room -> ackedByRoom.get(room).addAll(user.acked(room)));
            }
            Set<String> allAcked = ackedByRoom.values().stream().flatMap(Set::stream).collect(Collectors.toSet());
            Eventually.until("every member shown every acknowledged message of its rooms",
                    () -> users.stream().allMatch(u -> hasShownAll(u, ackedByRoom)),
                    () -> "first behind: " + users.stream().filter(u -> !hasShownAll(u, ackedByRoom)).findFirst(),
                    Eventually.DEFAULT);
            monolith.awaitDelivered(allAcked);

            // ---- What must hold ----
            assertEquals(List.of(), crowd.problems(), "no error frame, unexpected close or failed connect");
            for (ChatUser user : onA) {
                List<Integer> codes = user.closes().stream().map(ChatUser.Close::code).toList();
                assertEquals(List.of(1012), codes, user.id() + " was closed once, with 1012 (service restart)");
            }
            assertTrue(onB.stream().allMatch(u -> u.closes().isEmpty() && u.port() == b.publicPort()),
                    "B's clients were not disturbed");
            List<Long> closeTimes = onA.stream().map(u -> u.closes().getFirst().atNanos()).sorted().toList();
            Duration spread = Duration.ofNanos(closeTimes.getLast() - closeTimes.getFirst());
            assertTrue(spread.compareTo(DRAIN_PERIOD.dividedBy(2)) >= 0,
                    "closes spread over the drain period, not all at once: " + spread.toMillis() + " ms");
            for (ChatUser user : users) {
                assertEquals(List.of(), user.shownTwice(), user.id() + " was shown no message twice");
                for (String room : user.rooms()) {
                    assertEquals(ackedByRoom.get(room), user.shown(room),
                            user.id() + " was shown exactly the acknowledged messages of " + room);
                }
            }
            assertEquals(allAcked, monolith.deliveredIds(), "the monolith got exactly the acknowledged messages");
            assertEquals(0, monolith.badSignatures());
            assertEquals(0, exitCode, "A exits 0 after its drain; log:\n" + a.logText());

            System.out.println(report(users, onA, allAcked.size(), closeTimes, sigterm, notReady, resumed, exited));
        }
    }

    /**
     * Each room starts with a message from the monolith (server API), so that every user has a last id to resume from
     * in each of its rooms. Those messages are acknowledged too (201) and must reach the monolith like the others.
     *
     * @return the acknowledged ids by room, to which the test adds what the users get acknowledged
     */
    private static Map<String, Set<String>> openRooms(List<String> rooms, SignedApiClient api) {
        Map<String, Set<String>> ackedByRoom = new HashMap<>();
        for (String room : rooms) {
            SignedApiClient.Answer answer = api.post("/api/v1/rooms/" + room + "/messages",
                    "{\"text\":\"" + room + " is open\"}");
            assertEquals(201, answer.status(), answer.toString());
            ackedByRoom.computeIfAbsent(room, r -> new HashSet<>()).add(answer.json().path("id").asText());
        }
        return ackedByRoom;
    }

    private static boolean hasShownAll(ChatUser user, Map<String, Set<String>> ackedByRoom) {
        return user.rooms().stream().allMatch(room -> user.hasShownAll(room, ackedByRoom.get(room)));
    }

    /** One instance: the shared Redis and monolith, the test JWT secret, a short drain and presence TTL. */
    private static Map<String, String> environment(String instanceId, RedisServer redis, StandInMonolith monolith) {
        Map<String, String> env = TestServers.with(TestServers.defaults(),
                "PARLEY_INSTANCE_ID", instanceId,
                "PARLEY_REDIS_URI", redis.uri(),
                "PARLEY_API_SECRETS", API_SECRET,
                "PARLEY_DRAIN_PERIOD", DRAIN_PERIOD.toMillis() + "ms",
                "PARLEY_PRESENCE_TTL", PRESENCE_TTL.toMillis() + "ms");
        env.putAll(monolith.environment());
        return env;
    }

    /** The HTTP status with which an upgrade to {@code /ws} is refused (fails the test if it is accepted). */
    private static int refusedUpgrade(int port) {
        try (HttpClient http = HttpClient.newHttpClient()) {
            CompletionException refused = assertThrows(CompletionException.class, () -> http.newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), new WebSocket.Listener() { })
                    .join().abort());
            return assertInstanceOf(WebSocketHandshakeException.class, refused.getCause()).getResponse()
                    .statusCode();
        }
    }

    /** What the run measured, for the log and the operations guide. */
    private static String report(List<ChatUser> users, List<ChatUser> onA, int acked, List<Long> closeTimes,
                                 long sigterm, long notReady, long allResumed, long exited) {
        List<ChatUser.Resume> resumes = onA.stream().flatMap(u -> u.resumes().stream()).toList();
        List<Long> resumed = resumes.stream().map(ChatUser.Resume::resumed).sorted().toList();
        List<Long> opened = resumes.stream().map(ChatUser.Resume::opened).sorted().toList();
        List<Long> welcomed = resumes.stream().map(ChatUser.Resume::welcomed).sorted().toList();
        int resent = users.stream().mapToInt(ChatUser::resent).sum();
        int resentAccepted = users.stream().mapToInt(ChatUser::resentAlreadyAccepted).sum();
        return String.join("\n",
                "rolling restart: " + users.size() + " users (" + onA.size() + " on A) in " + ROOMS + " rooms, "
                        + acked + " messages acknowledged, drain period " + DRAIN_PERIOD.toMillis() + " ms",
                "  A not ready " + millis(notReady - sigterm) + " ms after SIGTERM (503), upgrades refused 503",
                "  1012 closes: first " + millis(closeTimes.getFirst() - sigterm) + " ms, last "
                        + millis(closeTimes.getLast() - sigterm) + " ms after SIGTERM; spread "
                        + millis(closeTimes.getLast() - closeTimes.getFirst()) + " ms",
                "  resume (1012 to every room joined again on B, with a random 0-"
                        + ChatUser.RECONNECT_JITTER.toMillis() + " ms delay): median " + percentile(resumed, 50)
                        + " ms, p95 " + percentile(resumed, 95) + " ms, max " + resumed.getLast()
                        + " ms; medians: socket open " + percentile(opened, 50) + " ms, welcome "
                        + percentile(welcomed, 50) + " ms; all of A's clients resumed "
                        + millis(allResumed - sigterm) + " ms after SIGTERM",
                "  re-sent with the same ref after 1012: " + resent + ", of which " + resentAccepted
                        + " the server had already accepted (same id, not shown twice)",
                "  A exited 0 " + millis(exited - sigterm) + " ms after SIGTERM");
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    private static long percentile(List<Long> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
