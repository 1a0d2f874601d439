package io.gangway.core.http;

import io.gangway.core.config.PortSet;
import io.gangway.core.server.OriginalDestination;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A transparent listener: connections that iptables or nftables redirected to it (REDIRECT or
 * TPROXY) from clients that know nothing of a proxy. Each is routed by the containers profile,
 * to where it was going: port 80 as HTTP (named by its Host header), port 443 as a tunnel named
 * by its TLS server name (TLS is never terminated), other ports as raw TCP by address alone.
 * A client over a connection limit is closed at once. HTTP and TLS clients speak first, so a
 * silent one is closed after first-byte-timeout; raw TCP waits for the idle timeout only, since
 * its server may be the one to speak first (SSH, SMTP).
 */
public final class TransparentInitializer extends ChannelInitializer<Channel> {

    private static final Logger log = LoggerFactory.getLogger("gangway");

    private final ContextSlot slot;

    /** @param slot the containers profile's context; its settings name the ports handled (transparent-ports) */
    public TransparentInitializer(ContextSlot slot) {
        this.slot = slot;
    }

    @Override
    protected void initChannel(Channel ch) {
        ProxyContext proxy = slot.get();
        PortSet ports = proxy.config().listeners().ports();
        if (Admission.check(ch, proxy, " (redirected)").isPresent()) {
            ch.close(); // the client asked nothing of a proxy: no answer of Gangway's would make sense to it
            return;
        }
        String client = ClientAcl.host(ch.remoteAddress());
        Optional<InetSocketAddress> original = OriginalDestination.of(ch, (InetSocketAddress) ch.parent().localAddress());
        if (original.isEmpty()) {
            log.warn("client {} connected to the transparent listener {} itself: it takes only connections that were "
                    + "redirected to it (see 'gangway transparent-rules')", client, ch.localAddress());
            ch.close();
            return;
        }
        InetSocketAddress destination = original.get();
        if (!ports.contains(destination.getPort())) {
            log.debug("redirected client {} to port {}: not among --transparent-ports {}", client, destination.getPort(), ports);
            ch.close();
            return;
        }
        ChannelPipeline p = ch.pipeline();
        long idle = proxy.config().timeouts().idle().toMillis();
        if (destination.getPort() == 80) {
            ClientInitializer.addHttpHandlers(p, slot, destination);
            return;
        }
        // Bytes and a half-close that come before the tunnel is up are kept for the relay.
        ch.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        ch.config().setAutoRead(destination.getPort() == 443); // the ClientHello is read to name the tunnel
        TransparentClient tunnel = new TransparentClient(proxy, destination);
        p.addLast(new IdleStateHandler(0, 0, idle, TimeUnit.MILLISECONDS));
        if (destination.getPort() == 443) {
            // a TLS client sends its whole ClientHello at once: what this waits for is its first bytes
            p.addLast(new SniPeek(proxy.config().timeouts().firstByte().toMillis(), tunnel::named));
            p.addLast(tunnel);
        } else {
            p.addLast(tunnel);
            ch.eventLoop().execute(() -> tunnel.named(null)); // once the pipeline is active
        }
    }
}
