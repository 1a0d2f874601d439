package io.gangway.core.http;

import io.gangway.core.config.OverloadLimit;
import io.gangway.core.http.ErrorResponses.ProxyError;
import io.gangway.core.relay.Relay;
import io.gangway.core.upstream.UpstreamConnection;
import io.gangway.routing.HostPort;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A redirected connection that is carried as a tunnel (TLS on 443, raw TCP elsewhere): named by
 * the TLS server name ({@link SniPeek} before this handler) or by the address it was going to,
 * routed by its profile like a CONNECT, then relayed. Gangway says nothing to such a client: a
 * failure closes the connection, and the log says why.
 */
final class TransparentClient extends ChannelInboundHandlerAdapter implements ClientSide {

    private static final Logger log = LoggerFactory.getLogger("gangway");

    private final ProxyContext proxy;
    private final InetSocketAddress destination;
    private ChannelHandlerContext ctx;
    private TunnelExchange exchange;
    private boolean inputDone;

    TransparentClient(ProxyContext proxy, InetSocketAddress destination) {
        this.proxy = proxy;
        this.destination = destination;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        ctx = context;
    }

    /** The connection's name is known (null: none): route it. */
    void named(String serverName) {
        if (!ctx.channel().isActive() || exchange != null) {
            return;
        }
        ctx.channel().config().setAutoRead(false); // the relay reads again once the tunnel is up
        if (!proxy.stats().budget().openTunnel(ctx.channel(), proxy.config().limits().tunnels())) {
            proxy.stats().refused(OverloadLimit.TUNNELS, ClientAcl.host(ctx.channel().remoteAddress()));
            ctx.close(); // as a refused connection looks to a client that knows nothing of a proxy
            return;
        }
        RequestTarget target = RequestTarget.transparentTunnel(serverName, destination);
        AccessLog.Entry entry = new AccessLog.Entry(address(), proxy.profile());
        entry.method = "CONNECT";
        entry.target = target.target().authority();
        entry.destination = HostPort.format(destination.getAddress().getHostAddress(), destination.getPort());
        entry.tunnel = true;
        proxy.stats().tunnelStarted();
        exchange = new TunnelExchange(proxy, this, ctx, target, entry);
        exchange.start();
    }

    private String address() {
        return ClientAcl.address(ctx.channel().remoteAddress());
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
        if (msg instanceof ByteBuf bytes && exchange != null) {
            exchange.onClientBytes(bytes); // kept until the tunnel is up
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext context, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            inputDone = true; // passed on once the relay is in place
        } else if (evt instanceof IdleStateEvent && exchange == null) {
            context.close();
        } else {
            context.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        if (exchange != null) {
            exchange.onClientClosed();
        }
        context.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        log.debug("redirected client {} connection error: {}", address(), cause.toString());
        context.close();
    }

    @Override
    public boolean redirected() {
        return true;
    }

    @Override
    public void updateReading() {
        // a tunnel reads nothing until the relay takes over; then the relay decides
    }

    @Override
    public void exchangeDone(boolean keepAlive) {
        ctx.close();
    }

    @Override
    public void failed(HttpResponseStatus status, ProxyError error, String message, boolean keepAlive) {
        ctx.close(); // the client asked nothing of a proxy: it sees its connection refused
    }

    @Override
    public void tunnelUp() {
        // nothing to say: the client thinks it is talking to the server already
    }

    @Override
    public Relay relay(UpstreamConnection upstream, List<ByteBuf> fromClient, List<ByteBuf> fromUpstream,
                       Consumer<Relay> onClosed) {
        ctx.pipeline().remove(this);
        exchange = null;
        Relay relay = ClientHandlerSwitch.toRelay(ctx.channel(), upstream, onClosed);
        for (ByteBuf bytes : fromUpstream) {
            relay.forward(bytes, false);
        }
        for (ByteBuf bytes : fromClient) {
            relay.forward(bytes, true);
        }
        if (inputDone) {
            relay.inputDone(true);
        }
        return relay;
    }
}
