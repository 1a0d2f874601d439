package io.gangway.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.core.LeakWatch;
import io.gangway.core.clientauth.ClientUsers;
import io.gangway.core.clientauth.ClientVerifier;
import io.gangway.core.clientauth.HeldExecutor;
import io.gangway.core.clientauth.PasswordHash;
import io.gangway.core.upstream.ScriptedUpstream;
import io.netty.handler.codec.http.FullHttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gate's states on an {@code EmbeddedChannel}, with password checks held until the test
 * lets them run: what a client sends while its password is checked waits, responses keep the
 * order of the requests, a refused request's body is dropped.
 */
class ClientAuthGateTest {

    private static final String RIGHT = basic("alice:Alice-Pa55");

    @TempDir
    Path dir;

    private final HeldExecutor held = new HeldExecutor();
    private ClientVerifier verifier;
    private ClientPipeline pipeline;

    private static String basic(String userAndPassword) {
        return "Basic " + Base64.getEncoder().encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8));
    }

    private static String get(String path, String authorization) {
        return "GET http://origin.test" + path + " HTTP/1.1\r\nHost: origin.test\r\n"
                + (authorization == null ? "" : "Proxy-Authorization: " + authorization + "\r\n") + "\r\n";
    }

    @BeforeEach
    void start() throws Exception {
        String entry = ClientUsers.entry("alice", PasswordHash.create("Alice-Pa55".toCharArray(), 10_000, new SecureRandom()));
        verifier = new ClientVerifier(ClientUsers.read(Files.writeString(dir.resolve("clients"), entry + "\n")), held);
        pipeline = new ClientPipeline(Map.of(), verifier);
    }

    @AfterEach
    void stop() {
        pipeline.close();
    }

    @AfterAll
    static void noLeaks() {
        LeakWatch.assertNoLeaks();
    }

    /** Lets the held checks run, then the event loop's tasks (where the gate takes the verdict). */
    private void checksRun() {
        held.runAll();
        pipeline.client.runPendingTasks();
    }

    @Test
    void pipelinedRequestsWaitForThePasswordCheckAndAreAnsweredInOrder() {
        ScriptedUpstream first = pipeline.upstream();
        pipeline.clientSends(get("/1", RIGHT) + get("/2", null) + get("/3", RIGHT));
        assertThat(held.waiting()).isEqualTo(1);
        assertThat(first.received()).as("nothing goes on while the password is checked").isEmpty();
        assertThat(pipeline.clientGot()).isEmpty();

        checksRun();
        List<FullHttpRequest> forwarded = first.received();
        assertThat(forwarded).singleElement().satisfies(r -> {
            assertThat(r.uri()).isEqualTo("/1");
            assertThat(r.headers().contains("Proxy-Authorization")).isFalse();
        });
        assertThat(pipeline.clientGot()).as("the 407 for /2 waits for /1's response").isEmpty();

        ScriptedUpstream second = pipeline.upstream();
        first.reply("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\none");
        String answers = pipeline.clientGot();
        assertThat(answers).startsWith("HTTP/1.1 200 OK").contains("one");
        assertThat(answers.substring(answers.indexOf("one"))).contains("HTTP/1.1 407 Proxy Authentication Required");
        assertThat(held.waiting()).as("/3's credentials were remembered: no second check").isZero();
        pipeline.client.runPendingTasks(); // /3's exchange starts on the loop
        List<FullHttpRequest> third = second.received();
        assertThat(third).singleElement().satisfies(r -> assertThat(r.uri()).isEqualTo("/3"));
        assertThat(pipeline.client.isOpen()).isTrue();
    }

    @Test
    void tooManyChecksUnderWayAnswer503WithRetryAfter() {
        for (int i = 0; i < ClientVerifier.MAX_IN_FLIGHT; i++) {
            verifier.check(basic("alice:guess-" + i)); // another client's flood, held
        }
        pipeline.clientSends(get("/busy", basic("alice:yet-another-guess")));
        String answer = pipeline.clientGot();
        assertThat(answer).startsWith("HTTP/1.1 503 Service Unavailable").contains("Retry-After: 2")
                .contains("Proxy-Status: gangway; error=connection_limit_reached").contains("Connection: keep-alive");
        assertThat(pipeline.client.isOpen()).isTrue();
    }

    @Test
    void aRefusedRequestsBodyIsDroppedAndItsConnectionClosed() {
        ScriptedUpstream origin = pipeline.upstream();
        pipeline.clientSends("POST http://origin.test/upload HTTP/1.1\r\nHost: origin.test\r\nProxy-Authorization: "
                + basic("alice:wrong") + "\r\nContent-Length: 11\r\n\r\nhello");
        pipeline.clientSends(" world"); // the rest of the body, while the password is checked
        checksRun();
        assertThat(pipeline.clientGot()).startsWith("HTTP/1.1 407").contains("Connection: close")
                .contains("Proxy-Authenticate: Basic realm=\"gangway\"");
        assertThat(pipeline.client.isOpen()).isFalse();
        assertThat(origin.received()).isEmpty();
    }

    @Test
    void aClientThatLeavesDuringTheCheckLeavesNothingBehind() {
        ScriptedUpstream origin = pipeline.upstream();
        pipeline.clientSends("POST http://origin.test/x HTTP/1.1\r\nHost: origin.test\r\nProxy-Authorization: " + RIGHT
                + "\r\nContent-Length: 4\r\n\r\nbody");
        pipeline.client.close();
        checksRun();
        assertThat(origin.received()).isEmpty();
        assertThat(pipeline.clientGot()).isEmpty();
    }
}
