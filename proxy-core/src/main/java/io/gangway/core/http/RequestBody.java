package io.gangway.core.http;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.ArrayList;
import java.util.List;

/**
 * The body of one request on its way upstream: parts held while no connection can take them,
 * written as they come once one can, and copies of what went out kept (up to replay-buffer)
 * while the request may have to go again: after a 407, or on a new connection. Parts without
 * bytes (the end of a body-less request) are always kept, so a request without a body can
 * always go again.
 */
final class RequestBody {

    /** Whether what goes out is copied, and whether the copies still hold all of it. */
    enum Copies {
        /** Every part that goes out is copied. */
        KEEPING,
        /** Parts with bytes are not copied; none has gone out since (so nothing is missing yet). */
        NOT_KEEPING,
        /** A part with bytes went out without a copy: the request cannot be written again. */
        LOST
    }

    private final long limit;
    private final List<HttpContent> held = new ArrayList<>();
    private final List<HttpContent> copies = new ArrayList<>();
    private Copies state = Copies.NOT_KEEPING;
    private long copiedBytes;
    private long receivedBytes;
    private boolean complete;

    RequestBody(long limit) {
        this.limit = limit;
    }

    /** A part from the client: written to {@code upstream}, or held when that is null. */
    void add(HttpContent part, Channel upstream) {
        receivedBytes += part.content().readableBytes();
        complete |= part instanceof LastHttpContent;
        if (upstream == null) {
            held.add(part);
        } else {
            send(part, upstream);
        }
    }

    /**
     * Writes the whole body received so far to a connection that has just been sent the head:
     * the copies of what went out before (a resend), then what was held. Not flushed.
     */
    void writeTo(Channel upstream, boolean keepCopies) {
        if (state == Copies.LOST) {
            throw new IllegalStateException("the body was not kept and cannot be written again");
        }
        state = keepCopies ? Copies.KEEPING : Copies.NOT_KEEPING;
        List<HttpContent> resend = new ArrayList<>(copies);
        copies.clear();
        copiedBytes = 0;
        for (HttpContent part : resend) {
            send(part, upstream);
        }
        for (HttpContent part : held) {
            send(part, upstream);
        }
        held.clear();
    }

    private void send(HttpContent part, Channel upstream) {
        int n = part.content().readableBytes();
        if (n == 0 || state == Copies.KEEPING && copiedBytes + n <= limit) {
            copies.add(part.retainedDuplicate());
            copiedBytes += n;
        } else if (state != Copies.LOST) {
            state = Copies.LOST;
            releaseAll(copies);
        }
        upstream.write(part, upstream.voidPromise());
    }

    /** The request's response has come: no copy is needed any more. */
    void dropCopies() {
        releaseAll(copies);
        state = Copies.NOT_KEEPING;
    }

    /** The last part has been received. */
    boolean complete() {
        return complete;
    }

    /** Whether the request can be written again: everything of the body that went out was kept. */
    boolean replayable() {
        return state != Copies.LOST;
    }

    long receivedBytes() {
        return receivedBytes;
    }

    void release() {
        releaseAll(held);
        releaseAll(copies);
    }

    private static void releaseAll(List<HttpContent> parts) {
        for (HttpContent part : parts) {
            part.release();
        }
        parts.clear();
    }
}
