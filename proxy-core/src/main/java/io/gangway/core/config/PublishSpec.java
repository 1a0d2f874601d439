package io.gangway.core.config;

import io.gangway.routing.HostPort;
import java.util.ArrayList;
import java.util.List;

/**
 * A published port, in Docker's {@code -p} syntax with the target added:
 * {@code [ADDR:]HOST_PORT:TARGET_HOST:TARGET_PORT} (IPv6 addresses in brackets).
 *
 * @param bind   where to listen (the address resolved by {@link PublishBind} when none was given)
 * @param target where connections go
 */
public record PublishSpec(ListenAddress bind, String targetHost, int targetPort) {

    /** Parses one {@code --publish} value under the given binding policy. */
    public static PublishSpec parse(String text, PublishBind policy) {
        List<String> parts = split(text.trim());
        if (parts.size() != 3 && parts.size() != 4) {
            throw new IllegalArgumentException("expected [ADDR:]HOST_PORT:TARGET_HOST:TARGET_PORT, such as 8080:172.17.0.2:80");
        }
        String address = parts.size() == 4 ? HostPort.stripBrackets(parts.get(0)) : null;
        int hostPort = port(parts.get(parts.size() - 3), text, true);
        String targetHost = HostPort.stripBrackets(parts.get(parts.size() - 2));
        int targetPort = port(parts.get(parts.size() - 1), text, false);
        if (targetHost.isEmpty()) {
            throw new IllegalArgumentException("no target host in " + text);
        }
        return new PublishSpec(new ListenAddress(policy.bindAddress(address), hostPort), targetHost, targetPort);
    }

    /** Splits on ':' outside brackets. */
    private static List<String> split(String s) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '[') {
                depth++;
            } else if (c == ']') {
                depth--;
            } else if (c == ':' && depth == 0) {
                parts.add(s.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(s.substring(start));
        return parts;
    }

    private static int port(String digits, String text, boolean zeroAllowed) {
        try {
            int port = Integer.parseInt(digits.trim());
            if (port < (zeroAllowed ? 0 : 1) || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port '" + digits + "' in " + text);
        }
    }

    public String target() {
        return HostPort.format(targetHost, targetPort);
    }

    @Override
    public String toString() {
        return bind + " -> " + target();
    }
}
