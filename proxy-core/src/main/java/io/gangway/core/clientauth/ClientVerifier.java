package io.gangway.core.clientauth;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks a client's {@code Proxy-Authorization: Basic} against the client-auth file's users.
 * PBKDF2 is slow on purpose, so: it runs on the given executor (never an event loop; its own
 * threads, see {@code server.Generation}); a verified user and password is remembered, by an HMAC
 * of them under a random key that stays in memory (never the password), so that a client's
 * further requests cost one HMAC; clients that send the same credentials at once wait for one
 * verification; and at most {@link #MAX_IN_FLIGHT} are admitted at once, running or waiting for a
 * thread, so that a flood of wrong passwords queues no more work than that (beyond, the answer is
 * {@link Verdict#BUSY}). Wrong credentials are not remembered: each costs a PBKDF2.
 */
public final class ClientVerifier {

    /** What a client's credentials are worth. */
    public enum Verdict {
        ACCEPTED("accepted"),
        /** None, malformed, an unknown user or a wrong password: the client is told the same in each case. */
        REJECTED("rejected"),
        /** Too many verifications are under way: try again shortly. */
        BUSY("busy");

        /** The metric's label. */
        public final String label;

        Verdict(String label) {
            this.label = label;
        }
    }

    /** Checks running or waiting at once: a legitimate burst (clients after a reload) waits a few seconds at most. */
    public static final int MAX_IN_FLIGHT = 16;
    /** Past this many remembered clients the memory starts again (a reload does too). */
    private static final int MAX_REMEMBERED = 4096;
    private static final CompletableFuture<Verdict> ACCEPTED = CompletableFuture.completedFuture(Verdict.ACCEPTED);
    private static final CompletableFuture<Verdict> REJECTED = CompletableFuture.completedFuture(Verdict.REJECTED);
    private static final CompletableFuture<Verdict> BUSY = CompletableFuture.completedFuture(Verdict.BUSY);

    private final Executor executor;
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    private final SecretKeySpec rememberKey;
    private final Map<String, CompletableFuture<Verdict>> pending = new ConcurrentHashMap<>();
    private final AtomicLong derivations = new AtomicLong();
    private volatile Users users;

    /** The users of one reading of the file, with the credentials verified against them. */
    private record Users(ClientUsers file, PasswordHash decoy, Map<String, Boolean> remembered) {
    }

    public ClientVerifier(ClientUsers users, Executor executor) {
        this.executor = executor;
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        this.rememberKey = new SecretKeySpec(key, "HmacSHA256");
        replace(users);
    }

    /** The file was read again: the new users from now on, and every client verified again. */
    public void replace(ClientUsers file) {
        // An unknown user costs a PBKDF2 too (against this decoy), so that timing does not tell which users exist.
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        int iterations = file.typicalIterations();
        users = new Users(file, new PasswordHash(iterations, Arrays.copyOf(random, 16), random), new ConcurrentHashMap<>());
    }

    /**
     * The verdict on a {@code Proxy-Authorization} value (null when there is none): at once when
     * it is remembered or cannot be right, else once PBKDF2 ran. The future may complete on the executor's thread.
     */
    public CompletableFuture<Verdict> check(String authorization) {
        byte[] credentials = basicCredentials(authorization);
        if (credentials == null) {
            return REJECTED;
        }
        try {
            Users current = users;
            String key = rememberKey(credentials);
            if (current.remembered().containsKey(key)) {
                return ACCEPTED;
            }
            String text = decode(credentials);
            int colon = text == null ? -1 : text.indexOf(':');
            if (colon <= 0 || colon == text.length() - 1) {
                return REJECTED; // no user, or an empty password, which no entry can have
            }
            CompletableFuture<Verdict> mine = new CompletableFuture<>();
            CompletableFuture<Verdict> running = pending.putIfAbsent(key, mine);
            if (running != null) {
                return running;
            }
            if (!inFlight.tryAcquire()) {
                pending.remove(key, mine);
                return BUSY;
            }
            String user = text.substring(0, colon);
            char[] password = text.substring(colon + 1).toCharArray();
            try {
                executor.execute(() -> verify(current, key, user, password, mine));
            } catch (RejectedExecutionException e) {
                Arrays.fill(password, '\0');
                inFlight.release();
                pending.remove(key, mine);
                return BUSY;
            }
            return mine;
        } finally {
            Arrays.fill(credentials, (byte) 0);
        }
    }

    private void verify(Users against, String key, String user, char[] password, CompletableFuture<Verdict> result) {
        Verdict verdict = Verdict.REJECTED;
        try {
            PasswordHash hash = against.file().hashOf(user).orElse(null);
            derivations.incrementAndGet();
            boolean matches = (hash != null ? hash : against.decoy()).matches(password);
            if (matches && hash != null) {
                verdict = Verdict.ACCEPTED;
                if (against.remembered().size() >= MAX_REMEMBERED) {
                    against.remembered().clear();
                }
                against.remembered().put(key, Boolean.TRUE); // before leaving pending: a later check finds one or the other
            }
        } finally {
            Arrays.fill(password, '\0');
            inFlight.release();
            pending.remove(key, result);
            result.complete(verdict);
        }
    }

    /** The PBKDF2 runs so far (a remembered client costs none). */
    public long derivations() {
        return derivations.get();
    }

    /** The users in force. */
    public ClientUsers users() {
        return users.file();
    }

    /** The decoded {@code user:password} bytes of a Basic header, or null when it is none. */
    private static byte[] basicCredentials(String authorization) {
        if (authorization == null) {
            return null;
        }
        String value = authorization.strip();
        int space = value.indexOf(' ');
        if (space < 0 || !value.substring(0, space).toLowerCase(Locale.ROOT).equals("basic")) {
            return null;
        }
        try {
            return Base64.getDecoder().decode(value.substring(space + 1).strip());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** UTF-8 (RFC 7617's charset, which the challenge names); null when the bytes are not. */
    private static String decode(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private String rememberKey(byte[] credentials) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(rememberKey);
            return HexFormat.of().formatHex(mac.doFinal(credentials));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK: " + e.getMessage(), e);
        }
    }
}
