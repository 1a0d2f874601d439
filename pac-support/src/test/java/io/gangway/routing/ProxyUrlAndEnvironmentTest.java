package io.gangway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProxyUrlAndEnvironmentTest {

    @Test
    void parsesProxyUrls() {
        ProxyUrl plain = ProxyUrl.parse("proxy.corp:8080");
        assertThat(plain.route()).isEqualTo(Route.http("proxy.corp", 8080));
        assertThat(plain.user()).isNull();

        ProxyUrl withUser = ProxyUrl.parse("http://CORP%5Calice:p%40ss@proxy.corp:3128/");
        assertThat(withUser.user()).isEqualTo("CORP\\alice");
        assertThat(new String(withUser.password())).isEqualTo("p@ss");
        assertThat(withUser.toString()).isEqualTo("http://CORP\\alice@proxy.corp:3128").doesNotContain("p@ss");

        assertThat(ProxyUrl.parse("http://[::1]:3128").route()).isEqualTo(Route.http("::1", 3128));
        assertThat(ProxyUrl.parse("http://proxy").route().port()).isEqualTo(3128);
    }

    @Test
    void readsSocksAndTlsProxiesWithTheirDefaultPorts() {
        assertThat(ProxyUrl.parse("socks5h://s.corp").route()).isEqualTo(new Route(Route.Kind.SOCKS5, "s.corp", 1080));
        assertThat(ProxyUrl.parse("socks4://s.corp:1081").route()).isEqualTo(new Route(Route.Kind.SOCKS4, "s.corp", 1081));
        assertThat(ProxyUrl.parse("https://p.corp").route()).isEqualTo(new Route(Route.Kind.HTTPS, "p.corp", 443));
        assertThat(ProxyUrl.parse("socks5://bob:pw@s.corp:1080")).hasToString("socks5://bob@s.corp:1080");
    }

    @Test
    void rejectsWhatItCannotUseWithoutEchoingPasswords() {
        assertThatThrownBy(() -> ProxyUrl.parse("ftp://proxy:21")).hasMessageContaining("ftp://");
        assertThatThrownBy(() -> ProxyUrl.parse("http://u:secret@proxy:3128/path"))
                .hasMessageContaining("no path").hasMessageNotContaining("secret");
        assertThatThrownBy(() -> ProxyUrl.parse("http://proxy:0")).hasMessageContaining("1..65535");
    }

    @Test
    void environmentFollowsCurlPrecedence() {
        SchemeRouteSource env = SchemeRouteSource.fromEnvironment(Map.of(
                "http_proxy", "http://lower:1111",
                "HTTP_PROXY", "http://upper:2222",
                "ALL_PROXY", "http://all:3333",
                "no_proxy", ".internal,localhost"));
        assertThat(env.plan(new Target("http", "example.com", 80)).routes()).containsExactly(Route.http("lower", 1111));
        assertThat(env.plan(new Target("https", "example.com", 443)).routes()).containsExactly(Route.http("all", 3333));
        assertThat(env.plan(new Target("https", "git.internal", 443))).isEqualTo(RoutePlan.direct());
        assertThat(env.plan(new Target("http", "localhost", 8080))).isEqualTo(RoutePlan.direct());
        assertThat(env.proxies()).extracting(ProxyUrl::route)
                .containsExactly(Route.http("lower", 1111), Route.http("all", 3333));
    }

    @Test
    void emptyOrBrokenVariablesMeanDirect() {
        SchemeRouteSource env = SchemeRouteSource.fromEnvironment(Map.of("HTTPS_PROXY", "gopher://x:1", "http_proxy", " "));
        assertThat(env.plan(new Target("https", "example.com", 443))).isEqualTo(RoutePlan.direct());
        assertThat(env.plan(new Target("http", "example.com", 80))).isEqualTo(RoutePlan.direct());
        assertThat(env.proxies()).isEmpty();
    }

    @Test
    void manualSourceAddsDirectOnlyWhenAsked() {
        List<Route> upstreams = List.of(Route.http("a", 1), Route.http("b", 2));
        Target t = new Target("http", "example.com", 80);
        assertThat(new ManualRouteSource(upstreams, NoProxyRules.none(), false).plan(t).toString())
                .isEqualTo("PROXY a:1; PROXY b:2");
        assertThat(new ManualRouteSource(upstreams, NoProxyRules.none(), true).plan(t).toString())
                .isEqualTo("PROXY a:1; PROXY b:2; DIRECT");
        assertThat(new ManualRouteSource(upstreams, NoProxyRules.parse("example.com"), false).plan(t))
                .isEqualTo(RoutePlan.direct());
    }
}
