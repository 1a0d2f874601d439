package io.gangway.core.config;

import java.util.Locale;

/**
 * Every setting, once: its name is the YAML key, the CLI flag ({@code --name}) and, upper-cased
 * with underscores, the environment variable ({@code GANGWAY_NAME}). Flags override the
 * environment, which overrides the file, which overrides the default here.
 */
public enum ConfigKey {
    LISTEN("listen", Type.LIST, "127.0.0.1:3128", "ADDR:PORT",
            "Address to listen on for the engine profile (the top-level routing settings); repeatable. Port 0 picks "
                    + "a free port. A non-loopback address needs --allow."),
    CONTAINERS_LISTEN("containers-listen", Type.LIST, "", "ADDR:PORT",
            "Address to listen on for containers' proxy traffic (the containers profile: the containers-* settings, "
                    + "else the top-level ones); repeatable. A non-loopback address needs --allow."),
    TRANSPARENT("transparent", Type.LIST, "", "ADDR:PORT",
            "A transparent listener, for connections that iptables/nftables redirected to it (REDIRECT or TPROXY) "
                    + "from clients that know nothing of a proxy; routed by the containers profile; repeatable. "
                    + "A non-loopback address needs --allow."),
    TRANSPARENT_PORTS("transparent-ports", Type.STRING, "80,443", "PORTS",
            "The destination ports a transparent listener handles (others are closed): 80 as HTTP (named by Host), "
                    + "443 as TLS (named by its server name, never terminated), any other as raw TCP; * for all."),
    PUBLISH("publish", Type.LIST, "", "[ADDR:]PORT:HOST:PORT",
            "A published port, as Docker's -p with the target added: listen on ADDR:PORT (127.0.0.1 by default, see "
                    + "--publish-bind) and forward raw TCP to HOST:PORT; repeatable."),
    PUBLISH_BIND("publish-bind", Type.STRING, "local-default", "MODE",
            "Where a published port without an address listens: local-default (127.0.0.1), any-default (0.0.0.0) "
                    + "or local-only (loopback, and a non-loopback address is refused). A non-loopback one needs --allow."),
    ALLOW("allow", Type.LIST, "", "CIDR",
            "Client address range allowed to connect (gateway mode); repeatable. Replaces the default (loopback only); others get 403."),
    ROUTING("routing", Type.STRING, "", "SOURCE",
            "Where routes come from: manual (--upstream), pac (--pac, or WPAD without it), system (environment, "
                    + "then the OS settings, then DIRECT) or direct. Default: manual when --upstream is given, "
                    + "pac when --pac is, else system."),
    PAC("pac", Type.STRING, "", "FILE|URL",
            "PAC script: a file, a file:, http(s):// or data: URL, or 'wpad' to discover it by DNS. Fetched DIRECT."),
    PAC_FALLBACK("pac-fallback", Type.STRING, "direct", "direct|fail",
            "When no PAC answer can be had (none loaded, or the script fails): go DIRECT, or fail the request."),
    PAC_REFRESH("pac-refresh", Type.DURATION, "10m", "DURATION",
            "How often a PAC URL is fetched again (a conditional request); PAC files are checked every 2s."),
    MY_IP("my-ip", Type.STRING, "", "IP[;IP]",
            "What the PAC's myIpAddress()/myIpAddressEx() return. Default: the address of the interface that routes outward."),
    UPSTREAM("upstream", Type.LIST, "", "URL",
            "Upstream proxy http://[user@]host:port, tried in order; repeatable."),
    UPSTREAM_CA("upstream-ca", Type.STRING, "", "FILE",
            "PEM file of the CA certificates that https:// upstream proxies are checked against, instead of the JDK's."),
    NO_PROXY("no-proxy", Type.LIST, "", "LIST",
            "Hosts, domains (.suffix), IPs, CIDRs, host:port or <local> that go DIRECT."),
    DIRECT_FALLBACK("direct-fallback", Type.BOOLEAN, "false", "BOOL",
            "Go DIRECT when every upstream fails."),
    USER("user", Type.STRING, "", "USER",
            "User for upstreams whose URL names none: user, DOMAIN\\user or user@domain."),
    DOMAIN("domain", Type.STRING, "", "DOMAIN",
            "Domain of the user, when --user does not name one (NTLM)."),
    PASSWORD_FILE("password-file", Type.STRING, "", "FILE",
            "File holding the upstream password (first line). Otherwise GANGWAY_PASSWORD."),
    PASSWORD_FROM("password-from", Type.STRING, "", "SOURCE",
            "'keyring': the password from the OS keyring (the Secret Service, the macOS Keychain, the Windows Credential "
                    + "Manager), stored there by 'gangway password set'. Default: the password file, else GANGWAY_PASSWORD, "
                    + "else asked for at the terminal."),
    NT_HASH_FILE("nt-hash-file", Type.STRING, "", "FILE",
            "File holding the NT hash of the password (32 hex digits, from 'gangway hash'), for NTLM without "
                    + "a stored password. Otherwise GANGWAY_NT_HASH."),
    KEYTAB("keytab", Type.STRING, "", "FILE",
            "Keytab to log in to Kerberos with (Negotiate), with --principal."),
    PRINCIPAL("principal", Type.STRING, "", "NAME",
            "Kerberos principal, e.g. alice@CORP.EXAMPLE.COM. Default: from --user, else the ticket cache's."),
    KERBEROS_CANONICALIZE("kerberos-canonicalize", Type.BOOLEAN, "false", "BOOL",
            "Ask for the Kerberos ticket of the proxy's canonical DNS name (reverse lookup) instead of its name as configured."),
    LOCKOUT_BACKOFF("lockout-backoff", Type.DURATION, "30s", "DURATION",
            "After an upstream rejects the credentials, how long before they are sent again; doubles with each rejection."),
    LOCKOUT_BACKOFF_MAX("lockout-backoff-max", Type.DURATION, "30m", "DURATION",
            "The longest lockout back-off."),
    LOCKOUT_STATE("lockout-state", Type.STRING, "", "FILE",
            "File that keeps the credential rejections, so that every Gangway of this user (run, check --login, a "
                    + "restart) honours one back-off; 'none' keeps them in memory. "
                    + "Default: ${XDG_STATE_HOME:-~/.local/state}/gangway/lockout.json."),
    AUTH("auth", Type.LIST, "", "LIST",
            "Schemes Gangway may use with upstreams, in order of preference. Default: every available scheme, "
                    + "strongest first (negotiate, ntlm, digest, basic)."),
    CONNECT_TIMEOUT("connect-timeout", Type.DURATION, "10s", "DURATION",
            "Time to open a TCP connection to an upstream or origin."),
    REQUEST_HEAD_TIMEOUT("request-head-timeout", Type.DURATION, "30s", "DURATION",
            "Time for a client to send a whole request head once it has started (408 after)."),
    RESPONSE_TIMEOUT("response-timeout", Type.DURATION, "120s", "DURATION",
            "Time to wait for the upstream's response head, and the longest pause within a response body (504)."),
    IDLE_TIMEOUT("idle-timeout", Type.DURATION, "300s", "DURATION",
            "Idle time after which a client connection or a tunnel is closed."),
    POOL_IDLE_TIMEOUT("pool-idle-timeout", Type.DURATION, "60s", "DURATION",
            "Idle time after which a pooled upstream connection is closed."),
    POOL_MAX_IDLE("pool-max-idle", Type.INTEGER, "64", "N",
            "Idle upstream connections kept per route and user (per I/O thread)."),
    ROUTE_RETRY_DELAY("route-retry-delay", Type.DURATION, "30s", "DURATION",
            "How long an upstream that failed to connect is tried last."),
    MAX_REQUEST_LINE("max-request-line", Type.SIZE, "16KiB", "SIZE",
            "Longest request line (414 above)."),
    MAX_HEADER_SIZE("max-header-size", Type.SIZE, "64KiB", "SIZE",
            "Largest request or response header block (431 above)."),
    MAX_HEADERS("max-headers", Type.INTEGER, "256", "N",
            "Most header fields in a request (431 above)."),
    REPLAY_BUFFER("replay-buffer", Type.SIZE, "1MiB", "SIZE",
            "Request body kept to replay after a 407 on a connection that is still authenticating."),
    ACCESS_LOG("access-log", Type.BOOLEAN, "true", "BOOL",
            "One log line per request and tunnel (logger gangway.access).");

