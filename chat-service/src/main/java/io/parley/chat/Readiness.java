package io.parley.chat;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import io.helidon.health.HealthCheckResponse;

/**
 * The readiness probe's answer (protocol §5): ready while the instance is not draining and its broker accepts
 * commands. Created before the web server that asks it and the server handle that starts the drain, so neither needs
 * the other.
 */
final class Readiness {

    private final BooleanSupplier brokerAvailable;
    private final AtomicBoolean draining = new AtomicBoolean();

    Readiness(BooleanSupplier brokerAvailable) {
        this.brokerAvailable = brokerAvailable;
    }

    /** Turns readiness down for good; true only for the first call, which owns the drain. */
    boolean startDraining() {
        return draining.compareAndSet(false, true);
    }

    HealthCheckResponse check() {
        boolean isDraining = draining.get();
        boolean broker = brokerAvailable.getAsBoolean();
        return HealthCheckResponse.builder().status(!isDraining && broker)
                .detail("draining", isDraining).detail("broker", broker ? "UP" : "DOWN").build();
    }
}
