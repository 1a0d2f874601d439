package io.gangway.core.upstream;

/** The exchange that currently owns an upstream connection, told what happens on it. */
public interface UpstreamListener {

    /** An {@code HttpObject} (or, once upgraded, a {@code ByteBuf}); the listener releases it. */
    void onUpstreamMessage(Object msg);

    void onUpstreamClosed();

    /** No read or write on the upstream within the response timeout. */
    void onUpstreamTimeout();

    void onUpstreamError(Throwable cause);

    void onUpstreamWritabilityChanged();
}
