package io.gangway.routing.os;

import io.gangway.routing.ProxyUrl;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * GNOME's settings, from {@code gsettings list-recursively org.gnome.system.proxy}: lines of
 * {@code schema key value}, strings in single quotes, lists as {@code ['a', 'b']}. Mode
 * {@code manual} uses the http/https/socks hosts ({@code use-same-proxy} is a UI hint only), mode
 * {@code auto} the {@code autoconfig-url}, or WPAD when it is empty.
 */
public final class GnomeProxySettings {

    static final String SOURCE = "GNOME (gsettings)";

    private GnomeProxySettings() {
    }

    public static OsProxySettings parse(String output) {
        Map<String, String> v = new HashMap<>();
        for (String line : output.split("\r?\n")) {
            String[] parts = line.trim().split("\\s+", 3);
            if (parts.length == 3 && parts[0].startsWith("org.gnome.system.proxy")) {
                String schema = parts[0].substring("org.gnome.system.proxy".length());
                v.put((schema.isEmpty() ? "" : schema.substring(1) + ".") + parts[1], unquote(parts[2]));
            }
        }
        String mode = v.getOrDefault("mode", "none");
        if (mode.equals("auto")) {
            String pac = v.getOrDefault("autoconfig-url", "");
            return new OsProxySettings(SOURCE, pac.isBlank() ? null : pac, pac.isBlank(), null, null,
                    OsProxySettings.bypass(SOURCE, list(v.get("ignore-hosts"))));
        }
        if (!mode.equals("manual")) {
            return OsProxySettings.none(SOURCE);
        }
        ProxyUrl http = OsProxySettings.proxy(SOURCE, "http", v.get("http.host"), v.get("http.port"));
        ProxyUrl https = OsProxySettings.proxy(SOURCE, "http", v.get("https.host"), v.get("https.port"));
        ProxyUrl socks = OsProxySettings.proxy(SOURCE, "socks5", v.get("socks.host"), v.get("socks.port"));
        return OsProxySettings.manual(SOURCE, http, https, socks, OsProxySettings.bypass(SOURCE, list(v.get("ignore-hosts"))));
    }

    private static String unquote(String value) {
        String s = value.trim();
        return s.length() >= 2 && s.startsWith("'") && s.endsWith("'") ? s.substring(1, s.length() - 1) : s;
    }

    /** A GVariant string array {@code ['a', 'b']} (or {@code @as []}). */
    private static List<String> list(String value) {
        List<String> out = new ArrayList<>();
        if (value == null) {
            return out;
        }
        int open = value.indexOf('[');
        int close = value.lastIndexOf(']');
        if (open < 0 || close < open) {
            return out;
        }
        for (String item : value.substring(open + 1, close).split(",")) {
            String s = unquote(item);
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }
}
