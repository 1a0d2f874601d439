package io.gangway.pac.bench;

import io.gangway.pac.PacDns;
import io.gangway.pac.PacEnvironment;
import io.gangway.pac.PacException;
import io.gangway.pac.PacFailurePolicy;
import io.gangway.pac.PacRouteSource;
import io.gangway.pac.PacScript;
import io.gangway.routing.Cidr;
import io.gangway.routing.RoutePlan;
import io.gangway.routing.Target;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * PAC evaluation speed (bench/pac runs it and writes docs/benchmarks.md): a large corporate-style
 * PAC (2,000 hosts matched with shExpMatch and dnsDomainIs, 40 nested isInNet ranges on a
 * resolved address, failover lists), evaluated cold (compile and first call), warm (a new
 * target every call, so no cache), and through the route source's cache; the corpus's typical
 * corporate PAC (corp-classic.pac) warm for scale; the baseline is a
 * one-line PAC measured in the same run. Names resolve from a table, so DNS is not measured.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgs = {"-XX:+UseSerialGC"})
public class PacEvaluationBenchmark {

    static final int HOSTS = 2_000;
    static final String TRIVIAL = "function FindProxyForURL(url, host) { return 'DIRECT'; }";
    static final String LARGE = largePac();

    private final PacEnvironment env = new PacEnvironment(fixedDns(), () -> List.of(literal("10.20.5.6")),
            Clock.systemUTC());
    private PacScript trivial;
    private PacScript large;
    private PacScript typical;
    private PacRouteSource cached;
    private int n;

    @Setup
    public void setUp() throws PacException {
        trivial = PacScript.compile(TRIVIAL, "trivial.pac", env);
        large = PacScript.compile(LARGE, "large.pac", env);
        typical = PacScript.compile(resource("pac/corpus/corp-classic.pac"), "corp-classic.pac", env);
        cached = new PacRouteSource("large.pac", PacFailurePolicy.DIRECT, Duration.ofSeconds(1));
        cached.install(large);
        cached.plan(new Target("https", "host1999.saas.example", 443));
    }

    @Benchmark
    public String baselineTrivialPac() throws PacException {
        return trivial.findProxy("https://www.example.com/", "www.example.com");
    }

    @Benchmark
    public String warmLargePacNewTargetEachCall() throws PacException {
        int i = n++ % (HOSTS * 2); // half match a listed host (late in the list on average), half fall through
        String host = i < HOSTS ? "app.host" + i + ".saas.example" : "site" + i + ".example.net";
        return large.findProxy("https://" + host + "/", host);
    }

    @Benchmark
    public String warmTypicalPacNewTargetEachCall() throws PacException {
        String host = "site" + (n++ % 4096) + ".example.net"; // falls through every rule, as most Internet hosts do
        return typical.findProxy("https://" + host + "/", host);
    }

    @Benchmark
    public RoutePlan cachedLargePac() {
        return cached.knownPlan(new Target("https", "host1999.saas.example", 443));
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @Warmup(iterations = 3)
    @Measurement(iterations = 20)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public String coldLargePacCompileAndFirstCall() throws PacException {
        return PacScript.compile(LARGE, "large.pac", env).findProxy("https://www.example.com/", "www.example.com");
    }

    static String largePac() {
        StringBuilder s = new StringBuilder("var saas = [\n");
        for (int i = 0; i < HOSTS; i++) {
            s.append("  \"*.host").append(i).append(".saas.example\",\n");
        }
        s.append("];\nvar internal = [\n");
        for (int i = 0; i < 200; i++) {
            s.append("  \".dept").append(i).append(".corp.example.com\",\n");
        }
        s.append("];\nvar ranges = [\n");
        for (int i = 0; i < 40; i++) {
            s.append("  [\"10.").append(i).append(".0.0\", \"255.255.0.0\"],\n");
        }
        s.append("];\n");
        s.append("""
                function FindProxyForURL(url, host) {
                  if (isPlainHostName(host) || host == "localhost") return "DIRECT";
                  for (var i = 0; i < internal.length; i++) {
                    if (dnsDomainIs(host, internal[i])) return "DIRECT";
                  }
                  for (var j = 0; j < saas.length; j++) {
                    if (shExpMatch(host, saas[j])) return "PROXY breakout.corp.example.com:3128; DIRECT";
                  }
                  var ip = dnsResolve(host);
                  if (ip) {
                    for (var k = 0; k < ranges.length; k++) {
                      if (isInNet(ip, ranges[k][0], ranges[k][1])) return "DIRECT";
                    }
                  }
                  if (isInNet(myIpAddress(), "10.20.0.0", "255.255.0.0")) {
                    return "PROXY proxy1.corp.example.com:8080; PROXY proxy2.corp.example.com:8080; DIRECT";
                  }
                  return "PROXY proxy.corp.example.com:8080";
                }
                """);
        return s.toString();
    }

    private static String resource(String name) {
        try (java.io.InputStream in = PacEvaluationBenchmark.class.getClassLoader().getResourceAsStream(name)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static PacDns fixedDns() {
        List<InetAddress> one = List.of(literal("93.184.215.14"));
        return host -> one;
    }

    private static InetAddress literal(String ip) {
        return Cidr.literalAddress(ip);
    }
}
