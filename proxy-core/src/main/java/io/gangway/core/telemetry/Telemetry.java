package io.gangway.core.telemetry;

import io.gangway.core.config.OverloadLimit;
import io.gangway.core.config.Profile;
import io.gangway.core.config.RoutingMode;
import io.gangway.routing.Route;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the proxy measures, for {@code /metrics}, {@code /status} and the status page. Off
 * (every method returns at once, nothing is allocated) unless the admin listener is on. The
 * label sets are bounded: profile, route kind, status class, scheme, error type; upstreams by
 * their configured authority only for connection gauges (the upstreams a user has, not hosts).
 * Counters are cached per label combination so that the request path does no registry lookup.
 */
public final class Telemetry {

    private static final Telemetry OFF = new Telemetry(null);
    private static final String[] STATUS_CLASSES = {"none", "1xx", "2xx", "3xx", "4xx", "5xx"};

    private final PrometheusMeterRegistry registry;
    private final RecentActivity recent = new RecentActivity();
    /** [tunnel?][profile][route kind + 1][status class]: cached, created on first use. */
    private final Counter[][][][] exchanges = new Counter[2][Profile.values().length][Route.Kind.values().length + 1][6];
    private final Counter[][] decisions = new Counter[Profile.values().length][RoutingMode.values().length];
    private final Counter[] refusals = new Counter[OverloadLimit.values().length];
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Counter> handshakes = new ConcurrentHashMap<>();
    private final Map<String, Counter> errors = new ConcurrentHashMap<>();
    private final Map<String, Counter> denials = new ConcurrentHashMap<>();
    private final Map<String, Counter> clientAuth = new ConcurrentHashMap<>();
    /** By route (a record: no string is built per call, as a token would be). */
    private final Map<Route, RouteConnections> upstreams = new ConcurrentHashMap<>();
    private final Counter bytesIn;
    private final Counter bytesOut;
    private final Timer connectTime;
    private final Timer firstByteTime;

    private Telemetry(PrometheusMeterRegistry registry) {
        this.registry = registry;
        if (registry == null) {
            bytesIn = bytesOut = null;
            connectTime = firstByteTime = null;
            return;
        }
        bytesIn = Counter.builder("gangway.client.received").baseUnit("bytes")
                .description("Bytes received from clients (request bodies and tunnelled data)").register(registry);
        bytesOut = Counter.builder("gangway.client.sent").baseUnit("bytes")
                .description("Bytes sent to clients (response bodies and tunnelled data)").register(registry);
        connectTime = latency("gangway.upstream.connect", "Time to open a connection to an upstream or origin, "
                + "its TLS or SOCKS handshake included");
        firstByteTime = latency("gangway.response.first.byte", "Time from a request's head to its response's head");
    }

    /** Nothing measured: the admin listener is off. */
    public static Telemetry off() {
        return OFF;
    }

