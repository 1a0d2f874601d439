package io.gangway.core.upstream;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * What the lockout-state file holds, and its changes as pure functions (a change is a new state).
 * Shared by every Gangway that uses the file, on one machine or as replicas on a shared volume:
 * <ul>
 * <li>rejections: an account's secret (its tag) was refused; not sent again until the block ends;
 * <li>probes: one Gangway is sending an account's not-yet-accepted credentials; the others wait
 *     for its verdict instead of each spending a login (one probing for all);
 * <li>proven: an account's secret was accepted; Gangways send it without waiting for a probe.
 * </ul>
 * Secrets appear only as 16-bit tags (see {@link LockoutStore}). Times are ISO-8601 instants.
 */
record LockoutState(String salt, List<Rejection> rejections, List<Probe> probes, List<Proven> proven) {

    static final LockoutState EMPTY = new LockoutState(null, List.of(), List.of(), List.of());
    /** How long a rejection is remembered after its block ends (for the doubling), and an acceptance. */
    static final Duration MEMORY = Duration.ofDays(1);

    /** One rejection of an account's secret at an upstream. */
    record Rejection(String upstream, String user, String secret, String scheme, String rejectedAt, String until,
                     int strikes) {
        Instant untilInstant() {
            return Instant.parse(until);
        }

        boolean of(String upstream, String user, String tag) {
            return this.upstream.equals(upstream) && this.user.equals(user) && secret.equals(tag);
        }
    }

    /** A Gangway ({@code owner}, a random id; {@code holder} says which to a person) trying an account's credentials. */
    record Probe(String upstream, String user, String owner, String holder, String until) {
        Instant untilInstant() {
            return Instant.parse(until);
        }

        boolean of(String upstream, String user) {
            return this.upstream.equals(upstream) && this.user.equals(user);
        }
    }

    /** An account's secret that an upstream accepted. */
    record Proven(String upstream, String user, String secret, String at) {
        boolean of(String upstream, String user, String tag) {
            return this.upstream.equals(upstream) && this.user.equals(user) && secret.equals(tag);
        }
    }

    /** As read from a file: missing lists are empty, entries with a field missing or a bad time are dropped. */
    LockoutState usable() {
        return new LockoutState(salt,
                keep(rejections, r -> r.upstream() != null && r.user() != null && r.secret() != null
                        && r.scheme() != null && instant(r.until()) && instant(r.rejectedAt())),
                keep(probes, p -> p.upstream() != null && p.user() != null && p.owner() != null && instant(p.until())),
                keep(proven, p -> p.upstream() != null && p.user() != null && p.secret() != null && instant(p.at())));
    }

    LockoutState withSalt(String newSalt) {
        return new LockoutState(newSalt, rejections, probes, proven);
    }

    Optional<Rejection> rejection(String upstream, String user, String tag) {
        return rejections.stream().filter(r -> r.of(upstream, user, tag)).findFirst();
    }

    /** The probe of the account in force at {@code now}, by whichever Gangway. */
    Optional<Probe> probe(String upstream, String user, Instant now) {
        return probes.stream().filter(p -> p.of(upstream, user) && now.isBefore(p.untilInstant())).findFirst();
    }

    boolean isProven(String upstream, String user, String tag) {
        return proven.stream().anyMatch(p -> p.of(upstream, user, tag));
    }

    /** A rejection: it replaces the secret's earlier one, ends the account's probe, and the secret is no longer proven. */
    LockoutState struck(Rejection r, Instant now) {
        return new LockoutState(salt,
                append(keep(rejections, o -> !o.of(r.upstream(), r.user(), r.secret())), r),
                keep(probes, p -> !p.of(r.upstream(), r.user())),
                keep(proven, p -> !p.of(r.upstream(), r.user(), r.secret()))).forgetting(now);
    }

    /** An acceptance: the secret's rejection and the account's probe end, and the secret is proven. */
    LockoutState accepted(String upstream, String user, String tag, Instant now) {
        return new LockoutState(salt,
                keep(rejections, r -> !r.of(upstream, user, tag)),
                keep(probes, p -> !p.of(upstream, user)),
                append(keep(proven, p -> !p.of(upstream, user, tag)), new Proven(upstream, user, tag, now.toString())))
                .forgetting(now);
    }

    /** {@code probe} becomes the account's probe. */
    LockoutState probing(Probe probe, Instant now) {
        return new LockoutState(salt, rejections, append(keep(probes, p -> !p.of(probe.upstream(), probe.user())), probe),
                proven).forgetting(now);
    }

    /** The account's probe by {@code owner} ends without a verdict. */
    LockoutState released(String upstream, String user, String owner) {
        return new LockoutState(salt, rejections, keep(probes, p -> !(p.of(upstream, user) && p.owner().equals(owner))),
                proven);
    }

    /**
     * Drops what no longer matters: rejections whose block ended {@link #MEMORY} ago, acceptances
     * as old, and probes whose time is up (their Gangway went away without a verdict).
     */
    private LockoutState forgetting(Instant now) {
        Instant forget = now.minus(MEMORY);
        return new LockoutState(salt,
                keep(rejections, r -> r.untilInstant().isAfter(forget)),
                keep(probes, p -> p.untilInstant().isAfter(now)),
                keep(proven, p -> Instant.parse(p.at()).isAfter(forget)));
    }

    private static <T> List<T> keep(List<T> list, Predicate<T> which) {
        return list == null ? List.of() : list.stream().filter(t -> t != null && which.test(t)).toList();
    }

    private static <T> List<T> append(List<T> list, T item) {
        return Stream.concat(list.stream(), Stream.of(item)).toList();
    }

    private static boolean instant(String text) {
        if (text == null) {
            return false;
        }
        try {
            Instant.parse(text);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