    /** Value types, which decide parsing and CLI arity. */
    public enum Type { STRING, LIST, BOOLEAN, INTEGER, DURATION, SIZE }

    /**
     * The routing settings, which each profile has: the containers profile's twin of each is
     * {@code containers-KEY} (flag {@code --containers-KEY}, variable {@code GANGWAY_CONTAINERS_KEY},
     * key {@code KEY} in the file's {@code containers:} block).
     */
    private static final java.util.Set<ConfigKey> PROFILED = java.util.EnumSet.of(
            ROUTING, PAC, PAC_FALLBACK, PAC_REFRESH, MY_IP, UPSTREAM, UPSTREAM_CA, NO_PROXY, DIRECT_FALLBACK, USER,
            DOMAIN, PASSWORD_FILE, PASSWORD_FROM, NT_HASH_FILE, KEYTAB, PRINCIPAL, KERBEROS_CANONICALIZE, AUTH);

    private final String key;
    private final Type type;
    private final String defaultValue;
    private final String paramLabel;
    private final String description;

    ConfigKey(String key, Type type, String defaultValue, String paramLabel, String description) {
        this.key = key;
        this.type = type;
        this.defaultValue = defaultValue;
        this.paramLabel = paramLabel;
        this.description = description;
    }

    public String key() {
        return key;
    }

    public Type type() {
        return type;
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

    public static ConfigKey byKey(String key) {
        for (ConfigKey k : values()) {
            if (k.key.equals(key)) {
                return k;
            }
        }
        return null;
    }
}
