package io.gangway.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.core.config.ConfigKey;
import io.gangway.harness.NegotiateChallenger;
import io.gangway.harness.RawServer;
import io.gangway.harness.RecordingOrigin;
import io.gangway.harness.TestKdc;
import io.gangway.harness.UpstreamProxy;
import io.gangway.pac.PacRouteSource;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The services Gangway leans on go away: a name server that never answers for an upstream's
 * name, a name that does not resolve, a PAC server that stops, a KDC that stops. Each request
 * gets a clear answer in time (or, where the last good state serves, its answer), a second
 * upstream takes over, and nothing stays open.
 */
class DependencyFaultsTest {

    private static final String PASSWORD = "Dep-Fault-Pw1";
    private static final Duration BOUND = Duration.ofSeconds(6);

    private static RecordingOrigin origin;
    private static UpstreamProxy good;
    private final SilentNameServer names = new SilentNameServer("stalled.test");

    @BeforeAll
    static void start() throws IOException {
        origin = new RecordingOrigin(request -> RecordingOrigin.Answer.closing(request.target(), Duration.ZERO));
        good = UpstreamProxy.open();
    }

    @AfterEach
    void releaseLookups() {
        names.close();
    }

    @AfterAll
    static void stop() throws IOException {
        good.close();
        origin.close();
    }

    private static String get(RunningGangway gangway, String path) throws IOException {
        try (RawClient client = new RawClient(gangway.port())) {
            return client.send("GET http://127.0.0.1:" + origin.port() + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Connection: close\r\n\r\n").readToClose();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private RunningGangway.Builder gangway(String... upstreams) {
        RunningGangway.Builder builder = RunningGangway.builder().names(names)
                .with(ConfigKey.CONNECT_TIMEOUT, "1s").with(ConfigKey.RESPONSE_TIMEOUT, "2s")
                .with(ConfigKey.ADMIN, "127.0.0.1:0");
        for (String upstream : upstreams) {
            builder.with(ConfigKey.UPSTREAM, upstream);
        }
        return builder;
    }

    @Test
    void anUpstreamWhoseNameServerNeverAnswersTimesOutAndTheNextTakesOver() throws Exception {
        try (RunningGangway alone = gangway("http://stalled.test:3128").start()) {
            ResourceLevels before = ResourceLevels.of(alone);
            long start = System.nanoTime();
            assertThat(get(alone, "/stalled")).startsWith("HTTP/1.1 504")
                    .contains("Proxy-Status: gangway; error=connection_timeout")
                    .contains("no answer from the name server for stalled.test within 1000 ms (connect-timeout)");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(BOUND);
            before.awaitBaseline(alone, Duration.ofSeconds(5));
        }
    }

    @Test
    void anUpstreamNameServerThatNeverAnswersIsPassedOverForTheNextUpstream() throws Exception {
        try (RunningGangway twoUpstreams = gangway("http://stalled.test:3128", good.url(null)).start()) {
            int before = good.requests();
            assertThat(get(twoUpstreams, "/next")).startsWith("HTTP/1.1 200").endsWith("/next");
            assertThat(good.requests()).isEqualTo(before + 1);
        }
    }

    @Test
    void anUpstreamNameThatDoesNotResolveIsNamedAndPassedOver() throws Exception {
        try (RunningGangway alone = gangway("http://nowhere.invalid:3128").start();
             RunningGangway twoUpstreams = gangway("http://nowhere.invalid:3128", good.url(null)).start()) {
            assertThat(get(alone, "/nowhere")).startsWith("HTTP/1.1 502")
                    .contains("Proxy-Status: gangway; error=destination_unavailable")
                    .contains("PROXY nowhere.invalid:3128: unknown host");
            assertThat(get(twoUpstreams, "/next")).startsWith("HTTP/1.1 200").endsWith("/next");
        }
    }

    /** Serves a PAC that sends everything through the good upstream. */
    private static RawServer pacServer() throws IOException {
        String pac = "function FindProxyForURL(u, h) { return 'PROXY 127.0.0.1:" + good.port() + "'; }";
        return new RawServer((socket, in, out) -> {
            RawServer.readHead(in);
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/x-ns-proxy-autoconfig\r\nContent-Length: "
                    + pac.length() + "\r\nConnection: close\r\n\r\n" + pac).getBytes(StandardCharsets.US_ASCII));
        });
    }

