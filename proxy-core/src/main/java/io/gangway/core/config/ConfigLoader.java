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

    /** The routing source is taken as a whole: a profile that sets one of these sets the source. */
    private static final java.util.Set<ConfigKey> SOURCE = java.util.EnumSet.of(ConfigKey.ROUTING, ConfigKey.UPSTREAM, ConfigKey.PAC);

    private final Map<ConfigKey, ConfigValue> merged;
    private final Profile profile;
    /** The keys this profile sets itself (none for the engine: its keys are the top-level ones). */
    private final java.util.Set<ConfigKey> own;
    private final PasswordSources passwords;

    private ConfigLoader(Map<ConfigKey, ConfigValue> merged, Profile profile, java.util.Set<ConfigKey> own,
                         PasswordSources passwords) {
        this.merged = merged;
        this.profile = profile;
        this.own = own;
        this.passwords = passwords;
    }

    /**
     * @param file  the YAML file, or null
     * @param env   the process environment (GANGWAY_* variables and GANGWAY_PASSWORD)
     * @param flags values given on the command line, each with its flag as origin
     */
    public static GangwayConfig load(Path file, Map<String, String> env, Map<ConfigKey, ConfigValue> flags) {
        return load(file, env, flags, Map.of());
    }

    /**
     * @param containersFlags the {@code --containers-*} flags, by the key they are the twin of
     */
    public static GangwayConfig load(Path file, Map<String, String> env, Map<ConfigKey, ConfigValue> flags,
                                     Map<ConfigKey, ConfigValue> containersFlags) {
        return load(file, env, flags, containersFlags, PasswordSources.keyringOnly(env));
    }

    /** @param passwords where a password comes from when no file or variable gives one */
    public static GangwayConfig load(Path file, Map<String, String> env, Map<ConfigKey, ConfigValue> flags,
                                     Map<ConfigKey, ConfigValue> containersFlags, PasswordSources passwords) {
        Layers layers = layers(file, env, flags, containersFlags);
        ConfigLoader engine = new ConfigLoader(layers.merged(), Profile.ENGINE, java.util.Set.of(), passwords);
        RoutingProfile engineProfile = engine.profile(env); // first: its errors name the top-level keys
        return engine.build(engineProfile, containers(layers.merged(), layers.containersOwn(), passwords).profile(env), env);
    }

    /**
     * What Gangway's clients are told ({@code gangway env}): the listeners, the allow list and
     * each profile's no-proxy rules, from the same layers as {@link #load}; no secret is read,
     * so a user who may not read the password file still gets the URL.
     */
    public static ClientView clientView(Path file, Map<String, String> env, Map<ConfigKey, ConfigValue> flags,
                                        Map<ConfigKey, ConfigValue> containersFlags) {
        Layers layers = layers(file, env, flags, containersFlags);
        ConfigLoader engine = new ConfigLoader(layers.merged(), Profile.ENGINE, java.util.Set.of(), null);
        return new ClientView(engine.list(ConfigKey.LISTEN, ListenAddress::parse),
                engine.list(ConfigKey.CONTAINERS_LISTEN, ListenAddress::parse), engine.list(ConfigKey.ALLOW, Cidr::parse),
                engine.noProxy(), containers(layers.merged(), layers.containersOwn(), null).noProxy());
    }

    /** Defaults, the file, the environment and the flags, merged; and the containers profile's own values. */
    private record Layers(Map<ConfigKey, ConfigValue> merged, Map<ConfigKey, ConfigValue> containersOwn) {
    }

    private static Layers layers(Path file, Map<String, String> env, Map<ConfigKey, ConfigValue> flags,
                                 Map<ConfigKey, ConfigValue> containersFlags) {
        Map<ConfigKey, ConfigValue> merged = new EnumMap<>(ConfigKey.class);
        for (ConfigKey key : ConfigKey.values()) {
            merged.put(key, defaultOf(key, key.defaultValue()));
        }
        ConfigSources.FileLayers fromFile = file == null ? ConfigSources.FileLayers.EMPTY : ConfigSources.fromFile(file);
        merged.putAll(fromFile.top());
        merged.putAll(ConfigSources.fromEnvironment(env, Profile.ENGINE));
        merged.putAll(flags);

        Map<ConfigKey, ConfigValue> containersOwn = new EnumMap<>(ConfigKey.class);
        containersOwn.putAll(fromFile.containers());
        containersOwn.putAll(ConfigSources.fromEnvironment(env, Profile.CONTAINERS));
        containersOwn.putAll(containersFlags);
        return new Layers(merged, containersOwn);
    }

    private static ConfigValue defaultOf(ConfigKey key, String value) {
        return new ConfigValue(key.type() == ConfigKey.Type.LIST ? ConfigSources.splitList(value) : value,
                "default of " + key.key());
    }

    /**
     * The containers profile's view: its own settings over the engine's. Two exceptions: the
     * routing source (routing, upstream, pac) is inherited only as a whole, so that a PAC for
     * containers is not overruled by the engine's upstreams; and when no profile says what to do
     * without a PAC, containers are refused rather than sent DIRECT.
     */
    private static ConfigLoader containers(Map<ConfigKey, ConfigValue> engine, Map<ConfigKey, ConfigValue> own,
                                           PasswordSources passwords) {
        Map<ConfigKey, ConfigValue> view = new EnumMap<>(engine);
        if (own.keySet().stream().anyMatch(SOURCE::contains)) {
            for (ConfigKey key : SOURCE) {
                view.put(key, defaultOf(key, key.defaultValue()));
            }
        }
        if (engine.get(ConfigKey.PAC_FALLBACK).origin().startsWith("default")) {
            view.put(ConfigKey.PAC_FALLBACK, new ConfigValue("fail", "default of containers-pac-fallback"));
        }
        view.putAll(own);
        return new ConfigLoader(view, Profile.CONTAINERS, own.keySet(), passwords);
    }

    private GangwayConfig build(RoutingProfile engine, RoutingProfile containers, Map<String, String> env) {
        List<ListenAddress> listen = list(ConfigKey.LISTEN, ListenAddress::parse);
        List<ListenAddress> containersListen = list(ConfigKey.CONTAINERS_LISTEN, ListenAddress::parse);
        List<Cidr> allow = list(ConfigKey.ALLOW, Cidr::parse);
        if (listen.isEmpty()) {
            throw error(ConfigKey.LISTEN, "at least one listen address is needed");
        }
        openProxyCheck(ConfigKey.LISTEN, listen, allow);
        openProxyCheck(ConfigKey.CONTAINERS_LISTEN, containersListen, allow);
        List<ListenAddress> transparent = list(ConfigKey.TRANSPARENT, ListenAddress::parse);
        openProxyCheck(ConfigKey.TRANSPARENT, transparent, allow);
        PublishBind bind = one(ConfigKey.PUBLISH_BIND, PublishBind::named);
        List<PublishSpec> publish = list(ConfigKey.PUBLISH, v -> PublishSpec.parse(v, bind));
        openProxyCheck(ConfigKey.PUBLISH, publish.stream().map(PublishSpec::bind).toList(), allow);
        return new GangwayConfig(
                listen, containersListen, transparent, one(ConfigKey.TRANSPARENT_PORTS, PortSet::parse), publish, allow,
                engine, containers,
                new LockoutSettings(duration(ConfigKey.LOCKOUT_BACKOFF), duration(ConfigKey.LOCKOUT_BACKOFF_MAX),
                        lockoutState(env)),
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

    private void openProxyCheck(ConfigKey key, List<ListenAddress> addresses, List<Cidr> allow) {
        for (ListenAddress address : addresses) {
            if (!address.isLoopback() && allow.isEmpty()) {
                throw error(key, "listen address " + address + " is not loopback, and with no --allow list "
                        + "Gangway would be an open proxy; add --allow CIDR for the clients that may connect "
                        + "(for example --allow 172.17.0.0/16 for Docker's bridge)");
            }
        }
    }

    /** This profile's routing settings. */
    private RoutingProfile profile(Map<String, String> env) {
        List<ProxyUrl> upstreams = list(ConfigKey.UPSTREAM, ProxyUrl::parse);
        NoProxyRules noProxy = noProxy();
        PacSettings pac = pac();
        String user = blankToNull(value(ConfigKey.USER).asString());
        char[] password = password(env);
        byte[] ntHash = ntHash(env);
        Path keytab = keytab();
        if (password == null && ntHash == null && keytab == null) {
            password = fromSources(accountWithoutSecret(user, upstreams));
        }
        requireSecret(user, upstreams, password, ntHash, keytab);
        return new RoutingProfile(profile,
                routing(upstreams), pac, upstreams, upstreamCa(), noProxy,
                one(ConfigKey.DIRECT_FALLBACK, Values::bool),
                user,
                blankToNull(value(ConfigKey.DOMAIN).asString()),
                password,
                ntHash,
                auth(),
                blankToNull(value(ConfigKey.PRINCIPAL).asString()),
                keytab,
                one(ConfigKey.KERBEROS_CANONICALIZE, Values::bool),
                path(ConfigKey.PASSWORD_FILE),
                path(ConfigKey.NT_HASH_FILE));
    }

    /**
     * A user with no secret would have Gangway send an empty password: a real failed login
     * against a domain account. Refused at start, naming the ways to give one.
     */
    private void requireSecret(String user, List<ProxyUrl> upstreams, char[] password, byte[] ntHash, Path keytab) {
        if (password != null || ntHash != null || keytab != null) {
            return;
        }
        String who = accountWithoutSecret(user, upstreams);
        if (who == null) {
            return;
        }
        Path file = path(ConfigKey.PASSWORD_FILE);
        throw error(user != null ? ConfigKey.USER : ConfigKey.UPSTREAM, "user '" + who + "' has no password"
                + (file != null ? " (the password file " + file + " is empty)" : "")
                + ": give it in " + passwordEnv(PASSWORD_ENV) + ", in a file named by " + ConfigKey.PASSWORD_FILE.flag(profile)
                + ", from the OS keyring (" + ConfigKey.PASSWORD_FROM.flag(profile) + " keyring, after 'gangway password set "
                + "--user " + who + "'), or as its NT hash (" + ConfigKey.NT_HASH_FILE.flag(profile) + " or "
                + passwordEnv(NT_HASH_ENV) + ", from 'gangway hash'); or start Gangway in a terminal to be asked for it. "
                + "Gangway never sends an empty password. For Kerberos from the ticket cache, give no user");
    }

    /** The user who would log in with a password that no file or variable gives: --user, else an upstream URL's. */
    private static String accountWithoutSecret(String user, List<ProxyUrl> upstreams) {
        if (user != null) {
            return user;
        }
        return upstreams.stream().filter(u -> u.user() != null && u.password() == null).map(ProxyUrl::user)
                .findFirst().orElse(null);
    }

    /** The password from the keyring (--password-from keyring), else from the person at the terminal; or null. */
    private char[] fromSources(String who) {
        if (who == null) {
            return null;
        }
        String from = value(ConfigKey.PASSWORD_FROM).asString().trim().toLowerCase(java.util.Locale.ROOT);
        if (from.equals("keyring")) {
            try {
                return passwords.fromKeyring(who).orElseThrow(() -> error(ConfigKey.PASSWORD_FROM, "no password for '" + who
                        + "' in the keyring: store it with 'gangway password set --user " + who + "'"));
            } catch (io.gangway.core.secrets.KeyringException e) {
                throw error(ConfigKey.PASSWORD_FROM, e.getMessage());
            }
        }
        if (!from.isEmpty()) {
            throw error(ConfigKey.PASSWORD_FROM, "expected keyring; got '" + from + "'");
        }
        return passwords.prompt(who).orElse(null);
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

    /** The lockout file: as given, none for 'none', else under the XDG state directory. */
    private Path lockoutState(Map<String, String> env) {
        String text = value(ConfigKey.LOCKOUT_STATE).asString().trim();
        if (text.equalsIgnoreCase("none")) {
            return null;
        }
        if (!text.isEmpty()) {
            return Path.of(text);
        }
        String state = env.get("XDG_STATE_HOME");
        Path dir = state != null && !state.isBlank() ? Path.of(state.trim())
                : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".local", "state");
        return dir.resolve("gangway").resolve("lockout.json");
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

    /**
     * The password: this profile's own password file, else its own variable
     * ({@code GANGWAY_CONTAINERS_PASSWORD}), else what the engine has (its file, then {@code GANGWAY_PASSWORD}).
     */
    private char[] password(Map<String, String> env) {
        String ownEnv = env.get(passwordEnv(PASSWORD_ENV));
        if (profile != Profile.ENGINE && !own.contains(ConfigKey.PASSWORD_FILE) && ownEnv != null && !ownEnv.isEmpty()) {
            return ownEnv.toCharArray();
        }
        Path file = path(ConfigKey.PASSWORD_FILE);
        if (file != null) {
            try {
                char[] read = SecretFiles.readPassword(file);
                if (profile == Profile.ENGINE || own.contains(ConfigKey.PASSWORD_FILE)) { // once per file
                    SecretFiles.warnIfOthersCanRead(file, key(ConfigKey.PASSWORD_FILE));
                }
                return read.length == 0 ? null : read;
            } catch (IOException e) {
                throw error(ConfigKey.PASSWORD_FILE, "cannot read password file " + file + ": " + e.getMessage());
            }
        }
        String fromEnv = env.get(PASSWORD_ENV);
        return fromEnv == null || fromEnv.isEmpty() ? null : fromEnv.toCharArray();
    }

    private byte[] ntHash(Map<String, String> env) {
        Path file = path(ConfigKey.NT_HASH_FILE);
        try {
            String ownHex = env.get(passwordEnv(NT_HASH_ENV));
            if (profile != Profile.ENGINE && !own.contains(ConfigKey.NT_HASH_FILE) && ownHex != null) {
                return SecretFiles.parseNtHash(ownHex);
            }
            if (file != null) {
                if (profile == Profile.ENGINE || own.contains(ConfigKey.NT_HASH_FILE)) {
                    SecretFiles.warnIfOthersCanRead(file, key(ConfigKey.NT_HASH_FILE));
                }
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

    private String key(ConfigKey key) {
        return own.contains(key) ? key.key(profile) : key.key();
    }

    /** {@code GANGWAY_PASSWORD} for the engine, {@code GANGWAY_CONTAINERS_PASSWORD} for containers. */
    private String passwordEnv(String engineName) {
        return profile == Profile.ENGINE ? engineName
                : engineName.replaceFirst("^GANGWAY_", "GANGWAY_" + profile.key().toUpperCase(Locale.ROOT) + "_");
    }

    private ConfigException error(ConfigKey key, String message) {
        return new ConfigException(value(key).origin() + ": '" + (own.contains(key) ? key.key(profile) : key.key())
                + "': " + message);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
