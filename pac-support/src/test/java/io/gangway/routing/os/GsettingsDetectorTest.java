package io.gangway.routing.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.gangway.routing.Route;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The GNOME detector against the real gsettings tool, with settings in a throwaway keyfile backend. */
class GsettingsDetectorTest {

    @Test
    void readsWhatGsettingsHolds(@TempDir Path home) {
        assumeTrue(System.getProperty("os.name").toLowerCase().startsWith("linux"));
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("HOME", home.toString());
        env.put("XDG_CONFIG_HOME", home.resolve(".config").toString());
        env.put("GSETTINGS_BACKEND", "keyfile");
        env.put("XDG_CURRENT_DESKTOP", "GNOME");
        env.remove("KDE_FULL_SESSION");
        assumeTrue(OsProxyDetector.run(env, List.of("gsettings", "--version")).isPresent(), "gsettings is installed by .ci/run");

        assertThat(OsProxyDetector.detect(env)).isEmpty(); // mode 'none'

        set(env, "org.gnome.system.proxy.http", "host", "proxy.corp.example.com");
        set(env, "org.gnome.system.proxy.http", "port", "8080");
        set(env, "org.gnome.system.proxy", "ignore-hosts", "['localhost', '.corp.example.com']");
        set(env, "org.gnome.system.proxy", "mode", "manual");
        Optional<OsProxySettings> found = OsProxyDetector.detect(env);
        assertThat(found).isPresent();
        assertThat(found.get().http().route()).isEqualTo(Route.http("proxy.corp.example.com", 8080));
        assertThat(found.get().https()).isNull();
        assertThat(found.get().bypass().matches("wiki.corp.example.com", 80)).isTrue();
    }

    private static void set(Map<String, String> env, String schema, String key, String value) {
        assertThat(OsProxyDetector.run(env, List.of("gsettings", "set", schema, key, value))).isPresent();
    }
}
