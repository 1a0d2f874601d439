package io.gangway.core.http;

import io.netty.handler.codec.http.HttpContent;

/** One request (or tunnel) of a client connection, driven by {@link ClientHandler}. */
interface Exchange {

    /** Starts routing and connecting; called once the client handler knows this exchange. */
    void start();

    /** A body part from the client; the exchange owns (and releases) it. */
    void onClientContent(HttpContent content);

    /** Raw bytes from the client once the HTTP decoder is gone (CONNECT). */
    default void onClientBytes(io.netty.buffer.ByteBuf bytes) {
        bytes.release();
    }

    void onClientWritabilityChanged();

    /** The client's message broke (bad chunking): answer 400 if still possible, then close. */
    void onClientMalformed(String reason);

    /** The client went away: drop everything, log, close the upstream side. */
    void onClientClosed();

    /** Whether the client channel should read now (body wanted and the upstream can take it). */
    boolean wantsClientData();

    /**
     * Whether the client has sent the whole request: from then on the client connection reads on
     * (what comes is a pipelined request, which waits in the queue), and an end of its input is a
     * half-close to answer rather than the client going away.
     */
    boolean requestComplete();
}
