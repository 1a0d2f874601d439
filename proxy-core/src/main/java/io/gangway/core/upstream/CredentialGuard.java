package io.gangway.core.upstream;

import io.gangway.routing.Route;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Account-lockout protection. Once an upstream rejects an account's credentials at the end of a
 * complete handshake, they are not sent to that upstream again for a back-off period (doubling
 * with each rejection, capped): a domain controller counts every failed login, and a proxy that
 * retried for each client request would lock the account within seconds. A changed secret is a
 * different key, so a fixed password is used at once. With a {@link LockoutStore} the
 * rejections are shared with every other Gangway of the file ({@code check --login}, a restart,
 * the other replicas of a gateway on a shared volume), and so is the first login: while an
 * account's credentials are unproven, one Gangway of the file tries them and the others wait
 * for its verdict ({@link #fleetTurn}).
 */
public final class CredentialGuard {

    private static final Logger log = LoggerFactory.getLogger("gangway");
    /** How often a Gangway waiting for another's first login looks at the shared file. */
    static final Duration PROBE_POLL = Duration.ofMillis(200);
    /**
     * Made when a block is first reported, not when the class loads (at every start): the zone's
     * rules (a service lookup over the class path) and the pattern's parser, for a message most
     * runs never write.
     */
    private static final class Time {
        static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());
    }

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
    /** This Gangway among those sharing the file: a random id, and who it is for a person (host and pid). */
    private final String owner = UUID.randomUUID().toString();
    private final String holder = holderName();
    private final Duration probeLease;

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
        this.probeLease = responseTimeout.plusSeconds(10);
        this.firstLogins = new FirstLoginGate(probeLease, this::holdEnded);
    }

    private static String holderName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "localhost";
        }
        return "gangway on " + host + " (pid " + ProcessHandle.current().pid() + ")";
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
                key.route().authority(), scheme, key.identity(), Time.FORMAT.format(block.until), block.strikes);
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
            store.accepted(key.route().token(), key.identity(), key.secretFingerprint());
        }
    }

    /**
     * Completes on {@code conn}'s loop when this Gangway may send the unproven credentials of
     * {@code key} as far as the other Gangways of the lockout-state file go: at once without a
     * file, or when none of them is trying these credentials (this one then is, until its
     * verdict, its connection's close, or the lease), or once one has had them accepted or
     * rejected. Meanwhile the file is looked at every {@link #PROBE_POLL}. Fails when {@code conn}
     * closes while it waits. Called by the holder of this process's {@link FirstLoginGate}.
     */
    Future<Void> fleetTurn(Key key, UpstreamConnection conn) {
        Promise<Void> turn = conn.channel().eventLoop().newPromise();
        if (store == null) {
            return turn.setSuccess(null);
        }
        askTurn(key, conn, turn, false);
        return turn;
    }

    private void askTurn(Key key, UpstreamConnection conn, Promise<Void> turn, boolean told) {
        if (!conn.isActive()) {
            turn.tryFailure(new IOException("the upstream connection closed while waiting for another Gangway's login"));
            return;
        }
        Optional<LockoutState.Probe> other = store.claim(key.route().token(), key.identity(), key.secretFingerprint(),
                owner, holder, clock.instant().plus(probeLease));
        if (other.isEmpty()) {
            turn.trySuccess(null);
            return;
        }
        if (!told) {
            log.info("{} is trying the credentials of '{}' at upstream {} (shared lockout state {}); waiting for its verdict "
                    + "until {} at most", other.get().holder(), key.identity(), key.route().authority(), store.file(),
                    Time.FORMAT.format(other.get().untilInstant()));
        }
        conn.channel().eventLoop().schedule(() -> askTurn(key, conn, turn, true), PROBE_POLL.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** This process's first-login hold of {@code key} ended (verdict or not): so does its probe in the file, if any. */
    private void holdEnded(Key key) {
        if (store != null) {
            store.release(key.route().token(), key.identity(), owner);
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
                + "' at " + Time.FORMAT.format(block.rejectedAt) + "; to keep the account from being locked out, Gangway will not "
                + "send them again until " + Time.FORMAT.format(block.until) + ". Fix the password (GANGWAY_PASSWORD, "
                + "--password-file: a changed file is picked up at once) or wait";
    }
}
