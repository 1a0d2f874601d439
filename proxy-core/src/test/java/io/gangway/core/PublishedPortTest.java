package io.gangway.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gangway.core.config.ConfigException;
import io.gangway.core.config.ConfigKey;
import io.gangway.core.config.ConfigLoader;
import io.gangway.core.config.ConfigValue;
import io.gangway.core.config.GangwayConfig;
import io.gangway.core.config.ListenAddress;
import io.gangway.harness.RawServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Published ports: raw TCP from a host port to a fixed target, with half-close and a log line. */
class PublishedPortTest {

    private static GangwayConfig config(String publishBind, String... publish) {
        return ConfigLoader.load(null, Map.of(), Map.of(
                ConfigKey.PUBLISH, new ConfigValue(List.of(publish), "--publish"),
                ConfigKey.PUBLISH_BIND, new ConfigValue(publishBind, "--publish-bind")));
    }

    @Test
    void bytesGoBothWaysAndAHalfCloseIsPassedOn() throws Exception {
        // The target reads to the end of its input, then answers with what it got and closes:
        // it only answers once the client's half-close has reached it.
        try (RawServer target = new RawServer((socket, in, out) -> {
            byte[] got = in.readAllBytes();
            out.write(("got " + got.length + " bytes: " + new String(got, StandardCharsets.US_ASCII)).getBytes(StandardCharsets.US_ASCII));
        });
             AccessLogCapture logs = new AccessLogCapture();
             RunningGangway gangway = RunningGangway.builder()
                     .with(ConfigKey.PUBLISH, "127.0.0.1:0:127.0.0.1:" + target.port()).start();
             Socket client = new Socket("127.0.0.1", gangway.port(1))) {
            client.setSoTimeout(10_000);
            client.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
            client.shutdownOutput(); // at once: likely before the target is connected
            InputStream in = client.getInputStream();
            assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("got 5 bytes: hello");
            assertThat(logs.awaitAccessLines(" PUBLISH 127.0.0.1:" + gangway.port(1) + "->127.0.0.1:" + target.port(), 1))
                    .singleElement().satisfies(l -> assertThat(l).contains("route=DIRECT").contains("status=200")
                            .contains("in=5").contains("out=18"));
        }
    }

    @Test
    void aTargetThatIsDownClosesTheClientAndSaysWhy() throws Exception {
        int dead;
        try (ServerSocket s = new ServerSocket(0)) {
            dead = s.getLocalPort();
        }
        try (AccessLogCapture logs = new AccessLogCapture();
             RunningGangway gangway = RunningGangway.builder().with(ConfigKey.PUBLISH, "127.0.0.1:0:127.0.0.1:" + dead).start();
             Socket client = new Socket("127.0.0.1", gangway.port(1))) {
            client.setSoTimeout(10_000);
            assertThat(client.getInputStream().read()).as("closed").isEqualTo(-1);
            assertThat(logs.awaitAccessLines("->127.0.0.1:" + dead, 1)).singleElement()
                    .satisfies(l -> assertThat(l).contains("status=502"));
            assertThat(logs.lines()).anySatisfy(l -> assertThat(l).contains("could not reach 127.0.0.1:" + dead)
                    .contains("connection refused"));
            gangway.awaitNoOpenConnections(Duration.ofSeconds(5));
        }
    }

    @Test
    void theBindAddressFollowsPublishBind() {
        assertThat(config("local-default", "8080:web.internal:80").listeners().publish()).singleElement().satisfies(p -> {
            assertThat(p.bind()).isEqualTo(new ListenAddress("127.0.0.1", 8080));
            assertThat(p.target()).isEqualTo("web.internal:80");
        });
        assertThat(config("local-only", "[::1]:8080:[fd00::2]:80").listeners().publish().get(0).target()).isEqualTo("[fd00::2]:80");
        assertThatThrownBy(() -> config("local-only", "0.0.0.0:8080:web:80")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("local-only").hasMessageContaining("0.0.0.0 is not a loopback address");
        assertThatThrownBy(() -> config("any-default", "8080:web:80")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("0.0.0.0:8080").hasMessageContaining("--allow");
        GangwayConfig allowed = ConfigLoader.load(null, Map.of(), Map.of(
                ConfigKey.PUBLISH, new ConfigValue(List.of("8080:web:80"), "--publish"),
                ConfigKey.PUBLISH_BIND, new ConfigValue("any-default", "--publish-bind"),
                ConfigKey.ALLOW, new ConfigValue(List.of("198.18.0.0/24"), "--allow")));
        assertThat(allowed.listeners().publish().get(0).bind()).isEqualTo(new ListenAddress("0.0.0.0", 8080));
        assertThatThrownBy(() -> config("local-default", "8080:web")).hasMessageContaining("[ADDR:]HOST_PORT:TARGET_HOST:TARGET_PORT");
        assertThatThrownBy(() -> config("sideways", "8080:web:80")).hasMessageContaining("expected local-only, local-default or any-default");
    }

    @Test
    void aClientOutsideTheAllowListIsClosedAtOnce() throws Exception {
        try (RawServer target = new RawServer((socket, in, out) -> in.transferTo(out));
             RunningGangway gangway = RunningGangway.builder()
                     .with(ConfigKey.ALLOW, "127.0.0.2/32")
                     .with(ConfigKey.PUBLISH, "127.0.0.1:0:127.0.0.1:" + target.port()).start();
             Socket client = new Socket()) {
            client.bind(new InetSocketAddress("127.0.0.1", 0));
            client.connect(new InetSocketAddress("127.0.0.1", gangway.port(1)));
            client.setSoTimeout(10_000);
            assertThat(client.getInputStream().read()).isEqualTo(-1);
            assertThat(target.connections()).isZero();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
