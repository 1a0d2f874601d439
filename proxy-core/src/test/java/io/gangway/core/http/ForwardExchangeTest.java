package io.gangway.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.core.upstream.ScriptedSource;
import io.gangway.core.upstream.ScriptedUpstream;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import java.nio.charset.StandardCharsets;
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

    private final ClientPipeline pipeline = new ClientPipeline(Map.of());
    private final ScriptedSource source = pipeline.source;
    private final EmbeddedChannel client = pipeline.client;

    @AfterEach
    void finish() {
        pipeline.close();
    }

    private ScriptedUpstream upstream() {
        return pipeline.upstream();
    }

    private void clientSends(String raw) {
        pipeline.clientSends(raw);
    }

    private String clientGot() {
        return pipeline.clientGot();
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
