package io.gangway.harness;

import io.gangway.harness.audit.TestSecrets;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;

/** Basic as a {@link Challenger}, to combine with other schemes in a {@link MultiChallenger}. */
public final class BasicChallenger implements Challenger {

    private final String expected;
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger rejected = new AtomicInteger();

    public BasicChallenger(String user, String password) {
        this.expected = "Basic " + Base64.getEncoder().encodeToString((user + ":" + TestSecrets.record(password)).getBytes(StandardCharsets.UTF_8));
    }

    public int accepted() {
        return accepted.get();
    }

    public int rejected() {
        return rejected.get();
    }

    @Override
    public Verdict check(HttpRequest request, ConnectionState connection) {
        String header = request.headers().get(HttpHeaderNames.PROXY_AUTHORIZATION);
        if (header == null) {
            return Challenge.of("Basic realm=\"corp\"");
        }
        if (header.equals(expected)) {
            accepted.incrementAndGet();
            return new Pass();
        }
        rejected.incrementAndGet();
        return Challenge.of("Basic realm=\"corp\"");
    }
}
