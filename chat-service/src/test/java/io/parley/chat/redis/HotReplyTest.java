package io.parley.chat.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import org.junit.jupiter.api.Test;

class HotReplyTest {

    @Test
    void aReplyThatIsAlreadyThereIsReturned() {
        assertEquals("1-0", HotReply.await(CompletableFuture.completedFuture("1-0"), Duration.ofSeconds(1)));
    }

    @Test
    void aReplySlowerThanTheSpinIsAwaitedParked() {
        CompletableFuture<String> reply = new CompletableFuture<>();
        reply.completeOnTimeout("late", HotReply.SPIN.toMillis() * 20, TimeUnit.MILLISECONDS);
        assertEquals("late", HotReply.await(reply, Duration.ofSeconds(5)));
    }

    @Test
    void atMostHalfTheCoresSpinAtOnce() {
        int places = HotReply.MAX_SPINNING;
        assertEquals(Math.max(1, Runtime.getRuntime().availableProcessors() / 2), places);
        for (int i = 0; i < places; i++) {
            assertTrue(HotReply.startSpinning(), "place " + (i + 1) + " of " + places);
        }
        assertFalse(HotReply.startSpinning(), "every place is taken: the next waiter parks at once");
        HotReply.stopSpinning();
        assertTrue(HotReply.startSpinning(), "a place freed is taken again");
        for (int i = 0; i < places; i++) {
            HotReply.stopSpinning();
        }
        assertEquals(0, HotReply.spinning());
    }

    @Test
    void manyWaitersAtOnceAllGetTheirRepliesAndLeaveTheSpinCount() throws Exception {
        CompletableFuture<String> reply = new CompletableFuture<>();
        List<CompletableFuture<String>> answers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            CompletableFuture<String> answer = new CompletableFuture<>();
            Thread.ofPlatform().daemon().start(() -> answer.complete(HotReply.await(reply, Duration.ofSeconds(5))));
            answers.add(answer);
        }
        reply.completeOnTimeout("1-0", 20, TimeUnit.MILLISECONDS);
        for (CompletableFuture<String> answer : answers) {
            assertEquals("1-0", answer.get(5, TimeUnit.SECONDS));
        }
        assertEquals(0, HotReply.spinning(), "every waiter left the spin count");
    }

    @Test
    void aRedisFailureIsRethrownAsItself() {
        RedisConnectionException down = new RedisConnectionException("connection refused");
        RedisException thrown = assertThrows(RedisException.class,
                () -> HotReply.await(CompletableFuture.failedFuture(down), Duration.ofSeconds(1)));
        assertSame(down, thrown);
    }

    @Test
    void anyOtherFailureBecomesARedisException() {
        IllegalStateException odd = new IllegalStateException("odd");
        RedisException thrown = assertThrows(RedisException.class,
                () -> HotReply.await(CompletableFuture.failedFuture(odd), Duration.ofSeconds(1)));
        assertSame(odd, thrown.getCause());
    }

    @Test
    void noReplyWithinTheTimeoutIsACommandTimeout() {
        assertThrows(RedisCommandTimeoutException.class,
                () -> HotReply.await(new CompletableFuture<>(), Duration.ofMillis(50)));
    }
}
