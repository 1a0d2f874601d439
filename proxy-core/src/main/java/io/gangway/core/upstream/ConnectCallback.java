package io.gangway.core.upstream;

/** How {@link UpstreamConnector#acquire} reports back, on the caller's event loop. */
public interface ConnectCallback {

    void onConnected(UpstreamConnection connection);

    /**
     * Every route of the plan failed.
     *
     * @param reasons one line per route tried, e.g. {@code "PROXY a:3128: connection refused"}
     * @param timedOut true when every failure was a timeout (504 rather than 502)
     */
    void onFailed(String reasons, boolean timedOut);

    /** The plan reached a route that refuses the connection (Docker Desktop's reject.docker.internal). */
    void onRefused(String reason);

    /** The destination policy refuses an address the target resolved to; nothing was dialled. */
    void onProhibited(String reason);
}
