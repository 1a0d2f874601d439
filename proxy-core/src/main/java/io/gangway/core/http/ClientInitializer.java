package io.gangway.core.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/** Sets up each accepted client connection: allow-list check, HTTP codec, timeouts, handler. */
public final class ClientInitializer extends ChannelInitializer<Channel> {

    private final ProxyContext proxy;
    private final ClientAcl acl;
    private final HttpDecoderConfig decoderConfig;

    public ClientInitializer(ProxyContext proxy, ClientAcl acl) {
        this.proxy = proxy;
        this.acl = acl;
        this.decoderConfig = decoderConfig(proxy);
    }

    static HttpDecoderConfig decoderConfig(ProxyContext proxy) {
        return new HttpDecoderConfig()
                .setMaxInitialLineLength(proxy.config().limits().requestLine())
                .setMaxHeaderSize(proxy.config().limits().headerSize());
    }

    @Override
    protected void initChannel(Channel ch) {
        if (!acl.admit(ch, proxy.stats(), "")) {
            ch.pipeline().addLast(new HttpServerCodec(decoderConfig), new DeniedClientHandler(ClientAcl.host(ch.remoteAddress())));
            return;
        }
        addHttpHandlers(ch.pipeline(), proxy, decoderConfig, null);
    }

    /**
     * The handlers of a client that speaks HTTP to Gangway.
     *
     * @param transparent where a redirected client's connection was going, or null for proxy clients
     */
    static void addHttpHandlers(ChannelPipeline p, ProxyContext proxy, HttpDecoderConfig decoderConfig,
                                InetSocketAddress transparent) {
        RequestHeadTimeout headTimeout = new RequestHeadTimeout(proxy.config().timeouts().requestHead());
        p.addLast(headTimeout);
        p.addLast(new HttpServerCodec(decoderConfig));
        p.addLast(new IdleStateHandler(0, 0, proxy.config().timeouts().idle().toMillis(), TimeUnit.MILLISECONDS));
        p.addLast(new ClientHandler(proxy, headTimeout, transparent));
    }
}
