package io.gangway.core.secrets;

/** The keyring could not be used; the message says which and why. */
public final class KeyringException extends Exception {

    public KeyringException(String message) {
        super(message);
    }
}
