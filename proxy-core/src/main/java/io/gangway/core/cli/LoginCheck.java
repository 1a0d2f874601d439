package io.gangway.core.cli;

import io.gangway.auth.AuthRequest;
import io.gangway.auth.AuthSchemes;
import io.gangway.core.config.GangwayConfig;
import io.gangway.core.config.RoutingProfile;
import io.gangway.core.routing.RouteDatabase;
import io.gangway.core.routing.UpstreamCredentials;
import io.gangway.core.server.DaemonPools;
import io.gangway.core.server.ServerStats;
import io.gangway.core.server.Transport;
import io.gangway.core.upstream.CredentialGuard;
import io.gangway.core.upstream.HostResolver;
import io.gangway.core.upstream.UpstreamAuthenticator;
import io.gangway.core.upstream.UpstreamConnection;
import io.gangway.core.upstream.UpstreamConnector;
import io.gangway.core.upstream.UpstreamFailure;
import io.gangway.core.upstream.UpstreamFlow;
import io.gangway.core.upstream.UpstreamRequest;
import io.gangway.routing.Route;
import io.gangway.routing.RoutePlan;
import io.gangway.routing.Target;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code gangway check --login}: one real login per upstream, by the very path {@code run}
 * takes (an {@link UpstreamFlow} with the profile's authenticator and the shared lockout guard),
 * so that what it reports is what {@code run} would meet: a block on record is honoured without
 * sending anything, and a rejection is recorded for every Gangway of the user.
 */
final class LoginCheck implements AutoCloseable {

    /**
     * How one login went.
     *
     * @param accepted   the upstream answered the request, not with a 407
     * @param scheme     the scheme the handshake used ("-" when none was asked for)
     * @param summary    what the upstream answered, or why the login failed
     * @param notes      what became of the other schemes the handshake tried or passed over, by lower-case name
     */
    record Outcome(boolean accepted, String scheme, String summary, Map<String, String> notes) {
    }

    private final Transport transport = Transport.create(1);
    private final ExecutorService authExecutor = DaemonPools.bounded("gangway-auth", 1, 16);
    private final HostResolver resolver;
    private final UpstreamConnector connector;
    private final UpstreamAuthenticator authenticator;
    private final GangwayConfig config;
    private final Map<Route, Map<String, String>> notes = new java.util.concurrent.ConcurrentHashMap<>();

    LoginCheck(GangwayConfig config, RoutingProfile profile, UpstreamCredentials credentials, RouteDatabase routes,
               Map<String, String> env) {
        this.config = config;
        this.resolver = new HostResolver(2, config.timeouts().connect());
        this.connector = new UpstreamConnector(transport, config, profile.route().upstreamCa(), routes, credentials, resolver,
                new ServerStats());
        CredentialGuard guard = new CredentialGuard(config.lockout().backoff(), config.lockout().max(),
                config.lockout().stateFile(), config.timeouts().response());
        this.authenticator = new UpstreamAuthenticator(AuthSchemes.discover(env), profile.account().auth(), credentials, guard,
                authExecutor, profile.account().kerberosCanonicalize(), (route, scheme, what) -> notes
                .computeIfAbsent(route, r -> new LinkedHashMap<>()).put(scheme.toLowerCase(java.util.Locale.ROOT), what));
    }

    /** Logs in to {@code route} with a CONNECT (tunnel targets) or a HEAD (plain ones) for {@code target}. */
    Outcome login(Route route, Target target) throws InterruptedException {
        EventLoop loop = transport.group().next();
        Attempt attempt = new Attempt(target);
        UpstreamFlow flow = new UpstreamFlow(connector, authenticator, loop, new RoutePlan(List.of(route)), attempt,
                0, config.timeouts().response().toSeconds());
        loop.execute(flow::start);
        long wait = config.timeouts().connect().toMillis() * 4 + config.timeouts().response().toMillis() + 5_000;
        try {
            Outcome o = attempt.result.get(wait, TimeUnit.MILLISECONDS);
            return new Outcome(o.accepted(), o.scheme(), o.summary(), notes.getOrDefault(route, Map.of()));
        } catch (TimeoutException e) {
            return new Outcome(false, "-", "no outcome within " + wait / 1000 + " s", notes.getOrDefault(route, Map.of()));
        } catch (ExecutionException e) {
            return new Outcome(false, "-", String.valueOf(e.getCause()), Map.of());
        }
    }

    @Override
    public void close() {
        transport.group().shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        authExecutor.shutdownNow();
        resolver.close();
    }

    /** The one request a login sends: its outcome completes {@link #result}. */
    private static final class Attempt implements UpstreamRequest {

        final CompletableFuture<Outcome> result = new CompletableFuture<>();
        private final Target target;

        Attempt(Target target) {
            this.target = target;
        }

        private boolean tunnel() {
            return !target.scheme().equals("http");
        }

        @Override
        public Target target() {
            return target;
        }

        @Override
        public boolean isTunnel() {
            return tunnel();
        }

        @Override
        public AuthRequest authRequest() {
            return tunnel() ? new AuthRequest("CONNECT", target.authority()) : new AuthRequest("HEAD", target.url());
        }

        @Override
        public boolean hasBody() {
            return false;
        }

        @Override
        public boolean bodyComplete() {
            return true;
        }

        @Override
        public boolean idempotent() {
            return true;
        }

        @Override
        public boolean replayable() {
            return true;
        }

        @Override
        public void write(UpstreamConnection connection, String authorization, boolean keepCopies) {
            FullHttpRequest request = tunnel()
                    ? new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.CONNECT, target.authority())
                    : new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.HEAD, target.url());
            request.headers().set(HttpHeaderNames.HOST, target.authority());
            request.headers().set(HttpHeaderNames.USER_AGENT, "gangway-check");
            if (authorization != null) {
                request.headers().set(HttpHeaderNames.PROXY_AUTHORIZATION, authorization);
            }
            connection.channel().writeAndFlush(request);
        }

        @Override
        public HttpRequest probe() {
            throw new IllegalStateException("a login sends no body to probe for");
        }

        @Override
        public void onInformational(HttpResponse head) {
        }

        @Override
        public void onResponse(UpstreamConnection connection, HttpResponse head) {
            String scheme = UpstreamAuthenticator.schemeOf(connection);
            connection.close(); // a login only: the tunnel or response is not wanted
            result.complete(new Outcome(true, scheme, "answers " + head.status(), Map.of()));
        }

        @Override
        public void onTunnel(UpstreamConnection connection) {
            connection.close();
            result.complete(new Outcome(true, "-", "connected (not an HTTP proxy)", Map.of()));
        }

        @Override
        public void onUpstreamWritabilityChanged() {
        }

        @Override
        public void onFailure(UpstreamFailure failure) {
            result.complete(new Outcome(false, "-", failure.message(), Map.of()));
        }
    }
}
