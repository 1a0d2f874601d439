package io.gangway.harness;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;

/** A WireMock origin on loopback, speaking HTTP and HTTPS (self-signed) on free ports. */
public final class Origin implements AutoCloseable {

    private final WireMockServer server;

    public Origin() {
        server = new WireMockServer(options()
                .bindAddress("127.0.0.1")
                .dynamicPort()
                .dynamicHttpsPort()
                .containerThreads(16)
                .jettyAcceptors(1));
        server.start();
    }

    /** An origin that answers every request, on any path and method, with 200 and this body. */
    public static Origin answering(String body) {
        Origin origin = new Origin();
        origin.server.stubFor(com.github.tomakehurst.wiremock.client.WireMock.any(
                com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching("/.*"))
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(200).withBody(body)));
        return origin;
    }

    public WireMockServer wireMock() {
        return server;
    }

    public int httpPort() {
        return server.port();
    }

    public int httpsPort() {
        return server.httpsPort();
    }

    /** {@code http://127.0.0.1:PORT} + path. */
    public String http(String path) {
        return "http://127.0.0.1:" + httpPort() + path;
    }

    /** {@code https://127.0.0.1:PORT} + path. */
    public String https(String path) {
        return "https://127.0.0.1:" + httpsPort() + path;
    }

    /** {@code http://localhost:PORT} + path: the same origin by another name (for no-proxy rules). */
    public String httpLocalhost(String path) {
        return "http://localhost:" + httpPort() + path;
    }

    @Override
    public void close() {
        server.stop();
    }
}
