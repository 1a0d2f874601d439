package io.gangway.core.telemetry;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The last requests and the last errors, for the status page and {@code /status}: two small
 * rings, newest first when read. Targets are kept as the access log writes them (no query
 * string, no credentials).
 */
public final class RecentActivity {

    static final int REQUESTS = 50;
    static final int ERRORS = 20;

    /** One request or tunnel that ended. */
    public record Exchange(Instant at, String profile, String client, String method, String target, String route,
                           String status, long millis) {
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

    /** A fixed-size ring; adding is one short lock, as is reading (a page refresh every few seconds). */
    private static final class Ring<T> {
        private final Object[] items;
        private int next;
        private int size;

        Ring(int capacity) {
            items = new Object[capacity];
        }

        synchronized void add(T item) {
            items[next] = item;
            next = (next + 1) % items.length;
            size = Math.min(size + 1, items.length);
        }

        @SuppressWarnings("unchecked")
        synchronized List<T> newestFirst() {
            List<T> out = new ArrayList<>(size);
            for (int i = 1; i <= size; i++) {
                out.add((T) items[(next - i + items.length) % items.length]);
            }
            return out;
        }
    }
}
