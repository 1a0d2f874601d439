package io.gangway.core.config;

import io.gangway.core.clientauth.ClientUsers;
import io.gangway.routing.Cidr;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Merges the settings layers (flags over environment over file over defaults) and turns them
 * into a {@link GangwayConfig}, with an error that names the key and its origin on bad input.
 * Each profile's routing and account settings are read by {@link ProfileReader}.
 */
public final class ConfigLoader {

    /** The environment variable for the upstream password; never a flag or a file key. */
    public static final String PASSWORD_ENV = "GANGWAY_PASSWORD";
    /** The environment variable for the NT hash of that password. */
    public static final String NT_HASH_ENV = "GANGWAY_NT_HASH";

    /** The routing source is taken as a whole: a profile that sets one of these sets the source. */
    private static final Set<ConfigKey<?>> SOURCE = Set.of(ConfigKey.ROUTING, ConfigKey.UPSTREAM, ConfigKey.PAC);

    private ConfigLoader() {
    }

    /**
     * @param file  the YAML file, or null
     * @param env   the process environment (GANGWAY_* variables and GANGWAY_PASSWORD)
     * @param flags values given on the command line, each with its flag as origin
     */
    public static GangwayConfig load(Path file, Map<String, String> env, Map<ConfigKey<?>, ConfigValue> flags) {
        return load(file, env, flags, Map.of());
    }

    /**
     * @param containersFlags the {@code --containers-*} flags, by the key they are the twin of
     */
    public static GangwayConfig load(Path file, Map<String, String> env, Map<ConfigKey<?>, ConfigValue> flags,
                                     Map<ConfigKey<?>, ConfigValue> containersFlags) {
        return load(file, env, flags, containersFlags, PasswordSources.keyringOnly(env));
    }

    /** @param passwords where a password comes from when no file or variable gives one */
    public static GangwayConfig load(Path file, Map<String, String> env, Map<ConfigKey<?>, ConfigValue> flags,
                                     Map<ConfigKey<?>, ConfigValue> containersFlags, PasswordSources passwords) {
        Layers layers = layers(file, env, flags, containersFlags);
        Settings top = layers.engine();
        RoutingProfile engine = new ProfileReader(top, env, passwords).read(); // first: its errors name the top-level keys
        RoutingProfile containers = new ProfileReader(layers.containers(), env, passwords).read();
        return new GangwayConfig(listeners(top), engine, containers, timeouts(top), limits(top), lockout(top, env),
                top.get(ConfigKey.ACCESS_LOG), admin(top), new DestinationSettings(top.get(ConfigKey.DENY),
                top.get(ConfigKey.ALLOW_DESTINATION), top.get(ConfigKey.CONNECT_PORTS)), clientAuth(top));
    }

    /** The client-auth file's users, read now (so that a reload reads it again); null when none is given. */
    private static ClientUsers clientAuth(Settings top) {
        Path file = top.get(ConfigKey.CLIENT_AUTH_FILE);
        if (file == null) {
            return null;
        }
        try {
            ClientUsers users = ClientUsers.read(file);
            SecretFiles.warnIfOthersCanRead(file, ConfigKey.CLIENT_AUTH_FILE.key());
            return users;
        } catch (IllegalArgumentException e) {
            throw top.error(ConfigKey.CLIENT_AUTH_FILE, e.getMessage());
        }
    }

    /**
     * What Gangway's clients are told ({@code gangway env}): the listeners, the allow list and
     * each profile's no-proxy rules, from the same layers as {@link #load}; no secret is read,
     * so a user who may not read the password file still gets the URL.
     */
    public static ClientView clientView(Path file, Map<String, String> env, Map<ConfigKey<?>, ConfigValue> flags,
                                        Map<ConfigKey<?>, ConfigValue> containersFlags) {
        Layers layers = layers(file, env, flags, containersFlags);
        Settings top = layers.engine();
        return new ClientView(top.get(ConfigKey.LISTEN), top.get(ConfigKey.CONTAINERS_LISTEN), top.get(ConfigKey.ALLOW),
                top.get(ConfigKey.NO_PROXY), layers.containers().get(ConfigKey.NO_PROXY), top.get(ConfigKey.ADMIN));
    }

