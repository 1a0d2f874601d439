package io.gangway.core.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.AbstractSniHandler;
import io.netty.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Reads the server name of a TLS ClientHello without taking part in TLS (Gangway never
 * terminates it), then steps aside: the ClientHello and everything after it go on, untouched,
 * to the next handler. Not TLS, or no server name: the name is null.
 */
final class SniPeek extends AbstractSniHandler<String> {

    private final Consumer<String> named;

    /** @param named told the server name (or null), once, on the event loop */
    SniPeek(long timeoutMillis, Consumer<String> named) {
        super(timeoutMillis);
        this.named = named;
    }

    @Override
    protected Future<String> lookup(ChannelHandlerContext ctx, String hostname) {
        return ctx.executor().newSucceededFuture(hostname);
    }

    @Override
    protected void onLookupComplete(ChannelHandlerContext ctx, String hostname, Future<String> future) {
        // Removed first: the decoder hands what it holds (the ClientHello) to the next handler.
        ctx.pipeline().remove(this);
        named.accept(hostname);
    }
}
