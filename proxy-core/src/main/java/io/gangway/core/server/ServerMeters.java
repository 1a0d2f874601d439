package io.gangway.core.server;

import io.gangway.core.config.Profile;
import io.gangway.core.http.ProxyContext;
import io.gangway.core.upstream.CredentialGuard;
import io.gangway.pac.PacRouteSource;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The meters that read the server's state when scraped: client connections, tunnels, lockout back-offs,
 * and each profile's PAC (whichever generation is in force).
 */
final class ServerMeters {

    private ServerMeters() {
    }

    static void bind(GangwayServer server, CredentialGuard guard) {
        MeterRegistry registry = server.telemetry().registry();
        if (registry == null) {
            return;
        }
        ServerStats stats = server.stats();
        Gauge.builder("gangway.client.connections", stats, ServerStats::openClientConnections)
                .description("Client connections open now, on every proxy, transparent and published listener")
                .register(registry);
        Gauge.builder("gangway.tunnels.open", stats, ServerStats::openTunnels)
                .description("Tunnels open now (CONNECT, and redirected TLS or TCP connections)")
                .register(registry);
        Gauge.builder("gangway.lockout.backoffs", guard, g -> g.backOffs().size())
                .description("Accounts whose credentials are held back from an upstream now, after it rejected them")
                .register(registry);
        for (Profile profile : Profile.values()) {
            String key = profile.key();
            FunctionCounter.builder("gangway.pac.evaluations", server, s -> pac(s, profile).map(PacRouteSource.Status::evaluations)
                            .orElse(0L))
                    .description("PAC evaluations (FindProxyForURL runs; cached answers are not counted)")
                    .tag("profile", key).register(registry);
            FunctionCounter.builder("gangway.pac.errors", server, s -> pac(s, profile).map(PacRouteSource.Status::errors)
                            .orElse(0L))
                    .description("PAC evaluations that failed or gave no usable route")
                    .tag("profile", key).register(registry);
            FunctionTimer.builder("gangway.pac.evaluation", server,
                            s -> pac(s, profile).map(PacRouteSource.Status::evaluations).orElse(0L),
                            s -> pac(s, profile).map(PacRouteSource.Status::evaluationNanos).orElse(0L), TimeUnit.NANOSECONDS)
                    .description("Time spent evaluating the PAC").tag("profile", key).register(registry);
            Gauge.builder("gangway.pac.loaded", server, s -> pac(s, profile).map(p -> p.loaded() ? 1.0 : 0.0).orElse(Double.NaN))
                    .description("1 when the profile's PAC is loaded, 0 when it is not (NaN: the profile routes without one)")
                    .tag("profile", key).register(registry);
        }
    }

    private static Optional<PacRouteSource.Status> pac(GangwayServer server, Profile profile) {
        ProxyContext context = server.currentContext(profile);
        return context != null && context.router().source() instanceof PacRouteSource pac
                ? Optional.of(pac.status()) : Optional.empty();
    }
}
