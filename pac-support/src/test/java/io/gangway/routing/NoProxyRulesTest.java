package io.gangway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NoProxyRulesTest {

    @Test
    void plainNamesMatchTheHostAndItsSubdomains() {
        NoProxyRules rules = NoProxyRules.parse("example.com");
        assertThat(rules.matches("example.com", 80)).isTrue();
        assertThat(rules.matches("EXAMPLE.com.", 80)).isTrue();
        assertThat(rules.matches("www.example.com", 443)).isTrue();
        assertThat(rules.matches("badexample.com", 80)).isFalse();
        assertThat(rules.matches("example.com.evil.net", 80)).isFalse();
    }

    @Test
    void leadingDotAndStarMatchSubdomainsOnly() {
        for (String rule : new String[] {".corp.example", "*.corp.example"}) {
            NoProxyRules rules = NoProxyRules.parse(rule);
            assertThat(rules.matches("git.corp.example", 443)).as(rule).isTrue();
            assertThat(rules.matches("a.b.corp.example", 443)).as(rule).isTrue();
            assertThat(rules.matches("corp.example", 443)).as(rule).isFalse();
        }
    }

    @Test
    void ipLiteralsAndRanges() {
        NoProxyRules rules = NoProxyRules.parse("10.0.0.0/8, 192.168.1.10 ::1 fd00::/8");
        assertThat(rules.matches("10.20.30.40", 80)).isTrue();
        assertThat(rules.matches("11.0.0.1", 80)).isFalse();
        assertThat(rules.matches("192.168.1.10", 80)).isTrue();
        assertThat(rules.matches("192.168.1.11", 80)).isFalse();
        assertThat(rules.matches("[::1]", 80)).isTrue();
        assertThat(rules.matches("fd12::5", 80)).isTrue();
        assertThat(rules.matches("fe80::1", 80)).isFalse();
        // ranges never resolve names
        assertThat(rules.matches("ten.example", 80)).isFalse();
    }

    @Test
    void portsNarrowARule() {
        NoProxyRules rules = NoProxyRules.parse("registry.local:5000;[::1]:8080;10.1.1.1:22");
        assertThat(rules.matches("registry.local", 5000)).isTrue();
        assertThat(rules.matches("registry.local", 443)).isFalse();
        assertThat(rules.matches("::1", 8080)).isTrue();
        assertThat(rules.matches("::1", 80)).isFalse();
        assertThat(rules.matches("10.1.1.1", 22)).isTrue();
        assertThat(rules.matches("10.1.1.1", 23)).isFalse();
    }

    @Test
    void localMeansDotlessNamesAndLoopback() {
        NoProxyRules rules = NoProxyRules.parse("<local>");
        assertThat(rules.matches("intranet", 80)).isTrue();
        assertThat(rules.matches("localhost", 80)).isTrue();
        assertThat(rules.matches("127.0.0.1", 80)).isTrue();
        assertThat(rules.matches("127.9.9.9", 80)).isTrue();
        assertThat(rules.matches("::1", 80)).isTrue();
        assertThat(rules.matches("intranet.corp", 80)).isFalse();
        assertThat(rules.matches("10.0.0.1", 80)).isFalse();
    }

    @Test
    void starMatchesEverything() {
        assertThat(NoProxyRules.parse("*").matches("anything.example", 1)).isTrue();
        assertThat(NoProxyRules.parse("").isEmpty()).isTrue();
        assertThat(NoProxyRules.parse("").matches("x", 1)).isFalse();
    }

    @Test
    void wildcardsElsewhereMatchTheWholeHostAsWindowsListsMeanThem() {
        NoProxyRules rules = NoProxyRules.parse("10.*;*corp*;build-??.lab");
        assertThat(rules.matches("10.1.2.3", 443)).isTrue();
        assertThat(rules.matches("110.1.2.3", 443)).isFalse();
        assertThat(rules.matches("intranet.corp.example", 80)).isTrue();
        assertThat(rules.matches("build-07.lab", 80)).isTrue();
        assertThat(rules.matches("build-107.lab", 80)).isFalse();
    }

    @Test
    void entriesReadOneByOneSkipOnlyTheBadOnes() {
        java.util.List<String> skipped = new java.util.ArrayList<>();
        NoProxyRules rules = NoProxyRules.parseSkipping(java.util.List.of("ok.example", "10.0.0.0/40", " ", "10.*"),
                (entry, why) -> skipped.add(entry + ": " + why));
        assertThat(skipped).singleElement().asString().startsWith("10.0.0.0/40: ").contains("prefix");
        assertThat(rules.matches("www.ok.example", 443)).isTrue();
        assertThat(rules.matches("10.9.9.9", 443)).isTrue();
        assertThat(rules).hasToString("ok.example,10.*");
    }

    @Test
    void anEntryOfControlCharactersIsNoEntryInAListAsWhenReadOneByOne() {
        // found by bench/fuzz: the list failed with "bad no-proxy entry '': no host"
        NoProxyRules rules = NoProxyRules.parse("a.example,\u0003\u0003,b.example");
        assertThat(rules.matches("a.example", 80)).isTrue();
        assertThat(rules.matches("b.example", 80)).isTrue();
        java.util.List<String> skipped = new java.util.ArrayList<>();
        NoProxyRules.parseSkipping(java.util.List.of("a.example", "\u0003\u0003"), (e, why) -> skipped.add(e));
        assertThat(skipped).isEmpty();
    }

    @Test
    void badEntriesAreNamed() {
        assertThatThrownBy(() -> NoProxyRules.parse("ok.example, 10.0.0.0/40"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("10.0.0.0/40");
        assertThatThrownBy(() -> NoProxyRules.parse("host:99999"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("host:99999");
    }
}
