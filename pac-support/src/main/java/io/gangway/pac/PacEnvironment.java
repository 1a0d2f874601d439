package io.gangway.pac;

import java.net.InetAddress;
import java.time.Clock;
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

    /** The system's, with {@code myIpAddress()} fixed to {@code override} when it is set. */
    public static PacEnvironment withMyIp(String override) {
        List<InetAddress> fixed = override == null || override.isBlank() ? null : LocalAddresses.of(override);
        return new PacEnvironment(PacDns.system(), fixed != null ? () -> fixed : LocalAddresses::detect,
                Clock.systemDefaultZone());
    }
}
