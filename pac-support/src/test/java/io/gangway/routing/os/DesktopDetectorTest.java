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

/** The desktop detectors: GNOME against the real gsettings tool (a throwaway keyfile backend), KDE's file where a session finds it. */
class DesktopDetectorTest {

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

    @Test
    void readsKdeSettingsFromTheConfigHomeInAKdeSession(@TempDir Path home) throws Exception {
        assumeTrue(System.getProperty("os.name").toLowerCase().startsWith("linux"));
        Path config = home.resolve(".config");
        java.nio.file.Files.createDirectories(config);
        // written by KDE's KConfig (kwriteconfig5), see resources/os
        try (java.io.InputStream in = getClass().getClassLoader().getResourceAsStream("os/kde-manual.kioslaverc")) {
            java.nio.file.Files.copy(in, config.resolve("kioslaverc"));
        }
        Map<String, String> env = Map.of("HOME", home.toString(), "XDG_CURRENT_DESKTOP", "KDE");
        Optional<OsProxySettings> found = OsProxyDetector.detect(env);
        assertThat(found).isPresent();
        assertThat(found.get().source()).contains("KDE");
        assertThat(found.get().https().route()).isEqualTo(Route.http("secure.corp.example.com", 3129));
        assertThat(OsProxyDetector.detect(Map.of("HOME", home.resolve("nowhere").toString(), "XDG_CURRENT_DESKTOP", "KDE")))
                .isEmpty(); // no kioslaverc: no settings
    }

    private static void set(Map<String, String> env, String schema, String key, String value) {
        assertThat(OsProxyDetector.run(env, List.of("gsettings", "set", schema, key, value))).isPresent();
    }
}
