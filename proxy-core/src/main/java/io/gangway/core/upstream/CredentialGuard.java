package io.gangway.core.upstream;

import io.gangway.routing.Route;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
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
 * different key, so a fixed password is used at once.
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
    private final Duration first;
    private final Duration cap;
    private final Clock clock;

    public CredentialGuard(Duration first, Duration cap) {
        this(first, cap, Clock.systemUTC());
    }

    CredentialGuard(Duration first, Duration cap, Clock clock) {
        this.first = first;
        this.cap = cap;
        this.clock = clock;
    }

    /** Records a rejection by {@code scheme}; returns the message clients get while the block lasts. */
    String rejected(Key key, String scheme) {
        Instant now = clock.instant();
        Block block = blocks.compute(key, (k, old) -> {
            int strikes = old == null ? 1 : old.strikes + 1;
            Duration wait = first.multipliedBy(1L << Math.min(strikes - 1, 20));
            return new Block(scheme, now, now.plus(wait.compareTo(cap) > 0 ? cap : wait), strikes);
        });
        log.warn("upstream {} rejected the {} credentials of '{}'; not sending them again until {} (rejection {})",
                key.route().authority(), scheme, key.identity(), TIME.format(block.until), block.strikes);
        return message(key, block);
    }

    void accepted(Key key) {
        blocks.remove(key);
    }

    /** Why these credentials must not be sent now, or empty when they may. */
    Optional<String> blocked(Key key) {
        Block block = blocks.get(key);
        if (block == null || !clock.instant().isBefore(block.until)) {
            return Optional.empty();
        }
        return Optional.of(message(key, block));
    }

    private static String message(Key key, Block block) {
        return "upstream " + key.route().authority() + " rejected the " + block.scheme + " credentials of user '" + key.identity()
                + "' at " + TIME.format(block.rejectedAt) + "; to keep the account from being locked out, Gangway will not "
                + "send them again until " + TIME.format(block.until) + ". Fix the password (GANGWAY_PASSWORD, "
                + "--password-file: a changed file is picked up at once) or wait";
    }
}
