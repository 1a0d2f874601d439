package io.gangway.core.admin;

import io.gangway.core.telemetry.Telemetry;
import java.net.InetSocketAddress;

/** What the admin endpoint asks of the running proxy. */
public interface AdminBackend {

    /** Ready: every listener bound and every profile's routing usable. */
    Readiness readiness();

    /** Everything {@code /status} and the page show; no secret. */
    StatusSnapshot status();

    /** Re-reads the configuration; an invalid one changes nothing. */
    ReloadOutcome reload();

    Telemetry telemetry();

    /** Whether a request naming {@code host} (its Host or Origin) may be answered: see {@code OwnListeners.acceptsHost}. */
    boolean acceptsHost(String host);

    /**
     * The proxy address a browser should use, as {@code host:port}: the engine listener, named by
     * {@code reachedAt}'s address when it listens on a wildcard.
     */
    String proxyAddressFor(InetSocketAddress reachedAt);
}
