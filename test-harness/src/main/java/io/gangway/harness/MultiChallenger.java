package io.gangway.harness;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An upstream that offers several schemes at once, as corporate proxies do
 * ({@code Negotiate, NTLM, Basic}): a request is checked by the challenger of the scheme its
 * {@code Proxy-Authorization} names; a request without one, or one its scheme turns down, is
 * offered every scheme again. A handshake step (an NTLM Type 2) goes back as it is.
 */
public final class MultiChallenger implements Challenger {

    private final Map<String, Challenger> byScheme = new LinkedHashMap<>();

    /** Adds a scheme; offers go out in the order added. */
    public MultiChallenger with(String scheme, Challenger challenger) {
        byScheme.put(scheme.toLowerCase(Locale.ROOT), challenger);
        return this;
    }

    @Override
    public Verdict check(HttpRequest request, ConnectionState connection) {
        if (connection.authenticated) {
            return new Pass();
        }
        String header = request.headers().get(HttpHeaderNames.PROXY_AUTHORIZATION);
        Challenger chosen = header == null ? null : byScheme.get(header.split(" ", 2)[0].toLowerCase(Locale.ROOT));
        if (chosen != null) {
            Verdict verdict = chosen.check(request, connection);
            if (verdict instanceof Pass || isHandshakeStep(verdict)) {
                return verdict;
            }
        }
        return offerAll(request, connection);
    }

    private static boolean isHandshakeStep(Verdict verdict) {
        return verdict instanceof Challenge c && c.proxyAuthenticate().size() == 1
                && c.proxyAuthenticate().get(0).matches("(?i)(NTLM|Negotiate) \\S+");
    }

    private Verdict offerAll(HttpRequest request, ConnectionState connection) {
        HttpRequest bare = new DefaultHttpRequest(request.protocolVersion(), request.method(), request.uri());
        List<String> offers = new ArrayList<>();
        for (Challenger challenger : byScheme.values()) {
            if (challenger.check(bare, connection) instanceof Challenge c) {
                offers.addAll(c.proxyAuthenticate());
            }
        }
        return new Challenge(offers);
    }
}