    /** Measured into a Prometheus registry, with the JVM and process meters that pass promtool's lint. */
    public static Telemetry prometheus() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ProcessMeters.bindTo(registry);
        return new Telemetry(registry);
    }

    public boolean on() {
        return registry != null;
    }

    /** The registry, for gauges that read the server's state; null when off. */
    public MeterRegistry registry() {
        return registry;
    }

    /** The Prometheus text exposition of every meter. */
    public String scrape() {
        return registry == null ? "" : registry.scrape();
    }

    public RecentActivity recent() {
        return recent;
    }

    private Timer latency(String name, String description) {
        return Timer.builder(name).description(description)
                .serviceLevelObjectives(Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10),
                        Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
                        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5),
                        Duration.ofSeconds(10), Duration.ofSeconds(30))
                // Prometheus' buckets are cumulative: one histogram, not a ring of three per record
                .distributionStatisticBufferLength(1)
                .register(registry);
    }

    /**
     * A request or tunnel ended (its access line was written).
     *
     * @param kind   the route it took, or null when it took none
     * @param status the status sent to the client, or "-" when none was
     */
    public void exchangeEnded(Profile profile, boolean tunnel, Route.Kind kind, String status, long in, long out) {
        if (registry == null) {
            return;
        }
        int statusClass = status.length() == 3 && status.charAt(0) >= '1' && status.charAt(0) <= '5' ? status.charAt(0) - '0' : 0;
        int route = kind == null ? 0 : kind.ordinal() + 1;
        Counter[] row = exchanges[tunnel ? 1 : 0][profile.ordinal()][route];
        Counter counter = row[statusClass];
        if (counter == null) {
            counter = Counter.builder(tunnel ? "gangway.tunnels" : "gangway.requests")
                    .description(tunnel ? "Tunnels (CONNECT and redirected TLS or TCP connections) that ended"
                            : "Proxied HTTP requests that ended")
                    .tag("profile", profile.key()).tag("route", kind == null ? "none" : kind.name().toLowerCase(Locale.ROOT))
                    .tag("status", STATUS_CLASSES[statusClass]).register(registry);
            row[statusClass] = counter;
        }
        counter.increment();
        bytesIn.increment(in);
        bytesOut.increment(out);
    }

    /** A connection, tunnel or request was refused by {@code limit}, or a silent connection closed by the first-byte timeout. */
    public void refused(OverloadLimit limit) {
        if (registry == null) {
            return;
        }
        Counter counter = refusals[limit.ordinal()];
        if (counter == null) {
            counter = Counter.builder("gangway.overload.refusals")
                    .description("Client connections, tunnels and pipelined requests refused by an overload limit, and "
                            + "silent connections closed by first-byte-timeout, by the setting")
                    .tag("limit", limit.key()).register(registry);
            refusals[limit.ordinal()] = counter;
        }
        counter.increment();
    }

    /** An upstream or origin connection is ready for its first request. */
    public void connected(long nanos) {
        if (registry != null) {
            connectTime.record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    public void firstByte(long nanos) {
        if (registry != null) {
            firstByteTime.record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    /** A route plan was made by the profile's routing source (manual, pac, system, direct). */
    public void routeDecided(Profile profile, RoutingMode source) {
        if (registry == null) {
            return;
        }
        Counter counter = decisions[profile.ordinal()][source.ordinal()];
        if (counter == null) {
            counter = Counter.builder("gangway.route.decisions").description("Route plans made, by where the route came from")
                    .tag("profile", profile.key()).tag("source", source.name().toLowerCase(Locale.ROOT)).register(registry);
            decisions[profile.ordinal()][source.ordinal()] = counter;
        }
        counter.increment();
    }

    /**
     * A token was sent to an upstream for {@code scheme} (a handshake's round; with a preemptive
     * scheme, every request): counted by the scheme's own name, no string built per call.
     */
    public void authAttempted(String scheme) {
        if (registry == null) {
            return;
        }
        handshakes.computeIfAbsent(scheme, s -> Counter.builder("gangway.upstream.auth.handshakes")
                .description("Authentication tokens sent to upstreams, by scheme")
                .tag("scheme", s.toLowerCase(Locale.ROOT)).register(registry)).increment();
    }

    /** An upstream rejected the credentials, or a token could not be made. */
    public void authFailed(String scheme, String reason) {
        count("gangway.upstream.auth.failures", "Upstream logins that failed, by scheme and reason "
                + "(rejected: the upstream refused the credentials; token: no token could be made; blocked: held back by "
                + "the lockout back-off)", "scheme", scheme, "reason", reason);
    }

    /**
     * A request or tunnel failed in the proxy.
     *
     * @param type the RFC 9209 Proxy-Status error type (connection_timeout, destination_unavailable, ...)
     */
    public void failed(String type, String client, String target, String message) {
        if (registry == null) {
            return;
        }
        errors.computeIfAbsent(type, t -> Counter.builder("gangway.errors")
                .description("Requests and tunnels that failed in the proxy, by RFC 9209 error type")
                .tag("type", t).register(registry)).increment();
        recent.error(type, client, target, message);
    }

    /**
     * The destination policy refused a destination, by the rule's label (loopback, metadata,
     * self, deny, connect-port, ...): a constant, so no string is built per call.
     */
    public void destinationDenied(String rule) {
        if (registry == null) {
            return;
        }
        denials.computeIfAbsent(rule, r -> Counter.builder("gangway.destinations.denied")
                .description("Destinations the destination policy refused, by the rule that refused them")
                .tag("rule", r).register(registry)).increment();
    }

    /** A client's credentials were judged (client-auth-file): accepted, rejected or busy, a constant. */
    public void clientAuth(String verdict) {
        if (registry == null) {
            return;
        }
        clientAuth.computeIfAbsent(verdict, v -> Counter.builder("gangway.client.auth")
                .description("Client requests judged by the client-auth file, by verdict (busy: too many checks at once)")
                .tag("verdict", v).register(registry)).increment();
    }

    /** An upstream connection opened ({@code open} +1) or closed (-1); went idle in a pool or left it. */
    public void upstreamConnections(Route route, int open, int idle) {
        if (registry == null) {
            return;
        }
        RouteConnections gauges = upstreams.get(route);
        if (gauges == null) {
            gauges = upstreams.computeIfAbsent(route, r -> routeGauges(r.token()));
        }
        gauges.open.addAndGet(open);
        gauges.idle.addAndGet(idle);
    }

    private RouteConnections routeGauges(String route) {
        RouteConnections c = new RouteConnections(new AtomicInteger(), new AtomicInteger());
        io.micrometer.core.instrument.Gauge.builder("gangway.upstream.connections", c, r -> r.idle.get())
                .description("Open connections to upstreams and origins, by route and state (idle in a pool, or busy)")
                .tag("upstream", route).tag("state", "idle").register(registry);
        io.micrometer.core.instrument.Gauge.builder("gangway.upstream.connections", c, r -> r.open.get() - r.idle.get())
                .description("Open connections to upstreams and origins, by route and state (idle in a pool, or busy)")
                .tag("upstream", route).tag("state", "busy").register(registry);
        return c;
    }

    /** The upstream connections now open, by route token: [idle, busy]. */
    public Map<String, int[]> upstreamConnections() {
        Map<String, int[]> out = new java.util.TreeMap<>();
        upstreams.forEach((route, c) -> out.put(route.token(), new int[] {c.idle.get(), c.open.get() - c.idle.get()}));
        return out;
    }

    private record RouteConnections(AtomicInteger open, AtomicInteger idle) {
    }

    private void count(String name, String description, String... tags) {
        if (registry == null) {
            return;
        }
        String key = name + String.join("\0", tags);
        counters.computeIfAbsent(key, k -> Counter.builder(name).description(description).tags(tags).register(registry))
                .increment();
    }
}
