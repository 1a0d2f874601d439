package io.gangway.core.http;

import io.gangway.core.config.Profile;
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

    public AccessLog(boolean enabled) {
        this.enabled = enabled && log.isInfoEnabled();
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

        Entry(String client, Profile profile) {
            this.client = client;
            this.profile = profile;
        }
    }

    void write(Entry e) {
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
}
