package io.gangway.core.config;

/** Invalid configuration; the message names the key, where it came from, and what is expected. */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
