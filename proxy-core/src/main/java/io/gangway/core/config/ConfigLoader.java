package io.gangway.core.config;

import io.gangway.routing.Cidr;
import io.gangway.routing.NoProxyRules;
import io.gangway.routing.ProxyUrl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Merges the settings layers (flags over environment over file over defaults) and turns them
 * into a {@link GangwayConfig}, with an error that names the key and its origin on bad input.
 */
public final class ConfigLoader {

    /** The environment variable for the upstream password; never a flag or a file key. */
    public static final String PASSWORD_ENV = "GANGWAY_PASSWORD";
    /** The environment variable for the NT hash of that password. */
    public static final String NT_HASH_ENV = "GANGWAY_NT_HASH";

    private final Map<ConfigKey, ConfigValue> merged;

    private ConfigLoader(Map<ConfigKey, ConfigValue> merged) {
        this.merged = merged;
    }

    /**
     * @param file  the YAML file, or null
     * @param env   the process environment (GANGWAY_* variables and GANGWAY_PASSWORD)
     * @param flags values given on the command line, each with its flag as origin
     */
    public static GangwayConfig load(Path file, Map<String, String> env, Map<ConfigKey, ConfigValue> flags) {
        Map<ConfigKey, ConfigValue> merged = new EnumMap<>(ConfigKey.class);
        for (ConfigKey key : ConfigKey.values()) {
            merged.put(key, new ConfigValue(key.type() == ConfigKey.Type.LIST
                    ? ConfigSources.splitList(key.defaultValue()) : key.defaultValue(), "default of " + key.key()));
        }
        if (file != null) {
            merged.putAll(ConfigSources.fromFile(file));
        }
        merged.putAll(ConfigSources.fromEnvironment(env));
        merged.putAll(flags);
        return new ConfigLoader(merged).build(env);
    }

    private GangwayConfig build(Map<String, String> env) {
        List<ListenAddress> listen = list(ConfigKey.LISTEN, ListenAddress::parse);
        List<Cidr> allow = list(ConfigKey.ALLOW, Cidr::parse);
        List<ProxyUrl> upstreams = list(ConfigKey.UPSTREAM, ProxyUrl::parse);
        NoProxyRules noProxy = noProxy();
        PacSettings pac = pac();
        RoutingMode routing = routing(upstreams);
        if (listen.isEmpty()) {
            throw error(ConfigKey.LISTEN, "at least one listen address is needed");
        }
        for (ListenAddress address : listen) {
            if (!address.isLoopback() && allow.isEmpty()) {
                throw error(ConfigKey.LISTEN, "listen address " + address + " is not loopback, and with no --allow list "
                        + "Gangway would be an open proxy; add --allow CIDR for the clients that may connect "
                        + "(for example --allow 172.17.0.0/16 for Docker's bridge)");
            }
        }
        return new GangwayConfig(
                listen, allow, routing, pac, upstreams, upstreamCa(), noProxy,
                one(ConfigKey.DIRECT_FALLBACK, Values::bool),
                blankToNull(value(ConfigKey.USER).asString()),
                blankToNull(value(ConfigKey.DOMAIN).asString()),
                password(env),
                ntHash(env),
                auth(),
                blankToNull(value(ConfigKey.PRINCIPAL).asString()),
                keytab(),
                one(ConfigKey.KERBEROS_CANONICALIZE, Values::bool),
                duration(ConfigKey.LOCKOUT_BACKOFF),
                duration(ConfigKey.LOCKOUT_BACKOFF_MAX),
                path(ConfigKey.PASSWORD_FILE),
                path(ConfigKey.NT_HASH_FILE),
                duration(ConfigKey.CONNECT_TIMEOUT),
                duration(ConfigKey.REQUEST_HEAD_TIMEOUT),
                duration(ConfigKey.RESPONSE_TIMEOUT),
                duration(ConfigKey.IDLE_TIMEOUT),
                duration(ConfigKey.POOL_IDLE_TIMEOUT),
                one(ConfigKey.POOL_MAX_IDLE, Values::integer),
                duration(ConfigKey.ROUTE_RETRY_DELAY),
                positive(ConfigKey.MAX_REQUEST_LINE, one(ConfigKey.MAX_REQUEST_LINE, Values::size)),
                positive(ConfigKey.MAX_HEADER_SIZE, one(ConfigKey.MAX_HEADER_SIZE, Values::size)),
                positive(ConfigKey.MAX_HEADERS, one(ConfigKey.MAX_HEADERS, Values::integer)),
                one(ConfigKey.REPLAY_BUFFER, Values::size),
                one(ConfigKey.ACCESS_LOG, Values::bool));
    }

    private RoutingMode routing(List<ProxyUrl> upstreams) {
        String text = value(ConfigKey.ROUTING).asString().trim();
        if (text.isEmpty()) {
            return !upstreams.isEmpty() ? RoutingMode.MANUAL : !value(ConfigKey.PAC).asString().isBlank()
                    ? RoutingMode.PAC : RoutingMode.SYSTEM;
        }
        RoutingMode mode = one(ConfigKey.ROUTING, v -> named(RoutingMode.class, v, "expected manual, pac, system or direct"));
        if (mode == RoutingMode.MANUAL && upstreams.isEmpty()) {
            throw error(ConfigKey.ROUTING, "'manual' routing needs at least one --upstream");
        }
        return mode;
    }

