package io.gangway.core.config;

/**
 * A routing profile, as Docker Desktop's {@code proxy} and {@code containersProxy} settings:
 * the engine's own traffic (image pulls, registry tokens) and the containers' egress, each
 * routed and authenticated by its own settings.
 */
public enum Profile {
    /** The top-level settings: the engine's traffic, and every client of {@code --listen}. */
    ENGINE("engine"),
    /** The {@code containers-*} settings, each defaulting to the engine's: containers' egress. */
    CONTAINERS("containers");

    private final String key;

    Profile(String key) {
        this.key = key;
    }

    /** The name in settings, logs and {@code gangway check --profile}. */
    public String key() {
        return key;
    }

    /** The profile named {@code text}: engine or containers. */
    public static Profile named(String text) {
        for (Profile p : values()) {
            if (p.key.equalsIgnoreCase(text.trim())) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown profile '" + text + "'; expected engine or containers");
    }

    @Override
    public String toString() {
        return key;
    }
}
