package io.gangway.core.telemetry;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The last requests and the last errors, for the status page and {@code /status}: two small
 * rings, newest first when read. Targets are kept as the access log writes them (no query
 * string, no credentials).
 */
public final class RecentActivity {

    static final int REQUESTS = 50;
    static final int ERRORS = 20;

    /**
     * One request or tunnel that ended. Kept as the access log had it, the route formatted only
     * when read: the request path pays for one small object and no string building.
     *
     * @param route the route taken, or the plan that failed ({@code toString} formats it), or null
     */
    public record Exchange(long atMillis, String profile, String client, String method, String target, Object route,
                           String status, long millis) {

        public Instant at() {
            return Instant.ofEpochMilli(atMillis);
        }

        /** One word: {@code DIRECT}, {@code PROXY/host:port}, a failed plan's routes joined by commas, or "-". */
        public String routeToken() {
            return route instanceof io.gangway.routing.Route r ? r.token()
                    : route instanceof io.gangway.routing.RoutePlan p ? p.token() : "-";
        }
    }

    /** One failure in the proxy, with the RFC 9209 type and the reason the client was given. */
    public record Failure(Instant at, String type, String client, String target, String message) {
    }

    private final Ring<Exchange> exchanges = new Ring<>(REQUESTS);
    private final Ring<Failure> failures = new Ring<>(ERRORS);

    public void exchange(Exchange exchange) {
        exchanges.add(exchange);
    }

    void error(String type, String client, String target, String message) {
        failures.add(new Failure(Instant.now(), type, client, target, message));
    }

    public List<Exchange> exchanges() {
        return exchanges.newestFirst();
    }

    public List<Failure> failures() {
        return failures.newestFirst();
    }

    /**
     * A fixed-size ring without locks: each add takes the next slot (the I/O threads never wait
     * for each other); a read sees the last entries, at worst missing one being written.
     */
    private static final class Ring<T> {
        private final AtomicReferenceArray<T> items;
        private final AtomicLong next = new AtomicLong();

        Ring(int capacity) {
            items = new AtomicReferenceArray<>(capacity);
        }

        void add(T item) {
            items.set((int) (next.getAndIncrement() % items.length()), item);
        }

        List<T> newestFirst() {
            long end = next.get();
            int n = (int) Math.min(end, items.length());
            List<T> out = new ArrayList<>(n);
            for (long i = end - 1; i >= end - n; i--) {
                T item = items.get((int) (i % items.length()));
                if (item != null) {
                    out.add(item);
                }
            }
            return out;
        }
    }
}
