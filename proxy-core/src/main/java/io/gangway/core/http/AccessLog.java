package io.gangway.core.http;

import io.gangway.core.config.Profile;
import io.gangway.core.telemetry.RecentActivity;
import io.gangway.core.telemetry.Telemetry;
import io.gangway.routing.Route;
import io.gangway.routing.RoutePlan;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per request or tunnel, on the logger {@code gangway.access}:
 * {@code client method target [dst=...] profile=... route=... auth=... status in=... out=... ms=...},
 * {@code dst} being where a redirected (transparent) connection was going. Each field is one
 * word ({@code route=PROXY/proxy.corp:8080}, a failed plan {@code route=PROXY/a:8080,DIRECT}), so
 * that the line splits on spaces.
 * Targets are logged without query strings and credentials never appear.
 */
public final class AccessLog {

    private static final Logger log = LoggerFactory.getLogger("gangway.access");

    private final boolean enabled;
    private final Telemetry telemetry;

    public AccessLog(boolean enabled) {
        this(enabled, Telemetry.off());
    }

    /** @param telemetry also told of each request and tunnel that ended (the admin endpoint's meters and page) */
    public AccessLog(boolean enabled, Telemetry telemetry) {
        this.enabled = enabled && log.isInfoEnabled();
        this.telemetry = telemetry;
    }

    /** What one request or tunnel did, filled in as it goes. */
    static final class Entry {
        final String client;
        final Profile profile;
        final long startNanos = System.nanoTime();
        String method = "-";
        String target = "-";
        /** Where a redirected connection was going (transparent listeners), or null. */
        String destination;
        /** The route taken, else the plan that failed, else null: formatted only when the line is written. */
        Route route;
        RoutePlan plan;
        String auth = "-";
        String status = "-";
        long bytesIn;
        long bytesOut;
        /** Whether this is a tunnel that counted as open (so its end closes it). */
        boolean tunnel;
        /** Whether its line was written: an exchange ends once. */
        boolean written;

        Entry(String client, Profile profile) {
            this.client = client;
            this.profile = profile;
        }
    }

    void write(Entry e) {
        if (e.written) {
            return;
        }
        e.written = true;
        if (telemetry.on()) {
            measure(e);
        }
        if (enabled) {
            long ms = (System.nanoTime() - e.startNanos) / 1_000_000;
            // Built here rather than by a "{}" pattern: no argument array, no boxing, no
            // formatter state; this line is the hot path's only logging.
            StringBuilder b = new StringBuilder(160).append(e.client).append(' ').append(e.method).append(' ')
                    .append(e.target);
            if (e.destination != null) {
                b.append(" dst=").append(e.destination);
            }
            String line = b.append(" profile=").append(e.profile.key()).append(" route=")
                    .append(e.route != null ? e.route.token() : e.plan != null ? e.plan.token() : "-")
                    .append(" auth=").append(e.auth).append(" status=").append(e.status).append(" in=").append(e.bytesIn).append(" out=")
                    .append(e.bytesOut).append(" ms=").append(ms).toString();
            log.info(line);
        }
    }

    private void measure(Entry e) {
        Route taken = e.route;
        // a failed plan is counted under the kind of its first route: what was tried
        Route.Kind kind = taken != null ? taken.kind()
                : e.plan != null && !e.plan.routes().isEmpty() ? e.plan.routes().get(0).kind() : null;
        telemetry.exchangeEnded(e.profile, e.tunnel, kind, e.status, e.bytesIn, e.bytesOut);
        telemetry.recent().exchange(new RecentActivity.Exchange(System.currentTimeMillis(), e.profile.key(), e.client,
                e.method, e.target, taken != null ? taken : e.plan, e.status, (System.nanoTime() - e.startNanos) / 1_000_000));
    }
}
