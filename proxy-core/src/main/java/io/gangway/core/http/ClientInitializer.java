package io.gangway.core.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Sets up each accepted client connection: the allow list and the connection limits (a refused
 * client is told why: 403 or 503), then the head timeouts, the HTTP codec, the idle timeout, the
 * client-auth gate and the handler.
 */
public final class ClientInitializer extends ChannelInitializer<Channel> {

    private final ContextSlot slot;

    public ClientInitializer(ContextSlot slot) {
        this.slot = slot;
    }

    static HttpDecoderConfig decoderConfig(ProxyContext proxy) {
        return new HttpDecoderConfig()
                .setMaxInitialLineLength(proxy.config().limits().requestLine())
                .setMaxHeaderSize(proxy.config().limits().headerSize());
    }

    @Override
    protected void initChannel(Channel ch) {
        ProxyContext proxy = slot.get();
        Optional<Admission.Refusal> refusal = Admission.check(ch, proxy, "");
        if (refusal.isEmpty()) {
            addHttpHandlers(ch.pipeline(), slot, null);
        } else if (proxy.stats().budget().mayAnswer(ch)) {
            RequestHeadTimeout headTimeout = new RequestHeadTimeout(proxy.config().timeouts(), proxy.stats());
            ch.pipeline().addLast(headTimeout, new HttpServerCodec(decoderConfig(proxy)),
                    new DeniedClientHandler(refusal.get(), headTimeout));
        } else {
            ch.close(); // so many are being refused already that telling this one why would cost too much
        }
    }

    /**
     * The handlers of a client that speaks HTTP to Gangway.
     *
     * @param transparent where a redirected client's connection was going, or null for proxy clients
     */
    static void addHttpHandlers(ChannelPipeline p, ContextSlot slot, InetSocketAddress transparent) {
        ProxyContext proxy = slot.get();
        RequestHeadTimeout headTimeout = new RequestHeadTimeout(proxy.config().timeouts(), proxy.stats());
        // ClientHandler decides what the end of a client's input means (a half-close after whole
        // requests is answered first), not Netty's close at the first end of input.
        p.channel().config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        p.addLast(headTimeout);
        p.addLast(new HttpServerCodec(decoderConfig(proxy)));
        p.addLast(new IdleStateHandler(0, 0, proxy.config().timeouts().idle().toMillis(), TimeUnit.MILLISECONDS));
        if (transparent == null) {
            // Always there, so that a reload that adds a client-auth file covers connections already open.
            // A redirected client does not know it talks to a proxy: it cannot be asked for credentials.
            p.addLast(new ClientAuthGate(slot));
        }
        p.addLast(new ClientHandler(slot, headTimeout, transparent));
    }
}
