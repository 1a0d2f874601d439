package io.gangway.core.upstream;

import io.gangway.routing.RoutePlan;
import io.gangway.routing.Target;
import io.netty.channel.EventLoop;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** Hands out scripted upstream connections in order, and records what was asked of it. */
public final class ScriptedSource implements ConnectionSource {

    private final Deque<ScriptedUpstream> next = new ArrayDeque<>();
    private final List<UpstreamConnector.Use> uses = new ArrayList<>();
    private final List<UpstreamConnection> released = new ArrayList<>();

    public ScriptedSource offer(ScriptedUpstream upstream) {
        next.add(upstream);
        return this;
    }

    @Override
    public void acquire(EventLoop loop, RoutePlan plan, Target target, Target direct, UpstreamConnector.Use use,
                        ConnectCallback callback) {
        uses.add(use);
        ScriptedUpstream upstream = next.poll();
        if (upstream == null) {
            callback.onFailed("PROXY proxy.test:3128: connection refused", false);
        } else {
            callback.onConnected(upstream.connection());
        }
    }

    @Override
    public void release(UpstreamConnection connection) {
        released.add(connection);
    }

    /** What each acquire asked for, in order. */
    public List<UpstreamConnector.Use> uses() {
        return uses;
    }

    public List<UpstreamConnection> released() {
        return released;
    }
}
