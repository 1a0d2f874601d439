package io.gangway.pac;

/** What to do for a request when no PAC answer can be had (none loaded yet, or it failed). */
public enum PacFailurePolicy {
    /** Go DIRECT, as browsers do. */
    DIRECT,
    /** Fail the request with a 502 that says why. */
    FAIL
}
