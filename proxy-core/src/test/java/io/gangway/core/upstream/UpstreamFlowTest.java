package io.gangway.core.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.auth.AuthRequest;
import io.gangway.auth.AuthSchemes;
import io.gangway.core.config.GangwayConfig;
import io.gangway.core.routing.UpstreamCredentials;
import io.gangway.harness.BasicChallenger;
import io.gangway.harness.Challenger;
import io.gangway.harness.NtlmChallenger;
import io.gangway.routing.ProxyUrl;
import io.gangway.routing.Route;
import io.gangway.routing.RoutePlan;
import io.gangway.routing.Target;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import io.gangway.core.LeakWatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The phases of {@link UpstreamFlow}, one step at a time: scripted upstream connections on
 * Netty's {@code EmbeddedChannel} (the real HTTP client codec and upstream handler), the real
 * authenticator with the real schemes, and the challengers of the test harness answering as a
 * proxy would.
 */
class UpstreamFlowTest {

    private static final ProxyUrl PROXY = ProxyUrl.parse("http://CORP%5Calice:Flow-Secret-2026@proxy.test:3128");
    private static final Route ROUTE = PROXY.route();
    private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

    private final ScriptedSource source = new ScriptedSource();
    private final List<ScriptedUpstream> made = new ArrayList<>();
    private final CredentialGuard guard = new CredentialGuard(Duration.ofMinutes(1), Duration.ofMinutes(10), (java.nio.file.Path) null, Duration.ofSeconds(120));
    private final UpstreamAuthenticator authenticator = authenticator(List.of("ntlm", "basic"));
    private final FakeRequest request = new FakeRequest();

    private UpstreamAuthenticator authenticator(List<String> preference) {
        UpstreamCredentials credentials = new UpstreamCredentials();
        credentials.register(PROXY, GangwayConfig.defaults().engine().account());
        return new UpstreamAuthenticator(AuthSchemes.discover(), preference, credentials, guard, Runnable::run, false);
    }


    @AfterEach
    void finish() {
        made.forEach(ScriptedUpstream::finish);
    }

    private ScriptedUpstream upstream() {
        ScriptedUpstream u = new ScriptedUpstream(ROUTE, "CORP\\alice");
        made.add(u);
        source.offer(u);
        return u;
    }

    private UpstreamFlow start(ScriptedUpstream first) {
        UpstreamFlow flow = new UpstreamFlow(source, authenticator, first.channel().eventLoop(),
                new RoutePlan(List.of(ROUTE)), request, 1024, 60);
        request.flow = flow;
        flow.start();
        return flow;
    }

    /** Plays one round of a challenging proxy: checks the request, answers 407 or lets it through. */
    private FullHttpRequest serve(ScriptedUpstream upstream, Challenger challenger, Challenger.ConnectionState state,
                                         String passAnswer) {
        FullHttpRequest sent = upstream.received().get(0);
        Challenger.Verdict verdict = challenger.check(sent, state);
        if (verdict instanceof Challenger.Challenge c) {
            StringBuilder answer = new StringBuilder("HTTP/1.1 407 Proxy Authentication Required\r\n");
            c.proxyAuthenticate().forEach(v -> answer.append("Proxy-Authenticate: ").append(v).append("\r\n"));
            upstream.reply(answer.append("Content-Length: 4\r\n\r\nnope").toString());
        } else {
            upstream.reply(passAnswer);
        }
        return sent;
    }

    @AfterAll
    static void noLeaks() {
        LeakWatch.assertNoLeaks();
    }

    @Test
    void aBasicChallengeIsAnsweredOnTheSameConnectionThenSentPreemptively() {
        ScriptedUpstream up = upstream();
        BasicChallenger basic = new BasicChallenger("CORP\\alice", "Flow-Secret-2026");
        Challenger.ConnectionState state = new Challenger.ConnectionState();
        UpstreamFlow flow = start(up);
        assertThat(flow.phase()).isEqualTo(FlowPhase.SENT);
        FullHttpRequest first = serve(up, basic, state, "");
        assertThat(first.headers().contains("Proxy-Authorization")).isFalse();
        assertThat(flow.phase()).as("answered at once, on the same connection").isEqualTo(FlowPhase.SENT);
        FullHttpRequest second = serve(up, basic, state, OK);
        assertThat(second.headers().get("Proxy-Authorization")).startsWith("Basic ");
        assertThat(flow.phase()).isEqualTo(FlowPhase.HANDED_OVER);
        assertThat(request.response.status().code()).isEqualTo(200);
        assertThat(request.writes).containsExactly("none", "Basic");
        assertThat(source.uses()).containsExactly(UpstreamConnector.Use.REQUEST);

        // The next request on a new connection carries Basic at once.
        FakeRequest next = new FakeRequest();
        ScriptedUpstream up2 = upstream();
        UpstreamFlow flow2 = new UpstreamFlow(source, authenticator, up2.channel().eventLoop(),
                new RoutePlan(List.of(ROUTE)), next, 1024, 60);
        next.flow = flow2;
        flow2.start();
        assertThat(serve(up2, basic, new Challenger.ConnectionState(), OK).headers().get("Proxy-Authorization"))
                .startsWith("Basic ");
        assertThat(next.response.status().code()).isEqualTo(200);
    }

