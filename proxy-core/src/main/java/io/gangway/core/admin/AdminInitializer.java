package io.gangway.core.admin;

import io.gangway.core.http.ClientAcl;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.ReadTimeoutHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin listener's connections: only clients of {@code --admin-allow} (loopback by
 * default), small whole requests, a read timeout so that an idle browser tab holds nothing.
 */
public final class AdminInitializer extends ChannelInitializer<Channel> {

    private static final Logger log = LoggerFactory.getLogger("gangway");
    private static final int MAX_REQUEST = 64 * 1024;

    private final AdminBackend backend;
    private final ClientAcl acl;

    public AdminInitializer(AdminBackend backend, ClientAcl acl) {
        this.backend = backend;
        this.acl = acl;
    }

    @Override
    protected void initChannel(Channel ch) {
        if (!acl.allows(ch.remoteAddress())) {
            log.warn("denied admin client {}: not in --admin-allow", ClientAcl.host(ch.remoteAddress()));
            ch.close();
            return;
        }
        ch.pipeline().addLast(new ReadTimeoutHandler(60), new HttpServerCodec(), new HttpObjectAggregator(MAX_REQUEST),
                new AdminHandler(backend));
    }
}
