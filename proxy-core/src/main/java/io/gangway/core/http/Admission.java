package io.gangway.core.http;

import io.gangway.core.config.Limits;
import io.gangway.core.config.OverloadLimit;
import io.gangway.core.http.ErrorResponses.ProxyError;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Optional;

/**
 * Whether an accepted client connection may stay: the allow list, then the connection limits in
 * force. Both are read from the listener's current context, so that after a reload the new ones
 * apply from the next connection. A refused connection is told why by an HTTP listener, or closed.
 */
final class Admission {

    private Admission() {
    }

    /** Why a connection may not stay, as its client is told: outside the allow list, or over a limit. */
    record Refusal(OverloadLimit limit, String message) {

        FullHttpResponse response(ByteBufAllocator alloc) {
            return limit == null
                    ? ErrorResponses.create(alloc, HttpResponseStatus.FORBIDDEN, ProxyError.HTTP_REQUEST_DENIED, message, false)
                    : ErrorResponses.overloaded(alloc, limit, message);
        }
    }

    /**
     * Counts {@code ch} (as open, and against the limits if it is admitted) and says why it may
     * not stay, if it may not.
     *
     * @param what the kind of listener, for the allow list's log line ("", " (redirected)", ...)
     */
    static Optional<Refusal> check(Channel ch, ProxyContext proxy, String what) {
        String client = ClientAcl.host(ch.remoteAddress());
        if (!proxy.acl().admit(ch, proxy.stats(), what)) {
            return Optional.of(new Refusal(null, "client " + client + " is not in the allow list (--allow)"));
        }
        Limits limits = proxy.config().limits();
        Optional<OverloadLimit> over = proxy.stats().budget().admit(ch, limits);
        if (over.isEmpty()) {
            return Optional.empty();
        }
        OverloadLimit limit = over.get();
        proxy.stats().refused(limit, client);
        return Optional.of(new Refusal(limit, limit == OverloadLimit.CLIENT_CONNECTIONS
                ? "Gangway has " + limits.clientConnections() + " client connections open, its limit ("
                        + limit.key() + "); try again shortly"
                : "client " + client + " has " + limits.clientConnectionsPerAddress()
                        + " connections open, the limit for one address (" + limit.key() + "); try again shortly"));
    }
}
