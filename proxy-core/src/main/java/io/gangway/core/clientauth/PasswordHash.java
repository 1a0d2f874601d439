package io.gangway.core.clientauth;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.spec.KeySpec;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * A client's password as the client-auth file keeps it: PBKDF2-HMAC-SHA256 of the password with a
 * random salt, written {@code $pbkdf2-sha256$ITERATIONS$SALT$HASH} (salt and hash in base64).
 * Verifying one costs as much as making it, on purpose: see {@link ClientVerifier} for why that is
 * done off the event loops and at most once per client and password.
 */
public record PasswordHash(int iterations, byte[] salt, byte[] hash) {

    /** OWASP's figure for PBKDF2-HMAC-SHA256 (2023); about 0.2 s of one core here (docs/security.md). */
    public static final int DEFAULT_ITERATIONS = 600_000;
    /** Below this a file's entry is refused: so few rounds would make the hash little better than the password. */
    public static final int MIN_ITERATIONS = 10_000;
    private static final int MAX_ITERATIONS = 100_000_000;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final String PREFIX = "$pbkdf2-sha256$";
    private static final String ALGORITHM = "PBKDF2WithHmacSHA256";

    public PasswordHash {
        salt = salt.clone();
        hash = hash.clone();
    }

    /** A new hash of {@code password} with a fresh random salt. */
    public static PasswordHash create(char[] password, int iterations, SecureRandom random) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        return new PasswordHash(iterations, salt, derive(password, salt, iterations));
    }

    /**
     * Parses {@code $pbkdf2-sha256$ITERATIONS$SALT$HASH}. The exception says what was expected and
     * never repeats the text, which is a secret of sorts (a hash can be attacked offline).
     */
    public static PasswordHash parse(String text) {
        if (!text.startsWith(PREFIX)) {
            throw new IllegalArgumentException("expected " + PREFIX + "ITERATIONS$SALT$HASH after the user name "
                    + "(the output of 'gangway hash --client USER')");
        }
        String[] parts = text.substring(PREFIX.length()).split("\\$", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("expected three $-separated fields after " + PREFIX
                    + " (ITERATIONS$SALT$HASH), got " + parts.length);
        }
        int iterations;
        try {
            iterations = Integer.parseInt(parts[0]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the iteration count is not a whole number");
        }
        if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("the iteration count " + iterations + " is outside " + MIN_ITERATIONS
                    + ".." + MAX_ITERATIONS);
        }
        byte[] salt = base64(parts[1], "salt");
        byte[] hash = base64(parts[2], "hash");
        if (salt.length < 8) {
            throw new IllegalArgumentException("the salt has " + salt.length + " bytes, fewer than 8");
        }
        if (hash.length != HASH_BYTES) {
            throw new IllegalArgumentException("the hash has " + hash.length + " bytes instead of " + HASH_BYTES);
        }
        return new PasswordHash(iterations, salt, hash);
    }

    private static byte[] base64(String text, String what) {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the " + what + " is not base64");
        }
    }

    /** Whether {@code password} is the one hashed: PBKDF2 again, compared in constant time. Slow. */
    public boolean matches(char[] password) {
        return MessageDigest.isEqual(derive(password, salt, iterations), hash);
    }

    /** {@code $pbkdf2-sha256$ITERATIONS$SALT$HASH}. */
    public String format() {
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return PREFIX + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
    }

    private static byte[] derive(char[] password, byte[] salt, int iterations) {
        KeySpec spec = new PBEKeySpec(password, salt, iterations, HASH_BYTES * 8); // the JDK encodes the chars as UTF-8
        try {
            return SecretKeyFactory.getInstance(ALGORITHM).generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(ALGORITHM + " is part of every JDK: " + e.getMessage(), e);
        } finally {
            ((PBEKeySpec) spec).clearPassword();
        }
    }

    @Override
    public String toString() {
        return "PasswordHash[pbkdf2-sha256, " + iterations + " iterations]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PasswordHash p && p.iterations == iterations && java.util.Arrays.equals(p.salt, salt)
                && java.util.Arrays.equals(p.hash, hash);
    }

    @Override
    public int hashCode() {
        return 31 * iterations + java.util.Arrays.hashCode(hash);
    }
}
