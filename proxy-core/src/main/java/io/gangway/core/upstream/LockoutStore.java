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
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lockout state ({@link LockoutState}: rejections, probes, proven secrets) in a JSON file that
 * every Gangway process of the user reads, and every replica of a gateway when the file is on a
 * volume they share: {@code run}, {@code check --login}, a restarted Gangway and the other
 * replicas honour one back-off, and while an account's credentials are unproven one of them
 * tries them for all. A rejection names the upstream and the user, and tells the secret apart
 * only by a 16-bit tag (an HMAC under the file's own random salt): enough to see that the
 * password was changed, too little to test guesses against. Read-modify-write runs under a file
 * lock. When the file cannot be used, the guard keeps to memory and says so once.
 */
final class LockoutStore {

    private static final Logger log = LoggerFactory.getLogger("gangway");
    /**
     * The state file's mapper, made on the first read or write: Jackson was 375 of the 3,200
     * classes loaded at every start, and most runs never touch the file.
     */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper()
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                .setSerializationInclusion(JsonInclude.Include.NON_NULL);
    }
    /** One lock holder per JVM: a second FileChannel lock on the same file in one JVM would throw. */
    private static final Object JVM_LOCK = new Object();
    private static final long RECHECK_NANOS = 1_000_000_000L;

    /** A transaction's result, and the state to write (null: nothing changed, no write). */
    private record Step<T>(T result, LockoutState next) {
    }

    private final Path file;
    private final Clock clock;
    private boolean broken;
    private LockoutState state;
    /** What identified the file when it was last read: every write replaces it (a new inode), so this changes. */
    private Object seen;
    private long checkedNanos;

    private LockoutStore(Path file, Clock clock) {
        this.file = file;
        this.clock = clock;
    }

    /** A store in {@code file}, or null for none; {@code clock} says when old entries are forgotten. */
    static LockoutStore at(Path file, Clock clock) {
        return file == null ? null : new LockoutStore(file, clock);
    }

    Path file() {
        return file;
    }

    /** The rejection on record for this upstream, user and secret, if any (the file as read at most a second ago). */
    Optional<LockoutState.Rejection> find(String upstream, String user, String fingerprint) {
        synchronized (JVM_LOCK) {
            if (broken) {
                return Optional.empty();
            }
            refresh();
            LockoutState s = state;
            if (s == null || s.salt() == null) {
                return Optional.empty();
            }
            return s.rejection(upstream, user, tag(s.salt(), fingerprint));
        }
    }

    /**
     * Records a rejection, replacing this secret's earlier one, and returns its strike count: one
     * more than the most of the record's and {@code atLeast}, counted under the file lock, so that
     * rejections by several processes at once all count. The account's probe ends with it.
     *
     * @param until when the block ends, for a strike count
     */
    int strike(String upstream, String user, String fingerprint, String scheme, Instant rejectedAt, int atLeast,
               IntFunction<Instant> until) {
        Integer strikes = update(s -> {
            String tag = tag(s.salt(), fingerprint);
            int n = Math.max(s.rejection(upstream, user, tag).map(LockoutState.Rejection::strikes).orElse(0), atLeast) + 1;
            LockoutState.Rejection r = new LockoutState.Rejection(upstream, user, tag, scheme, rejectedAt.toString(),
                    until.apply(n).toString(), n);
            return new Step<>(n, s.struck(r, clock.instant()));
        });
        return strikes == null ? atLeast + 1 : strikes; // null: the file is not usable, memory counts
    }

    /**
     * The upstream accepted the secret: its rejection and the account's probe end, and it is
     * proven for every Gangway of the file. Writes only when that changes something (an accepted
     * login with all that on record already is the common case).
     */
    void accepted(String upstream, String user, String fingerprint) {
        Instant now = clock.instant();
        synchronized (JVM_LOCK) {
            if (broken) {
                return;
            }
            refresh();
            LockoutState s = state;
            if (s != null && s.salt() != null) {
                String tag = tag(s.salt(), fingerprint);
                if (s.isProven(upstream, user, tag) && s.rejection(upstream, user, tag).isEmpty()
                        && s.probe(upstream, user, now).isEmpty()) {
                    return;
                }
            }
        }
        update(s -> new Step<>(null, s.accepted(upstream, user, tag(s.salt(), fingerprint), now)));
    }

    /**
     * Asks to try the account's unproven credentials, for every Gangway of the file: empty when
     * this one ({@code owner}) may send them (the probe is now its own until {@code until}; or the
     * secret is proven, or blocked, and the caller sees which), else the probe of another Gangway,
     * whose verdict to wait for. Read afresh under the file lock: two Gangways never both get it.
     */
    Optional<LockoutState.Probe> claim(String upstream, String user, String fingerprint, String owner, String holder,
                                       Instant until) {
        Instant now = clock.instant();
        Optional<LockoutState.Probe> other = update(s -> {
            String tag = tag(s.salt(), fingerprint);
            boolean blocked = s.rejection(upstream, user, tag).filter(r -> now.isBefore(r.untilInstant())).isPresent();
            if (s.isProven(upstream, user, tag) || blocked) {
                return new Step<>(Optional.<LockoutState.Probe>empty(), null);
            }
            Optional<LockoutState.Probe> probe = s.probe(upstream, user, now);
            if (probe.isPresent() && !probe.get().owner().equals(owner)) {
                return new Step<>(probe, null);
            }
            return new Step<>(Optional.<LockoutState.Probe>empty(),
                    s.probing(new LockoutState.Probe(upstream, user, owner, holder, until.toString()), now));
        });
        return other == null ? Optional.empty() : other;
    }

    /** {@code owner}'s probe of the account ends without a verdict (its connection went): the next Gangway may try. */
    void release(String upstream, String user, String owner) {
        update(s -> {
            LockoutState next = s.released(upstream, user, owner);
            return new Step<>(null, next.probes().size() == s.probes().size() ? null : next);
        });
    }

    /**
     * Under the file lock: reads the file afresh, applies the transaction, writes the state it
     * returns (if any); returns its result, or null when the file is not usable.
     */
    private <T> T update(Function<LockoutState, Step<T>> transaction) {
        synchronized (JVM_LOCK) {
            if (broken) {
                return null;
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
                    LockoutState current = read();
                    if (current.salt() == null) {
                        current = current.withSalt(newSalt());
                    }
                    Step<T> step = transaction.apply(current);
                    if (step.next() != null) {
                        FileReplacer.write(file, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(step.next()) + "\n",
                                "rw-------");
                        state = step.next();
                        seen = version();
                    } else if (Files.exists(file)) {
                        state = current; // read under the lock: as fresh as a re-read
                        seen = version();
                    }
                    return step.result();
                }
            } catch (IOException | RuntimeException e) {
                giveUp(e);
                return null;
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
            state = LockoutState.EMPTY;
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
    private LockoutState read() throws IOException {
        try {
            LockoutState s = Json.MAPPER.readValue(Files.readString(file, StandardCharsets.UTF_8), LockoutState.class);
            if (s == null || s.salt() != null && !validSalt(s.salt())) {
                log.warn("lockout state {} has no usable salt; starting it afresh", file);
                return LockoutState.EMPTY;
            }
            return s.usable();
        } catch (NoSuchFileException e) {
            return LockoutState.EMPTY;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            log.warn("lockout state {} is not readable JSON ({}); starting it afresh", file, e.getOriginalMessage());
            return LockoutState.EMPTY;
        }
    }

    private static boolean validSalt(String salt) {
        try {
            return Base64.getDecoder().decode(salt).length >= 8;
        } catch (IllegalArgumentException e) {
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
