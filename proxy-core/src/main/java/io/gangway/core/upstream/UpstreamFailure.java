package io.gangway.core.upstream;

import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.TooLongHttpLineException;

/**
 * Why an {@link UpstreamFlow} failed, and what to tell the user.
 *
 * @param message says what happened and what to check; it never holds a secret
 */
public record UpstreamFailure(Kind kind, String message) {

    /** What ended a flow that failed. */
    public enum Kind {
        /** Every route of the plan failed to connect. */
        UNREACHABLE,
        /** The route plan refuses the target (Docker Desktop's reject.docker.internal). */
        REFUSED,
        /** The destination policy refuses an address the target resolved to. */
        PROHIBITED,
        /** Every route failed by timing out. */
        CONNECT_TIMEOUT,
        /** No usable answer to the upstream's challenge. */
        AUTHENTICATION,
        /** The upstream closed before answering, and the request may not go again. */
        CLOSED,
        /** The body was not kept, so the request cannot go again. */
        NOT_REPLAYABLE,
        /** Nothing from the upstream within the response timeout. */
        RESPONSE_TIMEOUT,
        /** The upstream spoke something other than HTTP/1.1. */
        PROTOCOL,
        /** The response head was larger than the limits allow. */
        HEAD_TOO_LARGE
    }

    /**
     * A response head the decoder failed on: one over the limits, named by the limit (a 407's
     * is a challenge too large to take), or something that is not HTTP.
     *
     * @param peer who sent it, as messages name it
     */
    static UpstreamFailure ofBrokenHead(String peer, HttpResponse head) {
        Throwable cause = head.decoderResult().cause();
        if (cause instanceof TooLongFrameException) {
            String limit = cause instanceof TooLongHttpLineException ? "max-request-line" : "max-header-size";
            String what = head.status().code() == 407
                    ? " answered 407 with a head larger than " + limit + " allows; a challenge (Proxy-Authenticate) this large is refused"
                    : " sent a response head larger than " + limit + " allows";
            return new UpstreamFailure(Kind.HEAD_TOO_LARGE, peer + what + " (" + cause.getMessage() + ")");
        }
        return new UpstreamFailure(Kind.PROTOCOL, peer + " sent something that is not an HTTP/1.1 response ("
                + cause.getMessage() + "): is that port an HTTP server?");
    }
}
