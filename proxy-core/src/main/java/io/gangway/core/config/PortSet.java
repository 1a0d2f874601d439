package io.gangway.core.config;

import java.util.Set;
import java.util.TreeSet;

/** A set of TCP ports, as {@code 80,443} or {@code *} for all. */
public record PortSet(Set<Integer> ports) {

    public static final PortSet ALL = new PortSet(Set.of());

    public static PortSet parse(String text) {
        if (text.trim().equals("*")) {
            return ALL;
        }
        Set<Integer> ports = new TreeSet<>();
        for (String part : text.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            try {
                int port = Integer.parseInt(p);
                if (port < 1 || port > 65535) {
                    throw new NumberFormatException();
                }
                ports.add(port);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected ports such as 80,443, or * for all; '" + p + "' is not a port");
            }
        }
        if (ports.isEmpty()) {
            throw new IllegalArgumentException("expected ports such as 80,443, or * for all");
        }
        return new PortSet(Set.copyOf(ports));
    }

    public boolean all() {
        return ports.isEmpty();
    }

    public boolean contains(int port) {
        return all() || ports.contains(port);
    }

    @Override
    public String toString() {
        return all() ? "*" : String.join(",", new TreeSet<>(ports).stream().map(String::valueOf).toList());
    }
}
