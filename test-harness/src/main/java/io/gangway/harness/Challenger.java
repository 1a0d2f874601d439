package io.gangway.harness;

import io.netty.handler.codec.http.HttpRequest;

/**
 * The authentication side of a challenging upstream proxy: looks at each request and either lets
 * it through or answers with a {@code 407} carrying {@code Proxy-Authenticate} values. State that
 * belongs to one client connection (an NTLM handshake) lives in the {@link ConnectionState}.
 */
public interface Challenger {

    /** What the proxy does with one request. */
    sealed interface Verdict permits Pass, Challenge {
    }

    /** Let the request through. */
    record Pass() implements Verdict {
    }

    /** Answer 407 with these {@code Proxy-Authenticate} values (none: a bare 407). */
    record Challenge(java.util.List<String> proxyAuthenticate) implements Verdict {
        public static Challenge of(String... values) {
            return new Challenge(java.util.List.of(values));
        }
    }

    Verdict check(HttpRequest request, ConnectionState connection);

    /** Per-connection state: whatever a challenger needs to remember between requests. */
    final class ConnectionState {
        public Object handshake;
        public boolean authenticated;
    }
}
