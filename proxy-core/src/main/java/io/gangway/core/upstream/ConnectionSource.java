package io.gangway.core.upstream;

import io.gangway.routing.RoutePlan;
import io.gangway.routing.Target;
import io.netty.channel.EventLoop;

/** Where upstream connections come from and go back to: {@link UpstreamConnector}, or a test's scripted peers. */
public interface ConnectionSource {

    /**
     * Connects for {@code target} along {@code plan}, calling back on {@code loop}.
     *
     * @param direct where a DIRECT route connects: the target itself, or for a connection that
     *               was redirected to Gangway, the address its client connected to
     */
    void acquire(EventLoop loop, RoutePlan plan, Target target, Target direct, UpstreamConnector.Use use,
                 ConnectCallback callback);

    /** Takes back a connection whose exchange ended cleanly, for another exchange. */
    void release(UpstreamConnection connection);

    /** A route that connected failed its request before answering: later plans try it last for a while. */
    default void routeFailed(io.gangway.routing.Route route, String reason) {
    }
}
