package io.gangway.core;

import io.gangway.core.config.ConfigKey;
import io.gangway.core.config.ConfigLoader;
import io.gangway.core.config.ConfigValue;
import io.gangway.core.server.GangwayServer;
import io.gangway.core.server.ServerStats;
import io.gangway.core.upstream.HostResolver;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A Gangway server for a test, configured as from the command line, on a free loopback port. */
public final class RunningGangway implements AutoCloseable {

    private final GangwayServer server;
    private final InetSocketAddress address;

    private RunningGangway(GangwayServer server, InetSocketAddress address) {
        this.server = server;
        this.address = address;
    }

    public static Builder builder() {
        return new Builder();
    }

    public int port() {
        return address.getPort();
    }

    public ServerStats stats() {
        return server.stats();
    }

    /** Waits until no client or upstream connection is open; fails after the timeout. */
    public void awaitNoOpenConnections(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (stats().openClientConnections() + stats().openUpstreamConnections() > 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("connections still open: clients=" + stats().openClientConnections()
                        + " upstreams=" + stats().openUpstreamConnections());
            }
            Thread.sleep(20);
        }
    }

    @Override
    public void close() {
        server.close();
        LeakWatch.assertNoLeaks();
    }

    public static final class Builder {
        private final Map<ConfigKey, List<String>> flags = new EnumMap<>(ConfigKey.class);
        private final Map<String, String> env = new HashMap<>();
        private HostResolver.NameLookup names = HostResolver.NameLookup.SYSTEM;

        /** Sets a flag; list flags accumulate and split on commas, as on the command line. */
        public Builder with(ConfigKey key, String value) {
            List<String> values = flags.computeIfAbsent(key, k -> new ArrayList<>());
            values.addAll(key.type() == ConfigKey.Type.LIST ? List.of(value.split(",")) : List.of(value));
            return this;
        }

        public Builder env(String name, String value) {
            env.put(name, value);
            return this;
        }

        /** Looks host names up with this instead of the OS resolver (a name server that never answers). */
        public Builder names(HostResolver.NameLookup lookup) {
            names = lookup;
            return this;
        }

        public RunningGangway start() throws InterruptedException {
            flags.putIfAbsent(ConfigKey.LISTEN, List.of("127.0.0.1:0"));
            Map<ConfigKey, ConfigValue> values = new EnumMap<>(ConfigKey.class);
            flags.forEach((key, list) -> values.put(key, new ConfigValue(
                    key.type() == ConfigKey.Type.LIST ? list : list.get(list.size() - 1), key.flag())));
            GangwayServer server = new GangwayServer(ConfigLoader.load(null, env, values), env, names);
            return new RunningGangway(server, server.start().get(0));
        }
    }
}
