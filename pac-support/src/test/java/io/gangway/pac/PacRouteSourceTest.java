package io.gangway.pac;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gangway.routing.Route;
import io.gangway.routing.RoutePlan;
import io.gangway.routing.RoutingException;
import io.gangway.routing.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class PacRouteSourceTest {

    /** Counts its calls in the answer, so a cached answer shows. */
    private static final String COUNTING = "var calls = 0; function FindProxyForURL(url, host) { calls++; "
            + "if (host == 'bad') return 'banana'; return 'PROXY p' + calls + '.example:8080; DIRECT'; }";

    private static PacRouteSource source(PacFailurePolicy policy) throws PacException {
        PacRouteSource source = new PacRouteSource("test", policy, Duration.ofSeconds(1));
        source.install(PacScript.compile(COUNTING, "counting", PacFixtures.env()));
        return source;
    }

    @Test
    void answersAreCachedPerUrlForHttpAndPerAuthorityForTunnels() throws PacException {
        PacRouteSource source = source(PacFailurePolicy.DIRECT);
        Target a = new Target("http", "www.example.com", 80, "/a");
        Target b = new Target("http", "www.example.com", 80, "/b");
        Target tunnel = new Target("https", "www.example.com", 443);
        assertThat(source.knownPlan(a)).isNull();
        assertThat(source.plan(a)).hasToString("PROXY p1.example:8080; DIRECT");
        assertThat(source.knownPlan(a)).hasToString("PROXY p1.example:8080; DIRECT");
        assertThat(source.plan(b)).hasToString("PROXY p2.example:8080; DIRECT"); // another path: evaluated
        assertThat(source.plan(tunnel)).hasToString("PROXY p3.example:8080; DIRECT");
        assertThat(source.plan(new Target("https", "www.example.com", 443))).hasToString("PROXY p3.example:8080; DIRECT");
        assertThat(source.evaluate(new Target("https", "www.example.com", 8443)).url()).isEqualTo("https://www.example.com:8443/");
    }

    @Test
    void aUselessAnswerFollowsThePolicy() throws PacException {
        Target bad = new Target("https", "bad", 443);
        assertThat(source(PacFailurePolicy.DIRECT).plan(bad)).isEqualTo(RoutePlan.direct());
        assertThatThrownBy(() -> source(PacFailurePolicy.FAIL).plan(bad)).isInstanceOf(RoutingException.class)
                .hasMessageContaining("returned no usable route for bad: 'banana'").hasMessageContaining("pac-fallback: fail");
    }

    @Test
    void aFailingUrlIsNotEvaluatedAgainWhileItsFailureIsRemembered() throws PacException {
        PacRouteSource source = new PacRouteSource("test", PacFailurePolicy.FAIL, Duration.ofSeconds(1));
        source.install(PacScript.compile("var calls = 0; function FindProxyForURL(u, h) { calls++; "
                + "if (h == 'bad') throw 'bad call ' + calls; return 'PROXY p:' + calls; }", "failing", PacFixtures.env()));
        Target bad = new Target("https", "bad", 443);
        assertThatThrownBy(() -> source.plan(bad)).hasMessageContaining("bad call 1");
        assertThatThrownBy(() -> source.plan(bad)).hasMessageContaining("bad call 1"); // not run again
        // an ordinary error keeps the scope, as in browsers (its globals carry on): only a budget overrun resets it
        assertThat(source.plan(new Target("https", "good", 443))).hasToString("PROXY p:2");
    }

    @Test
    void withoutAnyPacThePolicyDecidesAndSaysWhy() {
        PacRouteSource direct = new PacRouteSource("http://pac.example/p.pac", PacFailurePolicy.DIRECT, Duration.ofMillis(10));
        direct.unavailable("cannot fetch PAC: connection refused");
        assertThat(direct.plan(new Target("https", "x", 443))).isEqualTo(RoutePlan.direct());
        assertThat(direct.describe()).contains("unavailable").contains("connection refused").contains("DIRECT");
        PacRouteSource fail = new PacRouteSource("http://pac.example/p.pac", PacFailurePolicy.FAIL, Duration.ofMillis(10));
        assertThatThrownBy(() -> fail.plan(new Target("https", "x", 443))).isInstanceOf(RoutingException.class)
                .hasMessageContaining("not loaded yet");
    }

    @Test
    void theUpdaterInstallsChangesAndKeepsTheLastGoodCopy(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("proxy.pac");
        Files.writeString(file, "function FindProxyForURL(u, h) { return 'PROXY one.example:3128'; }");
        PacRouteSource source = new PacRouteSource(file.toString(), PacFailurePolicy.FAIL, Duration.ofSeconds(5));
        try (PacUpdater updater = new PacUpdater(new PacLoader(file.toString(), Duration.ofSeconds(1)), source,
                PacFixtures.env(), Duration.ofMinutes(10))) {
            updater.loadOnce();
            Target t = new Target("https", "www.example.com", 443);
            assertThat(source.plan(t).routes()).containsExactly(Route.http("one.example", 3128));

            Files.writeString(file, "function FindProxyForURL(u, h) { return 'PROXY two.example:3128'; }");
            Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(10)));
            updater.loadOnce();
            assertThat(source.plan(t).routes()).containsExactly(Route.http("two.example", 3128)); // cache dropped

            Files.writeString(file, "function FindProxyForURL(u, h) { return 'PROXY three.example:3128'; ");
            Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(20)));
            updater.loadOnce();
            assertThat(source.plan(new Target("https", "other.example", 443)).routes())
                    .containsExactly(Route.http("two.example", 3128)); // broken copy refused, last good kept
        }
    }

    @Test
    void requestsWaitForTheFirstLoad(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("p.pac");
        Files.writeString(file, "function FindProxyForURL(u, h) { return 'PROXY first.example:1'; }");
        PacRouteSource source = new PacRouteSource(file.toString(), PacFailurePolicy.FAIL, Duration.ofSeconds(10));
        try (PacUpdater updater = new PacUpdater(new PacLoader(file.toString(), Duration.ofSeconds(1)), source,
                PacFixtures.env(), Duration.ofMinutes(10)).start()) {
            assertThat(source.plan(new Target("https", "x", 443)).routes()).isEqualTo(List.of(Route.http("first.example", 1)));
        }
    }

    @Test
    void itSaysLoadingUntilTheFirstLoadEnds() {
        PacRouteSource source = new PacRouteSource("http://pac.example/p.pac", PacFailurePolicy.DIRECT, java.time.Duration.ZERO);
        assertThat(source.describe()).isEqualTo("pac http://pac.example/p.pac (loading)");
        source.unavailable("connection refused");
        assertThat(source.describe()).isEqualTo("pac http://pac.example/p.pac (unavailable: connection refused; DIRECT)");
    }
}
