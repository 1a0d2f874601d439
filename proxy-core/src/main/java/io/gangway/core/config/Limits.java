package io.gangway.core.config;

/**
 * Sizes and counts that bound what one connection, and all clients together, may cost.
 *
 * @param requestLine          the longest request line, in bytes (414 above)
 * @param headerSize           the largest header block, in bytes (431 above)
 * @param headers              the most header fields in a request (431 above)
 * @param replayBuffer         the request body kept to replay after a 407, in bytes
 * @param poolMaxIdle          idle upstream connections kept per route and user, per I/O thread
 * @param clientConnections    client connections open at once on the proxy, transparent and published listeners
 * @param clientConnectionsPerAddress of those, from one client address
 * @param pendingRequests      pipelined requests queued on one connection behind the one being served
 * @param tunnels              CONNECT and redirected tunnels open at once
 */
public record Limits(int requestLine, int headerSize, int headers, int replayBuffer, int poolMaxIdle,
                     int clientConnections, int clientConnectionsPerAddress, int pendingRequests, int tunnels) {
}
