package io.gangway.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gangway.pac.PacFailurePolicy;
import io.gangway.routing.Route;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    private Path file(String yaml) throws Exception {
        Path f = dir.resolve("gangway.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    @Test
    void defaultsAreTheEmbeddedOnes() {
        GangwayConfig c = GangwayConfig.defaults();
        assertThat(c.listeners().engine()).containsExactly(new ListenAddress("127.0.0.1", 3128));
        assertThat(c.engine().route().mode()).isEqualTo(RoutingMode.SYSTEM);
        assertThat(c.engine().route().upstreams()).isEmpty();
        assertThat(c.timeouts().connect()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.limits().headerSize()).isEqualTo(64 * 1024);
        assertThat(c.limits().replayBuffer()).isEqualTo(1024 * 1024);
    }

    @Test
    void flagsOverrideEnvironmentWhichOverridesTheFile() throws Exception {
        Path f = file("""
                listen: 127.0.0.1:4000
                upstream:
                  - http://file-proxy:8080
                idle-timeout: 10s
                connect-timeout: 3s
                no-proxy: .corp.example, localhost
                """);
        GangwayConfig c = ConfigLoader.load(f,
                Map.of("GANGWAY_IDLE_TIMEOUT", "20s", "GANGWAY_LISTEN", "127.0.0.1:5000,[::1]:5000"),
                Map.of(ConfigKey.IDLE_TIMEOUT, new ConfigValue("30s", "--idle-timeout")));
        assertThat(c.timeouts().idle()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.timeouts().connect()).isEqualTo(Duration.ofSeconds(3));
        assertThat(c.listeners().engine()).containsExactly(new ListenAddress("127.0.0.1", 5000), new ListenAddress("::1", 5000));
        assertThat(c.engine().route().upstreams()).extracting(u -> u.route()).containsExactly(Route.http("file-proxy", 8080));
        assertThat(c.engine().route().mode()).isEqualTo(RoutingMode.MANUAL);
        assertThat(c.engine().route().noProxy().matches("git.corp.example", 443)).isTrue();
    }

    @Test
    void passwordComesFromTheEnvironmentOrAFile() throws Exception {
        assertThat(ConfigLoader.load(null, Map.of("GANGWAY_PASSWORD", "s3cret"), Map.of()).engine().account().password())
                .containsExactly("s3cret".toCharArray());
        Path pw = dir.resolve("pw");
        Files.writeString(pw, "from-file\nignored second line\n");
        GangwayConfig c = ConfigLoader.load(null, Map.of("GANGWAY_PASSWORD", "env",
                "GANGWAY_PASSWORD_FILE", pw.toString()), Map.of());
        assertThat(c.engine().account().password()).containsExactly("from-file".toCharArray());
        assertThat(c.toString()).doesNotContain("from-file");
    }

    @Test
    void unknownKeysAreNamedWithTheirLine() throws Exception {
        Path f = file("listen: 127.0.0.1:3128\n\nupstreams: http://x:1\n");
        assertThatThrownBy(() -> ConfigLoader.load(f, Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("line 3").hasMessageContaining("unknown key 'upstreams'").hasMessageContaining("upstream");
    }

    @Test
    void badValuesNameTheKeyAndWhereTheyCameFrom() throws Exception {
        Path f = file("listen: 127.0.0.1:3128\nidle-timeout: soon\n");
        assertThatThrownBy(() -> ConfigLoader.load(f, Map.of(), Map.of()))
                .hasMessageContaining("line 2").hasMessageContaining("'idle-timeout'").hasMessageContaining("30s");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("GANGWAY_MAX_HEADER_SIZE", "huge"), Map.of()))
                .hasMessageContaining("GANGWAY_MAX_HEADER_SIZE").hasMessageContaining("64KiB");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(),
                Map.of(ConfigKey.UPSTREAM, new ConfigValue(List.of("http://u:secret@proxy:0"), "--upstream"))))
                .hasMessageContaining("--upstream").hasMessageNotContaining("secret");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("GANGWAY_NO_PROXY", "10.0.0.0/99"), Map.of()))
                .hasMessageContaining("GANGWAY_NO_PROXY").hasMessageContaining("10.0.0.0/99");
    }

    @Test
    void malformedYamlPointsAtTheLine() throws Exception {
        Path f = file("listen: [127.0.0.1:3128\nallow: x\n");
        assertThatThrownBy(() -> ConfigLoader.load(f, Map.of(), Map.of())).hasMessageContaining("line");
    }

    @Test
    void aNonLoopbackListenerNeedsAnAllowList() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(),
                Map.of(ConfigKey.LISTEN, new ConfigValue(List.of("0.0.0.0:3128"), "--listen"))))
                .hasMessageContaining("open proxy").hasMessageContaining("--allow");
        GangwayConfig gateway = ConfigLoader.load(null, Map.of(), Map.of(
                ConfigKey.LISTEN, new ConfigValue(List.of("0.0.0.0:3128"), "--listen"),
                ConfigKey.ALLOW, new ConfigValue(List.of("172.17.0.0/16"), "--allow")));
        assertThat(gateway.listeners().allow()).hasSize(1);
    }

    @Test
    void manualRoutingNeedsAnUpstream() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("GANGWAY_ROUTING", "manual"), Map.of()))
                .hasMessageContaining("needs at least one --upstream");
        assertThat(ConfigLoader.load(null, Map.of("GANGWAY_ROUTING", "DIRECT"), Map.of()).engine().route().mode())
                .isEqualTo(RoutingMode.DIRECT);
    }

    @Test
    void aUserWithoutAPasswordIsRefusedAtStartNeverSentAnEmptyOne() throws Exception {
        Map<ConfigKey<?>, ConfigValue> user = Map.of(ConfigKey.USER, new ConfigValue("CORP\\alice", "--user"));
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), user)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("--user: 'user': user 'CORP\\alice' has no password")
                .hasMessageContaining("GANGWAY_PASSWORD").hasMessageContaining("--password-file")
                .hasMessageContaining("--nt-hash-file");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("GANGWAY_PASSWORD", ""), user))
                .as("an empty variable is no password").hasMessageContaining("has no password");
        Path empty = Files.writeString(dir.resolve("empty-password"), "");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of(ConfigKey.USER, new ConfigValue("alice", "--user"),
                ConfigKey.PASSWORD_FILE, new ConfigValue(empty.toString(), "--password-file"))))
                .hasMessageContaining("the password file " + empty + " is empty");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of(ConfigKey.UPSTREAM,
                new ConfigValue(List.of("http://bob@proxy.invalid:8080"), "--upstream"))))
                .hasMessageContaining("'upstream': user 'bob' has no password");
        assertThat(ConfigLoader.load(null, Map.of(), Map.of(ConfigKey.UPSTREAM,
                new ConfigValue(List.of("http://bob:pw@proxy.invalid:8080"), "--upstream"))).engine().route().upstreams()).hasSize(1);
        assertThat(ConfigLoader.load(null, Map.of(), Map.of()).engine().account().user())
                .as("no user: Kerberos from the ticket cache needs no password").isNull();
    }

    @Test
    void aFileTheYamlParserFailsOnWithAnotherExceptionIsAConfigError() throws Exception {
        // found by bench/fuzz: SnakeYAML threw IllegalArgumentException for this tag, which escaped the loader
        Path f = file("!%27.0x0.1:1%20\ntrants: 40---");
        assertThatThrownBy(() -> ConfigLoader.load(f, Map.of(), Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("gangway.yaml: not readable as YAML: Tag must not contain leading or trailing spaces");
    }

    @Test
    void aLockoutStateThatIsNoPathIsAConfigErrorNamingTheKey() throws Exception {
        // found by the config fuzz target's seeds: InvalidPathException escaped the loader
        Path f = file("lockout-state: \"state\\0file\"\n");
        assertThatThrownBy(() -> ConfigLoader.load(f, Map.of(), Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("line 1: 'lockout-state': not a file path");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(),
                Map.of(ConfigKey.LOCKOUT_STATE, new ConfigValue("x\0y", "--lockout-state"))))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("--lockout-state: 'lockout-state': not a file path");
    }

    @Test
    void aKeyGivenTwiceNamesBothLines() throws Exception {
        Path f = file("""
                upstream: http://a.invalid:8080
                idle-timeout: 5m
                upstream: http://b.invalid:8080
                """);
        assertThatThrownBy(() -> ConfigLoader.load(f, Map.of(), Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("line 3: 'upstream' is given twice (first on line 1)");
    }

    @Test
    void aPasswordFileOthersCanReadIsWarnedOf() throws Exception {
        Path password = Files.writeString(dir.resolve("password"), "pw\n");
        Files.setPosixFilePermissions(password, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        try (io.gangway.core.AccessLogCapture logs = new io.gangway.core.AccessLogCapture()) {
            ConfigLoader.load(null, Map.of(), Map.of(ConfigKey.PASSWORD_FILE, new ConfigValue(password.toString(), "--password-file")));
            assertThat(logs.lines()).filteredOn(l -> l.contains("can be read by others")).as("once, not once per profile")
                    .singleElement().satisfies(l -> assertThat(l).contains("password-file " + password).contains("chmod 600"));
        }
        Files.setPosixFilePermissions(password, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        try (io.gangway.core.AccessLogCapture logs = new io.gangway.core.AccessLogCapture()) {
            ConfigLoader.load(null, Map.of(), Map.of(ConfigKey.PASSWORD_FILE, new ConfigValue(password.toString(), "--password-file")));
            assertThat(logs.lines()).noneMatch(l -> l.contains("can be read by others"));
        }
    }

    /** The containers profile: its own routing settings from a block, twin flags and variables; the engine's elsewhere. */
    @Nested
    class Profiles {

        @Test
        void theContainersBlockSetsItsKeysAndInheritsTheRest() throws Exception {
            GangwayConfig c = ConfigLoader.load(file("""
                    upstream: http://corp-proxy:8080
                    user: CORP\\alice
                    no-proxy: .corp.example
                    containers:
                      upstream: http://egress-proxy:3128
                      no-proxy: registry.mirror.example
                    """), Map.of("GANGWAY_PASSWORD", "pw"), Map.of());
            assertThat(c.engine().route().upstreams()).extracting(u -> u.route()).containsExactly(Route.http("corp-proxy", 8080));
            assertThat(c.containers().route().upstreams()).extracting(u -> u.route()).containsExactly(Route.http("egress-proxy", 3128));
            assertThat(c.containers().route().noProxy().matches("registry.mirror.example", 443)).isTrue();
            assertThat(c.containers().route().noProxy().matches("git.corp.example", 443)).isFalse();
            assertThat(c.containers().account().user()).as("inherited").isEqualTo("CORP\\alice");
            assertThat(c.containers().account().password()).as("inherited").containsExactly("pw".toCharArray());
            assertThat(c.containers().profile()).isEqualTo(Profile.CONTAINERS);
        }

        @Test
        void twinFlagsAndVariablesOverTheBlock() throws Exception {
            GangwayConfig c = ConfigLoader.load(file("""
                    containers:
                      upstream: http://from-file:1
                      user: bob
                    """),
                    Map.of("GANGWAY_CONTAINERS_USER", "carol", "GANGWAY_CONTAINERS_PASSWORD", "containers-pw",
                            "GANGWAY_PASSWORD", "engine-pw"),
                    Map.of(), Map.of(ConfigKey.UPSTREAM, new ConfigValue(java.util.List.of("http://dave:secret@from-flag:2"),
                            "--containers-upstream")));
            assertThat(c.containers().route().upstreams()).singleElement().satisfies(u -> {
                assertThat(u.route()).isEqualTo(Route.http("from-flag", 2));
                assertThat(u.user()).isEqualTo("dave");
                assertThat(u.password()).containsExactly("secret".toCharArray());
            });
            assertThat(c.containers().account().user()).isEqualTo("carol");
            assertThat(c.containers().account().password()).containsExactly("containers-pw".toCharArray());
            assertThat(c.engine().account().password()).containsExactly("engine-pw".toCharArray());
            assertThat(c.engine().route().upstreams()).isEmpty();
        }

        @Test
        void theRoutingSourceIsInheritedOnlyAsAWhole() {
            GangwayConfig c = ConfigLoader.load(null, Map.of("GANGWAY_CONTAINERS_PAC", "http://pac.example/containers.pac"),
                    Map.of(ConfigKey.UPSTREAM, new ConfigValue(java.util.List.of("http://corp-proxy:8080"), "--upstream")));
            assertThat(c.engine().route().mode()).isEqualTo(RoutingMode.MANUAL);
            assertThat(c.containers().route().mode()).as("its PAC, not the engine's upstream").isEqualTo(RoutingMode.PAC);
            assertThat(c.containers().route().upstreams()).isEmpty();

            GangwayConfig inherits = ConfigLoader.load(null, Map.of("GANGWAY_CONTAINERS_USER", "bob", "GANGWAY_PASSWORD", "pw"),
                    Map.of(ConfigKey.UPSTREAM, new ConfigValue(java.util.List.of("http://corp-proxy:8080"), "--upstream")));
            assertThat(inherits.containers().route().mode()).isEqualTo(RoutingMode.MANUAL);
            assertThat(inherits.containers().route().upstreams()).extracting(u -> u.route()).containsExactly(Route.http("corp-proxy", 8080));
        }

        @Test
        void withoutAPacContainersAreRefusedUnlessASettingSaysDirect() {
            GangwayConfig defaults = GangwayConfig.defaults();
            assertThat(defaults.engine().route().pac().fallback()).isEqualTo(PacFailurePolicy.DIRECT);
            assertThat(defaults.containers().route().pac().fallback()).isEqualTo(PacFailurePolicy.FAIL);
            GangwayConfig engineSaysDirect = ConfigLoader.load(null, Map.of("GANGWAY_PAC_FALLBACK", "direct"), Map.of());
            assertThat(engineSaysDirect.containers().route().pac().fallback()).isEqualTo(PacFailurePolicy.DIRECT);
            GangwayConfig containersSayDirect = ConfigLoader.load(null, Map.of(), Map.of(),
                    Map.of(ConfigKey.PAC_FALLBACK, new ConfigValue("direct", "--containers-pac-fallback")));
            assertThat(containersSayDirect.containers().route().pac().fallback()).isEqualTo(PacFailurePolicy.DIRECT);
        }

        @Test
        void errorsNameTheContainersKeyAndWhereItCameFrom() throws Exception {
            Path f = file("""
                    containers:
                      listen: 0.0.0.0:3128
                    """);
            assertThatThrownBy(() -> ConfigLoader.load(f, Map.of(), Map.of())).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("line 2").hasMessageContaining("unknown key 'listen' in 'containers'")
                    .hasMessageContaining("upstream");
            assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("GANGWAY_CONTAINERS_ROUTING", "sideways"), Map.of()))
                    .hasMessageContaining("environment variable GANGWAY_CONTAINERS_ROUTING: 'containers-routing'");
            assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of(ConfigKey.CONTAINERS_LISTEN,
                    new ConfigValue(java.util.List.of("0.0.0.0:3128"), "--containers-listen"))))
                    .hasMessageContaining("--containers-listen").hasMessageContaining("open proxy");
        }
    }
}