    private PacSettings pac() {
        String location = value(ConfigKey.PAC).asString().trim();
        io.gangway.pac.PacFailurePolicy fallback = one(ConfigKey.PAC_FALLBACK,
                v -> named(io.gangway.pac.PacFailurePolicy.class, v.trim(), "expected direct or fail"));
        String myIp = blankToNull(value(ConfigKey.MY_IP).asString());
        if (myIp != null) {
            try {
                io.gangway.pac.LocalAddresses.of(myIp);
            } catch (IllegalArgumentException e) {
                throw error(ConfigKey.MY_IP, e.getMessage());
            }
        }
        return new PacSettings(location.isEmpty() || location.equalsIgnoreCase("wpad") ? null : location,
                fallback, duration(ConfigKey.PAC_REFRESH), myIp);
    }

    private NoProxyRules noProxy() {
        try {
            return NoProxyRules.parse(String.join(",", value(ConfigKey.NO_PROXY).asList()));
        } catch (IllegalArgumentException e) {
            throw error(ConfigKey.NO_PROXY, e.getMessage());
        }
    }

    private Path upstreamCa() {
        Path ca = path(ConfigKey.UPSTREAM_CA);
        if (ca != null && !Files.isReadable(ca)) {
            throw error(ConfigKey.UPSTREAM_CA, "cannot read CA file " + ca);
        }
        return ca;
    }

    private Path keytab() {
        Path keytab = path(ConfigKey.KEYTAB);
        if (keytab != null && !Files.isReadable(keytab)) {
            throw error(ConfigKey.KEYTAB, "cannot read keytab " + keytab);
        }
        return keytab;
    }

    private Path path(ConfigKey key) {
        String file = value(key).asString().trim();
        return file.isEmpty() ? null : Path.of(file);
    }

    private char[] password(Map<String, String> env) {
        Path file = path(ConfigKey.PASSWORD_FILE);
        if (file != null) {
            try {
                return SecretFiles.readPassword(file);
            } catch (IOException e) {
                throw error(ConfigKey.PASSWORD_FILE, "cannot read password file " + file + ": " + e.getMessage());
            }
        }
        String fromEnv = env.get(PASSWORD_ENV);
        return fromEnv == null ? null : fromEnv.toCharArray();
    }

    private byte[] ntHash(Map<String, String> env) {
        Path file = path(ConfigKey.NT_HASH_FILE);
        try {
            if (file != null) {
                return SecretFiles.readNtHash(file);
            }
            String hex = env.get(NT_HASH_ENV);
            return hex == null ? null : SecretFiles.parseNtHash(hex);
        } catch (IOException e) {
            throw error(ConfigKey.NT_HASH_FILE, "cannot read NT hash file " + file + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new ConfigException((file != null ? "NT hash file " + file : NT_HASH_ENV) + ": " + e.getMessage());
        }
    }

    private List<String> auth() {
        java.util.Set<String> known = new java.util.LinkedHashSet<>();
        for (io.gangway.auth.AuthScheme scheme : io.gangway.auth.AuthSchemes.discover().all()) {
            known.add(scheme.name().toLowerCase(Locale.ROOT)); // strongest first
        }
        if (value(ConfigKey.AUTH).origin().startsWith("default")) {
            return List.copyOf(known);
        }
        List<String> wanted = new ArrayList<>();
        for (String name : value(ConfigKey.AUTH).asList()) {
            String n = name.trim().toLowerCase(Locale.ROOT);
            if (!known.contains(n)) {
                throw error(ConfigKey.AUTH, "unknown scheme '" + name.trim() + "'; available: " + String.join(", ", known));
            }
            if (!wanted.contains(n)) {
                wanted.add(n);
            }
        }
        if (wanted.isEmpty()) {
            throw error(ConfigKey.AUTH, "no usable scheme; available: " + String.join(", ", known));
        }
        return List.copyOf(wanted);
    }

    private Duration duration(ConfigKey key) {
        Duration d = one(key, Values::duration);
        if (d.isZero()) {
            throw error(key, "must be more than zero");
        }
        return d;
    }

    private int positive(ConfigKey key, int n) {
        if (n <= 0) {
            throw error(key, "must be more than zero");
        }
        return n;
    }

    /** The constant named {@code text} in any case; else {@code expected} as the error. */
    private static <E extends Enum<E>> E named(Class<E> type, String text, String expected) {
        try {
            return Enum.valueOf(type, text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(expected);
        }
    }

    private <T> T one(ConfigKey key, Function<String, T> parser) {
        ConfigValue v = value(key);
        try {
            return parser.apply(v.asString());
        } catch (IllegalArgumentException e) {
            throw error(key, e.getMessage() + "; got '" + v.asString() + "'");
        }
    }

    private <T> List<T> list(ConfigKey key, Function<String, T> parser) {
        List<T> out = new ArrayList<>();
        for (String item : value(key).asList()) {
            try {
                out.add(parser.apply(item.trim()));
            } catch (IllegalArgumentException e) {
                throw error(key, e.getMessage() + "; got '" + ProxyUrl.redact(item) + "'");
            }
        }
        return out;
    }

    private ConfigValue value(ConfigKey key) {
        return merged.get(key);
    }

    private ConfigException error(ConfigKey key, String message) {
        return new ConfigException(value(key).origin() + ": '" + key.key() + "': " + message);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
