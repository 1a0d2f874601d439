package io.gangway.auth;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * The schemes available to this process, found with {@link ServiceLoader}, and the choice of
 * one from the challenges an upstream offers.
 */
public final class AuthSchemes {

    /** Strongest first: the default preference when the user names none. */
    public static final List<String> DEFAULT_PREFERENCE = List.of("negotiate", "ntlm", "digest", "basic");

    private final Map<String, AuthScheme> byName;

    private AuthSchemes(Map<String, AuthScheme> byName) {
        this.byName = byName;
    }

    /** Every scheme on the class path. */
    public static AuthSchemes discover() {
        Map<String, AuthScheme> found = new LinkedHashMap<>();
        for (AuthScheme scheme : ServiceLoader.load(AuthScheme.class, AuthSchemes.class.getClassLoader())) {
            found.putIfAbsent(key(scheme.name()), scheme);
        }
        return new AuthSchemes(found);
    }

    public Optional<AuthScheme> find(String name) {
        return Optional.ofNullable(byName.get(key(name)));
    }

    public Collection<AuthScheme> all() {
        return byName.values();
    }

    /**
     * The offered challenge to answer: the first scheme of {@code preference} that the upstream
     * offers and that is available here, or empty when none fits.
     */
    public Optional<Chosen> choose(List<Challenge> offered, List<String> preference) {
        for (String wanted : preference) {
            AuthScheme scheme = byName.get(key(wanted));
            if (scheme == null) {
                continue;
            }
            for (Challenge challenge : offered) {
                if (challenge.isScheme(scheme.name())) {
                    return Optional.of(new Chosen(scheme, challenge));
                }
            }
        }
        return Optional.empty();
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

    /** A scheme and the challenge of it that the upstream sent. */
    public record Chosen(AuthScheme scheme, Challenge challenge) {
    }
}
