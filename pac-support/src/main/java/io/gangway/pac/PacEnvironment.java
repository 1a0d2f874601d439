package io.gangway.pac;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * What the helpers see of the world: name resolution, this host's addresses and the clock.
 * The system's in production; tests and {@code gangway pac test} may fix them.
 */
public record PacEnvironment(PacDns dns, Supplier<List<InetAddress>> localAddresses, Clock clock) {

    public static PacEnvironment system() {
        return withMyIp(null);
    }

    /**
     * The system's, with {@code myIpAddress()} fixed to {@code override} when it is set. Detected
     * addresses are looked up again at most every 30 s (a PAC may call {@code myIpAddress()} on
     * every evaluation; a VPN coming up changes the answer).
     */
    public static PacEnvironment withMyIp(String override) {
        List<InetAddress> fixed = override == null || override.isBlank() ? null : LocalAddresses.of(override);
        return new PacEnvironment(PacDns.system(), fixed != null ? () -> fixed : new Recent<>(LocalAddresses::detect,
                Duration.ofSeconds(30)), Clock.systemDefaultZone());
    }

    /** A value computed again once it is older than {@code maxAge}. */
    private static final class Recent<T> implements Supplier<T> {
        private final Supplier<T> source;
        private final long maxAgeNanos;
        private T value;
        private long computedAt;

        Recent(Supplier<T> source, Duration maxAge) {
            this.source = source;
            this.maxAgeNanos = maxAge.toNanos();
        }

        @Override
        public synchronized T get() {
            long now = System.nanoTime();
            if (value == null || now - computedAt > maxAgeNanos) {
                value = source.get();
                computedAt = now;
            }
            return value;
        }
    }
}
