package io.gangway.core.config;

import io.gangway.core.policy.DestinationRules;
import io.gangway.pac.LocalAddresses;
import io.gangway.pac.PacFailurePolicy;
import io.gangway.routing.Cidr;
import io.gangway.routing.NoProxyRules;
import io.gangway.routing.ProxyUrl;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * Every setting, once, typed: its name is the YAML key, the CLI flag ({@code --name}) and,
 * upper-cased with underscores, the environment variable ({@code GANGWAY_NAME}); its reader turns
 * the raw text into a {@code T} or says what was expected. Flags override the environment, which
 * overrides the file, which overrides the default here. A new setting is one constant.
 *
 * @param <T> the value's type, so that two durations or a size and a count cannot be swapped
 */
public final class ConfigKey<T> {

    /** How a setting is written: one value, a list (repeatable, comma-separated), or a flag that may stand alone. */
    public enum Arity { ONE, LIST, FLAG }

    private static final List<ConfigKey<?>> ALL = new ArrayList<>();

    public static final ConfigKey<List<ListenAddress>> LISTEN = list("listen", ListenAddress::parse, "127.0.0.1:3128", "ADDR:PORT",
            "Address to listen on for the engine profile (the top-level routing settings); repeatable. Port 0 picks "
                    + "a free port. A non-loopback address needs --allow.");
    public static final ConfigKey<List<ListenAddress>> CONTAINERS_LISTEN = list("containers-listen", ListenAddress::parse, "", "ADDR:PORT",
            "Address to listen on for containers' proxy traffic (the containers profile: the containers-* settings, "
                    + "else the top-level ones); repeatable. A non-loopback address needs --allow.");
    public static final ConfigKey<List<ListenAddress>> TRANSPARENT = list("transparent", ListenAddress::parse, "", "ADDR:PORT",
            "A transparent listener, for connections that iptables/nftables redirected to it (REDIRECT or TPROXY) "
                    + "from clients that know nothing of a proxy; routed by the containers profile; repeatable. "
                    + "A non-loopback address needs --allow.");
    public static final ConfigKey<PortSet> TRANSPARENT_PORTS = scalar("transparent-ports", PortSet::parse, "80,443", "PORTS",
            "The destination ports a transparent listener handles (others are closed): 80 as HTTP (named by Host), "
                    + "443 as TLS (named by its server name, never terminated), any other as raw TCP; * for all.");
    public static final ConfigKey<List<String>> PUBLISH = list("publish", text -> text, "", "[ADDR:]PORT:HOST:PORT",
            "A published port, as Docker's -p with the target added: listen on ADDR:PORT (127.0.0.1 by default, see "
                    + "--publish-bind) and forward raw TCP to HOST:PORT; repeatable.");
    public static final ConfigKey<PublishBind> PUBLISH_BIND = scalar("publish-bind", PublishBind::named, "local-default", "MODE",
            "Where a published port without an address listens: local-default (127.0.0.1), any-default (0.0.0.0) "
                    + "or local-only (loopback, and a non-loopback address is refused). A non-loopback one needs --allow.");
    public static final ConfigKey<List<Cidr>> ALLOW = list("allow", Cidr::parse, "", "CIDR",
            "Client address range allowed to connect (gateway mode); repeatable. Replaces the default (loopback only); others get 403.");
    public static final ConfigKey<Path> CLIENT_AUTH_FILE = path("client-auth-file", "", "FILE",
            "File of the users who may use the proxy and containers listeners (lines from 'gangway hash --client USER'); "
                    + "when given, clients must send Proxy-Authorization: Basic, else 407. Read again on reload and "
                    + "when it changes. Transparent, published and admin listeners do not ask (see the user guide).");
    public static final ConfigKey<DestinationRules> DENY = destinations("deny", "LIST",
            "Destinations Gangway refuses to reach for its clients (403): hosts (with subdomains), .domains, IPs, "
                    + "CIDRs, host:port or :port; names as asked, and for DIRECT each address they resolve to. "
                    + "In gateway mode on top of the built-in list.");
    public static final ConfigKey<DestinationRules> ALLOW_DESTINATION = destinations("allow-destination", "LIST",
            "Destinations let through although --deny or gateway mode's built-in list (loopback, link-local, "
                    + "metadata) would refuse them; the same forms as --deny. Gangway's own listeners stay refused.");
    public static final ConfigKey<PortSet> CONNECT_PORTS = scalar("connect-ports",
            text -> text.isBlank() ? null : PortSet.parse(text), "", "PORTS",
            "Destination ports CONNECT may reach, or * for all. Default: all (registries listen on any port); "
                    + "a gateway may narrow it, e.g. 22,443,5000.");
    public static final ConfigKey<RoutingMode> ROUTING = scalar("routing", ConfigKey::routingMode, "", "SOURCE",
            "Where routes come from: manual (--upstream), pac (--pac, or WPAD without it), system (environment, "
                    + "then the OS settings, then DIRECT) or direct. Default: manual when --upstream is given, "
                    + "pac when --pac is, else system.");
    public static final ConfigKey<String> PAC = text("pac", "", "FILE|URL",
            "PAC script: a file, a file:, http(s):// or data: URL, or 'wpad' to discover it by DNS. Fetched DIRECT.");
    public static final ConfigKey<PacFailurePolicy> PAC_FALLBACK = scalar("pac-fallback", ConfigKey::pacFailurePolicy, "direct", "direct|fail",
            "When no PAC answer can be had (none loaded, or the script fails): go DIRECT, or fail the request.");
    public static final ConfigKey<Duration> PAC_REFRESH = duration("pac-refresh", "10m", "DURATION",
            "How often a PAC URL is fetched again (a conditional request); PAC files are checked every 2s.");
    public static final ConfigKey<String> MY_IP = scalar("my-ip", ConfigKey::localAddresses, "", "IP[;IP]",
            "What the PAC's myIpAddress()/myIpAddressEx() return. Default: the address of the interface that routes outward.");
    public static final ConfigKey<List<ProxyUrl>> UPSTREAM = list("upstream", ProxyUrl::parse, "", "URL",
            "Upstream proxy http://[user@]host:port, tried in order; repeatable.");
    public static final ConfigKey<Path> UPSTREAM_CA = path("upstream-ca", "", "FILE",
            "PEM file of the CA certificates that https:// upstream proxies are checked against, instead of the JDK's.");
    public static final ConfigKey<NoProxyRules> NO_PROXY = noProxy("no-proxy", "", "LIST",
            "Hosts, domains (.suffix), IPs, CIDRs, host:port or <local> that go DIRECT.");
    public static final ConfigKey<Boolean> DIRECT_FALLBACK = bool("direct-fallback", "false", "BOOL",
            "Go DIRECT when every upstream fails.");
    public static final ConfigKey<String> USER = text("user", "", "USER",
            "User for upstreams whose URL names none: user, DOMAIN\\user or user@domain.");
    public static final ConfigKey<String> DOMAIN = text("domain", "", "DOMAIN",
            "Domain of the user, when --user does not name one (NTLM).");
    public static final ConfigKey<Path> PASSWORD_FILE = path("password-file", "", "FILE",
            "File holding the upstream password (first line). Otherwise GANGWAY_PASSWORD.");
    public static final ConfigKey<String> PASSWORD_FROM = unechoed("password-from", ConfigKey::passwordSource, "", "SOURCE",
            "'keyring': the password from the OS keyring (the Secret Service, the macOS Keychain, the Windows Credential "
                    + "Manager), stored there by 'gangway password set'. Default: the password file, else GANGWAY_PASSWORD, "
                    + "else asked for at the terminal.");
    public static final ConfigKey<Path> NT_HASH_FILE = path("nt-hash-file", "", "FILE",
            "File holding the NT hash of the password (32 hex digits, from 'gangway hash'), for NTLM without "
                    + "a stored password. Otherwise GANGWAY_NT_HASH.");
    public static final ConfigKey<Path> KEYTAB = path("keytab", "", "FILE",
            "Keytab to log in to Kerberos with (Negotiate), with --principal.");
    public static final ConfigKey<String> PRINCIPAL = text("principal", "", "NAME",
            "Kerberos principal, e.g. alice@CORP.EXAMPLE.COM. Default: from --user, else the ticket cache's.");
    public static final ConfigKey<Boolean> KERBEROS_CANONICALIZE = bool("kerberos-canonicalize", "false", "BOOL",
            "Ask for the Kerberos ticket of the proxy's canonical DNS name (reverse lookup) instead of its name as configured.");
    public static final ConfigKey<Duration> LOCKOUT_BACKOFF = duration("lockout-backoff", "30s", "DURATION",
            "After an upstream rejects the credentials, how long before they are sent again; doubles with each rejection.");
    public static final ConfigKey<Duration> LOCKOUT_BACKOFF_MAX = duration("lockout-backoff-max", "30m", "DURATION",
            "The longest lockout back-off.");
    public static final ConfigKey<String> LOCKOUT_STATE = text("lockout-state", "", "FILE",
            "File that keeps the credential rejections and first logins, so that every Gangway of this user (run, "
                    + "check --login, a restart, replicas on a shared volume) honours one back-off and one of them tries "
                    + "unproven credentials for all; 'none' keeps them in memory. "
                    + "Default: ${XDG_STATE_HOME:-~/.local/state}/gangway/lockout.json.");
    public static final ConfigKey<List<String>> AUTH = list("auth", name -> name.toLowerCase(Locale.ROOT), "", "LIST",
            "Schemes Gangway may use with upstreams, in order of preference. Default: every available scheme, "
                    + "strongest first (negotiate, ntlm, digest, basic).");
    public static final ConfigKey<Duration> CONNECT_TIMEOUT = duration("connect-timeout", "10s", "DURATION",
            "Time to open a TCP connection to an upstream or origin.");
    // 15 s: longer than a browser leaves a connection it opened ahead of need unused (Chromium's pool
    // closes such a socket after 10 s), so Gangway never closes one just as the browser uses it; a
    // silent connection no longer holds a slot for the 300 s idle timeout.
    public static final ConfigKey<Duration> FIRST_BYTE_TIMEOUT = duration("first-byte-timeout", "15s", "DURATION",
            "Time a new client connection has to send its first byte, then it is closed (a TLS ClientHello on a "
                    + "transparent port 443: the whole of it). Not the wait for a kept-alive connection's next request "
                    + "(idle-timeout), nor raw TCP (other transparent ports, published ports), whose server may speak first. "
                    + "The default is more than the 10 s a browser may leave a connection it opened ahead of need unused.");
    public static final ConfigKey<Duration> REQUEST_HEAD_TIMEOUT = duration("request-head-timeout", "30s", "DURATION",
            "Time for a client to send a whole request head once it has started (408 after).");
    public static final ConfigKey<Duration> RESPONSE_TIMEOUT = duration("response-timeout", "120s", "DURATION",
            "Time to wait for the upstream's response head, and the longest pause within a response body (504).");
    public static final ConfigKey<Duration> IDLE_TIMEOUT = duration("idle-timeout", "300s", "DURATION",
            "Idle time after which a client connection or a tunnel is closed.");
    public static final ConfigKey<Duration> POOL_IDLE_TIMEOUT = duration("pool-idle-timeout", "60s", "DURATION",
            "Idle time after which a pooled upstream connection is closed.");
    public static final ConfigKey<Integer> POOL_MAX_IDLE = count("pool-max-idle", "1024", "N",
            "Idle upstream connections kept per route and user (per I/O thread); unused ones close after pool-idle-timeout.");
    public static final ConfigKey<Duration> ROUTE_RETRY_DELAY = duration("route-retry-delay", "30s", "DURATION",
            "How long an upstream that failed to connect is tried last.");
    public static final ConfigKey<Integer> MAX_REQUEST_LINE = limit("max-request-line", "16KiB", "SIZE",
            "Longest request line (414 above).");
    public static final ConfigKey<Integer> MAX_HEADER_SIZE = limit("max-header-size", "64KiB", "SIZE",
            "Largest request or response header block (431 above).");
    public static final ConfigKey<Integer> MAX_HEADERS = positiveCount("max-headers", "256", "N",
            "Most header fields in a request (431 above).");
    // The overload limits. Beyond them a client gets 503 with Retry-After (or, where no HTTP is spoken,
    // its connection closed) instead of Gangway running out of open files or memory for everyone.
    // 10,000 connections: the count Gangway is measured holding (bench/run, case 4: about 7 KiB and two
    // open files each, one to the client and one upstream), far above what one machine's tools open
    // at once, and enough for a gateway in front of hundreds of hosts.
    public static final ConfigKey<Integer> MAX_CLIENT_CONNECTIONS = positiveCount("max-client-connections", "10000", "N",
            "Client connections open at once on the proxy, containers, transparent and published listeners together "
                    + "(each may need two open files: keep ulimit -n above twice this); beyond, 503 with Retry-After "
                    + "(transparent and published ports: closed). The default is the count Gangway is measured holding.");
    // A quarter of the whole: one runaway host (or a container that leaks connections) cannot take more,
    // while the docker engine, builds and package managers of one machine, which all come from
    // 127.0.0.1, stay far below it.
    public static final ConfigKey<Integer> MAX_CLIENT_CONNECTIONS_PER_ADDRESS = positiveCount(
            "max-client-connections-per-address", "2500", "N",
            "Client connections open at once from one client IP address (loopback is one address: every local "
                    + "program shares it); beyond, 503 with Retry-After (transparent and published ports: closed). The default, "
                    + "a quarter of max-client-connections, keeps one host or container from taking the whole proxy.");
    // apt pipelines up to 10 requests (Acquire::http::Pipeline-Depth); browsers and most other clients
    // never pipeline. 32 leaves room, and bounds what one connection's queue of heads may hold.
    public static final ConfigKey<Integer> MAX_PENDING_REQUESTS = count("max-pending-requests", "32", "N",
            "Pipelined requests queued on one connection behind the one being served; the first beyond gets 503 "
                    + "with Retry-After, in its turn, and the connection closes after it. The default leaves room above apt's "
                    + "10; browsers do not pipeline.");
    // Below max-client-connections so that when tunnels pile up (each also holds an upstream
    // connection), 2,000 connections remain for plain requests: registry tokens, PACs, health checks.
    public static final ConfigKey<Integer> MAX_TUNNELS = positiveCount("max-tunnels", "8000", "N",
            "CONNECT and redirected (transparent) tunnels open at once; beyond, a CONNECT gets 503 with Retry-After "
                    + "and a redirected connection is closed. The default, below max-client-connections, leaves connections for "
                    + "plain requests when tunnels pile up.");
    public static final ConfigKey<Integer> REPLAY_BUFFER = size("replay-buffer", "1MiB", "SIZE",
            "Request body kept to replay after a 407 on a connection that is still authenticating.");
    public static final ConfigKey<Boolean> ACCESS_LOG = bool("access-log", "true", "BOOL",
            "One log line per request and tunnel (logger gangway.access).");
    public static final ConfigKey<ListenAddress> ADMIN = scalar("admin", text -> text.isBlank() ? null
                    : ListenAddress.parse(text.trim()), "", "ADDR:PORT",
            "The admin listener: /health, /ready, /metrics (Prometheus), /status, a status page at /, /proxy.pac and "
                    + "POST /reload. Off unless given. A non-loopback address needs --admin-allow.");
    public static final ConfigKey<List<Cidr>> ADMIN_ALLOW = list("admin-allow", Cidr::parse, "", "CIDR",
            "Client address range allowed to reach the admin listener; repeatable. Default: loopback only.");

