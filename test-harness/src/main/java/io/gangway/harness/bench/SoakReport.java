package io.gangway.harness.bench;

import io.gangway.harness.bench.SoakFaults.Window;
import io.gangway.harness.bench.SoakLoad.Failure;
import io.gangway.harness.bench.SoakSampler.Sample;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The soak's verdict: least-squares slopes of RSS and open descriptors over the samples after
 * the warm-up, the failures inside fault windows (expected, counted per fault) and outside them
 * (each one a finding), as text and JSON.
 *
 * <p>Bounds. A slope may be at most {@code BOUND + NOISE / span}: {@code BOUND} is the steady
 * growth allowed per hour, {@code NOISE} the swing a healthy Gangway shows anyway (the heap
 * settling, pooled and kept-alive connections coming and going), which over a short span is a
 * steep slope and over a long one a shallow one. The noise figures are twice the largest growth
 * seen in any 67 s stretch of a healthy 25-minute run (11.7 MiB, 14.5 descriptors). At the default
 * 200 requests/s, the default 30-minute run (25 minutes measured) fails on a leak of about 130
 * bytes or one descriptor in 5,000 requests; CI's 90 s run only on leaks some fifteen times larger.
 */
final class SoakReport {

    static final double RSS_BOUND_MIB_PER_HOUR = 30;
    static final double RSS_NOISE_MIB = 24;
    static final double FD_BOUND_PER_HOUR = 60;
    static final double FD_NOISE = 30;

    private final List<Sample> samples;
    private final long warmupMs;
    private final long[] requests;
    private final List<Failure> expected = new ArrayList<>();
    private final List<Failure> unexpected = new ArrayList<>();
    private final Map<SoakFaults.Kind, Integer> perFault = new EnumMap<>(SoakFaults.Kind.class);
    /** Per window (by index): its failures, and when the last of them ended (ms from the run's start). */
    private final int[] windowFailures;
    private final long[] lastFailureMs;
    private final List<Window> windows;
    private final List<String> problems = new ArrayList<>();

    SoakReport(List<Sample> samples, long warmupMs, long[] requests, List<Failure> failures, List<Window> windows) {
        this.samples = samples.stream().filter(s -> s.ms() >= warmupMs).toList();
        this.warmupMs = warmupMs;
        this.requests = requests;
        this.windows = windows;
        this.windowFailures = new int[windows.size()];
        this.lastFailureMs = new long[windows.size()];
        for (Failure f : failures) {
            int i = 0;
            while (i < windows.size() && !windows.get(i).overlaps(f.startMs(), f.endMs())) {
                i++;
            }
            if (i == windows.size()) {
                unexpected.add(f);
            } else {
                expected.add(f);
                perFault.merge(windows.get(i).kind(), 1, Integer::sum);
                windowFailures[i]++;
                lastFailureMs[i] = Math.max(lastFailureMs[i], f.endMs());
            }
        }
    }

    /** Adds a finding that is not a request's (Gangway exited, too few samples). */
    void problem(String text) {
        problems.add(text);
    }

    double spanHours() {
        return samples.size() < 2 ? 0 : (samples.get(samples.size() - 1).ms() - samples.get(0).ms()) / 3_600_000.0;
    }

    /** Least-squares slope of {@code y} per hour over the samples after the warm-up. */
    double slopePerHour(ToDoubleFunction<Sample> y) {
        int n = samples.size();
        if (n < 2) {
            return Double.NaN;
        }
        double mx = 0, my = 0;
        for (Sample s : samples) {
            mx += s.ms() / 3_600_000.0;
            my += y.applyAsDouble(s);
        }
        mx /= n;
        my /= n;
        double sxy = 0, sxx = 0;
        for (Sample s : samples) {
            double dx = s.ms() / 3_600_000.0 - mx;
            sxy += dx * (y.applyAsDouble(s) - my);
            sxx += dx * dx;
        }
        return sxx == 0 ? Double.NaN : sxy / sxx;
    }

    double rssSlope() {
        return slopePerHour(s -> s.rssKib() / 1024.0);
    }

    double fdSlope() {
        return slopePerHour(Sample::fds);
    }

    double rssBound() {
        return RSS_BOUND_MIB_PER_HOUR + RSS_NOISE_MIB / spanHours();
    }

    double fdBound() {
        return FD_BOUND_PER_HOUR + FD_NOISE / spanHours();
    }

    long totalRequests() {
        long sum = 0;
        for (long r : requests) {
            sum += r;
        }
        return sum;
    }

    /** Every reason the soak fails; empty when it passes. */
    List<String> failures() {
        List<String> out = new ArrayList<>(problems);
        if (samples.size() < 3) {
            out.add("only " + samples.size() + " samples after the warm-up: no slope");
        } else {
            if (!(rssSlope() <= rssBound())) {
                out.add(String.format(Locale.ROOT, "RSS grows %.1f MiB/h, over the bound of %.1f", rssSlope(), rssBound()));
            }
            if (!(fdSlope() <= fdBound())) {
                out.add(String.format(Locale.ROOT, "open descriptors grow %.1f per hour, over the bound of %.1f", fdSlope(), fdBound()));
            }
        }
        if (!unexpected.isEmpty()) {
            out.add(unexpected.size() + " request(s) failed outside the fault windows");
        }
        return out;
    }

