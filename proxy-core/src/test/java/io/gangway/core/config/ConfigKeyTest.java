package io.gangway.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The settings table: each setting is one typed constant that parses and checks its own values. */
class ConfigKeyTest {

    @Test
    void everyDefaultReadsAsItsTypeAndEveryNameIsUnique() {
        Set<String> names = new HashSet<>();
        for (ConfigKey<?> key : ConfigKey.values()) {
            assertThat(names.add(key.key())).as(key.key()).isTrue();
            assertThat(ConfigKey.byKey(key.key())).isSameAs(key);
            Object raw = key.isList() ? ConfigSources.splitList(key.defaultValue()) : key.defaultValue();
            key.read(new ConfigValue(raw, "default")); // a default that its own reader refuses would break every start
            assertThat(key.description()).as(key.key()).isNotBlank();
        }
        assertThat(names).hasSize(ConfigKey.values().size()).contains("listen", "containers-listen", "lockout-state");
        assertThat(ConfigKey.byKey("no-such-setting")).isNull();
    }

    @Test
    void theUserGuidesSettingsTableHasARowForEveryKeyWithItsDefault() throws Exception {
        java.nio.file.Path guide = java.nio.file.Path.of(System.getProperty("user.dir")).resolveSibling("docs")
                .resolve("user-guide.md");
        java.util.Map<String, String> defaults = new java.util.HashMap<>();
        java.util.regex.Matcher row = java.util.regex.Pattern.compile("(?m)^\\| `([a-z-]+)` \\| ([^|]*) \\|")
                .matcher(java.nio.file.Files.readString(guide));
        while (row.find()) {
            defaults.put(row.group(1), row.group(2));
        }
        for (ConfigKey<?> key : ConfigKey.values()) {
            assertThat(defaults).as("a row for %s in the user guide's Settings table", key.key()).containsKey(key.key());
            if (!key.defaultValue().isEmpty()) {
                assertThat(defaults.get(key.key())).as("the default of %s", key.key()).contains("`" + key.defaultValue() + "`");
            }
        }
    }

    @Test
    void valuesComeOutTyped() {
        Duration connect = ConfigKey.CONNECT_TIMEOUT.read(new ConfigValue("1500ms", "--connect-timeout"));
        int header = ConfigKey.MAX_HEADER_SIZE.read(new ConfigValue("8KiB", "--max-header-size"));
        List<ListenAddress> listen = ConfigKey.LISTEN.read(new ConfigValue(List.of("127.0.0.1:0", "[::1]:3128"), "--listen"));
        assertThat(connect).isEqualTo(Duration.ofMillis(1500));
        assertThat(header).isEqualTo(8192);
        assertThat(listen).containsExactly(new ListenAddress("127.0.0.1", 0), new ListenAddress("::1", 3128));
        assertThat(ConfigKey.ROUTING.read(new ConfigValue(" ", "x"))).as("blank: follows from upstream and pac").isNull();
        assertThat(ConfigKey.ROUTING.read(new ConfigValue("Direct", "x"))).isEqualTo(RoutingMode.DIRECT);
        assertThat(ConfigKey.AUTH.read(new ConfigValue(List.of("NTLM", "Basic"), "x"))).containsExactly("ntlm", "basic");
        assertThat(ConfigKey.ACCESS_LOG.read(new ConfigValue("off", "x"))).isFalse();
    }

