package io.gangway.core.telemetry;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;

/**
 * The process and JVM meters worth an admin's look (memory, threads, open files, uptime).
 * Micrometer's processor and GC binders are left out: they name gauges as counters
 * ({@code system_cpu_count}) or put units where Prometheus forbids them, which promtool's lint
 * reports.
 */
final class ProcessMeters {

    private ProcessMeters() {
    }

    static void bindTo(MeterRegistry registry) {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }
}
