package io.gangway.core.routing;

import io.gangway.core.config.RoutingProfile;
import io.gangway.core.config.SecretFiles;
import io.gangway.core.server.DaemonPools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-reads the password file and the NT hash file when they change, so that fixing a password
 * (after a lockout warning, or a scheduled password change) needs no restart.
 */
public final class SecretFileWatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger("gangway");

    private final String profile;
    private final Path passwordFile;
    private final Path ntHashFile;
    private final UpstreamCredentials credentials;
    private final ScheduledExecutorService timer;
    private FileTime passwordSeen;
    private FileTime hashSeen;

    private SecretFileWatcher(RoutingProfile config, UpstreamCredentials credentials) {
        this.profile = config.profile().key();
        this.passwordFile = config.account().passwordFile();
        this.ntHashFile = config.account().ntHashFile();
        this.credentials = credentials;
        this.passwordSeen = modified(passwordFile);
        this.hashSeen = modified(ntHashFile);
        this.timer = DaemonPools.timer("gangway-secret-files");
        timer.scheduleWithFixedDelay(this::check, 1, 1, TimeUnit.SECONDS);
    }

    /** Watches the configured files; null when there is none to watch. */
    public static SecretFileWatcher start(RoutingProfile config, UpstreamCredentials credentials) {
        return config.account().passwordFile() == null && config.account().ntHashFile() == null ? null : new SecretFileWatcher(config, credentials);
    }

    private void check() {
        FileTime password = modified(passwordFile);
        FileTime hash = modified(ntHashFile);
        if (java.util.Objects.equals(password, passwordSeen) && java.util.Objects.equals(hash, hashSeen)) {
            return;
        }
        try {
            char[] newPassword = passwordFile == null ? null : SecretFiles.readPassword(passwordFile);
            byte[] newHash = ntHashFile == null ? null : SecretFiles.readNtHash(ntHashFile);
            credentials.updateSecret(newPassword, newHash);
            passwordSeen = password;
            hashSeen = hash;
            log.info("the upstream secret of the {} profile changed on disk; using the new one", profile);
        } catch (IOException | IllegalArgumentException e) {
            log.warn("cannot read the changed secret file: {}; keeping the previous secret", e.getMessage());
            passwordSeen = password;
            hashSeen = hash;
        }
    }

    private static FileTime modified(Path file) {
        try {
            return file == null ? null : Files.getLastModifiedTime(file);
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
