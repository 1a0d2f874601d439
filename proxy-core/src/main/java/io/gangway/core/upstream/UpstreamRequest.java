package io.gangway.core.upstream;

import io.gangway.auth.AuthRequest;
import io.gangway.routing.Target;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;

/** The exchange's side of an {@link UpstreamFlow}: the message the flow carries, and where its outcome goes. */
public interface UpstreamRequest {

    Target target();

    /** Where a DIRECT route connects: the target, or the address a transparently proxied client connected to. */
    default Target directTarget() {
        return target();
    }

    /** A CONNECT: through DIRECT or SOCKS the connection is the tunnel, and nothing is sent. */
    boolean isTunnel();

    /** The request as an upstream proxy sees it, for schemes that sign it (Digest). */
    AuthRequest authRequest();

    /** A body follows the head: on a connection that will be challenged, a probe goes first. */
    boolean hasBody();

    /** The whole body has been received (and, while the request is sent, written on). */
    boolean bodyComplete();

    /**
     * Whether the request may be sent again after a reused connection closed without an
     * answer: its method is idempotent (RFC 9110 9.2.2; as Go's Transport: GET, HEAD,
     * OPTIONS, TRACE, or an {@code Idempotency-Key}).
     */
    boolean idempotent();

    /** Whether what went out of the body was all kept, so the request can be written again. */
    boolean replayable();

    /**
     * Writes the request head with this {@code Proxy-Authorization} (null: none), then the
     * body received so far; further body parts follow while {@link #streamsBody()}.
     *
     * @param keepCopies keep copies of the body, for sending it again
     */
    void write(UpstreamConnection connection, String authorization, boolean keepCopies);

    /** The body-less message that authenticates a connection before the request's body goes. */
    HttpRequest probe();

    /** A 1xx other than 101; the final response follows. */
    void onInformational(HttpResponse head);

    /** The request's response head (not a 407 the flow answers): the connection is the exchange's now. */
    void onResponse(UpstreamConnection connection, HttpResponse head);

    /** A DIRECT or SOCKS tunnel is connected: the connection is the exchange's now. */
    void onTunnel(UpstreamConnection connection);

    void onUpstreamWritabilityChanged();

    void onFailure(UpstreamFailure failure);
}
