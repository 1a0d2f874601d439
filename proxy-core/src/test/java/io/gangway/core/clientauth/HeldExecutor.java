package io.gangway.core.clientauth;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/** Runs nothing until told: password checks stay under way for as long as a test wants. */
public final class HeldExecutor implements Executor {

    private final List<Runnable> tasks = new ArrayList<>();

    @Override
    public synchronized void execute(Runnable task) {
        tasks.add(task);
    }

    public synchronized int waiting() {
        return tasks.size();
    }

    /** Runs what waits, on the caller's thread. */
    public void runAll() {
        List<Runnable> now;
        synchronized (this) {
            now = new ArrayList<>(tasks);
            tasks.clear();
        }
        now.forEach(Runnable::run);
    }
}
