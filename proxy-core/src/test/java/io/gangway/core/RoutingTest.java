package io.gangway.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.gangway.core.config.ConfigKey;
import io.gangway.harness.ProxiedClients;
import io.gangway.harness.UpstreamProxy;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Route plans end to end: failover between upstreams, DIRECT fallback, no-proxy, environment, desktop settings. */
class RoutingTest {

    @RegisterExtension
    static final OriginFixture origin = new OriginFixture("ok");



    /** A port with nothing listening on it (connections are refused). */
    private static int deadPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void failsOverFromADeadUpstreamToALiveOne() throws Exception {
        int dead = deadPort();
        try (AccessLogCapture logs = new AccessLogCapture();
             UpstreamProxy live = UpstreamProxy.open();
             RunningGangway gangway = RunningGangway.builder()
                     .with(ConfigKey.UPSTREAM, "http://127.0.0.1:" + dead)
                     .with(ConfigKey.UPSTREAM, live.url(null)).start();
             CloseableHttpClient client = ProxiedClients.apache(gangway.port())) {
            for (int i = 0; i < 3; i++) {
                assertThat(ProxiedClients.text(client, new HttpGet(origin.http("/failover")))).isEqualTo("ok");
                assertThat(ProxiedClients.text(client, new HttpGet(origin.https("/failover")))).isEqualTo("ok");
            }
            assertThat(live.requests()).isEqualTo(3 + 1); // three requests, one tunnel (logged when it closes)
            assertThat(logs.awaitAccessLines("GET http://127.0.0.1:" + origin.get().httpPort() + "/failover", 3)).hasSize(3).allSatisfy(l -> assertThat(l).contains("route=PROXY/127.0.0.1:" + live.port()));
        }
    }

    @Test
    void fallsBackToDirectOnlyWhenAllowed() throws Exception {
        int dead = deadPort();
        try (RunningGangway strict = RunningGangway.builder().with(ConfigKey.UPSTREAM, "http://127.0.0.1:" + dead).start();
             RunningGangway lenient = RunningGangway.builder().with(ConfigKey.UPSTREAM, "http://127.0.0.1:" + dead)
                     .with(ConfigKey.DIRECT_FALLBACK, "true").start()) {
            try (CloseableHttpClient client = ProxiedClients.apache(strict.port())) {
                String answer = client.execute(new HttpGet(origin.http("/strict")),
                        r -> r.getCode() + " " + EntityUtils.toString(r.getEntity()));
                assertThat(answer).startsWith("502").contains("PROXY 127.0.0.1:" + dead + ": connection refused");
            }
            try (CloseableHttpClient client = ProxiedClients.apache(lenient.port())) {
                assertThat(ProxiedClients.text(client, new HttpGet(origin.http("/lenient")))).isEqualTo("ok");
                assertThat(ProxiedClients.text(client, new HttpGet(origin.https("/lenient")))).isEqualTo("ok");
            }
        }
    }

    @Test
    void everyRouteFailingListsEachReason() throws Exception {
        int dead1 = deadPort();
        int dead2 = deadPort();
        try (AccessLogCapture logs = new AccessLogCapture();
             RunningGangway gangway = RunningGangway.builder()
                .with(ConfigKey.UPSTREAM, "http://127.0.0.1:" + dead1)
                .with(ConfigKey.UPSTREAM, "http://127.0.0.1:" + dead2).start();
             CloseableHttpClient client = ProxiedClients.apache(gangway.port())) {
            String answer = client.execute(new HttpGet(origin.http("/x")),
                    r -> r.getCode() + " " + EntityUtils.toString(r.getEntity()));
            assertThat(answer).startsWith("502")
                    .contains("PROXY 127.0.0.1:" + dead1 + ": connection refused")
                    .contains("PROXY 127.0.0.1:" + dead2 + ": connection refused");
            // the plan that failed, as one word: the line splits on spaces
            assertThat(logs.awaitAccessLines("/x", 1).get(0)).contains(" route=PROXY/127.0.0.1:" + dead1
                    + ",PROXY/127.0.0.1:" + dead2 + " auth=- status=502 ");
        }
    }