    /** Each profile's settings: defaults, the file, the environment and the flags, merged. */
    private record Layers(Settings engine, Settings containers) {
    }

    private static Layers layers(Path file, Map<String, String> env, Map<ConfigKey<?>, ConfigValue> flags,
                                 Map<ConfigKey<?>, ConfigValue> containersFlags) {
        Map<ConfigKey<?>, ConfigValue> merged = new LinkedHashMap<>();
        for (ConfigKey<?> key : ConfigKey.values()) {
            merged.put(key, defaultOf(key));
        }
        ConfigSources.FileLayers fromFile = file == null ? ConfigSources.FileLayers.EMPTY : ConfigSources.fromFile(file);
        merged.putAll(fromFile.top());
        merged.putAll(ConfigSources.fromEnvironment(env, Profile.ENGINE));
        merged.putAll(flags);

        Map<ConfigKey<?>, ConfigValue> containersOwn = new LinkedHashMap<>();
        containersOwn.putAll(fromFile.containers());
        containersOwn.putAll(ConfigSources.fromEnvironment(env, Profile.CONTAINERS));
        containersOwn.putAll(containersFlags);
        return new Layers(new Settings(merged, Profile.ENGINE, Set.of()), containers(merged, containersOwn));
    }

    private static ConfigValue defaultOf(ConfigKey<?> key) {
        String value = key.defaultValue();
        return new ConfigValue(key.isList() ? ConfigSources.splitList(value) : value, "default of " + key.key());
    }

    /**
     * The containers profile's view: its own settings over the engine's. Two exceptions: the
     * routing source (routing, upstream, pac) is inherited only as a whole, so that a PAC for
     * containers is not overruled by the engine's upstreams; and when no profile says what to do
     * without a PAC, containers are refused rather than sent DIRECT.
     */
    private static Settings containers(Map<ConfigKey<?>, ConfigValue> engine, Map<ConfigKey<?>, ConfigValue> own) {
        Map<ConfigKey<?>, ConfigValue> view = new LinkedHashMap<>(engine);
        if (own.keySet().stream().anyMatch(SOURCE::contains)) {
            for (ConfigKey<?> key : SOURCE) {
                view.put(key, defaultOf(key));
            }
        }
        if (engine.get(ConfigKey.PAC_FALLBACK).origin().startsWith("default")) {
            view.put(ConfigKey.PAC_FALLBACK, new ConfigValue("fail", "default of containers-pac-fallback"));
        }
        view.putAll(own);
        return new Settings(view, Profile.CONTAINERS, new HashSet<>(own.keySet()));
    }

    private static Listeners listeners(Settings top) {
        List<ListenAddress> listen = top.get(ConfigKey.LISTEN);
        List<Cidr> allow = top.get(ConfigKey.ALLOW);
        if (listen.isEmpty()) {
            throw top.error(ConfigKey.LISTEN, "at least one listen address is needed");
        }
        List<ListenAddress> containers = top.get(ConfigKey.CONTAINERS_LISTEN);
        List<ListenAddress> transparent = top.get(ConfigKey.TRANSPARENT);
        PublishBind bind = top.get(ConfigKey.PUBLISH_BIND);
        List<PublishSpec> publish = top.get(ConfigKey.PUBLISH).stream().map(text -> publish(top, text, bind)).toList();
        openProxyCheck(top, ConfigKey.LISTEN, listen, allow);
        openProxyCheck(top, ConfigKey.CONTAINERS_LISTEN, containers, allow);
        openProxyCheck(top, ConfigKey.TRANSPARENT, transparent, allow);
        openProxyCheck(top, ConfigKey.PUBLISH, publish.stream().map(PublishSpec::bind).toList(), allow);
        return new Listeners(listen, containers, transparent, top.get(ConfigKey.TRANSPARENT_PORTS), publish, allow);
    }

