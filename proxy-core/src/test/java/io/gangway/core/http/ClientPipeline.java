package io.gangway.core.http;

import io.gangway.auth.AuthSchemes;
import io.gangway.core.clientauth.ClientVerifier;
import io.gangway.core.config.ConfigKey;
import io.gangway.core.config.ConfigLoader;
import io.gangway.core.config.ConfigValue;
import io.gangway.core.config.GangwayConfig;
import io.gangway.core.config.Profile;
import io.gangway.core.policy.DestinationPolicy;
import io.gangway.core.policy.OwnListeners;
import io.gangway.core.routing.RouteDatabase;
import io.gangway.core.routing.RouteSources;
import io.gangway.core.routing.Router;
import io.gangway.core.routing.UpstreamCredentials;
import io.gangway.core.server.ServerStats;
import io.gangway.core.upstream.CredentialGuard;
import io.gangway.core.upstream.ScriptedSource;
import io.gangway.core.upstream.ScriptedUpstream;
import io.gangway.core.upstream.UpstreamAuthenticator;
import io.gangway.routing.Route;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A client connection's pipeline as the server builds it (head timeouts, codec, handler), DIRECT
 * routing, on Netty's {@code EmbeddedChannel}; the upstream connections behind it are scripted.
 */
final class ClientPipeline implements AutoCloseable {

    final ScriptedSource source = new ScriptedSource();
    final RequestHeadTimeout headTimeout;
    final EmbeddedChannel client;
    private final List<ScriptedUpstream> made = new ArrayList<>();

    /** @param settings flag values over the defaults */
    ClientPipeline(Map<ConfigKey<?>, String> settings) {
        this(settings, null);
    }

    /** @param clientAuth the users clients must be, behind a {@link ClientAuthGate}; null for none (and no gate) */
    ClientPipeline(Map<ConfigKey<?>, String> settings, ClientVerifier clientAuth) {
        Map<ConfigKey<?>, ConfigValue> flags = new LinkedHashMap<>();
        flags.put(ConfigKey.ROUTING, new ConfigValue("direct", "test"));
        settings.forEach((key, value) -> flags.put(key, new ConfigValue(value, "test")));
        GangwayConfig config = ConfigLoader.load(null, Map.of(), flags);
        UpstreamCredentials credentials = new UpstreamCredentials();
        Router router = new Router(RouteSources.create(config, Map.of(), credentials), new RouteDatabase(Duration.ofSeconds(30)));
        UpstreamAuthenticator authenticator = new UpstreamAuthenticator(AuthSchemes.discover(), config.engine().account().auth(),
                credentials, new CredentialGuard(Duration.ofSeconds(30), Duration.ofMinutes(1), (java.nio.file.Path) null, Duration.ofSeconds(120)),
                Runnable::run, false);
        ServerStats stats = new ServerStats();
        ProxyContext proxy = new ProxyContext(Profile.ENGINE, config, router, source, authenticator, new AccessLog(false), stats,
                new ClientAcl(config.listeners().allow()), DestinationPolicy.loopbackDefault(new OwnListeners()), clientAuth);
        headTimeout = new RequestHeadTimeout(config.timeouts(), stats);
        ContextSlot slot = new ContextSlot(proxy);
        client = clientAuth == null
                ? new EmbeddedChannel(headTimeout, new HttpServerCodec(), new ClientHandler(slot, headTimeout, null))
                : new EmbeddedChannel(headTimeout, new HttpServerCodec(), new ClientAuthGate(slot),
                        new ClientHandler(slot, headTimeout, null));
    }

    /** The next upstream connection the source hands out. */
    ScriptedUpstream upstream() {
        ScriptedUpstream u = new ScriptedUpstream(Route.DIRECT, "-");
        made.add(u);
        source.offer(u);
        return u;
    }

    void clientSends(String raw) {
        client.writeInbound(Unpooled.copiedBuffer(raw, StandardCharsets.ISO_8859_1));
        client.runPendingTasks();
    }

    /** What the client has been sent so far. */
    String clientGot() {
        StringBuilder text = new StringBuilder();
        for (ByteBuf b; (b = client.readOutbound()) != null; ) {
            text.append(b.toString(StandardCharsets.ISO_8859_1));
            b.release();
        }
        return text.toString();
    }

    @Override
    public void close() {
        made.forEach(ScriptedUpstream::finish);
        client.finishAndReleaseAll();
    }
}
