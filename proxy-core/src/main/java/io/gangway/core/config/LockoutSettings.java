package io.gangway.core.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Account-lockout protection: how long rejected credentials are held back (doubling up to
 * {@code max}), and the file that every Gangway of the user shares them through (null: this
 * process only).
 */
public record LockoutSettings(Duration backoff, Duration max, Path stateFile) {
}
