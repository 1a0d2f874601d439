package io.gangway.core.clientauth;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The users of a client-auth file: one {@code user:$pbkdf2-sha256$...} line each, {@code #}
 * comments and blank lines allowed. An error names the file and the line, never its content.
 */
public final class ClientUsers {

    private final Path file;
    private final Map<String, PasswordHash> users;

    private ClientUsers(Path file, Map<String, PasswordHash> users) {
        this.file = file;
        this.users = Collections.unmodifiableMap(users);
    }

    /** Reads {@code file}; an IllegalArgumentException says what is wrong, where. */
    public static ClientUsers read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (MalformedInputException e) {
            throw new IllegalArgumentException("cannot read " + file + ": not UTF-8 text");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e);
        }
        Map<String, PasswordHash> users = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = file + " line " + (i + 1);
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException(where + ": expected USER:$pbkdf2-sha256$ITERATIONS$SALT$HASH "
                        + "(the output of 'gangway hash --client USER')");
            }
            String user = line.substring(0, colon);
            try {
                checkUserName(user);
                if (users.put(user, PasswordHash.parse(line.substring(colon + 1))) != null) {
                    throw new IllegalArgumentException("the user " + user + " is listed twice");
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": " + e.getMessage());
            }
        }
        if (users.isEmpty()) {
            throw new IllegalArgumentException(file + " names no user: add lines from 'gangway hash --client USER'");
        }
        return new ClientUsers(file, users);
    }

    /**
     * A user name as Basic can carry it (no colon, RFC 7617) and a file line can hold it: no
     * control characters or spaces. Not repeated in the error: it may be a password typed in the wrong place.
     */
    public static void checkUserName(String user) {
        if (user.isEmpty()) {
            throw new IllegalArgumentException("the user name is empty");
        }
        for (int i = 0; i < user.length(); i++) {
            char c = user.charAt(i);
            if (c == ':' || Character.isWhitespace(c) || Character.isISOControl(c)) {
                throw new IllegalArgumentException("a user name may not hold a colon, a space or a control character");
            }
        }
        if (user.startsWith("#")) {
            throw new IllegalArgumentException("a user name may not start with # (the file's comment mark)");
        }
    }

    /** {@code user:$pbkdf2-sha256$...}: the line of the file for one user. */
    public static String entry(String user, PasswordHash hash) {
        checkUserName(user);
        return user + ":" + hash.format();
    }

    public Optional<PasswordHash> hashOf(String user) {
        return Optional.ofNullable(users.get(user));
    }

    /** The iteration count of the first entry: what a made-up user's verification should cost. */
    int typicalIterations() {
        return users.values().iterator().next().iterations();
    }

    public int size() {
        return users.size();
    }

    public Path file() {
        return file;
    }

    @Override
    public String toString() {
        return "ClientUsers[" + file + ", " + users.size() + " users]";
    }
}
