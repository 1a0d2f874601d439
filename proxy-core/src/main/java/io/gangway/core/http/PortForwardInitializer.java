package io.gangway.core.http;

import io.gangway.core.config.PublishSpec;
import io.gangway.core.upstream.ConnectCallback;
import io.gangway.core.upstream.UpstreamConnection;
import io.gangway.core.upstream.UpstreamConnector;
import io.gangway.routing.RoutePlan;
import io.gangway.routing.Target;
import io.gangway.core.relay.Relay;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A published port: each connection accepted on it is joined, as raw TCP, to a new DIRECT
 * connection to the target (half-close, back-pressure and the idle timeout of a tunnel), with
 * an access-log line when it ends. Clients outside the allow list or over a connection limit are
 * closed at once. No first-byte timeout: the target may be a server that speaks first (SSH, SMTP).
 */
public final class PortForwardInitializer extends ChannelInitializer<Channel> {

    private static final Logger log = LoggerFactory.getLogger("gangway");

    private final PublishSpec spec;
    private final ContextSlot slot;

    /** @param slot the engine profile's context (its connector, timeouts, allow list and access log) */
    public PortForwardInitializer(PublishSpec spec, ContextSlot slot) {
        this.spec = spec;
        this.slot = slot;
    }

    @Override
    protected void initChannel(Channel ch) {
        ProxyContext proxy = slot.get();
        if (Admission.check(ch, proxy, " on published port " + spec.bind()).isPresent()) {
            ch.close(); // raw TCP: there is no protocol in which to say why
            return;
        }
        // Nothing is asked of the client until the target is connected; what it sends meanwhile
        // (epoll reads at an end of input even then) and its half-close are kept for the relay.
        ch.config().setAutoRead(false);
        ch.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        ch.pipeline().addLast(new IdleStateHandler(0, 0, proxy.config().timeouts().idle().toMillis(), TimeUnit.MILLISECONDS));
        ch.pipeline().addLast(new Forward(proxy));
    }

    /** Connects to the target once the client is there, then steps aside for the relay. */
    private final class Forward extends ChannelInboundHandlerAdapter implements ConnectCallback {
        private final ProxyContext proxy;
        private ChannelHandlerContext ctx;

        Forward(ProxyContext proxy) {
            this.proxy = proxy;
        }
        private AccessLog.Entry entry;
        private final List<ByteBuf> early = new ArrayList<>();
        private boolean clientInputDone;

        @Override
        public void channelActive(ChannelHandlerContext context) {
            ctx = context;
            entry = new AccessLog.Entry(ClientAcl.address(ctx.channel().remoteAddress()), proxy.profile());
            entry.method = "PUBLISH";
            entry.target = ClientAcl.address(ctx.channel().localAddress()) + "->" + spec.target();
            Target target = new Target("tcp", spec.targetHost(), spec.targetPort());
            proxy.connector().acquire(ctx.channel().eventLoop(), RoutePlan.direct(), target, target,
                    UpstreamConnector.Use.PUBLISHED, this);
            context.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext context, Object msg) {
            if (msg instanceof ByteBuf bytes) {
                early.add(bytes);
            } else {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext context, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent) {
                clientInputDone = true;
            } else {
                context.fireUserEventTriggered(evt);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext context) {
            releaseEarly();
            context.fireChannelInactive();
        }

        @Override
        public void onConnected(UpstreamConnection connection) {
            if (!ctx.channel().isActive()) {
                connection.close(); // the client left while the target was being connected
                return;
            }
            entry.route = connection.route();
            entry.status = "200";
            ctx.pipeline().remove(this);
            Relay relay = ClientHandlerSwitch.toRelay(ctx.channel(), connection, r -> {
                entry.bytesIn = r.clientToUpstream();
                entry.bytesOut = r.upstreamToClient();
                proxy.accessLog().write(entry);
            });
            for (ByteBuf bytes : early) {
                relay.forward(bytes, true);
            }
            early.clear();
            if (clientInputDone) {
                relay.inputDone(true);
            }
        }

        private void releaseEarly() {
            for (ByteBuf bytes : early) {
                bytes.release();
            }
            early.clear();
        }

        @Override
        public void onFailed(String reasons, boolean timedOut) {
            entry.status = timedOut ? "504" : "502";
            log.warn("{} published port {}: could not reach {}: {}", entry.client, spec.bind(), spec.target(), reasons);
            proxy.accessLog().write(entry);
            releaseEarly();
            ctx.close();
        }

        @Override
        public void onRefused(String reason) {
            onFailed(reason, false); // a DIRECT plan refuses nothing
        }

        @Override
        public void onProhibited(String reason) {
            entry.status = "403";
            log.warn("{} published port {}: {}", entry.client, spec.bind(), reason);
            proxy.accessLog().write(entry);
            releaseEarly();
            ctx.close();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
            log.debug("published port {}: client {}: {}", spec.bind(), entry == null ? "-" : entry.client, cause.toString());
            context.close();
        }
    }
}