    /**
     * The routing settings, which each profile has: the containers profile's twin of each is
     * {@code containers-KEY} (flag {@code --containers-KEY}, variable {@code GANGWAY_CONTAINERS_KEY},
     * key {@code KEY} in the file's {@code containers:} block).
     */
    private static final Set<ConfigKey<?>> PROFILED = Set.of(
            ROUTING, PAC, PAC_FALLBACK, PAC_REFRESH, MY_IP, UPSTREAM, UPSTREAM_CA, NO_PROXY, DIRECT_FALLBACK, USER,
            DOMAIN, PASSWORD_FILE, PASSWORD_FROM, NT_HASH_FILE, KEYTAB, PRINCIPAL, KERBEROS_CANONICALIZE, AUTH);

    private final String key;
    private final Arity arity;
    private final String defaultValue;
    private final String paramLabel;
    private final String description;
    private final Function<ConfigValue, T> reader;

    private ConfigKey(String key, Arity arity, String defaultValue, String paramLabel, String description,
                      Function<ConfigValue, T> reader) {
        this.key = key;
        this.arity = arity;
        this.defaultValue = defaultValue;
        this.paramLabel = paramLabel;
        this.description = description;
        this.reader = reader;
        ALL.add(this);
    }

    // The kinds of setting. A parser throws IllegalArgumentException saying what it expected; the
    // reader adds what it got, and the settings reader adds where it came from.