    String text() {
        StringBuilder b = new StringBuilder();
        Sample first = samples.isEmpty() ? null : samples.get(0);
        Sample last = samples.isEmpty() ? null : samples.get(samples.size() - 1);
        b.append(String.format(Locale.ROOT, "requests: %d (", totalRequests()));
        for (SoakLoad.Op op : SoakLoad.Op.values()) {
            b.append(op == SoakLoad.Op.GET_NEW ? "" : ", ").append(op.name().toLowerCase(Locale.ROOT)).append(' ')
                    .append(requests[op.ordinal()]);
        }
        b.append(")\n");
        b.append(String.format(Locale.ROOT, "samples after the %d s warm-up: %d over %.1f min", warmupMs / 1000,
                samples.size(), spanHours() * 60));
        if (first != null) {
            b.append(String.format(Locale.ROOT, "; RSS %.1f -> %.1f MiB, fds %d -> %d", first.rssKib() / 1024.0,
                    last.rssKib() / 1024.0, first.fds(), last.fds()));
        }
        b.append('\n');
        b.append(String.format(Locale.ROOT, "RSS slope: %.1f MiB/h (bound %.1f)%n", rssSlope(), rssBound()));
        b.append(String.format(Locale.ROOT, "fd slope: %.1f per hour (bound %.1f)%n", fdSlope(), fdBound()));
        b.append("faults injected: ").append(windows.size()).append('\n');
        for (int i = 0; i < windows.size(); i++) {
            Window w = windows.get(i);
            b.append(String.format(Locale.ROOT, "  %7.1f-%7.1f s  %s: %s; %d failed request(s)%s%n", w.startMs() / 1000.0,
                    w.endMs() / 1000.0, w.kind(), w.detail(), windowFailures[i], windowFailures[i] == 0 ? ""
                            : String.format(Locale.ROOT, ", the last ending %.1f s after the fault began",
                                    (lastFailureMs[i] - w.startMs()) / 1000.0)));
        }
        b.append("errors inside fault windows (expected): ").append(expected.size()).append(' ').append(perFault).append('\n');
        b.append("errors outside fault windows: ").append(unexpected.size()).append('\n');
        unexpected.stream().limit(200).forEach(f -> b.append(String.format(Locale.ROOT, "  %7.1f-%7.1f s  %s: %s%n",
                f.startMs() / 1000.0, f.endMs() / 1000.0, f.op(), f.what())));
        List<String> failed = failures();
        b.append(failed.isEmpty() ? "PASS\n" : "FAIL: " + String.join("; ", failed) + "\n");
        return b.toString();
    }

    String json() {
        StringBuilder b = new StringBuilder("{\n");
        b.append("  \"requests\": ").append(totalRequests()).append(",\n  \"requests_by_kind\": {");
        for (SoakLoad.Op op : SoakLoad.Op.values()) {
            b.append(op.ordinal() == 0 ? "" : ", ").append(quote(op.name().toLowerCase(Locale.ROOT))).append(": ")
                    .append(requests[op.ordinal()]);
        }
        b.append("},\n");
        b.append(String.format(Locale.ROOT, "  \"warmup_s\": %d,%n  \"samples\": %d,%n  \"span_min\": %.2f,%n",
                warmupMs / 1000, samples.size(), spanHours() * 60));
        b.append(String.format(Locale.ROOT, "  \"rss_slope_mib_per_h\": %s,%n  \"rss_bound_mib_per_h\": %s,%n",
                number(rssSlope()), number(rssBound())));
        b.append(String.format(Locale.ROOT, "  \"fd_slope_per_h\": %s,%n  \"fd_bound_per_h\": %s,%n",
                number(fdSlope()), number(fdBound())));
        b.append("  \"faults\": [");
        for (int i = 0; i < windows.size(); i++) {
            Window w = windows.get(i);
            b.append(i == 0 ? "\n" : ",\n").append(String.format(Locale.ROOT,
                    "    {\"kind\": %s, \"start_ms\": %d, \"end_ms\": %d, \"detail\": %s, \"failed\": %d, \"last_failure_ms\": %s}",
                    quote(w.kind().name()), w.startMs(), w.endMs(), quote(w.detail()), windowFailures[i],
                    windowFailures[i] == 0 ? "null" : Long.toString(lastFailureMs[i])));
        }
        b.append("\n  ],\n  \"errors_in_fault_windows\": ").append(expected.size()).append(",\n");
        b.append("  \"errors_outside_fault_windows\": [");
        for (int i = 0; i < unexpected.size(); i++) {
            Failure f = unexpected.get(i);
            b.append(i == 0 ? "\n" : ",\n").append(String.format(Locale.ROOT,
                    "    {\"start_ms\": %d, \"end_ms\": %d, \"kind\": %s, \"what\": %s}",
                    f.startMs(), f.endMs(), quote(f.op().name().toLowerCase(Locale.ROOT)), quote(f.what())));
        }
        b.append("\n  ],\n  \"failures\": [");
        List<String> failed = failures();
        for (int i = 0; i < failed.size(); i++) {
            b.append(i == 0 ? "" : ", ").append(quote(failed.get(i)));
        }
        b.append("],\n  \"pass\": ").append(failed.isEmpty()).append("\n}\n");
        return b.toString();
    }

    private static String number(double d) {
        return Double.isFinite(d) ? String.format(Locale.ROOT, "%.2f", d) : "null";
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
