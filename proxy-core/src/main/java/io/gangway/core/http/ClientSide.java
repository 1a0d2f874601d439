package io.gangway.core.http;

import io.gangway.core.http.ErrorResponses.ProxyError;
import io.gangway.core.relay.Relay;
import io.gangway.core.upstream.UpstreamConnection;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;
import java.util.function.Consumer;

/**
 * The client of an exchange, as the exchange needs it: an explicit proxy client that speaks
 * HTTP to Gangway ({@link ClientHandler}), or a connection that was redirected to Gangway and
 * knows nothing of it ({@link TransparentClient}), to which Gangway never says anything itself.
 */
interface ClientSide {

    /** Whether the client's connection was redirected to Gangway (it asked nothing of a proxy: no CONNECT). */
    boolean redirected();

    /** Reading from the client follows the exchange's wish again. */
    void updateReading();

    /** The exchange is over; keep the connection for the next request or close it. */
    void exchangeDone(boolean keepAlive);

    /** The exchange failed before any response started: say why (or just close), then as {@link #exchangeDone}. */
    void failed(HttpResponseStatus status, ProxyError error, String message, boolean keepAlive);

    /** A tunnel's upstream accepted: the explicit client is told "200 Connection established". */
    void tunnelUp();

    /**
     * Both connections become a raw relay, the bytes each side sent early passed on in order.
     *
     * @param fromClient   bytes the client sent before the switch, for the upstream
     * @param fromUpstream bytes the upstream sent before the switch, for the client
     */
    Relay relay(UpstreamConnection upstream, List<ByteBuf> fromClient, List<ByteBuf> fromUpstream, Consumer<Relay> onClosed);
}