    private static PublishSpec publish(Settings top, String text, PublishBind bind) {
        try {
            return PublishSpec.parse(text, bind);
        } catch (IllegalArgumentException e) {
            throw top.error(ConfigKey.PUBLISH, e.getMessage() + "; got '" + text + "'");
        }
    }

    private static void openProxyCheck(Settings top, ConfigKey<?> key, List<ListenAddress> addresses, List<Cidr> allow) {
        for (ListenAddress address : addresses) {
            if (!address.isLoopback() && allow.isEmpty()) {
                throw top.error(key, "listen address " + address + " is not loopback, and with no --allow list "
                        + "Gangway would be an open proxy; add --allow CIDR for the clients that may connect "
                        + "(for example --allow 172.17.0.0/16 for Docker's bridge)");
            }
        }
    }

    /** The admin listener: off unless given; beyond loopback only with its own allow list. */
    private static AdminSettings admin(Settings top) {
        ListenAddress address = top.get(ConfigKey.ADMIN);
        List<Cidr> allow = top.get(ConfigKey.ADMIN_ALLOW);
        if (address != null && !address.isLoopback() && allow.isEmpty()) {
            throw top.error(ConfigKey.ADMIN, "admin address " + address + " is not loopback; add --admin-allow CIDR "
                    + "for the hosts that may read the status and reload the configuration");
        }
        return new AdminSettings(address, allow);
    }

    private static Timeouts timeouts(Settings top) {
        return new Timeouts(top.get(ConfigKey.CONNECT_TIMEOUT), top.get(ConfigKey.FIRST_BYTE_TIMEOUT),
                top.get(ConfigKey.REQUEST_HEAD_TIMEOUT), top.get(ConfigKey.RESPONSE_TIMEOUT), top.get(ConfigKey.IDLE_TIMEOUT),
                top.get(ConfigKey.POOL_IDLE_TIMEOUT), top.get(ConfigKey.ROUTE_RETRY_DELAY));
    }

    private static Limits limits(Settings top) {
        return new Limits(top.get(ConfigKey.MAX_REQUEST_LINE), top.get(ConfigKey.MAX_HEADER_SIZE),
                top.get(ConfigKey.MAX_HEADERS), top.get(ConfigKey.REPLAY_BUFFER), top.get(ConfigKey.POOL_MAX_IDLE),
                top.get(ConfigKey.MAX_CLIENT_CONNECTIONS), top.get(ConfigKey.MAX_CLIENT_CONNECTIONS_PER_ADDRESS),
                top.get(ConfigKey.MAX_PENDING_REQUESTS), top.get(ConfigKey.MAX_TUNNELS));
    }

    /** The lockout file: as given, none for 'none', else under the XDG state directory. */
    private static LockoutSettings lockout(Settings top, Map<String, String> env) {
        String text = top.get(ConfigKey.LOCKOUT_STATE);
        Path file;
        if (text != null) {
            try {
                file = text.equalsIgnoreCase("none") ? null : Path.of(text);
            } catch (InvalidPathException e) {
                throw top.error(ConfigKey.LOCKOUT_STATE, "not a file path (" + e.getReason() + ")");
            }
        } else {
            String state = env.get("XDG_STATE_HOME");
            Path dir = state != null && !state.isBlank() ? Path.of(state.trim())
                    : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".local", "state");
            file = dir.resolve("gangway").resolve("lockout.json");
        }
        return new LockoutSettings(top.get(ConfigKey.LOCKOUT_BACKOFF), top.get(ConfigKey.LOCKOUT_BACKOFF_MAX), file);
    }
}
