package io.gangway.auth;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One challenge from a {@code Proxy-Authenticate} header (RFC 9110 section 11): a scheme with
 * either a token68 (NTLM and Negotiate data) or auth-params (Basic and Digest).
 *
 * @param scheme   the scheme as sent, e.g. {@code "NTLM"}
 * @param token68  the base64-like token, or null
 * @param params   auth-params with lower-case names, in the order received
 */
public record Challenge(String scheme, String token68, Map<String, String> params) {

    public Challenge {
        params = Map.copyOf(params);
    }

    public boolean isScheme(String name) {
        return scheme.equalsIgnoreCase(name);
    }

    public Optional<String> param(String name) {
        return Optional.ofNullable(params.get(name.toLowerCase(Locale.ROOT)));
    }

    public Optional<String> token() {
        return Optional.ofNullable(token68);
    }

    @Override
    public String toString() {
        // Tokens and nonces are not secrets, but they are noise in a log: show the shape only.
        return scheme + (token68 != null ? " <token>" : "") + (params.isEmpty() ? "" : " " + params.keySet());
    }
}
