package io.gangway.core.upstream;

import io.gangway.routing.Route;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Account-lockout protection. Once an upstream rejects an account's credentials at the end of a
 * complete handshake, they are not sent to that upstream again for a back-off period (doubling
 * with each rejection, capped): a domain controller counts every failed login, and a proxy that
 * retried for each client request would lock the account within seconds. A changed secret is a
 * different key, so a fixed password is used at once. With a {@link LockoutStore} the
 * rejections are shared with every other Gangway of the user ({@code check --login}, a restart).
 */
public final class CredentialGuard {

    private static final Logger log = LoggerFactory.getLogger("gangway");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    /** An account with one secret at one upstream. */
    record Key(Route route, String identity, String secretFingerprint) {
    }

    private record Block(String scheme, Instant rejectedAt, Instant until, int strikes) {
    }


    private final Map<Key, Block> blocks = new ConcurrentHashMap<>();
    private final FirstLoginGate firstLogins;
    private final Duration first;
    private final Duration cap;
    private final Clock clock;
    private final LockoutStore store;

    /**
     * @param stateFile      where rejections are shared with the user's other Gangways, or null for this process only
     * @param responseTimeout how long an upstream may take to answer: a first login's verdict comes with that answer,
     *                        so other connections of the account wait that long at most (plus a margin) for it
     */
    public CredentialGuard(Duration first, Duration cap, Path stateFile, Duration responseTimeout) {
        this(first, cap, Clock.systemUTC(), stateFile, responseTimeout);
    }

    CredentialGuard(Duration first, Duration cap, Clock clock) {
        this(first, cap, clock, null, Duration.ofSeconds(120));
    }

    CredentialGuard(Duration first, Duration cap, Clock clock, Path stateFile, Duration responseTimeout) {
        this.first = first;
        this.cap = cap;
        this.clock = clock;
        this.store = LockoutStore.at(stateFile, clock);
        // The flow's response timeout closes a silent holder's connection, which ends its hold
        // first; the lease is the net under that, for a holder neither answered nor closed.
        this.firstLogins = new FirstLoginGate(responseTimeout.plusSeconds(10));
    }

    /** Records a rejection by {@code scheme}; returns the message clients get while the block lasts. */
    String rejected(Key key, String scheme) {
        Instant now = clock.instant();
        // Counted atomically: rejections of one account on several connections at once all count.
        Block block = blocks.compute(key, (k, old) -> block(scheme, now, (old == null ? 0 : old.strikes) + 1));
        if (store != null) {
            int strikes = store.strike(key.route().token(), key.identity(), key.secretFingerprint(), scheme, now,
                    block.strikes - 1, n -> until(now, n));
            block = blocks.merge(key, block(scheme, now, strikes), (a, b) -> a.strikes >= b.strikes ? a : b);
        }
        log.warn("upstream {} rejected the {} credentials of '{}'; not sending them again until {} (rejection {})",
                key.route().authority(), scheme, key.identity(), TIME.format(block.until), block.strikes);
        firstLogins.rejected(key);
        return message(key, block);
    }

    private Block block(String scheme, Instant now, int strikes) {
        return new Block(scheme, now, until(now, strikes), strikes);
    }

    /** The end of the block after {@code strikes} rejections: the first back-off, doubled each time, capped. */
    private Instant until(Instant now, int strikes) {
        Duration wait = first.multipliedBy(1L << Math.min(strikes - 1, 20));
        return now.plus(wait.compareTo(cap) > 0 ? cap : wait);
    }

    void accepted(Key key) {
        firstLogins.accepted(key);
        blocks.remove(key);
        if (store != null) {
            store.remove(key.route().token(), key.identity(), key.secretFingerprint());
        }
    }

    /** Who may send credentials that have not been accepted yet: one connection per key at a time. */
    FirstLoginGate firstLogins() {
        return firstLogins;
    }

    /** Why these credentials must not be sent now, or empty when they may. */
    Optional<String> blocked(Key key) {
        Instant now = clock.instant();
        Block block = blocks.get(key);
        if (block == null || !now.isBefore(block.until)) {
            block = persisted(key).filter(b -> now.isBefore(b.until)).orElse(null);
        }
        return block == null || !now.isBefore(block.until) ? Optional.empty() : Optional.of(message(key, block));
    }

    private Optional<Block> persisted(Key key) {
        if (store == null) {
            return Optional.empty();
        }
        return store.find(key.route().token(), key.identity(), key.secretFingerprint())
                .map(r -> new Block(r.scheme(), Instant.parse(r.rejectedAt()), r.untilInstant(), r.strikes()));
    }

    /** A back-off in force: the account's credentials are not sent to {@code upstream} until {@code until}. No secret. */
    public record BackOff(String upstream, String user, String scheme, Instant until, int strikes) {
    }

    /** The back-offs in force in this process (those read from the shared file included once met). */
    public List<BackOff> backOffs() {
        Instant now = clock.instant();
        return blocks.entrySet().stream().filter(e -> now.isBefore(e.getValue().until))
                .map(e -> new BackOff(e.getKey().route().authority(), e.getKey().identity(), e.getValue().scheme,
                        e.getValue().until, e.getValue().strikes))
                .sorted(java.util.Comparator.comparing(BackOff::upstream).thenComparing(BackOff::user)).toList();
    }

    private static String message(Key key, Block block) {
        return "upstream " + key.route().authority() + " rejected the " + block.scheme + " credentials of user '" + key.identity()
                + "' at " + TIME.format(block.rejectedAt) + "; to keep the account from being locked out, Gangway will not "
                + "send them again until " + TIME.format(block.until) + ". Fix the password (GANGWAY_PASSWORD, "
                + "--password-file: a changed file is picked up at once) or wait";
    }
}
