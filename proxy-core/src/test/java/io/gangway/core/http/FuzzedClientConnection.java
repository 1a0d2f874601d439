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
import io.gangway.core.upstream.ConnectCallback;
import io.gangway.core.upstream.ConnectionSource;
import io.gangway.core.upstream.CredentialGuard;
import io.gangway.core.upstream.ScriptedUpstream;
import io.gangway.core.upstream.UpstreamAuthenticator;
import io.gangway.core.upstream.UpstreamConnection;
import io.gangway.core.upstream.UpstreamConnector;
import io.gangway.routing.Route;
import io.gangway.routing.RoutePlan;
import io.gangway.routing.Target;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One client connection for the pipeline fuzz tests: the pipeline {@link ClientInitializer}
 * builds for an accepted loopback client, on an {@link EmbeddedChannel}, routed DIRECT to
 * scripted upstream connections ({@link ScriptedUpstream}: the connector's real pipeline) that
 * answer every request they can read (a CONNECT's connection is left to carry the tunnel). The
 * client's bytes arrive in two reads (split in the middle), then time passes beyond every
 * timeout. Checked: nothing Gangway forwards is read otherwise by a strict server decoder
 * (request smuggling), the client gets well-formed responses (Gangway's own errors with
 * {@code Proxy-Status}), and by the end the connection is closed and every channel released.
 */
final class FuzzedClientConnection {

    private static final SocketAddress CLIENT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 50123);
    /** Small limits, so that inputs of a few KiB reach the 414 and 431 paths too. */
    private static final GangwayConfig CONFIG = ConfigLoader.load(null, Map.of(), Map.of(
            ConfigKey.ROUTING, new ConfigValue("direct", "fuzz"),
            ConfigKey.MAX_REQUEST_LINE, new ConfigValue("512", "fuzz"),
            ConfigKey.MAX_HEADER_SIZE, new ConfigValue("2048", "fuzz"),
            ConfigKey.MAX_HEADERS, new ConfigValue("32", "fuzz")));
    private static final UpstreamCredentials CREDENTIALS = new UpstreamCredentials();
    private static final Router ROUTER = new Router(RouteSources.create(CONFIG, Map.of(), CREDENTIALS),
            new RouteDatabase(Duration.ofSeconds(30)));
    private static final UpstreamAuthenticator AUTHENTICATOR = new UpstreamAuthenticator(AuthSchemes.discover(),
            CONFIG.engine().account().auth(), CREDENTIALS,
            new CredentialGuard(Duration.ofSeconds(30), Duration.ofMinutes(1), (java.nio.file.Path) null, Duration.ofSeconds(120)), Runnable::run, false);
    /** Bounds the rounds of answering, for pipelined requests that each start an exchange. */
    private static final int ROUNDS = 8;

    private final OnDemandUpstreams upstreams = new OnDemandUpstreams();
    private final EmbeddedChannel client;
    private final List<FullHttpRequest> forwarded = new ArrayList<>();
    private final StringBuilder toClient = new StringBuilder();

    private FuzzedClientConnection() {
        ProxyContext proxy = new ProxyContext(Profile.ENGINE, CONFIG, ROUTER, upstreams, AUTHENTICATOR,
                new AccessLog(false), new ServerStats());
        client = new LoopbackClient(new ClientInitializer(new ContextSlot(proxy)));
    }

    /** Sends {@code bytes} as one client connection and checks how it ends. */
    static void check(byte[] bytes) {
        FuzzedClientConnection connection = new FuzzedClientConnection();
        try {
            connection.exchange(bytes);
            connection.assertOutcome();
        } finally {
            connection.release();
        }
    }

    private void exchange(byte[] bytes) {
        int half = bytes.length / 2;
        client.writeInbound(Unpooled.copiedBuffer(bytes, 0, half));
        settle();
        if (client.isOpen()) { // else the first half was refused
            client.writeInbound(Unpooled.copiedBuffer(bytes, half, bytes.length - half));
            settle();
        }
        answerUpstreams();
        for (int i = 0; i < 3; i++) {
            // an hour passes: every timeout (request head, response, idle) has fired
            client.advanceTimeBy(1, TimeUnit.HOURS);
            client.runScheduledPendingTasks();
            List.copyOf(upstreams.made).forEach(ScriptedUpstream::idle); // a retry adds to the list
            settle();
            answerUpstreams();
        }
    }

    /** Runs what the channels have queued for each other until they are quiet. */
    private void settle() {
        for (int i = 0; i < 4; i++) {
            client.runPendingTasks();
            List.copyOf(upstreams.made).forEach(u -> u.channel().runPendingTasks());
        }
        client.checkException(); // what reached the end of a pipeline unhandled
        upstreams.made.forEach(u -> u.channel().checkException());
        drainClient();
    }

    /** Each upstream answers each request it read (a response with a body, none for HEAD). */
    private void answerUpstreams() {
        for (int round = 0; round < ROUNDS; round++) {
            boolean answered = false;
            for (ScriptedUpstream upstream : List.copyOf(upstreams.made)) {
                if (upstreams.tunnels.contains(upstream)) {
                    continue; // a tunnel's bytes are the client's business, not HTTP
                }
                for (FullHttpRequest request : upstream.received()) {
                    forwarded.add(request);
                    if (upstream.isOpen() && request.decoderResult().isSuccess()) {
                        upstream.reply(request.method().equals(HttpMethod.HEAD)
                                ? "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n"
                                : "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
                        answered = true;
                    }
                }
            }
            settle();
            if (!answered) {
                return;
            }
        }
    }

    private void drainClient() {
        for (Object out; (out = client.readOutbound()) != null; ) {
            if (out instanceof ByteBuf bytes) {
                toClient.append(bytes.toString(StandardCharsets.ISO_8859_1));
            }
            ReferenceCountUtil.release(out);
        }
    }

    private void assertOutcome() {
        for (FullHttpRequest request : forwarded) {
            assertThat(request.decoderResult().isSuccess())
                    .as("a strict server reads what Gangway forwarded: %s\n%s", request.decoderResult(), toClient).isTrue();
        }
        assertThat(client.isOpen()).as("the connection is closed once every timeout has passed").isFalse();
        String sent = toClient.toString();
        if (!sent.isEmpty()) {
            HttpResponse first = firstResponse(sent);
            assertThat(first.decoderResult().isSuccess()).as("a well-formed response:\n%s", sent).isTrue();
            boolean ours = first.headers().contains("Proxy-Status");
            assertThat(ours || first.status().code() == 200).as("the origin's 200 or Gangway's error:\n%s", sent).isTrue();
            if (ours) {
                assertThat(first.headers().get("Proxy-Status")).startsWith("gangway; error=");
                assertThat(first.status().code()).isBetween(400, 599);
            }
        }
    }

    /** The first response the client got, read by a strict client decoder. */
    private static HttpResponse firstResponse(String sent) {
        EmbeddedChannel decoder = new EmbeddedChannel(new HttpResponseDecoder());
        try {
            decoder.writeInbound(Unpooled.copiedBuffer(sent, StandardCharsets.ISO_8859_1));
            Object first = decoder.readInbound();
            assertThat(first).as("a response head:\n%s", sent).isInstanceOf(HttpResponse.class);
            return (HttpResponse) first;
        } finally {
            for (Object msg; (msg = decoder.readInbound()) != null; ) {
                ReferenceCountUtil.release(msg);
            }
            decoder.finishAndReleaseAll();
        }
    }

    private void release() {
        client.close();
        settle();
        client.finishAndReleaseAll();
        upstreams.made.forEach(ScriptedUpstream::finish);
    }

    /** An accepted client connection from loopback, which the allow list admits. */
    private static final class LoopbackClient extends EmbeddedChannel {
        LoopbackClient(ClientInitializer initializer) {
            super(initializer);
        }

        @Override
        protected SocketAddress remoteAddress0() {
            return CLIENT;
        }
    }

    /** A new scripted DIRECT connection for every acquire; what is released goes nowhere. */
    private static final class OnDemandUpstreams implements ConnectionSource {
        final List<ScriptedUpstream> made = new ArrayList<>();
        final List<ScriptedUpstream> tunnels = new ArrayList<>();

        @Override
        public void acquire(EventLoop loop, RoutePlan plan, Target target, Target direct, UpstreamConnector.Use use,
                            ConnectCallback callback) {
            ScriptedUpstream upstream = new ScriptedUpstream(Route.DIRECT, "-");
            made.add(upstream);
            if (use == UpstreamConnector.Use.TUNNEL) {
                tunnels.add(upstream);
            }
            callback.onConnected(upstream.connection());
        }

        @Override
        public void release(UpstreamConnection connection) {
        }
    }
}