    private static <T> ConfigKey<T> scalar(String key, Function<String, T> parser, String defaultValue, String label,
                                           String description) {
        return new ConfigKey<>(key, Arity.ONE, defaultValue, label, description, value -> parse(parser, value.asString()));
    }

    /** A value that is not repeated in its error: a user may have put a secret there by mistake. */
    private static <T> ConfigKey<T> unechoed(String key, Function<String, T> parser, String defaultValue, String label,
                                             String description) {
        return new ConfigKey<>(key, Arity.ONE, defaultValue, label, description, value -> parser.apply(value.asString()));
    }

    private static <T> ConfigKey<List<T>> list(String key, Function<String, T> parser, String defaultValue,
                                               String label, String description) {
        return new ConfigKey<>(key, Arity.LIST, defaultValue, label, description, value -> {
            List<T> items = new ArrayList<>();
            for (String item : value.asList()) {
                try {
                    items.add(parser.apply(item.trim()));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(e.getMessage() + "; got '" + ProxyUrl.redact(item) + "'", e);
                }
            }
            return Collections.unmodifiableList(items);
        });
    }

    /** Free text, trimmed; null when blank. */
    private static ConfigKey<String> text(String key, String defaultValue, String label, String description) {
        return scalar(key, ConfigKey::blankToNull, defaultValue, label, description);
    }

