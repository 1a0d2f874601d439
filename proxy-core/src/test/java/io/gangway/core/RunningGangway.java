package io.gangway.core;

import io.gangway.harness.audit.TestSecrets;

import io.gangway.core.config.ConfigKey;
import io.gangway.core.config.ConfigLoader;
import io.gangway.core.config.ConfigValue;
import io.gangway.core.server.GangwayServer;
import io.gangway.core.server.ServerStats;
import io.gangway.core.upstream.HostResolver;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A Gangway server for a test, configured as from the command line, on a free loopback port. */
public final class RunningGangway implements AutoCloseable {

    private final GangwayServer server;
    private final List<InetSocketAddress> addresses;

    private RunningGangway(GangwayServer server, List<InetSocketAddress> addresses) {
        this.server = server;
        this.addresses = addresses;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The port of the first listener (the engine profile's). */
    public int port() {
        return addresses.get(0).getPort();
    }

    /** The port of the n-th listener: the engine's listeners first, then the containers'. */
    public int port(int n) {
        return addresses.get(n).getPort();
    }

    /** The admin listener's port (it is bound last). */
    public int adminPort() {
        return addresses.get(addresses.size() - 1).getPort();
    }

    public GangwayServer server() {
        return server;
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
        private final Map<ConfigKey<?>, List<String>> flags = new LinkedHashMap<>();
        private final Map<ConfigKey<?>, List<String>> containersFlags = new LinkedHashMap<>();
        private final Map<String, String> env = new HashMap<>();
        private HostResolver.NameLookup names = HostResolver.NameLookup.SYSTEM;
        private java.nio.file.Path file;

        /** Reads this YAML file too, under the flags, at start and at each reload (as run does). */
        public Builder config(java.nio.file.Path yaml) {
            file = yaml;
            return this;
        }

        /** Sets a flag; list flags accumulate and split on commas, as on the command line. */
        public Builder with(ConfigKey<?> key, String value) {
            add(flags, key, value);
            return this;
        }

        /** Sets a containers-profile twin flag ({@code --containers-KEY}). */
        public Builder withContainers(ConfigKey<?> key, String value) {
            add(containersFlags, key, value);
            return this;
        }

        private static void add(Map<ConfigKey<?>, List<String>> to, ConfigKey<?> key, String value) {
            List<String> values = to.computeIfAbsent(key, k -> new ArrayList<>());
            values.addAll(key.isList() ? List.of(value.split(",")) : List.of(value));
        }

        private static Map<ConfigKey<?>, ConfigValue> values(Map<ConfigKey<?>, List<String>> from, boolean containers) {
            Map<ConfigKey<?>, ConfigValue> values = new LinkedHashMap<>();
            from.forEach((key, list) -> values.put(key, new ConfigValue(
                    key.isList() ? list : list.get(list.size() - 1),
                    containers ? key.flag(io.gangway.core.config.Profile.CONTAINERS) : key.flag())));
            return values;
        }

        public Builder env(String name, String value) {
            env.put(name, name.endsWith("_PASSWORD") ? TestSecrets.record(value) : value);
            return this;
        }

        /** Looks host names up with this instead of the OS resolver (a name server that never answers). */
        public Builder names(HostResolver.NameLookup lookup) {
            names = lookup;
            return this;
        }

        /** The password and NT hash files given are secrets the suite's audit looks for. */
        private void recordSecretFiles() {
            for (ConfigKey<?> key : List.of(ConfigKey.PASSWORD_FILE, ConfigKey.NT_HASH_FILE)) {
                for (String path : flags.getOrDefault(key, List.of())) {
                    try {
                        TestSecrets.record(java.nio.file.Files.readString(java.nio.file.Path.of(path)).strip());
                    } catch (java.io.IOException e) {
                        // a test of a missing or unreadable file: nothing to look for
                    }
                }
            }
        }

        public RunningGangway start() throws InterruptedException {
            if (file == null) {
                flags.putIfAbsent(ConfigKey.LISTEN, List.of("127.0.0.1:0")); // else the file says where
            }
            // rejections stay in this server unless a test names a file: tests never share a back-off
            flags.putIfAbsent(ConfigKey.LOCKOUT_STATE, List.of("none"));
            recordSecretFiles();
            Map<ConfigKey<?>, ConfigValue> top = values(flags, false);
            Map<ConfigKey<?>, ConfigValue> containers = values(containersFlags, true);
            GangwayServer server = new GangwayServer(ConfigLoader.load(file, env, top, containers), env, names);
            server.reloadFrom(() -> ConfigLoader.load(file, env, top, containers));
            return new RunningGangway(server, server.start());
        }
    }
}