    @Test
    void noProxyRulesGoDirect() throws Exception {
        try (UpstreamProxy upstream = UpstreamProxy.open();
             RunningGangway gangway = RunningGangway.builder()
                     .with(ConfigKey.UPSTREAM, upstream.url(null))
                     .with(ConfigKey.NO_PROXY, "localhost,.internal.example").start();
             CloseableHttpClient client = ProxiedClients.apache(gangway.port())) {
            assertThat(ProxiedClients.text(client, new HttpGet(origin.get().httpLocalhost("/bypass")))).isEqualTo("ok");
            assertThat(upstream.requests()).isZero();
            assertThat(ProxiedClients.text(client, new HttpGet(origin.http("/proxied")))).isEqualTo("ok");
            assertThat(upstream.requests()).isEqualTo(1);
        }
    }

    @Test
    void systemRoutingReadsTheEnvironment() throws Exception {
        try (UpstreamProxy upstream = UpstreamProxy.basic("envuser", "Env-Pass-2026");
             RunningGangway gangway = RunningGangway.builder()
                     .env("http_proxy", "http://envuser:Env-Pass-2026@127.0.0.1:" + upstream.port())
                     .env("HTTPS_PROXY", "http://envuser:Env-Pass-2026@127.0.0.1:" + upstream.port())
                     .env("NO_PROXY", "localhost").start();
             CloseableHttpClient client = ProxiedClients.apache(gangway.port())) {
            assertThat(ProxiedClients.text(client, new HttpGet(origin.http("/env")))).isEqualTo("ok");
            assertThat(ProxiedClients.text(client, new HttpGet(origin.https("/env")))).isEqualTo("ok");
            int throughUpstream = upstream.requests();
            assertThat(ProxiedClients.text(client, new HttpGet(origin.get().httpLocalhost("/env-bypass")))).isEqualTo("ok");
            assertThat(upstream.requests()).isEqualTo(throughUpstream);
            assertThat(upstream.loginsAccepted()).isGreaterThanOrEqualTo(2);
            assertThat(upstream.loginsRejected()).isZero();
        }
    }

    @Test
    void anEnvironmentProxyPointingAtGangwayItselfIsIgnored() throws Exception {
        // HTTP_PROXY=http://127.0.0.1:3128 in the shell that starts Gangway on 127.0.0.1:3128
        // would make it proxy to itself forever.
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (RunningGangway gangway = RunningGangway.builder()
                .with(ConfigKey.LISTEN, "127.0.0.1:" + port)
                .env("HTTP_PROXY", "http://127.0.0.1:" + port).start();
             CloseableHttpClient client = ProxiedClients.apache(gangway.port())) {
            assertThat(ProxiedClients.text(client, new HttpGet(origin.http("/self")))).isEqualTo("ok");
            assertThat(gangway.stats().requests()).isEqualTo(1);
        }
    }

