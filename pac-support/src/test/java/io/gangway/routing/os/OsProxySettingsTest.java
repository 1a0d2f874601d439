package io.gangway.routing.os;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.routing.ProxyUrl;
import io.gangway.routing.Route;
import io.gangway.routing.Route.Kind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Each parser on the tools' outputs (resources/os): GNOME's captured with gsettings, KDE's
 * written by kwriteconfig5, macOS's and Windows' transcribed from scutil's and reg's formats.
 */
class OsProxySettingsTest {

    private static String fixture(String name) {
        try {
            return Files.readString(Path.of(OsProxySettingsTest.class.getClassLoader().getResource("os/" + name).toURI()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Route route(ProxyUrl url) {
        return url == null ? null : url.route();
    }

    @Test
    void gnomeManual() {
        OsProxySettings s = GnomeProxySettings.parse(fixture("gnome-manual.txt"));
        assertThat(s.pacUrl()).isNull(); // the autoconfig-url is set, but the mode is manual
        assertThat(route(s.http())).isEqualTo(Route.http("proxy.corp.example.com", 8080));
        assertThat(route(s.https())).isEqualTo(Route.http("secure.corp.example.com", 3129));
        assertThat(s.bypass().matches("localhost", 80)).isTrue();
        assertThat(s.bypass().matches("127.0.0.5", 80)).isTrue();
        assertThat(s.bypass().matches("git.corp.example.com", 443)).isTrue();
        assertThat(s.bypass().matches("10.9.8.7", 443)).isTrue();
        assertThat(s.bypass().matches("www.example.com", 443)).isFalse();
    }

    @Test
    void gnomeAutoWithAndWithoutUrl() {
        OsProxySettings pac = GnomeProxySettings.parse(fixture("gnome-auto-pac.txt"));
        assertThat(pac.pacUrl()).isEqualTo("http://pac.corp.example.com/proxy.pac");
        assertThat(pac.http()).isNull();
        OsProxySettings wpad = GnomeProxySettings.parse(fixture("gnome-auto-wpad.txt"));
        assertThat(wpad.pacUrl()).isNull();
        assertThat(wpad.autoDetect()).isTrue();
        assertThat(GnomeProxySettings.parse(fixture("gnome-none.txt")).isEmpty()).isTrue();
    }

    @Test
    void kde() {
        OsProxySettings manual = KdeProxySettings.parse(fixture("kde-manual.kioslaverc"));
        assertThat(route(manual.http())).isEqualTo(Route.http("proxy.corp.example.com", 8080));
        assertThat(route(manual.https())).isEqualTo(Route.http("secure.corp.example.com", 3129));
        assertThat(manual.bypass().matches("wiki.corp.example.com", 443)).isTrue();
        assertThat(manual.bypass().matches("10.0.0.1", 443)).isTrue();
        OsProxySettings pac = KdeProxySettings.parse(fixture("kde-pac.kioslaverc"));
        assertThat(pac.pacUrl()).isEqualTo("http://pac.corp.example.com/proxy.pac");
        OsProxySettings socks = KdeProxySettings.parse(fixture("kde-socks-only.kioslaverc"));
        assertThat(route(socks.http())).isEqualTo(new Route(Kind.SOCKS5, "socks.corp.example.com", 1080));
        assertThat(route(socks.https())).isEqualTo(new Route(Kind.SOCKS5, "socks.corp.example.com", 1080));
    }

    @Test
    void macos() {
        OsProxySettings manual = MacProxySettings.parse(fixture("macos-manual.txt"));
        assertThat(route(manual.http())).isEqualTo(Route.http("proxy.corp.example.com", 8080));
        assertThat(route(manual.https())).isEqualTo(Route.http("secure.corp.example.com", 3129));
        assertThat(manual.bypass().matches("printer.local", 631)).isTrue();
        assertThat(manual.bypass().matches("169.254.10.1", 80)).isTrue(); // 169.254/16 widened
        assertThat(manual.bypass().matches("intranet", 80)).isTrue();    // ExcludeSimpleHostnames
        assertThat(manual.bypass().matches("www.example.com", 80)).isFalse();
        assertThat(MacProxySettings.parse(fixture("macos-pac.txt")).pacUrl()).isEqualTo("http://pac.corp.example.com/proxy.pac");
        assertThat(MacProxySettings.parse(fixture("macos-none.txt")).isEmpty()).isTrue();
    }

    @Test
    void windows() {
        OsProxySettings manual = WindowsProxySettings.parse(fixture("windows-manual.txt"));
        assertThat(route(manual.http())).isEqualTo(Route.http("proxy.corp.example.com", 8080));
        assertThat(route(manual.https())).isEqualTo(Route.http("proxy.corp.example.com", 8080));
        assertThat(manual.bypass().matches("git.corp.example.com", 443)).isTrue();
        assertThat(manual.bypass().matches("10.1.2.3", 443)).isTrue();
        assertThat(manual.bypass().matches("192.168.0.9", 443)).isTrue();
        assertThat(manual.bypass().matches("intranet", 80)).isTrue();
        assertThat(manual.bypass().matches("www.example.com", 443)).isFalse();

        OsProxySettings perScheme = WindowsProxySettings.parse(fixture("windows-per-scheme.txt"));
        assertThat(route(perScheme.http())).isEqualTo(Route.http("web.corp.example.com", 80));
        assertThat(route(perScheme.https())).isEqualTo(Route.http("secure.corp.example.com", 443));

        OsProxySettings pac = WindowsProxySettings.parse(fixture("windows-pac.txt"));
        assertThat(pac.pacUrl()).isEqualTo("http://pac.corp.example.com/proxy.pac");
        assertThat(WindowsProxySettings.parse(fixture("windows-off.txt")).isEmpty()).isTrue();
    }
}
