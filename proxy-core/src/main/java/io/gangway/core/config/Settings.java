package io.gangway.core.config;

import java.util.Map;
import java.util.Set;

/**
 * One profile's merged raw settings, read as typed values. An error names the setting as the user
 * wrote it (the profile's twin only where the profile set it) and where its value came from.
 */
final class Settings {

    private final Map<ConfigKey<?>, ConfigValue> merged;
    private final Profile profile;
    /** The keys this profile sets itself (none for the engine: its keys are the top-level ones). */
    private final Set<ConfigKey<?>> own;

    Settings(Map<ConfigKey<?>, ConfigValue> merged, Profile profile, Set<ConfigKey<?>> own) {
        this.merged = merged;
        this.profile = profile;
        this.own = own;
    }

    <T> T get(ConfigKey<T> key) {
        try {
            return key.read(merged.get(key));
        } catch (IllegalArgumentException e) {
            throw error(key, e.getMessage());
        }
    }

    /** Whether nothing set {@code key}: its value is the default. */
    boolean isDefault(ConfigKey<?> key) {
        return merged.get(key).origin().startsWith("default");
    }

    /** Whether this profile set {@code key} itself rather than inheriting the engine's. */
    boolean ownsKey(ConfigKey<?> key) {
        return own.contains(key);
    }

    Profile profile() {
        return profile;
    }

    /** The name of {@code key} as the user set it: {@code containers-upstream} where this profile set it. */
    String name(ConfigKey<?> key) {
        return own.contains(key) ? key.key(profile) : key.key();
    }

    /** The flag of {@code key} for this profile, for advice ("give it with --containers-password-file"). */
    String flag(ConfigKey<?> key) {
        return key.flag(profile);
    }

    ConfigException error(ConfigKey<?> key, String message) {
        return new ConfigException(merged.get(key).origin() + ": '" + name(key) + "': " + message);
    }
}