    @Test
    void aPacServerThatGoesAwayLeavesTheLastScriptInUseAndSaysWhy() throws Exception {
        RawServer pacServer = pacServer();
        String url = "http://127.0.0.1:" + pacServer.port() + "/proxy.pac";
        try (RunningGangway gangway = gangway().with(ConfigKey.PAC, url).with(ConfigKey.PAC_REFRESH, "200ms").start()) {
            int before = good.requests();
            assertThat(get(gangway, "/with-pac")).startsWith("HTTP/1.1 200");
            assertThat(good.requests()).isEqualTo(before + 1);

            pacServer.close();
            long deadline = System.nanoTime() + BOUND.toNanos();
            while (pac(gangway).lastError() == null && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(pac(gangway).lastError()).as("the failed refresh is shown").isNotNull().doesNotContain("Exception:");
            assertThat(pac(gangway).loaded()).isTrue();
            assertThat(get(gangway, "/after-pac")).as("the last script still routes").startsWith("HTTP/1.1 200");
            assertThat(good.requests()).isEqualTo(before + 2);
        }
    }

    @Test
    void withoutAPacServerAndPacFallbackFailTheRequestIsRefusedClearly() throws Exception {
        String url = "http://127.0.0.1:" + freePort() + "/proxy.pac";
        try (RunningGangway gangway = gangway().with(ConfigKey.PAC, url).with(ConfigKey.PAC_FALLBACK, "fail").start()) {
            long start = System.nanoTime();
            String answer = get(gangway, "/no-pac");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(BOUND);
            assertThat(answer).startsWith("HTTP/1.1 502").contains("Proxy-Status: gangway; error=proxy_configuration_error")
                    .contains("no PAC from " + url);
        }
    }

    private static PacRouteSource.Status pac(RunningGangway gangway) {
        return gangway.server().status().profiles().get(0).pac();
    }

    private RunningGangway negotiating(UpstreamProxy upstream, String user) throws InterruptedException {
        return gangway("http://localhost:" + upstream.port()) // the ticket is for HTTP/localhost
                .with(ConfigKey.USER, user).with(ConfigKey.DOMAIN, TestKdc.REALM).env("GANGWAY_PASSWORD", PASSWORD).start();
    }

    @Test
    void aKdcThatGoesAwayLeavesLoginsDoneGoingAndIsNamedWhenALoginNeedsIt(@TempDir Path dir) throws Exception {
        TestKdc kdc = new TestKdc(dir, 3600);
        kdc.createUser("carol", PASSWORD);
        kdc.createUser("alice", PASSWORD);
        NegotiateChallenger negotiate = new NegotiateChallenger("HTTP/localhost@" + TestKdc.REALM,
                kdc.serviceKeytab("HTTP/localhost"));
        try (UpstreamProxy upstream = UpstreamProxy.challenging(negotiate);
             RunningGangway loggedIn = negotiating(upstream, "carol");
             RunningGangway notYet = negotiating(upstream, "alice")) {
            assertThat(get(loggedIn, "/before")).startsWith("HTTP/1.1 200");
            kdc.close();
            assertThat(get(loggedIn, "/after")).as("its tickets were had before").startsWith("HTTP/1.1 200");

            ResourceLevels before = ResourceLevels.of(notYet);
            for (int i = 0; i < 2; i++) {
                long start = System.nanoTime();
                String answer = get(notYet, "/kdc-gone");
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(BOUND);
                assertThat(answer).startsWith("HTTP/1.1 502").contains("Proxy-Status: gangway; error=proxy_configuration_error")
                        .contains("no Kerberos ticket for alice@" + TestKdc.REALM + " (password): the KDC of its realm could "
                                + "not be reached")
                        // no failed login was counted: nothing to back off from, and the next request tries again
                        .doesNotContain("not tried again").doesNotContain("run kinit").doesNotContain(PASSWORD);
            }
            before.awaitBaseline(notYet, Duration.ofSeconds(5));
        }
    }

    @Test
    void aKdcThatNeverAnswersIsBoundedByTheResponseTimeoutAndNamed(@TempDir Path dir) throws Exception {
        // the JDK waits kdc_timeout (30 s) max_retries (3) times for a silent KDC; the request does not
        TestKdc kdc = new TestKdc(dir, 3600);
        NegotiateChallenger negotiate = new NegotiateChallenger("HTTP/localhost@" + TestKdc.REALM,
                kdc.serviceKeytab("HTTP/localhost"));
        kdc.close();
        try (RawServer silentKdc = new RawServer(io.gangway.harness.Faults.neverAnswering());
             UpstreamProxy upstream = UpstreamProxy.challenging(negotiate);
             RunningGangway gangway = negotiating(upstream, "dave")) {
            // the realm's KDC is now one that accepts and never answers (logins read krb5.conf afresh)
            java.nio.file.Files.writeString(java.nio.file.Path.of(System.getProperty("java.security.krb5.conf")),
                    "[libdefaults]\n  default_realm = " + TestKdc.REALM + "\n  udp_preference_limit = 1\n"
                            + "[realms]\n  " + TestKdc.REALM + " = {\n    kdc = 127.0.0.1:" + silentKdc.port() + "\n  }\n");
            long start = System.nanoTime();
            String answer = get(gangway, "/kdc-silent");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(BOUND);
            assertThat(answer).startsWith("HTTP/1.1 504").contains("Proxy-Status: gangway; error=http_response_timeout")
                    .contains("no Proxy-Authorization for PROXY localhost:" + upstream.port() + " could be made within 2s "
                            + "(response-timeout): a Kerberos login may be waiting for a KDC that does not answer");
        }
    }
}
