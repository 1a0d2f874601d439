package io.gangway.core.upstream;

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
}
