package io.parley.chat.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
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
