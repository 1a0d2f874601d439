package io.gangway.auth;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Parses {@code Proxy-Authenticate} header values into challenges, per RFC 9110 section 11:
 * several challenges may share one header, separated by commas, and auth-params may contain
 * quoted strings with commas and escapes.
 */
public final class ChallengeParser {

    private final String s;
    private int pos;

    private ChallengeParser(String s) {
        this.s = s;
    }

    /** All challenges from all the given header values, in order. */
    public static List<Challenge> parseAll(Iterable<String> headerValues) throws AuthenticationException {
        List<Challenge> all = new ArrayList<>();
        for (String value : headerValues) {
            all.addAll(parse(value));
        }
        return all;
    }

    public static List<Challenge> parse(String headerValue) throws AuthenticationException {
        return new ChallengeParser(headerValue).challenges();
    }

    private List<Challenge> challenges() throws AuthenticationException {
        List<Builder> builders = new ArrayList<>();
        Builder current = null;
        while (true) {
            skipWhitespaceAndCommas();
            if (eof()) {
                break;
            }
            String name = token();
            if (name.isEmpty()) {
                throw malformed("unexpected '" + s.charAt(pos) + "' at " + pos);
            }
            boolean spaced = skipWhitespace();
            if (!eof() && s.charAt(pos) == '=') {
                if (current == null) {
                    throw malformed("auth-param before any scheme");
                }
                pos++;
                skipWhitespace();
                String value = !eof() && s.charAt(pos) == '"' ? quoted() : token();
                current.params.put(name.toLowerCase(Locale.ROOT), value);
                continue;
            }
            current = new Builder(name);
            builders.add(current);
            if (spaced && !eof() && s.charAt(pos) != ',') {
                int start = pos;
                String candidate = token68();
                skipWhitespace();
                if (!candidate.isEmpty() && (eof() || s.charAt(pos) == ',')) {
                    current.token68 = candidate;
                } else {
                    pos = start; // not a token68: the first auth-param follows
                }
            }
        }
        List<Challenge> result = new ArrayList<>(builders.size());
        for (Builder b : builders) {
            result.add(new Challenge(b.scheme, b.token68, b.params));
        }
        return result;
    }

    private String token() {
        int start = pos;
        while (!eof() && isTchar(s.charAt(pos))) {
            pos++;
        }
        return s.substring(start, pos);
    }

    private String token68() {
        int start = pos;
        while (!eof() && isToken68Char(s.charAt(pos))) {
            pos++;
        }
        while (!eof() && s.charAt(pos) == '=') {
            pos++;
        }
        return s.substring(start, pos);
    }

    private String quoted() throws AuthenticationException {
        StringBuilder out = new StringBuilder();
        pos++; // opening quote
        while (!eof()) {
            char c = s.charAt(pos++);
            if (c == '"') {
                return out.toString();
            }
            if (c == '\\' && !eof()) {
                c = s.charAt(pos++);
            }
            out.append(c);
        }
        throw malformed("unterminated quoted string");
    }

    private boolean skipWhitespace() {
        int start = pos;
        while (!eof() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\t')) {
            pos++;
        }
        return pos > start;
    }

    private void skipWhitespaceAndCommas() {
        while (!eof() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\t' || s.charAt(pos) == ',')) {
            pos++;
        }
    }

    private boolean eof() {
        return pos >= s.length();
    }

    private static boolean isTchar(char c) {
        return c < 127 && (Character.isLetterOrDigit(c) || "!#$%&'*+-.^_`|~".indexOf(c) >= 0);
    }

    private static boolean isToken68Char(char c) {
        return c < 127 && (Character.isLetterOrDigit(c) || "-._~+/".indexOf(c) >= 0);
    }

    private AuthenticationException malformed(String what) {
        return new AuthenticationException(AuthenticationException.Reason.MALFORMED_CHALLENGE,
                "malformed Proxy-Authenticate header: " + what);
    }

    private static final class Builder {
        final String scheme;
        String token68;
        final Map<String, String> params = new LinkedHashMap<>();

        Builder(String scheme) {
            this.scheme = scheme;
        }
    }
}