    /** A file; null when blank (whether it can be read is checked where it is read). */
    private static ConfigKey<Path> path(String key, String defaultValue, String label, String description) {
        return scalar(key, text -> text.isBlank() ? null : Path.of(text.trim()), defaultValue, label, description);
    }

    private static ConfigKey<Boolean> bool(String key, String defaultValue, String label, String description) {
        return new ConfigKey<>(key, Arity.FLAG, defaultValue, label, description,
                value -> parse(Values::bool, value.asString()));
    }

    /** A duration of more than zero. */
    private static ConfigKey<Duration> duration(String key, String defaultValue, String label, String description) {
        return scalar(key, text -> positive(Values.duration(text), Duration::isZero), defaultValue, label, description);
    }

    /** A whole number, 0 or more. */
    private static ConfigKey<Integer> count(String key, String defaultValue, String label, String description) {
        return scalar(key, Values::integer, defaultValue, label, description);
    }

    /** A whole number of more than zero. */
    private static ConfigKey<Integer> positiveCount(String key, String defaultValue, String label, String description) {
        return scalar(key, text -> positive(Values.integer(text), n -> n == 0), defaultValue, label, description);
    }

    /** A size in bytes, 0 or more. */
    private static ConfigKey<Integer> size(String key, String defaultValue, String label, String description) {
        return scalar(key, Values::size, defaultValue, label, description);
    }

