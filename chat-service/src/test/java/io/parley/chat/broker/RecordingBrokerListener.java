package io.parley.chat.broker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.parley.chat.model.ChatMessage;
import io.parley.chat.model.ControlEvent;
import io.parley.chat.model.RoomEvent;

/** Feeds what a broker delivers into queues that tests read as steps (no sleeps). */
final class RecordingBrokerListener implements BrokerListener {

    static final Duration WAIT = Duration.ofSeconds(10);

    final BlockingQueue<RoomEvent> events = new LinkedBlockingQueue<>();
    final BlockingQueue<ControlEvent> controls = new LinkedBlockingQueue<>();
    final List<String> threads = java.util.Collections.synchronizedList(new ArrayList<>());

    @Override
    public void onRoomEvent(RoomEvent event) {
        threads.add(Thread.currentThread().getName());
        events.add(event);
    }

    @Override
    public void onControl(ControlEvent event) {
        threads.add(Thread.currentThread().getName());
        controls.add(event);
    }

    RoomEvent next() {
        try {
            RoomEvent e = events.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (e == null) {
                throw new AssertionError("no room event within " + WAIT);
            }
            return e;
        } catch (InterruptedException e) {
            throw new AssertionError("interrupted", e);
        }
    }

    ChatMessage nextPosted() {
        RoomEvent e = next();
        if (e instanceof RoomEvent.Posted p) {
            return p.message();
        }
        throw new AssertionError("expected a posted message, got " + e);
    }

    ControlEvent nextControl() {
        try {
            ControlEvent e = controls.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (e == null) {
                throw new AssertionError("no control event within " + WAIT);
            }
            return e;
        } catch (InterruptedException e) {
            throw new AssertionError("interrupted", e);
        }
    }
}
