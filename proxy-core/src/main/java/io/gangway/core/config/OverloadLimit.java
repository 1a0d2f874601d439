package io.gangway.core.config;

/**
 * The limits that turn overload into a refusal instead of a collapse, each named by its setting
 * (the label of the refusals metric, and what a refusal's message and log line name).
 */
public enum OverloadLimit {
    CLIENT_CONNECTIONS(ConfigKey.MAX_CLIENT_CONNECTIONS),
    CLIENT_CONNECTIONS_PER_ADDRESS(ConfigKey.MAX_CLIENT_CONNECTIONS_PER_ADDRESS),
    PENDING_REQUESTS(ConfigKey.MAX_PENDING_REQUESTS),
    TUNNELS(ConfigKey.MAX_TUNNELS),
    /** Not a count: a connection closed because it sent nothing in time. */
    FIRST_BYTE_TIMEOUT(ConfigKey.FIRST_BYTE_TIMEOUT);

    private final ConfigKey<?> key;

    OverloadLimit(ConfigKey<?> key) {
        this.key = key;
    }

    /** The setting's name: {@code max-client-connections}. */
    public String key() {
        return key.key();
    }
}
