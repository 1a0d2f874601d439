package io.gangway.core.admin;

import io.gangway.core.routing.RouteDatabase;
import io.gangway.core.telemetry.RecentActivity;
import io.gangway.core.upstream.CredentialGuard;
import io.gangway.pac.PacRouteSource;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The state of a running proxy as {@code /status} shows it. No secret: accounts appear by user
 * name, routes by their PAC-style token.
 */
public record StatusSnapshot(String version, Instant startedAt, Readiness readiness, List<Listener> listeners,
                             List<ProfileState> profiles, List<CredentialGuard.BackOff> backOffs,
                             Map<String, int[]> upstreamConnections, Counts counts,
                             List<RecentActivity.Exchange> recentRequests, List<RecentActivity.Failure> recentErrors,
                             ReloadOutcome lastReload) {

    /** A bound listener: its address as people write it, and what it serves. */
    public record Listener(String address, String serves) {
    }

    /**
     * One profile's routing.
     *
     * @param pac the PAC's state when the routing is (or came to be, from the OS) a PAC, else null
     */
    public record ProfileState(String profile, String routing, PacRouteSource.Status pac,
                               List<RouteDatabase.Postponed> postponed) {
    }

    /** What is open now and what happened so far. */
    public record Counts(int clientConnections, int tunnelsOpen, int upstreamConnections, long requests, long tunnels,
                         long upstreamConnectionsOpened) {
    }
}
