package io.gangway.core.clientauth;

import io.gangway.core.server.DaemonPools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the client-auth file again when it changes, so that adding or removing a user needs no
 * reload. A file that no longer reads keeps the users in force (and says why, by file and line).
 */
public final class ClientUsersWatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger("gangway");

    private final ClientVerifier verifier;
    private final Path file;
    private final ScheduledExecutorService timer;
    private FileTime seen;

    private ClientUsersWatcher(ClientVerifier verifier) {
        this.verifier = verifier;
        this.file = verifier.users().file();
        this.seen = modified(file);
        this.timer = DaemonPools.timer("gangway-client-auth-file");
        timer.scheduleWithFixedDelay(this::check, 2, 2, TimeUnit.SECONDS);
    }

    public static ClientUsersWatcher start(ClientVerifier verifier) {
        return new ClientUsersWatcher(verifier);
    }

    private void check() {
        FileTime now = modified(file);
        if (Objects.equals(now, seen)) {
            return;
        }
        seen = now;
        try {
            ClientUsers users = ClientUsers.read(file);
            verifier.replace(users);
            log.info("the client-auth file {} changed: {} users", file, users.size());
        } catch (IllegalArgumentException e) {
            log.warn("the client-auth file changed but cannot be used: {}; the users read before stay", e.getMessage());
        }
    }

    private static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
