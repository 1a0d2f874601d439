package io.gangway.pac;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.routing.Route;
import io.gangway.routing.Route.Kind;
import org.junit.jupiter.api.Test;

class PacResultTest {

    @Test
    void readsEveryKeywordWithBrowserDefaults() {
        PacResult r = PacResult.parse("PROXY a:8080; HTTP b; HTTPS c; SOCKS d; SOCKS4 e:1; SOCKS5 f; DIRECT");
        assertThat(r.routes()).containsExactly(
                new Route(Kind.HTTP, "a", 8080), new Route(Kind.HTTP, "b", 80), new Route(Kind.HTTPS, "c", 443),
                new Route(Kind.SOCKS4, "d", 1080), new Route(Kind.SOCKS4, "e", 1), new Route(Kind.SOCKS5, "f", 1080),
                Route.DIRECT);
        assertThat(r.warnings()).isEmpty();
    }

    @Test
    void toleratesCaseWhitespaceEmptyEntriesAndCommas() {
        assertThat(PacResult.parse("proxy   p1:8080 ;; PROXY p2:8080;DIRECT").routes()).containsExactly(
                Route.http("p1", 8080), Route.http("p2", 8080), Route.DIRECT);
        assertThat(PacResult.parse("PROXY p1:8080, PROXY p2:8080").routes()).containsExactly(
                Route.http("p1", 8080), Route.http("p2", 8080));
        assertThat(PacResult.parse("\t Direct \n").routes()).containsExactly(Route.DIRECT);
        assertThat(PacResult.parse("PROXY [2001:db8::1]:3128; PROXY 2001:db8::2").routes()).containsExactly(
                Route.http("2001:db8::1", 3128), Route.http("2001:db8::2", 80));
    }

    @Test
    void skipsMalformedEntriesWithAWarningAndKeepsTheRest() {
        PacResult r = PacResult.parse("PROXY p1:8080; BOGUS x:1; PROXY; PROXY p2:99999; DIRECT now; SOCKS5 s");
        assertThat(r.routes()).containsExactly(Route.http("p1", 8080), new Route(Kind.SOCKS5, "s", 1080));
        assertThat(r.warnings()).hasSize(4)
                .anyMatch(w -> w.contains("BOGUS") && w.contains("unknown keyword"))
                .anyMatch(w -> w.contains("'PROXY'") && w.contains("no address"))
                .anyMatch(w -> w.contains("99999"))
                .anyMatch(w -> w.contains("DIRECT takes no address"));
    }

    @Test
    void aHostWithColonsOrBracketsThatIsNoIpv6LiteralIsSkipped() {
        // found by bench/fuzz: these were routes to hosts "2[001:db8]:3128", ":3128]:3128" and "a:b:c", port 80
        PacResult r = PacResult.parse("PROXY 2[001:db8]:3128; PROXY :3128]:3128; PROXY a:b:c; PROXY a[b]:8080; DIRECT");
        assertThat(r.routes()).containsExactly(Route.DIRECT);
        assertThat(r.warnings()).hasSize(4).allMatch(w -> w.contains("bad address") || w.contains("U+005B"));
        assertThat(PacResult.parse("PROXY 2001:db8::7; PROXY [::ffff:10.0.0.1]:81").routes())
                .containsExactly(Route.http("2001:db8::7", 80), Route.http("::ffff:10.0.0.1", 81));
    }

    @Test
    void dockerDesktopsRejectHostRefuses() {
        PacResult r = PacResult.parse("PROXY reject.docker.internal:1234; DIRECT");
        assertThat(r.routes()).containsExactly(new Route(Kind.REJECT, "reject.docker.internal", 1234), Route.DIRECT);
        assertThat(r.routes().get(0).isRejection()).isTrue();
        assertThat(r.routes().get(0)).hasToString("PROXY reject.docker.internal:1234");
        assertThat(PacResult.parse("HTTPS reject.docker.internal:443").routes().get(0).isRejection())
                .as("only as a PROXY, as Docker Desktop writes it").isFalse();
    }

    @Test
    void garbageGivesNoRoutes() {
        PacResult r = PacResult.parse("banana");
        assertThat(r.routes()).isEmpty();
        assertThat(r.warnings()).singleElement().asString().contains("banana");
        assertThat(PacResult.parse("").routes()).isEmpty();
    }

    @Test
    void repeatedRoutesAreTriedOnce() {
        assertThat(PacResult.parse("PROXY a:1; PROXY a:1; DIRECT; DIRECT").routes())
                .containsExactly(Route.http("a", 1), Route.DIRECT);
    }

    /**
     * Chromium's {@code net/proxy_resolution/proxy_list_unittest.cc}, SetFromPacString: the
     * answer as Chrome reads it. Where Chrome falls back to DIRECT because nothing parsed,
     * Gangway gives no route and {@code pac-fallback} decides (DIRECT by default); a route given
     * twice is kept once (see the user guide).
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "\"{0}\" -> {1}")
    @org.junit.jupiter.params.provider.CsvSource(delimiterString = " => ", value = {
        "PROXY foopy:10 => PROXY foopy:10",
        " DIRECT => DIRECT",
        "PROXY foopy1 ; proxy foopy2;\t DIRECT => PROXY foopy1:80;PROXY foopy2:80;DIRECT",
        "proxy foopy1 ; SOCKS foopy2 => PROXY foopy1:80;SOCKS4 foopy2:1080",
        "DIRECT ; proxy foopy1 ; DIRECT ; SOCKS5 foopy2;DIRECT  => DIRECT;PROXY foopy1:80;SOCKS5 foopy2:1080",
        "PROXY-foopy:10 => ''",
        "PROXY => ''",
        "PROXY foopy1 ; JUNK ; JUNK ; SOCKS5 foopy2 ; ; => PROXY foopy1:80;SOCKS5 foopy2:1080",
        // mozilla test_protocolproxyservice.js, run_pac_test
        "PROXY foopy:8080; DIRECT => PROXY foopy:8080;DIRECT",
    })
    void readsAnswersAsChromeDoes(String answer, String expected) {
        String routes = String.join(";", PacResult.parse(answer.replace("\\t", "\t")).routes().stream()
                .map(r -> r.isDirect() ? "DIRECT" : r.toString()).toList());
        assertThat(routes).isEqualTo(expected == null ? "" : expected);
    }
}
