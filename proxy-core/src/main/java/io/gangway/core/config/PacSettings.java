package io.gangway.core.config;

import io.gangway.pac.PacFailurePolicy;
import java.time.Duration;

/**
 * How a PAC is used.
 *
 * @param location the PAC's file or URL, or null for WPAD discovery
 * @param fallback what a request gets when no PAC answer can be had
 * @param refresh  how often a PAC URL is fetched again
 * @param myIp     what {@code myIpAddress()} returns, or null to detect it
 */
public record PacSettings(String location, PacFailurePolicy fallback, Duration refresh, String myIp) {

    /** Whether the PAC is to be discovered (WPAD) rather than read from a location. */
    public boolean discover() {
        return location == null;
    }
}
