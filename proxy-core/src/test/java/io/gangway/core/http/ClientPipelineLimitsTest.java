package io.gangway.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.core.LeakWatch;
import io.gangway.core.config.ConfigKey;
import io.gangway.core.upstream.ScriptedUpstream;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The client pipeline's own bounds, on Netty's {@code EmbeddedChannel} with its clock moved by
 * the test: the first-byte and request-head timeouts by phase, and the queue of pipelined requests.
 */
class ClientPipelineLimitsTest {

    private final ClientPipeline pipeline = new ClientPipeline(Map.of(
            ConfigKey.FIRST_BYTE_TIMEOUT, "5s",
            ConfigKey.REQUEST_HEAD_TIMEOUT, "20s",
            ConfigKey.MAX_PENDING_REQUESTS, "2"));
    private final RequestHeadTimeout headTimeout = pipeline.headTimeout;
    private final EmbeddedChannel client = pipeline.client;

    @AfterEach
    void finish() {
        pipeline.close();
    }

    @AfterAll
    static void noLeaks() {
        LeakWatch.assertNoLeaks();
    }

    private void seconds(long n) {
        client.advanceTimeBy(n, TimeUnit.SECONDS);
        client.runScheduledPendingTasks();
        client.runPendingTasks();
    }

    private static String get(String path) {
        return "GET http://origin.test" + path + " HTTP/1.1\r\nHost: origin.test\r\n\r\n";
    }

    @Test
    void aConnectionThatSendsNothingIsClosedAfterTheFirstByteTimeoutWithoutAnAnswer() {
        assertThat(headTimeout.phase()).isEqualTo(RequestHeadTimeout.Phase.FIRST_BYTE);
        seconds(4);
        assertThat(client.isOpen()).isTrue();
        seconds(2);
        assertThat(client.isOpen()).isFalse();
        assertThat(pipeline.clientGot()).as("no request: nothing to answer").isEmpty();
    }

    @Test
    void aStartedHeadHasTheRequestHeadTimeoutAndThenGets408() {
        seconds(4);
        pipeline.clientSends("GET http://origin.test/ HTTP/1.1\r\nHo");
        assertThat(headTimeout.phase()).isEqualTo(RequestHeadTimeout.Phase.HEAD);
        seconds(10);
        assertThat(client.isOpen()).as("the first-byte timer is gone once bytes came").isTrue();
        seconds(11);
        assertThat(pipeline.clientGot()).startsWith("HTTP/1.1 408");
        assertThat(client.isOpen()).isFalse();
    }

    @Test
    void aKeptAliveConnectionWaitingForItsNextRequestIsLeftToTheIdleTimeout() {
        ScriptedUpstream origin = pipeline.upstream();
        pipeline.clientSends(get("/first"));
        assertThat(origin.received()).hasSize(1);
        assertThat(headTimeout.phase()).isEqualTo(RequestHeadTimeout.Phase.SERVING);
        origin.reply("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        assertThat(pipeline.clientGot()).startsWith("HTTP/1.1 200");
        assertThat(headTimeout.phase()).isEqualTo(RequestHeadTimeout.Phase.BETWEEN_REQUESTS);
        seconds(60); // far past the first-byte and request-head timeouts; the idle timeout is not in this pipeline
        assertThat(client.isOpen()).isTrue();
        pipeline.clientSends(get("/second"));
        assertThat(headTimeout.phase()).isEqualTo(RequestHeadTimeout.Phase.SERVING);
    }

    @Test
    void theFirstPipelinedRequestBeyondTheBoundGets503InItsTurnAndNothingAfterItIsServed() {
        List<ScriptedUpstream> origins = List.of(pipeline.upstream(), pipeline.upstream(), pipeline.upstream(), pipeline.upstream());
        pipeline.clientSends(get("/1") + get("/2") + get("/3") + get("/4") + get("/5"));
        for (int i = 1; i <= 3; i++) {
            ScriptedUpstream origin = origins.get(i - 1);
            String path = "/" + i;
            assertThat(origin.received()).singleElement().satisfies(r -> assertThat(r.uri()).endsWith(path));
            origin.reply("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n" + i);
        }
        String answers = pipeline.clientGot();
        assertThat(answers.split("HTTP/1.1 200 OK", -1)).as("three answered, in order").hasSize(4);
        assertThat(answers.indexOf("\r\n\r\n1")).isLessThan(answers.indexOf("\r\n\r\n2"));
        assertThat(answers.indexOf("\r\n\r\n2")).isLessThan(answers.indexOf("\r\n\r\n3"));
        assertThat(answers.substring(answers.lastIndexOf("HTTP/1.1 ")))
                .startsWith("HTTP/1.1 503")
                .contains("Retry-After: 2")
                .contains("Proxy-Status: gangway; error=http_request_denied; details=\"max-pending-requests\"")
                .contains("Connection: close");
        assertThat(pipeline.source.uses()).as("neither /4 nor /5 was sent anywhere").hasSize(3);
        assertThat(client.isOpen()).isFalse();
    }
}