    @Test
    void systemRoutingUsesTheDesktopSettingsWhenTheEnvironmentNamesNoProxy(@TempDir Path home) throws Exception {
        Map<String, String> env = Map.of("HOME", home.toString(), "XDG_CONFIG_HOME", home.resolve(".config").toString(),
                "GSETTINGS_BACKEND", "keyfile", "XDG_CURRENT_DESKTOP", "GNOME", "PATH", System.getenv("PATH"));
        assumeTrue(gsettings(env, "--version"), "gsettings is installed by .ci/run");
        try (UpstreamProxy upstream = UpstreamProxy.open()) {
            assertThat(gsettings(env, "set", "org.gnome.system.proxy.http", "host", "127.0.0.1")).isTrue();
            assertThat(gsettings(env, "set", "org.gnome.system.proxy.http", "port", String.valueOf(upstream.port()))).isTrue();
            assertThat(gsettings(env, "set", "org.gnome.system.proxy", "ignore-hosts", "['localhost']")).isTrue();
            assertThat(gsettings(env, "set", "org.gnome.system.proxy", "mode", "manual")).isTrue();
            RunningGangway.Builder builder = RunningGangway.builder();
            env.forEach(builder::env);
            try (RunningGangway gangway = builder.start();
                 CloseableHttpClient client = ProxiedClients.apache(gangway.port())) {
                assertThat(ProxiedClients.text(client, new HttpGet(origin.http("/gnome")))).isEqualTo("ok");
                assertThat(upstream.requests()).isEqualTo(1);
                assertThat(ProxiedClients.text(client, new HttpGet(origin.get().httpLocalhost("/gnome-bypass")))).isEqualTo("ok");
                assertThat(ProxiedClients.text(client, new HttpGet(origin.https("/gnome-https")))).isEqualTo("ok");
                assertThat(upstream.requests()).isEqualTo(1); // no https proxy set in GNOME: DIRECT
            }
        }
    }

    /**
     * The shell that starts Gangway has 'gangway env' applied (HTTP_PROXY names Gangway): the OS
     * settings still apply; and a desktop proxy set to Gangway itself is not followed either.
     */
    @Test
    void aSelfPointingEnvironmentFallsThroughToTheDesktopSettings(@TempDir Path home) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Map<String, String> env = new java.util.HashMap<>(Map.of("HOME", home.toString(), "XDG_CONFIG_HOME",
                home.resolve(".config").toString(), "GSETTINGS_BACKEND", "keyfile", "XDG_CURRENT_DESKTOP", "GNOME",
                "PATH", System.getenv("PATH")));
        assumeTrue(gsettings(env, "--version"), "gsettings is installed by .ci/run");
        try (UpstreamProxy upstream = UpstreamProxy.open()) {
            assertThat(gsettings(env, "set", "org.gnome.system.proxy.http", "host", "127.0.0.1")).isTrue();
            assertThat(gsettings(env, "set", "org.gnome.system.proxy.http", "port", String.valueOf(upstream.port()))).isTrue();
            assertThat(gsettings(env, "set", "org.gnome.system.proxy", "ignore-hosts", "['localhost']")).isTrue();
            assertThat(gsettings(env, "set", "org.gnome.system.proxy", "mode", "manual")).isTrue();
            env.put("HTTP_PROXY", "http://127.0.0.1:" + port);
            env.put("http_proxy", "http://127.0.0.1:" + port);
            RunningGangway.Builder builder = RunningGangway.builder().with(ConfigKey.LISTEN, "127.0.0.1:" + port);
            env.forEach(builder::env);
            try (RunningGangway gangway = builder.start();
                 CloseableHttpClient client = ProxiedClients.apache(gangway.port())) {
                assertThat(ProxiedClients.text(client, new HttpGet(origin.http("/via-gnome")))).isEqualTo("ok");
                assertThat(upstream.requests()).as("GNOME's proxy, not the environment's").isEqualTo(1);
            }

            assertThat(gsettings(env, "set", "org.gnome.system.proxy.http", "port", String.valueOf(port))).isTrue();
            RunningGangway.Builder selfDesktop = RunningGangway.builder().with(ConfigKey.LISTEN, "127.0.0.1:" + port);
            env.forEach(selfDesktop::env);
            try (RunningGangway gangway = selfDesktop.start();
                 CloseableHttpClient client = ProxiedClients.apache(gangway.port())) {
                assertThat(ProxiedClients.text(client, new HttpGet(origin.http("/self-desktop")))).isEqualTo("ok");
                assertThat(gangway.stats().requests()).as("DIRECT, not a loop through itself").isEqualTo(1);
                assertThat(upstream.requests()).isEqualTo(1);
            }
        }
    }

    private static boolean gsettings(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("gsettings"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        try {
            Process p = builder.start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
