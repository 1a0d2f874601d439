package io.gangway.core.config;

import java.time.Duration;

/**
 * How long Gangway waits, each more than zero.
 *
 * @param connect     to open a TCP connection to an upstream or origin
 * @param firstByte   for a new client connection's first byte (HTTP and TLS listeners; not raw TCP)
 * @param requestHead for a client to send a whole request head once it has started
 * @param response    for the response head, and the longest pause within a response body
 * @param idle        before an idle client connection or tunnel is closed
 * @param poolIdle    before an idle pooled upstream connection is closed
 * @param routeRetry  how long an upstream that failed to connect is tried last
 */
public record Timeouts(Duration connect, Duration firstByte, Duration requestHead, Duration response, Duration idle,
                       Duration poolIdle, Duration routeRetry) {
}
