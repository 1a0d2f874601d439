package io.gangway.harness;

import io.gangway.harness.audit.TestSecrets;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server side of RFC 7616 Digest (qop=auth) for tests: checks the response against the known
 * password, the request's method and URI, and insists that the nonce count grows. A nonce is
 * good for {@code usesPerNonce} requests; after that the client gets {@code stale=true}.
 */
public final class DigestChallenger implements Challenger {

    private static final Pattern PARAM = Pattern.compile("(\\w+)\\s*=\\s*(?:\"((?:[^\"\\\\]|\\\\.)*)\"|([^,\\s]*))");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String user;
    private final String password;
    private final String algorithm;
    private final int usesPerNonce;
    private final Map<String, AtomicInteger> nonces = new ConcurrentHashMap<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger rejected = new AtomicInteger();
    private final AtomicInteger challenges = new AtomicInteger();

    /** @param algorithm "MD5", "SHA-256", or either with "-sess" */
    public DigestChallenger(String user, String password, String algorithm, int usesPerNonce) {
        this.user = user;
        this.password = TestSecrets.record(password);
        this.algorithm = algorithm;
        this.usesPerNonce = usesPerNonce;
    }

    public int accepted() {
        return accepted.get();
    }

    public int rejected() {
        return rejected.get();
    }

    /** 407s sent (first contact, stale nonces and rejections). */
    public int challenges() {
        return challenges.get();
    }

    @Override
    public Verdict check(HttpRequest request, ConnectionState connection) {
        String header = request.headers().get(HttpHeaderNames.PROXY_AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Digest ", 0, 7)) {
            return challenge(false);
        }
        Map<String, String> p = new HashMap<>();
        Matcher m = PARAM.matcher(header.substring(7));
        while (m.find()) {
            p.put(m.group(1).toLowerCase(), m.group(2) != null ? m.group(2).replaceAll("\\\\(.)", "$1") : m.group(3));
        }
        AtomicInteger count = nonces.get(p.getOrDefault("nonce", ""));
        if (count == null) {
            return challenge(false); // not a nonce of ours: maybe from before a restart
        }
        int nc = Integer.parseInt(p.getOrDefault("nc", "0"), 16);
        boolean expected = user.equals(p.get("username")) && request.uri().equals(p.get("uri"))
                && p.getOrDefault("response", "").equals(response(p, request.method().name()));
        if (!expected || nc <= count.get()) {
            rejected.incrementAndGet();
            return challenge(false);
        }
        count.set(nc);
        if (nc > usesPerNonce) {
            return challenge(true);
        }
        accepted.incrementAndGet();
        return new Pass();
    }

    private String response(Map<String, String> p, String method) {
        boolean sess = algorithm.endsWith("-sess");
        String alg = sess ? algorithm.substring(0, algorithm.length() - 5) : algorithm;
        String ha1 = hash(alg, user + ":corp:" + password);
        if (sess) {
            ha1 = hash(alg, ha1 + ":" + p.get("nonce") + ":" + p.get("cnonce"));
        }
        String ha2 = hash(alg, method + ":" + p.get("uri"));
        return hash(alg, ha1 + ":" + p.get("nonce") + ":" + p.get("nc") + ":" + p.get("cnonce") + ":auth:" + ha2);
    }

    private Verdict challenge(boolean stale) {
        challenges.incrementAndGet();
        byte[] raw = new byte[12];
        RANDOM.nextBytes(raw);
        String nonce = HexFormat.of().formatHex(raw);
        nonces.put(nonce, new AtomicInteger());
        return Challenge.of("Digest realm=\"corp\", qop=\"auth\", algorithm=" + algorithm + ", nonce=\"" + nonce
                + "\", opaque=\"op4que\"" + (stale ? ", stale=true" : ""));
    }

    private static String hash(String algorithm, String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
