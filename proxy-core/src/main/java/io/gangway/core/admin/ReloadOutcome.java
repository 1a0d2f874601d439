package io.gangway.core.admin;

import java.time.Instant;

/**
 * What a reload did.
 *
 * @param applied whether the new configuration is in force (false: nothing changed)
 * @param message what changed, or why nothing did
 */
public record ReloadOutcome(Instant at, boolean applied, String message) {
}
