package io.parley.it.bench;

import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;

/**
 * One load socket of a {@link LoadClient}. Every field but {@link #state} belongs to the client's selector thread;
 * the state is volatile so that the benchmark can look at it from outside.
 */
final class BenchSocket {

    enum State { WAITING, CONNECTING, UPGRADING, AUTHENTICATING, JOINING, READY, CLOSING, CLOSED, FAILED }

    final SocketPlan plan;
    final FrameReader reader = new FrameReader();
    volatile State state = State.WAITING;
    SocketChannel channel;
    SelectionKey key;
    int joinsPending;
    /** The start of the HTTP upgrade response while it is incomplete. */
    byte[] responseHead;
    /** Frames the kernel did not take at once; null while everything was written. */
    ArrayDeque<ByteBuffer> unsent;

    BenchSocket(SocketPlan plan) {
        this.plan = plan;
    }

    /** Still on its way to READY: counts against the client's window of sockets being set up. */
    boolean settingUp() {
        State s = state;
        return s == State.CONNECTING || s == State.UPGRADING || s == State.AUTHENTICATING || s == State.JOINING;
    }
}
