package io.gangway.core.upstream;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gangway.core.files.FileReplacer;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;
import java.util.function.UnaryOperator;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The credential rejections of {@link CredentialGuard}, kept in a JSON file that every Gangway
 * process of the user reads: {@code run}, {@code check --login} and a restarted Gangway honour
 * one back-off, so none of them spends another failed login on an account that was just
 * rejected. A rejection names the upstream and the user, and tells the secret apart only by a
 * 16-bit tag (an HMAC under the file's own random salt): enough to see that the password was
 * changed, too little to test guesses against. Read-modify-write runs under a file lock. When the
 * file cannot be used, the guard keeps to memory and says so once.
 */
final class LockoutStore {

    private static final Logger log = LoggerFactory.getLogger("gangway");
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);
    /** One lock holder per JVM: a second FileChannel lock on the same file in one JVM would throw. */
    private static final Object JVM_LOCK = new Object();
    /** How long a rejection is remembered after its block ends (for the doubling). */
    private static final Duration MEMORY = Duration.ofDays(1);
    private static final long RECHECK_NANOS = 1_000_000_000L;

    /** One rejection, as the file holds it. Times are ISO-8601 instants. */
    record Rejection(String upstream, String user, String secret, String scheme, String rejectedAt, String until,
                     int strikes) {
        Instant untilInstant() {
            return Instant.parse(until);
        }
    }

    /** The file's content. */
    record State(String salt, List<Rejection> rejections) {
    }

    private final Path file;
    private final Clock clock;
    private boolean broken;
    private State state;
    /** What identified the file when it was last read: every write replaces it (a new inode), so this changes. */
    private Object seen;
    private long checkedNanos;

    private LockoutStore(Path file, Clock clock) {
        this.file = file;
        this.clock = clock;
    }

    /** A store in {@code file}, or null for none; {@code clock} says when old rejections are forgotten. */
    static LockoutStore at(Path file, Clock clock) {
        return file == null ? null : new LockoutStore(file, clock);
    }

    Path file() {
        return file;
    }

    /** The rejection on record for this upstream, user and secret, if any. */
    Optional<Rejection> find(String upstream, String user, String fingerprint) {
        synchronized (JVM_LOCK) {
            if (broken) {
                return Optional.empty();
            }
            refresh();
            State s = state;
            if (s == null || s.salt() == null) {
                return Optional.empty();
            }
            String tag = tag(s.salt(), fingerprint);
            return s.rejections().stream().filter(r -> same(r, upstream, user, tag)).findFirst();
        }
    }

    /**
     * Records a rejection, replacing this secret's earlier one, and returns its strike count: one
     * more than the most of the record's and {@code atLeast}, counted under the file lock, so that
     * rejections by several processes at once all count.
     *
     * @param until when the block ends, for a strike count
     */
    int strike(String upstream, String user, String fingerprint, String scheme, Instant rejectedAt, int atLeast,
               IntFunction<Instant> until) {
        int[] strikes = {atLeast + 1}; // what memory counts, should the file not be usable
        update(s -> {
            String tag = tag(s.salt(), fingerprint);
            int before = s.rejections().stream().filter(r -> same(r, upstream, user, tag)).mapToInt(Rejection::strikes)
                    .max().orElse(0);
            strikes[0] = Math.max(before, atLeast) + 1;
            List<Rejection> kept = without(s, upstream, user, tag);
            kept.add(new Rejection(upstream, user, tag, scheme, rejectedAt.toString(), until.apply(strikes[0]).toString(),
                    strikes[0]));
            return new State(s.salt(), kept);
        });
        return strikes[0];
    }

    private static boolean same(Rejection r, String upstream, String user, String tag) {
        return r.upstream().equals(upstream) && r.user().equals(user) && r.secret().equals(tag);
    }

    void remove(String upstream, String user, String fingerprint) {
        synchronized (JVM_LOCK) {
            if (find(upstream, user, fingerprint).isEmpty()) {
                return; // the common case, an accepted login with nothing on record: no write
            }
        }
        update(s -> new State(s.salt(), without(s, upstream, user, tag(s.salt(), fingerprint))));
    }

    private List<Rejection> without(State s, String upstream, String user, String tag) {
        Instant forget = clock.instant().minus(MEMORY);
        List<Rejection> kept = new ArrayList<>();
        for (Rejection r : s.rejections()) {
            if (!same(r, upstream, user, tag) && r.untilInstant().isAfter(forget)) {
                kept.add(r);
            }
        }
        return kept;
    }

    /** Under the file lock: reads the file afresh, applies the change, writes it back. */
    private void update(UnaryOperator<State> change) {
        synchronized (JVM_LOCK) {
            if (broken) {
                return;
            }
            try {
                Path dir = file.toAbsolutePath().getParent();
                if (!Files.isDirectory(dir)) {
                    if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                    } else {
                        Files.createDirectories(dir); // Windows: the user's profile directory is private already
                    }
                }
                try (FileChannel lock = FileChannel.open(dir.resolve(file.getFileName() + ".lock"),
                        StandardOpenOption.CREATE, StandardOpenOption.WRITE); FileLock held = lock.lock()) {
                    State current = read();
                    if (current.salt() == null) {
                        current = new State(newSalt(), current.rejections());
                    }
                    State next = change.apply(current);
                    FileReplacer.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(next) + "\n", "rw-------");
                    state = next;
                    seen = version();
                }
            } catch (IOException | RuntimeException e) {
                giveUp(e);
            }
        }
    }

    /** Re-reads the file when it changed (looked at once a second at most). */
    private void refresh() {
        long now = System.nanoTime();
        if (state != null && now - checkedNanos < RECHECK_NANOS) {
            return;
        }
        checkedNanos = now;
        try {
            Object v = version();
            if (!v.equals(seen)) {
                state = read();
                seen = v;
            }
        } catch (NoSuchFileException e) {
            state = new State(null, List.of());
            seen = null;
        } catch (IOException | RuntimeException e) {
            giveUp(e);
        }
    }

    /** The file's identity and time, to the nanosecond where the file system keeps them. */
    private Object version() throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        return List.of(String.valueOf(a.fileKey()), a.lastModifiedTime(), a.size());
    }

    /** The file's state; entries it cannot use (a field missing, a bad time) are dropped, a bad salt starts it afresh. */
    private State read() throws IOException {
        try {
            State s = JSON.readValue(Files.readString(file, StandardCharsets.UTF_8), State.class);
            if (s == null || s.salt() != null && !validSalt(s.salt())) {
                log.warn("lockout state {} has no usable salt; starting it afresh", file);
                return new State(null, List.of());
            }
            List<Rejection> usable = new ArrayList<>();
            for (Rejection r : s.rejections() == null ? List.<Rejection>of() : s.rejections()) {
                if (usable(r)) {
                    usable.add(r);
                }
            }
            return new State(s.salt(), List.copyOf(usable));
        } catch (NoSuchFileException e) {
            return new State(null, List.of());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            log.warn("lockout state {} is not readable JSON ({}); starting it afresh", file, e.getOriginalMessage());
            return new State(null, List.of());
        }
    }

    private static boolean validSalt(String salt) {
        try {
            return Base64.getDecoder().decode(salt).length >= 8;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean usable(Rejection r) {
        if (r == null || r.upstream() == null || r.user() == null || r.secret() == null || r.until() == null
                || r.rejectedAt() == null) {
            return false;
        }
        try {
            Instant.parse(r.until());
            Instant.parse(r.rejectedAt());
            return true;
        } catch (java.time.format.DateTimeParseException e) {
            return false;
        }
    }

    private void giveUp(Exception e) {
        broken = true;
        state = null;
        log.warn("cannot keep the lockout state in {} ({}); rejections are remembered by this process only "
                + "(set lockout-state to a writable file, or to none)", file, e.toString());
    }

    private static String newSalt() {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        return Base64.getEncoder().encodeToString(salt);
    }

    private static String tag(String salt, String fingerprint) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(salt), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(fingerprint.getBytes(StandardCharsets.UTF_8)), 0, 2);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
