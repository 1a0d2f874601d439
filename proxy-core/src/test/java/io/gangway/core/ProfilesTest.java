package io.gangway.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.core.config.ConfigKey;
import io.gangway.harness.ProxiedClients;
import io.gangway.harness.UpstreamProxy;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Each listener serves its profile: the engine's through one upstream, the containers' through another. */
class ProfilesTest {

    @RegisterExtension
    static final OriginFixture origin = new OriginFixture("profiles");

    @Test
    void eachListenerRoutesByItsOwnProfile() throws Exception {
        try (UpstreamProxy engineProxy = UpstreamProxy.open();
             UpstreamProxy containersProxy = UpstreamProxy.basic("builder", "Builder-Pa55-2026");
             AccessLogCapture logs = new AccessLogCapture();
             RunningGangway gangway = RunningGangway.builder()
                     .with(ConfigKey.UPSTREAM, engineProxy.url(null))
                     .with(ConfigKey.CONTAINERS_LISTEN, "127.0.0.1:0")
                     .withContainers(ConfigKey.UPSTREAM, "http://builder:Builder-Pa55-2026@127.0.0.1:" + containersProxy.port())
                     .start()) {
            for (int port : new int[] {gangway.port(0), gangway.port(1)}) {
                try (CloseableHttpClient client = ProxiedClients.apache(port)) {
                    String body = client.execute(new HttpGet(origin.http("/via-" + port)), r -> EntityUtils.toString(r.getEntity()));
                    assertThat(body).isEqualTo("profiles");
                }
            }
            assertThat(engineProxy.requests()).isEqualTo(1);
            assertThat(containersProxy.requests()).isGreaterThanOrEqualTo(1);
            assertThat(containersProxy.loginsAccepted()).as("the containers' own account").isEqualTo(1);
            assertThat(logs.awaitAccessLines("/via-" + gangway.port(0), 1)).singleElement()
                    .satisfies(l -> assertThat(l).contains("profile=engine").contains("route=PROXY/127.0.0.1:" + engineProxy.port()));
            assertThat(logs.awaitAccessLines("/via-" + gangway.port(1), 1)).singleElement()
                    .satisfies(l -> assertThat(l).contains("profile=containers")
                            .contains("route=PROXY/127.0.0.1:" + containersProxy.port()).contains("auth=Basic"));
            assertThat(String.join("\n", logs.lines())).doesNotContain("Builder-Pa55-2026");
        }
    }

    @Test
    void containersAreRefusedWhileTheirPacCannotBeHad() throws Exception {
        try (RunningGangway gangway = RunningGangway.builder()
                .with(ConfigKey.CONTAINERS_LISTEN, "127.0.0.1:0")
                .withContainers(ConfigKey.PAC, "/nonexistent/containers.pac")
                .with(ConfigKey.ROUTING, "direct")
                .start()) {
            try (CloseableHttpClient client = ProxiedClients.apache(gangway.port(1))) {
                String answer = client.execute(new HttpGet(origin.http("/from-a-container")),
                        r -> r.getCode() + " " + EntityUtils.toString(r.getEntity()));
                assertThat(answer).startsWith("502").contains("pac-fallback: fail").contains("containers.pac");
            }
            try (CloseableHttpClient client = ProxiedClients.apache(gangway.port(0))) {
                String body = client.execute(new HttpGet(origin.http("/from-the-engine")), r -> EntityUtils.toString(r.getEntity()));
                assertThat(body).as("the engine profile routes DIRECT").isEqualTo("profiles");
            }
        }
    }
}