    @Test
    void aRequestWithABodyWaitsForAnNtlmProbeToAuthenticateTheConnection() {
        request.method = HttpMethod.POST;
        request.body = "0123456789";
        ScriptedUpstream up = upstream();
        NtlmChallenger ntlm = new NtlmChallenger("alice", "Flow-Secret-2026");
        Challenger.ConnectionState state = new Challenger.ConnectionState();
        UpstreamFlow flow = start(up);
        // Unknown scheme: the body would be refused with the 407, so a body-less probe goes first.
        assertThat(flow.phase()).isEqualTo(FlowPhase.PROBING);
        assertThat(flow.streamsBody()).isFalse();
        FullHttpRequest probe = serve(up, ntlm, state, "");
        assertThat(probe.method()).isEqualTo(HttpMethod.OPTIONS);
        assertThat(flow.phase()).isEqualTo(FlowPhase.PROBING); // answered with NTLM Type 1 now
        FullHttpRequest type1 = serve(up, ntlm, state, "");
        assertThat(type1.method()).isEqualTo(HttpMethod.OPTIONS);
        assertThat(type1.headers().get("Proxy-Authorization")).startsWith("NTLM ");
        FullHttpRequest type3 = serve(up, ntlm, state, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        assertThat(type3.method()).isEqualTo(HttpMethod.OPTIONS);
        assertThat(ntlm.accepted()).isEqualTo(1);
        // Authenticated: the request and its body go without any header, on the same connection.
        assertThat(flow.phase()).isEqualTo(FlowPhase.SENT);
        assertThat(flow.streamsBody()).isTrue();
        FullHttpRequest post = serve(up, ntlm, state, OK);
        assertThat(post.method()).isEqualTo(HttpMethod.POST);
        assertThat(post.content().toString(StandardCharsets.US_ASCII)).isEqualTo("0123456789");
        assertThat(post.headers().contains("Proxy-Authorization")).isFalse();
        assertThat(request.response.status().code()).isEqualTo(200);
        assertThat(source.uses()).hasSize(1);
    }

    @Test
    void aChallengeWithConnectionCloseIsAnsweredOnANewConnection() {
        ScriptedUpstream up = upstream();
        ScriptedUpstream second = upstream();
        UpstreamFlow flow = start(up);
        up.received();
        up.reply("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"corp\"\r\n"
                + "Connection: close\r\nContent-Length: 0\r\n\r\n");
        assertThat(up.isOpen()).isFalse();
        assertThat(source.uses()).containsExactly(UpstreamConnector.Use.REQUEST, UpstreamConnector.Use.REQUEST);
        assertThat(serve(second, new BasicChallenger("CORP\\alice", "Flow-Secret-2026"), new Challenger.ConnectionState(), OK)
                .headers().get("Proxy-Authorization")).startsWith("Basic ");
        assertThat(flow.phase()).isEqualTo(FlowPhase.HANDED_OVER);
    }

    @Test
    void aReusedConnectionClosedBeforeAnAnswerIsRetriedForAGetOnly() {
        ScriptedUpstream pooled = upstream().reused();
        ScriptedUpstream fresh = upstream();
        UpstreamFlow flow = start(pooled);
        pooled.received();
        pooled.close();
        assertThat(source.uses()).containsExactly(UpstreamConnector.Use.REQUEST, UpstreamConnector.Use.RETRY);
        fresh.received();
        fresh.reply(OK);
        assertThat(flow.phase()).isEqualTo(FlowPhase.HANDED_OVER);
    }

    @Test
    void aPostOnAReusedConnectionClosedBeforeAnAnswerIsNotSentAgain() {
        request.method = HttpMethod.POST;
        request.idempotent = false;
        request.body = "data";
        ScriptedUpstream pooled = upstream().reused();
        authenticator.accepted(pooled.connection()); // this upstream never asked for authentication
        UpstreamFlow flow = new UpstreamFlow(source, authenticator, pooled.channel().eventLoop(),
                new RoutePlan(List.of(ROUTE)), request, 1024, 60);
        flow.start();
        assertThat(flow.phase()).isEqualTo(FlowPhase.SENT);
        pooled.received();
        pooled.close();
        assertThat(source.uses()).containsExactly(UpstreamConnector.Use.REQUEST);
        assertThat(request.failure.kind()).isEqualTo(UpstreamFailure.Kind.CLOSED);
        assertThat(request.failure.message()).contains("not sent again", "RFC 9110 9.2.2");
    }

    @Test
    void aFreshConnectionClosedBeforeAnAnswerFailsAtOnce() {
        ScriptedUpstream fresh = upstream();
        start(fresh);
        fresh.close();
        assertThat(request.failure.kind()).isEqualTo(UpstreamFailure.Kind.CLOSED);
        assertThat(request.failure.message()).endsWith("closed the connection before answering");
        assertThat(source.uses()).hasSize(1);
    }

    @Test
    void aChallengeBeforeTheBodyIsCompleteMovesTheRequestToANewConnection() {
        request.method = HttpMethod.PUT;
        request.body = "0123456789";
        request.complete = false; // the client is still sending
        authenticator.accepted(upstream().connection()); // no challenge expected: no probe
        ScriptedUpstream up = made.get(0);
        ScriptedUpstream second = upstream();
        UpstreamFlow flow = start(up);
        assertThat(flow.phase()).isEqualTo(FlowPhase.SENT);
        up.received(); // the head, and the part of the body sent so far
        up.reply("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"corp\"\r\n"
                + "Content-Length: 0\r\n\r\n");
        assertThat(up.isOpen()).as("no more body on the challenged connection").isFalse();
        assertThat(source.uses()).hasSize(2);
        assertThat(flow.connection()).isSameAs(second.connection());
        assertThat(flow.streamsBody()).as("the rest of the body goes to the new connection").isTrue();
        // What the exchange does next: the rest of the body, as it arrives, to the new connection.
        second.channel().writeAndFlush(new DefaultLastHttpContent(Unpooled.copiedBuffer("56789", StandardCharsets.US_ASCII)));
        FullHttpRequest replayed = serve(second, new BasicChallenger("CORP\\alice", "Flow-Secret-2026"), new Challenger.ConnectionState(), OK);
        assertThat(replayed.content().toString(StandardCharsets.US_ASCII)).isEqualTo("0123456789");
        assertThat(request.response.status().code()).isEqualTo(200);
    }

    @Test
    void aChallengeToABodyThatWasNotKeptFailsClearly() {
        request.method = HttpMethod.POST;
        request.body = "0123456789";
        ScriptedUpstream up = upstream();
        authenticator.accepted(up.connection());
        start(up);
        request.replayable = false; // more than replay-buffer went out
        up.received();
        up.reply("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"corp\"\r\n"
                + "Content-Length: 0\r\n\r\n");
        assertThat(request.failure.kind()).isEqualTo(UpstreamFailure.Kind.NOT_REPLAYABLE);
        assertThat(request.failure.message()).contains("replay-buffer is 1024 bytes");
        // The answer was made before that was found: the scheme is learned all the same.
        FakeRequest next = new FakeRequest();
        ScriptedUpstream up2 = upstream();
        new UpstreamFlow(source, authenticator, up2.channel().eventLoop(), new RoutePlan(List.of(ROUTE)), next, 1024, 60)
                .start();
        assertThat(up2.received()).singleElement()
                .satisfies(r -> assertThat(r.headers().get("Proxy-Authorization")).as("learned").startsWith("Basic "));
    }

    /** Runs {@link #request} against a proxy that rejects alice's password: her account is then blocked. */
    private void rejectAlicesPassword(ScriptedUpstream up) {
        BasicChallenger wrong = new BasicChallenger("CORP\\alice", "Another-Pa55-2026");
        Challenger.ConnectionState state = new Challenger.ConnectionState();
        start(up);
        serve(up, wrong, state, OK);
        serve(up, wrong, state, OK);
        assertThat(request.failure.kind()).isEqualTo(UpstreamFailure.Kind.AUTHENTICATION);
    }

    @Test
    void aRejectedPasswordFailsAndBlocksTheAccount() {
        ScriptedUpstream up = upstream();
        rejectAlicesPassword(up);
        assertThat(request.failure.message()).contains("rejected the Basic credentials of user 'CORP\\alice'")
                .doesNotContain("Flow-Secret-2026");
        assertThat(up.isOpen()).isFalse();

        FakeRequest next = new FakeRequest();
        ScriptedUpstream up2 = upstream();
        UpstreamFlow flow2 = new UpstreamFlow(source, authenticator, up2.channel().eventLoop(),
                new RoutePlan(List.of(ROUTE)), next, 1024, 60);
        flow2.start();
        assertThat(up2.received()).singleElement()
                .satisfies(r -> assertThat(r.headers().contains("Proxy-Authorization")).as("blocked: no token").isFalse());
        up2.reply("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"corp\"\r\n"
                + "Content-Length: 0\r\n\r\n");
        assertThat(next.failure.message()).contains("will not send them again until");
    }

    @Test
    void anUpstreamThatKeepsChallengingIsGivenUpOnAfterFourRounds() {
        ScriptedUpstream up = upstream();
        UpstreamFlow flow = new UpstreamFlow(source, authenticator(List.of("digest")), up.channel().eventLoop(),
                new RoutePlan(List.of(ROUTE)), request, 1024, 60);
        flow.start();
        int rounds = 0;
        while (request.failure == null && rounds < 10) {
            up.received();
            // "stale": a fresh nonce each time, which a client must answer: a proxy that loops
            up.reply("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Digest realm=\"corp\", "
                    + "nonce=\"n" + rounds++ + "\", qop=\"auth\", stale=true\r\nContent-Length: 0\r\n\r\n");
        }
        assertThat(rounds).isEqualTo(5);
        assertThat(request.failure.kind()).isEqualTo(UpstreamFailure.Kind.AUTHENTICATION);
        // counted as a rejection: an upstream that never accepts must not be fed the password forever
        assertThat(request.failure.message()).contains("rejected the Digest credentials of user 'CORP\\alice'");
    }

    @Test
    void silenceAndGarbageFailWithTheirOwnKinds() {
        ScriptedUpstream silent = upstream();
        start(silent);
        silent.idle();
        assertThat(request.failure.kind()).isEqualTo(UpstreamFailure.Kind.RESPONSE_TIMEOUT);
        assertThat(request.failure.message()).contains("sent nothing for 60s (response-timeout)");

        FakeRequest other = new FakeRequest();
        ScriptedUpstream garbage = upstream();
        UpstreamFlow flow = new UpstreamFlow(source, authenticator, garbage.channel().eventLoop(),
                new RoutePlan(List.of(ROUTE)), other, 1024, 60);
        flow.start();
        garbage.reply("SSH-2.0-OpenSSH_9.2\r\n\r\n");
        assertThat(other.failure.kind()).isEqualTo(UpstreamFailure.Kind.PROTOCOL);
        assertThat(flow.phase()).isEqualTo(FlowPhase.FAILED);
    }

    @Test
    void anAbortedFlowClosesItsConnectionAndIgnoresWhatFollows() {
        ScriptedUpstream up = upstream();
        UpstreamFlow flow = start(up);
        flow.abort();
        assertThat(up.isOpen()).isFalse();
        assertThat(flow.phase()).isEqualTo(FlowPhase.FAILED);
        assertThat(request.failure).isNull();
        assertThat(request.response).isNull();
    }

    @Test
    void everyRouteFailingIsReported() {
        UpstreamFlow flow = new UpstreamFlow(source, authenticator, new io.netty.channel.embedded.EmbeddedChannel().eventLoop(),
                new RoutePlan(List.of(ROUTE)), request, 1024, 60);
        flow.start();
        assertThat(request.failure.kind()).isEqualTo(UpstreamFailure.Kind.UNREACHABLE);
        assertThat(request.failure.message()).contains("connection refused");
    }

    @Test
    void aProbeAnsweredWithoutAChallengeIsNotSentAgain() {
        // The scheme is known but no token can be made (the account is blocked after a
        // rejection): a request with a body is probed first; the proxy lets the probe through,
        // and the request itself goes next, once (it used to probe again and again).
        rejectAlicesPassword(upstream());

        FakeRequest post = new FakeRequest();
        post.method = HttpMethod.POST;
        post.body = "hello";
        post.idempotent = false;
        ScriptedUpstream up = upstream();
        UpstreamFlow flow = new UpstreamFlow(source, authenticator, up.channel().eventLoop(),
                new RoutePlan(List.of(ROUTE)), post, 1024, 60);
        flow.start();
        assertThat(flow.phase()).isEqualTo(FlowPhase.PROBING);
        assertThat(up.received()).singleElement().satisfies(r -> assertThat(r.method()).isEqualTo(HttpMethod.OPTIONS));
        up.reply("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        assertThat(flow.phase()).isEqualTo(FlowPhase.SENT);
        assertThat(up.received()).singleElement().satisfies(r -> assertThat(r.method()).isEqualTo(HttpMethod.POST));
        assertThat(post.writes).containsExactly("none");
    }

    @Test
    void credentialsLeftUnansweredByAClosedConnectionAreNotSentAgainAndCountAsARejection() {
        // A 407 with keep-alive is answered on the same connection, and the proxy closes it
        // instead of answering: it may have counted a failed login, so the password is not sent
        // again (not on a new connection, not by the next request until the back-off ends).
        ScriptedUpstream up = upstream();
        ScriptedUpstream spare = upstream();
        UpstreamFlow flow = start(up);
        up.received();
        up.reply("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"corp\"\r\n"
                + "Content-Length: 0\r\n\r\n");
        assertThat(flow.phase()).isEqualTo(FlowPhase.SENT);
        assertThat(up.received()).singleElement()
                .satisfies(r -> assertThat(r.headers().get("Proxy-Authorization")).startsWith("Basic "));
        up.close();
        assertThat(source.uses()).containsExactly(UpstreamConnector.Use.REQUEST);
        assertThat(spare.received()).isEmpty();
        assertThat(request.failure.kind()).isEqualTo(UpstreamFailure.Kind.CLOSED);
        assertThat(request.failure.message()).contains("after receiving the credentials", "not sent again");
        assertThat(guard.backOffs()).singleElement().satisfies(b -> assertThat(b.scheme()).isEqualTo("Basic"));
    }

    /** The exchange's side, as a plain request would play it. */
    static final class FakeRequest implements UpstreamRequest {
        HttpMethod method = HttpMethod.GET;
        String body = "";
        boolean complete = true;
        boolean replayable = true;
        boolean idempotent = true;
        final List<String> writes = new ArrayList<>();
        HttpResponse response;
        UpstreamFailure failure;
        UpstreamFlow flow;

        @Override
        public Target target() {
            return new Target("http", "origin.test", 80, "/x");
        }

        @Override
        public boolean isTunnel() {
            return false;
        }

        @Override
        public AuthRequest authRequest() {
            return new AuthRequest(method.name(), "http://origin.test/x");
        }

        @Override
        public boolean hasBody() {
            return !body.isEmpty();
        }

        @Override
        public boolean bodyComplete() {
            return complete;
        }

        @Override
        public boolean idempotent() {
            return idempotent;
        }

        @Override
        public boolean replayable() {
            return replayable;
        }

        @Override
        public void write(UpstreamConnection connection, String authorization, boolean keepCopies) {
            writes.add(authorization == null ? "none" : authorization.split(" ")[0]);
            HttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, method, "http://origin.test/x");
            head.headers().set("Host", "origin.test");
            if (!body.isEmpty()) {
                head.headers().set("Content-Length", body.length());
            }
            if (authorization != null) {
                head.headers().set("Proxy-Authorization", authorization);
            }
            connection.channel().write(head);
            byte[] bytes = body.getBytes(StandardCharsets.US_ASCII);
            if (complete) {
                connection.channel().write(new DefaultLastHttpContent(Unpooled.wrappedBuffer(bytes)));
            } else {
                connection.channel().write(new DefaultHttpContent(Unpooled.wrappedBuffer(bytes, 0, bytes.length / 2)));
            }
            connection.channel().flush();
        }

        @Override
        public HttpRequest probe() {
            FullHttpRequest probe = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.OPTIONS, "http://origin.test/x");
            probe.headers().set("Host", "origin.test").set("Content-Length", 0);
            return probe;
        }

        @Override
        public void onInformational(HttpResponse head) {
        }

        @Override
        public void onResponse(UpstreamConnection connection, HttpResponse head) {
            response = head;
            connection.close(); // the exchange's business from here; nothing more to test
        }

        @Override
        public void onTunnel(UpstreamConnection connection) {
            throw new AssertionError("not a tunnel");
        }

        @Override
        public void onUpstreamWritabilityChanged() {
        }

        @Override
        public void onFailure(UpstreamFailure f) {
            failure = f;
        }
    }
}
