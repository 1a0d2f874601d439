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
    record Limits(long instructions, Duration time, long allocatedBytes) {
        static final Limits DEFAULT = new Limits(50_000_000, Duration.ofSeconds(2), 256L << 20);
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

    private static final class Budget {
        private final Limits limits;
        private final long deadline;
        private final long allocatedAtStart;
        private long instructions;

        Budget(Limits limits) {
            this.limits = limits;
            this.deadline = System.nanoTime() + limits.time().toNanos();
            this.allocatedAtStart = allocated();
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