    /** A size in bytes of more than zero: a limit that 0 would make every request break. */
    private static ConfigKey<Integer> limit(String key, String defaultValue, String label, String description) {
        return scalar(key, text -> positive(Values.size(text), n -> n == 0), defaultValue, label, description);
    }

    private static ConfigKey<NoProxyRules> noProxy(String key, String defaultValue, String label, String description) {
        return new ConfigKey<>(key, Arity.LIST, defaultValue, label, description,
                value -> NoProxyRules.parse(String.join(",", value.asList())));
    }

    private static ConfigKey<DestinationRules> destinations(String key, String label, String description) {
        return new ConfigKey<>(key, Arity.LIST, "", label, description, value -> DestinationRules.parse(value.asList()));
    }

    private static <T> T parse(Function<String, T> parser, String text) {
        try {
            return parser.apply(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + "; got '" + text + "'", e);
        }
    }

    private static <T> T positive(T value, java.util.function.Predicate<T> isZero) {
        if (isZero.test(value)) {
            throw new IllegalArgumentException("must be more than zero");
        }
        return value;
    }

    /** manual, pac, system or direct; null (blank) when the routing follows from --upstream and --pac. */
    private static RoutingMode routingMode(String text) {
        return text.isBlank() ? null : named(RoutingMode.class, text, "expected manual, pac, system or direct");
    }

