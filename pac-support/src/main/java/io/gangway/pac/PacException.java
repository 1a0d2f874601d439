package io.gangway.pac;

/** A PAC script that cannot be loaded or evaluated, with a message a user can act on. */
public class PacException extends Exception {

    public PacException(String message) {
        super(message);
    }

    public PacException(String message, Throwable cause) {
        super(message, cause);
    }
}
