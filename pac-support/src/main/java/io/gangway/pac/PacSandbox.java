package io.gangway.pac;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import org.mozilla.javascript.Context;
import org.mozilla.javascript.ContextFactory;

/**
 * Rhino contexts for untrusted PAC code: interpreted (no class generation), no Java classes
 * visible, and a budget per call checked every {@value #CHECK_EVERY} instructions: an
 * instruction count, a wall-clock deadline and the bytes the thread allocated. Going over
 * throws {@link BudgetExceeded}, an {@link Error} so that a script's own {@code try/catch}
 * cannot swallow it.
 */
final class PacSandbox extends ContextFactory {

    static final int CHECK_EVERY = 10_000;

    /** Limits for one call into a script. */
    record Limits(long instructions, Duration time, long allocatedBytes, Duration dns) {
        static final Limits DEFAULT = new Limits(50_000_000, Duration.ofSeconds(2), 256L << 20, Duration.ofMillis(1500));

        Limits(long instructions, Duration time, long allocatedBytes) {
            this(instructions, time, allocatedBytes, DEFAULT.dns);
        }
    }

    static final class BudgetExceeded extends Error {
        BudgetExceeded(String message) {
            super(message, null, false, false);
        }
    }

    private static final com.sun.management.ThreadMXBean THREADS = threads();

    @Override
    protected Context makeContext() {
        Context cx = super.makeContext();
        cx.setInterpretedMode(true);
        cx.setLanguageVersion(Context.VERSION_ES6);
        cx.setClassShutter(className -> false);
        cx.setInstructionObserverThreshold(CHECK_EVERY);
        cx.setMaximumInterpreterStackDepth(2_000);
        return cx;
    }

    @Override
    protected void observeInstructionCount(Context cx, int instructionCount) {
        Budget budget = (Budget) cx.getThreadLocal(Budget.class);
        if (budget != null) {
            budget.charge(instructionCount);
        }
    }

    /** Runs {@code action} in a sandboxed context under {@code limits}. */
    <T> T run(Limits limits, ContextAction<T> action) {
        try (Context cx = enterContext()) {
            cx.putThreadLocal(Budget.class, new Budget(limits));
            try {
                return action.run(cx);
            } finally {
                cx.removeThreadLocal(Budget.class);
            }
        }
    }

    interface ContextAction<T> {
        T run(Context cx);
    }

    /** The budget of the call under way on this thread, or null outside one. */
    static Budget current() {
        Context cx = Context.getCurrentContext();
        return cx == null ? null : (Budget) cx.getThreadLocal(Budget.class);
    }

    /**
     * What one call may spend. Name lookups (see {@link PacLookups}) draw on the same deadline,
     * which the instruction count cannot see while a helper blocks, and on a DNS allowance of
     * their own; their answers are kept for the rest of the call.
     */
    static final class Budget {
        /** Time kept back from lookups for the script to finish with what it learned. */
        private static final long RESERVE_NANOS = Duration.ofMillis(250).toNanos();

        private final Limits limits;
        private final long deadline;
        private final long allocatedAtStart;
        private long instructions;
        private long dnsNanosLeft;
        final java.util.Map<String, java.util.List<java.net.InetAddress>> lookups = new java.util.HashMap<>();

        Budget(Limits limits) {
            this.limits = limits;
            this.deadline = System.nanoTime() + limits.time().toNanos();
            this.allocatedAtStart = allocated();
            this.dnsNanosLeft = limits.dns().toNanos();
        }

        /** How long the next lookup may wait: what is left of the DNS allowance and of the call. */
        long dnsWaitNanos() {
            return Math.min(dnsNanosLeft, deadline - System.nanoTime() - RESERVE_NANOS);
        }

        void dnsSpent(long nanos) {
            dnsNanosLeft -= nanos;
        }

        /** Throws when the call's time is up (for work in Java that the instruction count cannot see). */
        void checkTime() {
            if (System.nanoTime() > deadline) {
                throw new BudgetExceeded("ran longer than " + limits.time().toMillis() + " ms");
            }
        }

        void charge(int count) {
            instructions += count;
            if (instructions > limits.instructions()) {
                throw new BudgetExceeded("ran more than " + limits.instructions() + " instructions (endless loop?)");
            }
            if (System.nanoTime() > deadline) {
                throw new BudgetExceeded("ran longer than " + limits.time().toMillis() + " ms");
            }
            if (allocatedAtStart >= 0 && allocated() - allocatedAtStart > limits.allocatedBytes()) {
                throw new BudgetExceeded("allocated more than " + (limits.allocatedBytes() >> 20) + " MiB");
            }
        }
    }

    private static long allocated() {
        return THREADS == null ? -1 : THREADS.getCurrentThreadAllocatedBytes();
    }

    private static com.sun.management.ThreadMXBean threads() {
        if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t
                && t.isThreadAllocatedMemorySupported()) {
            t.setThreadAllocatedMemoryEnabled(true);
            return t;
        }
        return null;
    }
}
