package io.gangway.core.config;

import io.gangway.auth.AuthScheme;
import io.gangway.auth.AuthSchemes;
import io.gangway.routing.ProxyUrl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Reads one profile's settings: where its requests go ({@link RouteSettings}) and who they log in as. */
final class ProfileReader {

    private final Settings settings;
    private final Map<String, String> env;
    private final PasswordSources passwords;

    ProfileReader(Settings settings, Map<String, String> env, PasswordSources passwords) {
        this.settings = settings;
        this.env = env;
        this.passwords = passwords;
    }

    RoutingProfile read() {
        List<ProxyUrl> upstreams = settings.get(ConfigKey.UPSTREAM);
        RouteSettings route = new RouteSettings(mode(upstreams), pac(), upstreams,
                readable(ConfigKey.UPSTREAM_CA, "cannot read CA file "), settings.get(ConfigKey.NO_PROXY),
                settings.get(ConfigKey.DIRECT_FALLBACK));
        return new RoutingProfile(settings.profile(), route, account(upstreams));
    }

    private RoutingMode mode(List<ProxyUrl> upstreams) {
        RoutingMode mode = settings.get(ConfigKey.ROUTING);
        if (mode == null) {
            return !upstreams.isEmpty() ? RoutingMode.MANUAL
                    : settings.get(ConfigKey.PAC) != null ? RoutingMode.PAC : RoutingMode.SYSTEM;
        }
        if (mode == RoutingMode.MANUAL && upstreams.isEmpty()) {
            throw settings.error(ConfigKey.ROUTING, "'manual' routing needs at least one --upstream");
        }
        return mode;
    }

    private PacSettings pac() {
        String location = settings.get(ConfigKey.PAC);
        return new PacSettings(location == null || location.equalsIgnoreCase("wpad") ? null : location,
                settings.get(ConfigKey.PAC_FALLBACK), settings.get(ConfigKey.PAC_REFRESH), settings.get(ConfigKey.MY_IP));
    }

    /** Every setting is checked before a secret is looked for: no keyring dialog or prompt for a config with a typo. */
    private AccountSettings account(List<ProxyUrl> upstreams) {
        String user = settings.get(ConfigKey.USER);
        Path keytab = readable(ConfigKey.KEYTAB, "cannot read keytab ");
        List<String> auth = auth();
        String domain = settings.get(ConfigKey.DOMAIN);
        String principal = settings.get(ConfigKey.PRINCIPAL);
        boolean canonicalize = settings.get(ConfigKey.KERBEROS_CANONICALIZE);
        settings.get(ConfigKey.PASSWORD_FROM); // checked even when a file or variable gives the password
        AccountSecrets secrets = new AccountSecrets(settings, env, passwords);
        char[] password = secrets.password();
        byte[] ntHash = secrets.ntHash();
        if (password == null && ntHash == null && keytab == null) {
            password = secrets.askFor(user, upstreams);
        }
        return new AccountSettings(user, domain, password, ntHash, auth, principal, keytab, canonicalize,
                settings.get(ConfigKey.PASSWORD_FILE), settings.get(ConfigKey.NT_HASH_FILE));
    }

    private Path readable(ConfigKey<Path> key, String problem) {
        Path file = settings.get(key);
        if (file != null && !Files.isReadable(file)) {
            throw settings.error(key, problem + file);
        }
        return file;
    }

    /** The allowed schemes: as listed (known ones, each once), else every available one, strongest first. */
    private List<String> auth() {
        Set<String> known = new LinkedHashSet<>();
        for (AuthScheme scheme : AuthSchemes.discover().all()) {
            known.add(scheme.name().toLowerCase(Locale.ROOT));
        }
        if (settings.isDefault(ConfigKey.AUTH)) {
            return List.copyOf(known);
        }
        List<String> wanted = new ArrayList<>();
        for (String name : settings.get(ConfigKey.AUTH)) {
            if (!known.contains(name)) {
                throw settings.error(ConfigKey.AUTH, "unknown scheme '" + name + "'; available: " + String.join(", ", known));
            }
            if (!wanted.contains(name)) {
                wanted.add(name);
            }
        }
        if (wanted.isEmpty()) {
            throw settings.error(ConfigKey.AUTH, "no usable scheme; available: " + String.join(", ", known));
        }
        return List.copyOf(wanted);
    }
}
