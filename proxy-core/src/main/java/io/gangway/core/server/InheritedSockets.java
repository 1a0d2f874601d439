package io.gangway.core.server;

import io.gangway.core.config.ConfigKey;
import io.gangway.core.config.ConfigValue;
import io.gangway.core.config.ListenAddress;
import io.gangway.routing.HostPort;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.util.NetUtil;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Listening sockets handed over by systemd's socket activation ({@code LISTEN_PID},
 * {@code LISTEN_FDS}, {@code LISTEN_FDNAMES}; sd_listen_fds(3)): descriptors 3, 4, ... Given
 * sockets, Gangway listens on them alone: their addresses become the {@code listen} settings
 * (so the open-proxy rule, gateway mode and {@code /status} see them as any listener) and binding
 * such an address adopts the socket instead. A socket named {@code containers} serves the
 * containers profile, one named {@code admin} is the admin listener; any other name (systemd's
 * default is the socket unit's) serves the engine profile.
 */
public final class InheritedSockets {

    private static final int FIRST_FD = 3;

    /** One adopted socket: its name and the channel over its descriptor. */
    private record Inherited(String name, EpollServerSocketChannel channel) {
        ListenAddress address() {
            InetSocketAddress local = channel.localAddress();
            return ListenAddress.parse(HostPort.format(NetUtil.toAddressString(local.getAddress()), local.getPort()));
        }
    }

    private final Map<ListenAddress, Inherited> sockets = new LinkedHashMap<>();

    private InheritedSockets() {
    }

    public static InheritedSockets none() {
        return new InheritedSockets();
    }

    /**
     * The sockets systemd passed to this process; none when {@code LISTEN_PID} names another
     * process (a variable inherited by a child) or is unset.
     */
    public static InheritedSockets fromEnvironment(Map<String, String> env) {
        InheritedSockets out = new InheritedSockets();
        String pid = env.get("LISTEN_PID");
        if (pid == null || !pid.strip().equals(String.valueOf(ProcessHandle.current().pid()))) {
            return out;
        }
        int count;
        try {
            count = Integer.parseInt(env.getOrDefault("LISTEN_FDS", "0").strip());
        } catch (NumberFormatException e) {
            throw new IllegalStateException("LISTEN_FDS is not a number: '" + env.get("LISTEN_FDS") + "'");
        }
        if (count <= 0) {
            return out;
        }
        if (!Epoll.isAvailable()) {
            throw new IllegalStateException("systemd passed " + count + " listening socket(s), and adopting them needs the "
                    + "epoll transport (Linux), which did not load: " + Epoll.unavailabilityCause());
        }
        String[] names = env.getOrDefault("LISTEN_FDNAMES", "").split(":", -1);
        for (int i = 0; i < count; i++) {
            String name = i < names.length ? names[i] : "";
            Inherited socket = new Inherited(name, new EpollServerSocketChannel(FIRST_FD + i));
            if (socket.channel.localAddress() == null) {
                throw new IllegalStateException("descriptor " + (FIRST_FD + i) + " from systemd (" + name
                        + ") is not a listening TCP socket");
            }
            out.sockets.put(socket.address(), socket);
        }
        return out;
    }

    public boolean isEmpty() {
        return sockets.isEmpty();
    }

    /**
     * The listener settings the sockets stand for, as flags (which outrank the file and the
     * environment): every proxy listener of the configuration is one of them.
     */
    public Map<ConfigKey<?>, ConfigValue> listenFlags() {
        Map<ConfigKey<?>, ConfigValue> flags = new LinkedHashMap<>();
        put(flags, ConfigKey.LISTEN, "engine", addresses(n -> !n.equals("containers") && !n.equals("admin")));
        put(flags, ConfigKey.CONTAINERS_LISTEN, "containers", addresses("containers"::equals));
        List<String> admin = addresses("admin"::equals);
        if (admin.size() > 1) {
            throw new IllegalStateException("systemd passed " + admin.size() + " sockets named admin; there is one admin listener");
        }
        if (!admin.isEmpty()) {
            flags.put(ConfigKey.ADMIN, new ConfigValue(admin.get(0), "the socket systemd passed as admin"));
        }
        return flags;
    }

    private static void put(Map<ConfigKey<?>, ConfigValue> flags, ConfigKey<?> key, String what, List<String> addresses) {
        if (!addresses.isEmpty()) {
            flags.put(key, new ConfigValue(addresses, "the sockets systemd passed (" + what + ")"));
        }
    }

    private List<String> addresses(java.util.function.Predicate<String> named) {
        List<String> out = new ArrayList<>();
        sockets.forEach((address, socket) -> {
            if (named.test(socket.name)) {
                out.add(HostPort.format(address.host(), address.port()));
            }
        });
        return out;
    }

    /** The socket for {@code address}, taken (a listener adopts it once), or null when none was passed for it. */
    synchronized EpollServerSocketChannel take(ListenAddress address) {
        // Nearly every start has none, and hashing the address was the process's first record
        // hashCode: its bootstrap, ~10 ms of start-up.
        if (sockets.isEmpty()) {
            return null;
        }
        Inherited socket = sockets.remove(address);
        return socket == null ? null : socket.channel;
    }
}
