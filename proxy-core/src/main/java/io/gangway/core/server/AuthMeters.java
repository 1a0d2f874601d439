package io.gangway.core.server;

import io.gangway.core.telemetry.Telemetry;
import io.gangway.core.upstream.UpstreamAuthenticator;
import io.gangway.routing.Route;
import java.util.Locale;

/** Counts the authenticator's handshakes and failures by scheme, for {@code /metrics}. */
final class AuthMeters implements UpstreamAuthenticator.SchemeNotes {

    private final Telemetry telemetry;

    AuthMeters(Telemetry telemetry) {
        this.telemetry = telemetry;
    }

    @Override
    public void tokenSent(Route route, String scheme) {
        telemetry.authAttempted(scheme);
    }

    @Override
    public void note(Route route, String scheme, String what) {
        // "rejected: ...", "rejected, without a password tried: ...", "not usable: ..."
        telemetry.authFailed(scheme.toLowerCase(Locale.ROOT), what.startsWith("not usable") ? "unusable" : "rejected");
    }
}
