package io.gangway.pac;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gangway.harness.Origin;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class WpadDiscoveryTest {

    @Test
    void walksUpEachDomainButNeverToATopLevelOrPublicSecondLevel() {
        assertThat(WpadDiscovery.candidates(List.of("eng.paris.corp.example.com", "corp.example.co.uk", "local", "acme.de")))
                .containsExactly("wpad.eng.paris.corp.example.com", "wpad.paris.corp.example.com",
                        "wpad.corp.example.com", "wpad.example.com",
                        "wpad.corp.example.co.uk", "wpad.example.co.uk", "wpad.acme.de");
    }

    @Test
    void readsSearchDomainsFromResolvConf() {
        String conf = "# generated\nnameserver 10.0.0.53\ndomain corp.example.com\nsearch eng.corp.example.com corp.example.com  lab.example.org # x\n";
        assertThat(WpadDiscovery.searchDomains(conf))
                .containsExactly("corp.example.com", "eng.corp.example.com", "lab.example.org");
    }

    @Test
    void theFirstResolvableCandidateThatServesAPacWins() throws Exception {
        try (Origin origin = new Origin()) {
            origin.wireMock().stubFor(get("/wpad.dat").willReturn(aResponse().withHeader("Content-Type",
                    "application/x-ns-proxy-autoconfig").withBody("function FindProxyForURL(u, h) { return 'DIRECT'; }")));
            // wpad.eng.corp.example.com does not resolve; wpad.corp.example.com is this origin
            PacDns dns = host -> host.equals("wpad.corp.example.com") ? List.of(InetAddress.getLoopbackAddress()) : List.of();
            try (WpadDiscovery wpad = new WpadDiscovery(List.of("eng.corp.example.com"), dns, Duration.ofSeconds(5), origin.httpPort())) {
                PacLoader.Loaded loaded = wpad.load();
                assertThat(loaded.text()).contains("FindProxyForURL");
                assertThat(wpad.location()).contains("wpad.corp.example.com").contains("WPAD");
            }
        }
    }

    @Test
    void findingNothingSaysWhatWasTried() {
        try (WpadDiscovery wpad = new WpadDiscovery(List.of("corp.example.com"), host -> List.of(), Duration.ofSeconds(1))) {
            assertThatThrownBy(wpad::load).isInstanceOf(PacException.class)
                    .hasMessageContaining("wpad.corp.example.com (no such name)");
        }
        try (WpadDiscovery none = new WpadDiscovery(List.of(), host -> List.of(), Duration.ofSeconds(1))) {
            assertThatThrownBy(none::load).hasMessageContaining("no DNS domain known");
        }
    }
}
