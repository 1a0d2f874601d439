package io.gangway.core.upstream;

import io.gangway.routing.Route;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One upstream connection for unit tests: an {@link EmbeddedChannel} with the pipeline the
 * connector builds (Netty's real HTTP client codec, the response timeout, then
 * {@link UpstreamHandler}), whose far end
 * the test plays: it reads what was sent, as a server's decoder would, and writes raw answers.
 */
public final class ScriptedUpstream {

    private final EmbeddedChannel channel;
    private final UpstreamConnection connection;
    private final EmbeddedChannel serverSide = new EmbeddedChannel(new HttpRequestDecoder(), new RequestAggregator());
    /** Every request handed to the test, released by {@link #finish()}. */
    private final List<FullHttpRequest> handedOut = new ArrayList<>();

    public ScriptedUpstream(Route route, String identity) {
        this(route, identity, null);
    }

    /** @param pool the pool its handler tells of a close or of data while idle; null for one of its own */
    ScriptedUpstream(Route route, String identity, UpstreamPool pool) {
        channel = new EmbeddedChannel();
        UpstreamHandler handler = new UpstreamHandler(pool != null ? pool
                : new UpstreamPool(channel.eventLoop(), 4, Duration.ofMinutes(1)));
        channel.pipeline().addLast(UpstreamConnector.CODEC, new HttpClientCodec());
        // as the connector's; a tunnel's switch to raw bytes removes it by name
        channel.pipeline().addLast(UpstreamConnector.TIMEOUT, new IdleStateHandler(0, 0, 120, TimeUnit.SECONDS));
        channel.pipeline().addLast(UpstreamConnector.HANDLER, handler);
        connection = new UpstreamConnection(channel, new PoolKey(route, route.isHttpProxy() ? "" : "origin.test:80", identity));
        handler.bind(connection);
    }

    /** Marks the connection as used by an earlier exchange, as a pooled one is. */
    public ScriptedUpstream reused() {
        connection.startExchange(null);
        connection.detach();
        return this;
    }

    public UpstreamConnection connection() {
        return connection;
    }

    public EmbeddedChannel channel() {
        return channel;
    }

    /**
     * The requests written so far (and not yet taken), decoded as the upstream would decode
     * them; they stay valid until {@link #finish()}.
     */
    public List<FullHttpRequest> received() {
        channel.runPendingTasks();
        for (ByteBuf bytes; (bytes = channel.readOutbound()) != null; ) {
            serverSide.writeInbound(bytes);
        }
        List<FullHttpRequest> requests = new ArrayList<>();
        for (Object msg; (msg = serverSide.readInbound()) != null; ) {
            requests.add((FullHttpRequest) msg);
        }
        handedOut.addAll(requests);
        return requests;
    }

    /** The upstream writes these bytes. */
    public void reply(String raw) {
        channel.writeInbound(Unpooled.copiedBuffer(raw, StandardCharsets.ISO_8859_1));
        channel.runPendingTasks();
    }

    /** The upstream closes the connection. */
    public void close() {
        channel.close();
        channel.runPendingTasks();
    }

    /** Nothing came or went for the response timeout. */
    public void idle() {
        channel.pipeline().fireUserEventTriggered(IdleStateEvent.ALL_IDLE_STATE_EVENT);
    }

    public boolean isOpen() {
        return channel.isOpen();
    }

    public void finish() {
        handedOut.forEach(FullHttpRequest::release);
        channel.finishAndReleaseAll();
        try {
            serverSide.finishAndReleaseAll();
        } catch (io.netty.handler.codec.PrematureChannelClosureException e) {
            // a message the test cut on purpose: nothing to release but what finish released
        }
    }

    /**
     * Whole requests, each as it was sent: no answer to {@code Expect} (Netty's aggregator answers
     * an unknown expectation with 417 and resets the decoder, which would then read the body as
     * the next request).
     */
    private static final class RequestAggregator extends HttpObjectAggregator {
        RequestAggregator() {
            super(1 << 20);
        }

        @Override
        protected Object newContinueResponse(io.netty.handler.codec.http.HttpMessage start, int maxContentLength,
                                             io.netty.channel.ChannelPipeline pipeline) {
            return null;
        }
    }
}
