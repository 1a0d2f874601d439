package io.gangway.routing.os;

import io.gangway.routing.ProxyUrl;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Windows' per-user settings, from {@code reg query "HKCU\Software\Microsoft\Windows\CurrentVersion\Internet Settings"}:
 * {@code AutoConfigURL} (a PAC) wins; else {@code ProxyEnable} with {@code ProxyServer}, either
 * one {@code host:port} for every scheme or {@code http=a:80;https=b:443;socks=c:1080}
 * (WinINet speaks SOCKS4), and {@code ProxyOverride} ({@code <local>}, wildcards).
 */
public final class WindowsProxySettings {

    static final String SOURCE = "Windows (Internet Settings)";
    /** {@code    Name    REG_TYPE    value}; names may hold spaces, values may be empty. */
    private static final Pattern VALUE = Pattern.compile("^\\s+(.+?)\\s+(REG_[A-Z_]+)(?:\\s+(.*))?$");

    private WindowsProxySettings() {
    }

    public static OsProxySettings parse(String output) {
        Map<String, String> v = new HashMap<>();
        for (String line : output.split("\r?\n")) {
            if (line.startsWith("HKEY_") && !v.isEmpty()) {
                break; // a subkey: its values are not ours
            }
            Matcher m = VALUE.matcher(line);
            if (m.matches()) {
                v.put(m.group(1), m.group(3) == null ? "" : m.group(3).trim());
            }
        }
        var bypass = OsProxySettings.bypass(SOURCE, Arrays.asList(v.getOrDefault("ProxyOverride", "").split(";")));
        String pac = v.getOrDefault("AutoConfigURL", "");
        if (!pac.isBlank()) {
            return new OsProxySettings(SOURCE, pac, false, null, null, bypass);
        }
        if (!dword(v.get("ProxyEnable"))) {
            return OsProxySettings.none(SOURCE);
        }
        String server = v.getOrDefault("ProxyServer", "");
        if (!server.contains("=")) {
            ProxyUrl all = OsProxySettings.proxy(SOURCE, "http", server, null);
            return new OsProxySettings(SOURCE, null, false, all, all, bypass);
        }
        Map<String, String> perScheme = new HashMap<>();
        for (String part : server.split(";")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                perScheme.put(part.substring(0, eq).trim().toLowerCase(java.util.Locale.ROOT), part.substring(eq + 1).trim());
            }
        }
        ProxyUrl socks = OsProxySettings.proxy(SOURCE, "socks4", perScheme.get("socks"), null);
        ProxyUrl http = OsProxySettings.proxy(SOURCE, "http", perScheme.get("http"), null);
        ProxyUrl https = OsProxySettings.proxy(SOURCE, "http", perScheme.get("https"), null);
        return OsProxySettings.manual(SOURCE, http, https, socks, bypass);
    }

    private static boolean dword(String value) {
        if (value == null) {
            return false;
        }
        try {
            return Long.decode(value.trim()) != 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
