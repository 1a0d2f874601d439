package io.gangway.pac;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gangway.harness.Origin;
import io.gangway.harness.RawServer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class PacLoaderTest {

    private static final String PAC = "function FindProxyForURL(u, h) { return \"PROXY p.example:8080\"; }";

    @Test
    void fetchesOverHttpThenAsksConditionallyAndSeesNoChange() throws Exception {
        try (Origin origin = new Origin(); PacLoader loader = new PacLoader(origin.http("/proxy.pac"), Duration.ofSeconds(5))) {
            origin.wireMock().stubFor(get("/proxy.pac").withHeader("If-None-Match", absent())
                    .willReturn(aResponse().withHeader("Content-Type", "application/x-ns-proxy-autoconfig")
                            .withHeader("ETag", "\"v1\"").withBody(PAC)));
            origin.wireMock().stubFor(get("/proxy.pac").withHeader("If-None-Match", equalTo("\"v1\""))
                    .willReturn(aResponse().withStatus(304)));
            PacLoader.Loaded first = loader.load();
            assertThat(first.changed()).isTrue();
            assertThat(first.text()).isEqualTo(PAC);
            assertThat(loader.load().changed()).isFalse();
            origin.wireMock().verify(1, getRequestedFor(urlEqualTo("/proxy.pac")).withHeader("If-None-Match", equalTo("\"v1\"")));
        }
    }

    @Test
    void honoursTheDeclaredCharset() throws Exception {
        byte[] latin1 = "function FindProxyForURL(u, h) { return h == \"café\" ? \"DIRECT\" : \"PROXY p:1\"; }"
                .getBytes(StandardCharsets.ISO_8859_1);
        try (Origin origin = new Origin(); PacLoader loader = new PacLoader(origin.http("/l.pac"), Duration.ofSeconds(5))) {
            origin.wireMock().stubFor(get("/l.pac").willReturn(aResponse()
                    .withHeader("Content-Type", "application/x-ns-proxy-autoconfig; charset=ISO-8859-1").withBody(latin1)));
            String text = loader.load().text();
            assertThat(text).contains("café");
            assertThat(PacScript.compile(text, "l.pac", PacFixtures.env()).findProxy("http://café/", "café")).isEqualTo("DIRECT");
        }
    }

    @Test
    void anHttpErrorIsAClearFailure() {
        try (Origin origin = new Origin(); PacLoader loader = new PacLoader(origin.http("/missing.pac"), Duration.ofSeconds(5))) {
            assertThatThrownBy(loader::load).isInstanceOf(PacException.class)
                    .hasMessageContaining("cannot fetch PAC").hasMessageContaining("HTTP 404");
        }
    }

    @Test
    void aServerThatNeverAnswersTimesOut() throws Exception {
        try (RawServer silent = new RawServer((s, in, out) -> in.readAllBytes());
             PacLoader loader = new PacLoader("http://127.0.0.1:" + silent.port() + "/p.pac", Duration.ofMillis(500))) {
            long start = System.nanoTime();
            assertThatThrownBy(loader::load).isInstanceOf(PacException.class).hasMessageContaining("Timeout");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        }
    }

    @Test
    void readsAFileAgainOnlyWhenItChanged(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("proxy.pac");
        Files.writeString(file, PAC);
        try (PacLoader loader = new PacLoader(file.toString(), Duration.ofSeconds(1))) {
            assertThat(loader.load().text()).isEqualTo(PAC);
            assertThat(loader.load().changed()).isFalse();
            Files.writeString(file, PAC.replace("p.example", "q.example"));
            Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
            assertThat(loader.load().text()).contains("q.example");
        }
        try (PacLoader byUrl = new PacLoader(file.toUri().toString(), Duration.ofSeconds(1))) {
            assertThat(byUrl.load().text()).contains("q.example");
        }
    }

    @Test
    void aMissingFileIsAClearFailure(@TempDir Path dir) {
        try (PacLoader loader = new PacLoader(dir.resolve("nope.pac").toString(), Duration.ofSeconds(1))) {
            assertThatThrownBy(loader::load).hasMessageContaining("does not exist");
        }
    }

    @Test
    void readsDataUrlsInBase64AndPercentEncoding() throws Exception {
        String b64 = "data:application/x-ns-proxy-autoconfig;base64,"
                + Base64.getEncoder().encodeToString(PAC.getBytes(StandardCharsets.UTF_8));
        try (PacLoader loader = new PacLoader(b64, Duration.ofSeconds(1))) {
            assertThat(loader.load().text()).isEqualTo(PAC);
            assertThat(loader.load().changed()).isFalse();
        }
        String pct = "data:," + URLEncoder.encode(PAC, StandardCharsets.UTF_8).replace("+", "%20");
        try (PacLoader loader = new PacLoader(pct, Duration.ofSeconds(1))) {
            assertThat(loader.load().text()).isEqualTo(PAC);
        }
        try (PacLoader loader = new PacLoader("data:application/x-ns-proxy-autoconfig;base64", Duration.ofSeconds(1))) {
            assertThatThrownBy(loader::load).hasMessageContaining("data: URL");
        }
    }

    @Test
    void decodesByteOrderMarksAndFallsBackToWindows1252() {
        byte[] utf16 = ("\uFEFF" + PAC).getBytes(StandardCharsets.UTF_16LE);
        assertThat(PacText.decode(utf16, null)).isEqualTo(PAC);
        byte[] bom8 = ("\uFEFF" + PAC).getBytes(StandardCharsets.UTF_8);
        assertThat(PacText.decode(bom8, null)).isEqualTo(PAC);
        assertThat(PacText.decode("// Caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1), null)).isEqualTo("// Caf\u00e9\n");
    }
}
