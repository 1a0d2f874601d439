package io.gangway.pac;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the PAC into a {@link PacRouteSource} at start and keeps it fresh: a URL every
 * {@code refresh} (a conditional request), a file every two seconds (a stat, read only when it
 * changed). A copy that cannot be fetched or does not compile leaves the last good one in
 * place; the log says which.
 */
public final class PacUpdater implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger("gangway.pac");
    private static final Duration FILE_CHECK = Duration.ofSeconds(2);

    private final PacSource source;
    private final PacRouteSource target;
    private final PacEnvironment env;
    private final Duration refresh;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "gangway-pac-loader");
        t.setDaemon(true);
        return t;
    });

    public PacUpdater(PacSource source, PacRouteSource target, PacEnvironment env, Duration refresh) {
        this.source = source;
        this.target = target;
        this.env = env;
        this.refresh = refresh;
    }

    /** Starts loading in the background; requests wait for the first load (bounded) in the route source. */
    public PacUpdater start() {
        long period = (source instanceof PacLoader l && !l.isRemote() ? FILE_CHECK : refresh).toMillis();
        timer.scheduleWithFixedDelay(this::loadOnce, 0, period, TimeUnit.MILLISECONDS);
        return this;
    }

    /** One load: installs a changed script, keeps the old one on any failure. */
    void loadOnce() {
        try {
            PacLoader.Loaded loaded = source.load();
            if (!loaded.changed()) {
                return;
            }
            PacScript script = PacScript.compile(loaded.text(), loaded.location(), env);
            target.install(script);
            log.info("PAC loaded from {} ({} characters)", loaded.location(), loaded.text().length());
        } catch (PacException e) {
            target.unavailable(e.getMessage());
        } catch (RuntimeException e) {
            target.unavailable("unexpected " + e);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        source.close();
    }
}