    @Test
    void zeroIsRefusedWhereItWouldBreakEveryRequest() {
        for (var setting : Map.of("GANGWAY_CONNECT_TIMEOUT", "0s", "GANGWAY_MAX_HEADER_SIZE", "0",
                "GANGWAY_MAX_HEADERS", "0", "GANGWAY_MAX_REQUEST_LINE", "0KiB", "GANGWAY_FIRST_BYTE_TIMEOUT", "0ms",
                "GANGWAY_MAX_CLIENT_CONNECTIONS", "0", "GANGWAY_MAX_CLIENT_CONNECTIONS_PER_ADDRESS", "0",
                "GANGWAY_MAX_TUNNELS", "0").entrySet()) {
            assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(setting.getKey(), setting.getValue()), Map.of()))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("environment variable " + setting.getKey())
                    .hasMessageContaining("must be more than zero; got '" + setting.getValue() + "'");
        }
        GangwayConfig zeroAllowed = ConfigLoader.load(null, Map.of("GANGWAY_POOL_MAX_IDLE", "0",
                "GANGWAY_REPLAY_BUFFER", "0"), Map.of());
        assertThat(zeroAllowed.limits().poolMaxIdle()).as("no pooling").isZero();
        assertThat(zeroAllowed.limits().replayBuffer()).as("no replay").isZero();
    }

    @Test
    void theGroupsHoldWhatTheirKeysSay() {
        GangwayConfig c = ConfigLoader.load(null, Map.ofEntries(Map.entry("GANGWAY_CONNECT_TIMEOUT", "3s"),
                Map.entry("GANGWAY_RESPONSE_TIMEOUT", "7s"), Map.entry("GANGWAY_IDLE_TIMEOUT", "11s"),
                Map.entry("GANGWAY_POOL_IDLE_TIMEOUT", "13s"), Map.entry("GANGWAY_ROUTE_RETRY_DELAY", "17s"),
                Map.entry("GANGWAY_REQUEST_HEAD_TIMEOUT", "19s"), Map.entry("GANGWAY_FIRST_BYTE_TIMEOUT", "5s"),
                Map.entry("GANGWAY_MAX_HEADERS", "23"), Map.entry("GANGWAY_MAX_REQUEST_LINE", "29"),
                Map.entry("GANGWAY_MAX_CLIENT_CONNECTIONS", "31"), Map.entry("GANGWAY_MAX_CLIENT_CONNECTIONS_PER_ADDRESS", "37"),
                Map.entry("GANGWAY_MAX_PENDING_REQUESTS", "0"), Map.entry("GANGWAY_MAX_TUNNELS", "41")), Map.of());
        assertThat(c.timeouts()).isEqualTo(new Timeouts(Duration.ofSeconds(3), Duration.ofSeconds(5), Duration.ofSeconds(19),
                Duration.ofSeconds(7), Duration.ofSeconds(11), Duration.ofSeconds(13), Duration.ofSeconds(17)));
        assertThat(c.limits().headers()).isEqualTo(23);
        assertThat(c.limits().requestLine()).isEqualTo(29);
        assertThat(c.limits().clientConnections()).isEqualTo(31);
        assertThat(c.limits().clientConnectionsPerAddress()).isEqualTo(37);
        assertThat(c.limits().pendingRequests()).as("0: no request may wait behind another").isZero();
        assertThat(c.limits().tunnels()).isEqualTo(41);
    }

    @Test
    void aPasswordSourceOtherThanTheKeyringIsRefusedWhenItWouldBeUsed() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("GANGWAY_USER", "alice", "GANGWAY_PASSWORD_FROM", "vault"),
                Map.of())).isInstanceOf(ConfigException.class)
                .hasMessage("environment variable GANGWAY_PASSWORD_FROM: 'password-from': expected keyring (the value given is not repeated here, in case it is a password: passwords go in GANGWAY_PASSWORD, a --password-file or the keyring)");
    }

    @Test
    void theAdminListenerIsOffByDefaultAndLoopbackOnlyWithoutItsOwnAllowList() {
        assertThat(GangwayConfig.defaults().admin().enabled()).isFalse();
        assertThat(ConfigLoader.load(null, Map.of("GANGWAY_ADMIN", "127.0.0.1:9180"), Map.of()).admin().address())
                .isEqualTo(new ListenAddress("127.0.0.1", 9180));
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("GANGWAY_ADMIN", "0.0.0.0:9180",
                "GANGWAY_ALLOW", "10.0.0.0/8"), Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("GANGWAY_ADMIN").hasMessageContaining("--admin-allow");
        assertThat(ConfigLoader.load(null, Map.of("GANGWAY_ADMIN", "0.0.0.0:9180", "GANGWAY_ADMIN_ALLOW", "10.0.0.0/8"),
                Map.of()).admin().allow()).hasSize(1);
    }
}