    private static PacFailurePolicy pacFailurePolicy(String text) {
        return named(PacFailurePolicy.class, text, "expected direct or fail");
    }

    /** The addresses myIpAddress() is to return, checked, as written; null to detect them. */
    private static String localAddresses(String text) {
        String addresses = blankToNull(text);
        if (addresses != null) {
            LocalAddresses.of(addresses);
        }
        return addresses;
    }

    /** "keyring", or null for the default order (file, variable, terminal). */
    private static String passwordSource(String text) {
        String source = text.trim().toLowerCase(Locale.ROOT);
        if (source.isEmpty()) {
            return null;
        }
        if (!source.equals("keyring")) {
            throw new IllegalArgumentException("expected keyring (the value given is not repeated here, in case it is a "
                    + "password: passwords go in GANGWAY_PASSWORD, a --password-file or the keyring)");
        }
        return source;
    }

    /** The constant named {@code text} in any case; else {@code expected} as the error. */
    private static <E extends Enum<E>> E named(Class<E> type, String text, String expected) {
        try {
            return Enum.valueOf(type, text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(expected);
        }
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.trim();
    }

    /** The typed value of {@code raw}; an IllegalArgumentException says what was expected and what was got. */
    T read(ConfigValue raw) {
        return reader.apply(raw);
    }

    public String key() {
        return key;
    }

    public Arity arity() {
        return arity;
    }

    public boolean isList() {
        return arity == Arity.LIST;
    }

    public String defaultValue() {
        return defaultValue;
    }

    public String paramLabel() {
        return paramLabel;
    }

    public String description() {
        return description;
    }

    public String flag() {
        return "--" + key;
    }

    public String envName() {
        return "GANGWAY_" + key.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /** Whether each profile has its own value of this setting. */
    public boolean profiled() {
        return PROFILED.contains(this);
    }

    /** The name of this setting in a profile: {@code containers-upstream}; the key itself for the engine. */
    public String key(Profile profile) {
        return profile == Profile.ENGINE ? key : profile.key() + "-" + key;
    }

    public String flag(Profile profile) {
        return "--" + key(profile);
    }

    public String envName(Profile profile) {
        return "GANGWAY_" + key(profile).toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /** Every setting, in the order of this file (the order of the help and the user guide). */
    public static List<ConfigKey<?>> values() {
        return Collections.unmodifiableList(ALL);
    }

    /** The setting named {@code key}, or null. */
    public static ConfigKey<?> byKey(String key) {
        for (ConfigKey<?> k : ALL) {
            if (k.key.equals(key)) {
                return k;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return key;
    }
}
