package io.gangway.core.config;

/**
 * Sizes and counts that bound what one connection may cost.
 *
 * @param requestLine  the longest request line, in bytes (414 above)
 * @param headerSize   the largest header block, in bytes (431 above)
 * @param headers      the most header fields in a request (431 above)
 * @param replayBuffer the request body kept to replay after a 407, in bytes
 * @param poolMaxIdle  idle upstream connections kept per route and user, per I/O thread
 */
public record Limits(int requestLine, int headerSize, int headers, int replayBuffer, int poolMaxIdle) {
}
