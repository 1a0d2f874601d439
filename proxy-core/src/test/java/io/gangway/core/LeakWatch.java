package io.gangway.core;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.internal.logging.InternalLoggerFactory;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;

/**
 * Fails a test when Netty's leak detector reported a leaked buffer. With paranoid detection (set
 * by the test build, and by {@link #requireParanoid()}) every buffer is tracked; a buffer
 * collected unreleased is reported at the next allocation, to the listener this class sets on
 * the buffers' detector (not through a log, which a logger's level could silence). The check
 * forces collections, waits each time until the collector has handed over its cleared
 * references, then allocates. It can miss a leak whose buffer is still reachable, never invent
 * one. {@code LeakWatchTest} proves it fails on a buffer leaked on purpose.
 */
public final class LeakWatch {

    /** Added to by whichever thread allocates when a report is due. */
    private static final List<String> LEAKS = new ArrayList<>();

    static {
        ByteBufUtil.setLeakListener((resourceType, records) -> {
            synchronized (LEAKS) {
                LEAKS.add(resourceType + " leaked; its last accesses:\n" + records);
            }
        });
    }

    private LeakWatch() {
    }

    /** Tracks every buffer from now on, whatever the build said; fails if reports would go nowhere. */
    public static void requireParanoid() {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        // the detector reports only when its logger is enabled for errors
        if (!InternalLoggerFactory.getInstance(ResourceLeakDetector.class).isErrorEnabled()) {
            throw new AssertionError("Netty's leak detector logger is off: leaks would not be reported");
        }
    }

    /** Fails if a leak was reported since the last check; cheap (no collection), for each fuzz input. */
    public static void assertNoReports() {
        List<String> leaks;
        synchronized (LEAKS) {
            leaks = List.copyOf(LEAKS);
            LEAKS.clear();
        }
        if (!leaks.isEmpty()) {
            throw new AssertionError("Netty reported leaked buffers:\n" + String.join("\n", leaks));
        }
    }

    /** Collects what is unreachable, lets the detector report it, and fails on any report. */
    public static void assertNoLeaks() {
        ReferenceQueue<Object> cleared = new ReferenceQueue<>();
        for (int round = 0; round < 3 && noReports(); round++) {
            WeakReference<Object> sentinel = new WeakReference<>(new Object(), cleared);
            System.gc();
            try {
                // the reference handler enqueues what the collection cleared: the sentinel, and
                // the trackers of leaked buffers, which the next allocation polls
                cleared.remove(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            sentinel.clear();
            PooledByteBufAllocator.DEFAULT.buffer(1).release(); // a tracked allocation reports what is queued
        }
        assertNoReports();
    }

    private static boolean noReports() {
        synchronized (LEAKS) {
            return LEAKS.isEmpty();
        }
    }
}
