package io.gangway.harness.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads a process's resident memory ({@code VmRSS} in {@code /proc/PID/status}) and its open file
 * descriptors (the entries of {@code /proc/PID/fd}) every {@code everyMs}, until stopped or the
 * process is gone.
 */
final class SoakSampler implements Runnable {

    /** One reading: ms from the run's start, RSS in KiB, open descriptors. */
    record Sample(long ms, long rssKib, int fds) {
    }

    private final long pid;
    private final long startNanos;
    private final long everyMs;
    private final List<Sample> samples = new ArrayList<>();
    private volatile boolean gone;

    SoakSampler(long pid, long startNanos, long everyMs) {
        this.pid = pid;
        this.startNanos = startNanos;
        this.everyMs = everyMs;
    }

    @Override
    public void run() {
        long next = System.nanoTime();
        while (!Thread.currentThread().isInterrupted()) {
            Sample s = sample();
            if (s == null) {
                gone = true;
                return;
            }
            synchronized (samples) {
                samples.add(s);
            }
            next += everyMs * 1_000_000;
            try {
                Thread.sleep(Math.max(0, (next - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** A reading now, or null when the process is gone. */
    Sample sample() {
        Path proc = Path.of("/proc", Long.toString(pid));
        try (Stream<Path> fds = Files.list(proc.resolve("fd"))) {
            long rss = -1;
            for (String line : Files.readAllLines(proc.resolve("status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.substring(6).replace("kB", "").trim());
                }
            }
            int count = (int) fds.count();
            return rss < 0 ? null : new Sample((System.nanoTime() - startNanos) / 1_000_000, rss, count);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Whether the process went away while sampled. */
    boolean gone() {
        return gone;
    }

    List<Sample> samples() {
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }
}
