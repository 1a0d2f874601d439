package io.gangway.core.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sets up each accepted client connection: allow-list check, HTTP codec, timeouts, handler. */
public final class ClientInitializer extends ChannelInitializer<Channel> {

    private static final Logger log = LoggerFactory.getLogger("gangway");

    private final ProxyContext proxy;
    private final ClientAcl acl;
    private final HttpDecoderConfig decoderConfig;

    public ClientInitializer(ProxyContext proxy, ClientAcl acl) {
        this.proxy = proxy;
        this.acl = acl;
        this.decoderConfig = new HttpDecoderConfig()
                .setMaxInitialLineLength(proxy.config().maxRequestLine())
                .setMaxHeaderSize(proxy.config().maxHeaderSize());
    }

    @Override
    protected void initChannel(Channel ch) {
        proxy.stats().clientOpened();
        ch.closeFuture().addListener(f -> proxy.stats().clientClosed());
        ChannelPipeline p = ch.pipeline();
        if (!acl.allows(ch.remoteAddress())) {
            String client = ch.remoteAddress() instanceof InetSocketAddress a
                    ? a.getAddress().getHostAddress() : String.valueOf(ch.remoteAddress());
            log.warn("denied client {}: not in the allow list (--allow)", client);
            p.addLast(new HttpServerCodec(decoderConfig), new DeniedClientHandler(client));
            return;
        }
        RequestHeadTimeout headTimeout = new RequestHeadTimeout(proxy.config().requestHeadTimeout());
        p.addLast(headTimeout);
        p.addLast(new HttpServerCodec(decoderConfig));
        p.addLast(new IdleStateHandler(0, 0, proxy.config().idleTimeout().toMillis(), TimeUnit.MILLISECONDS));
        p.addLast(new ClientHandler(proxy, headTimeout));
    }
}
