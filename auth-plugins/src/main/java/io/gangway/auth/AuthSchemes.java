package io.gangway.auth;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/** The schemes available to this process, found with {@link ServiceLoader}. */
public final class AuthSchemes {

    private final Map<String, AuthScheme> byName;

    private AuthSchemes(Map<String, AuthScheme> byName) {
        this.byName = byName;
    }

    /** Every scheme on the class path, strongest first. */
    public static AuthSchemes discover() {
        List<AuthScheme> all = new ArrayList<>();
        ServiceLoader.load(AuthScheme.class, AuthSchemes.class.getClassLoader()).forEach(all::add);
        all.sort(Comparator.comparingInt(AuthScheme::strength).reversed());
        Map<String, AuthScheme> found = new LinkedHashMap<>();
        for (AuthScheme scheme : all) {
            found.putIfAbsent(key(scheme.name()), scheme);
        }
        return new AuthSchemes(found);
    }

    /** Every scheme on the class path, each given the settings it reads from {@code env}. */
    public static AuthSchemes discover(Map<String, String> env) {
        AuthSchemes schemes = discover();
        for (AuthScheme scheme : schemes.all()) {
            scheme.useEnvironment(env);
        }
        return schemes;
    }

    public Optional<AuthScheme> find(String name) {
        return Optional.ofNullable(byName.get(key(name)));
    }

    /** Strongest first. */
    public Collection<AuthScheme> all() {
        return byName.values();
    }

    /** Names of the offered schemes, for error messages. */
    public static List<String> names(List<Challenge> offered) {
        List<String> names = new ArrayList<>();
        for (Challenge c : offered) {
            if (!names.contains(c.scheme())) {
                names.add(c.scheme());
            }
        }
        return names;
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
