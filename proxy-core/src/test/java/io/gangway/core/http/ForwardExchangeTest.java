package io.gangway.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.auth.AuthSchemes;
import io.gangway.core.config.ConfigKey;
import io.gangway.core.config.ConfigLoader;
import io.gangway.core.config.ConfigValue;
import io.gangway.core.config.GangwayConfig;
import io.gangway.core.config.Profile;
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
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import io.gangway.core.LeakWatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Who keeps which connection, one exchange at a time on Netty's {@code EmbeddedChannel}: the
 * client's pipeline as the server builds it, a scripted DIRECT connection behind it. Each
 * side's {@code Connection} header and framing decide that side's connection only.
 */
class ForwardExchangeTest {

    private final ScriptedSource source = new ScriptedSource();
    private final List<ScriptedUpstream> made = new ArrayList<>();
    private final EmbeddedChannel client;

    ForwardExchangeTest() {
        GangwayConfig config = ConfigLoader.load(null, Map.of(), Map.of(ConfigKey.ROUTING, new ConfigValue("direct", "test")));
        UpstreamCredentials credentials = new UpstreamCredentials();
        Router router = new Router(RouteSources.create(config, Map.of(), credentials), new RouteDatabase(Duration.ofSeconds(30)));
        UpstreamAuthenticator authenticator = new UpstreamAuthenticator(AuthSchemes.discover(), config.engine().account().auth(), credentials,
                new CredentialGuard(Duration.ofSeconds(30), Duration.ofMinutes(1), (java.nio.file.Path) null), Runnable::run, false);
        ProxyContext proxy = new ProxyContext(Profile.ENGINE, config, router, source, authenticator, new AccessLog(false), new ServerStats());
        RequestHeadTimeout headTimeout = new RequestHeadTimeout(Duration.ofSeconds(30));
        client = new EmbeddedChannel(headTimeout, new HttpServerCodec(), new ClientHandler(proxy, headTimeout));
    }

    @AfterEach
    void finish() {
        made.forEach(ScriptedUpstream::finish);
        client.finishAndReleaseAll();
    }

    private ScriptedUpstream upstream() {
        ScriptedUpstream u = new ScriptedUpstream(Route.DIRECT, "-");
        made.add(u);
        source.offer(u);
        return u;
    }

    private void clientSends(String raw) {
        client.writeInbound(Unpooled.copiedBuffer(raw, StandardCharsets.ISO_8859_1));
        client.runPendingTasks();
    }

    /** What the client has been sent so far. */
    private String clientGot() {
        StringBuilder text = new StringBuilder();
        for (ByteBuf b; (b = client.readOutbound()) != null; ) {
            text.append(b.toString(StandardCharsets.ISO_8859_1));
            b.release();
        }
        return text.toString();
    }

    private FullHttpRequest originGets(ScriptedUpstream upstream) {
        List<FullHttpRequest> got = upstream.received();
        assertThat(got).hasSize(1);
        return got.get(0);
    }

    @AfterAll
    static void noLeaks() {
        LeakWatch.assertNoLeaks();
    }

    @Test
    void aClientsConnectionCloseEndsTheClientConnectionAndPoolsTheUpstreamOne() {
        ScriptedUpstream origin = upstream();
        clientSends("GET http://origin.test/x HTTP/1.1\r\nHost: origin.test\r\nConnection: close\r\n\r\n");
        assertThat(originGets(origin).headers().contains("Connection")).as("hop-by-hop").isFalse();
        origin.reply("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        assertThat(clientGot()).startsWith("HTTP/1.1 200").containsIgnoringCase("connection: close").endsWith("ok");
        assertThat(client.isOpen()).isFalse();
        assertThat(source.released()).containsExactly(origin.connection());
        assertThat(origin.isOpen()).isTrue();
    }

    @Test
    void anOriginsConnectionCloseEndsTheUpstreamConnectionOnly() {
        ScriptedUpstream origin = upstream();
        clientSends("GET http://origin.test/x HTTP/1.1\r\nHost: origin.test\r\n\r\n");
        originGets(origin);
        origin.reply("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
        assertThat(clientGot()).startsWith("HTTP/1.1 200").doesNotContainIgnoringCase("connection: close").endsWith("ok");
        assertThat(client.isOpen()).isTrue();
        assertThat(source.released()).isEmpty();
        assertThat(origin.isOpen()).isFalse();
    }

    @Test
    void anHttp10ResponseWithoutKeepAliveIsNotPooled() {
        ScriptedUpstream origin = upstream();
        clientSends("GET http://origin.test/x HTTP/1.1\r\nHost: origin.test\r\n\r\n");
        originGets(origin);
        origin.reply("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok");
        assertThat(clientGot()).startsWith("HTTP/1.1 200").endsWith("ok");
        assertThat(source.released()).isEmpty();
        assertThat(origin.isOpen()).isFalse();
        assertThat(client.isOpen()).isTrue();
    }

    @Test
    void aResponseDelimitedByCloseEndsBothConnections() {
        ScriptedUpstream origin = upstream();
        clientSends("GET http://origin.test/x HTTP/1.1\r\nHost: origin.test\r\n\r\n");
        originGets(origin);
        origin.reply("HTTP/1.1 200 OK\r\n\r\nuntil close");
        origin.close();
        assertThat(clientGot()).startsWith("HTTP/1.1 200").containsIgnoringCase("connection: close").endsWith("until close");
        assertThat(client.isOpen()).as("the client needs the close to see the end").isFalse();
        assertThat(source.released()).isEmpty();
    }

    @Test
    void anEarlyAnswerToAnUnfinishedUploadEndsBothConnections() {
        ScriptedUpstream origin = upstream();
        clientSends("POST http://origin.test/up HTTP/1.1\r\nHost: origin.test\r\nContent-Length: 10\r\n\r\n01234");
        origin.channel().runPendingTasks();
        origin.reply("HTTP/1.1 413 Content Too Large\r\nContent-Length: 0\r\n\r\n");
        assertThat(clientGot()).startsWith("HTTP/1.1 413").containsIgnoringCase("connection: close");
        assertThat(client.isOpen()).isFalse();
        assertThat(source.released()).as("half a request is on that connection").isEmpty();
        assertThat(origin.isOpen()).isFalse();
    }

    @Test
    void aKeepAliveExchangeKeepsBothAndTheNextRequestUsesThePool() {
        ScriptedUpstream origin = upstream();
        clientSends("POST http://origin.test/a HTTP/1.1\r\nHost: origin.test\r\nContent-Length: 5\r\n\r\nhello");
        assertThat(originGets(origin).content().toString(StandardCharsets.US_ASCII)).isEqualTo("hello");
        origin.reply("HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n");
        assertThat(clientGot()).startsWith("HTTP/1.1 201");
        assertThat(client.isOpen()).isTrue();
        assertThat(source.released()).containsExactly(origin.connection());
    }

    @Test
    void aRequestNamingAFramingFieldAsAConnectionOptionIsRefusedBeforeAnythingIsSent() {
        clientSends("POST http://origin.test/a HTTP/1.1\r\nHost: origin.test\r\nConnection: Content-Length\r\n"
                + "Content-Length: 5\r\n\r\nhello");
        assertThat(clientGot()).startsWith("HTTP/1.1 400").contains("connection option Content-Length");
        assertThat(source.uses()).as("no upstream connection asked for").isEmpty();
        assertThat(client.isOpen()).isFalse();
    }
}
