package io.gangway.routing.os;

import io.gangway.routing.ProxyUrl;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * KDE's settings, from {@code ~/.config/kioslaverc}, group {@code [Proxy Settings]}.
 * {@code ProxyType}: 0 none, 1 manual, 2 PAC ({@code Proxy Config Script}), 3 WPAD, 4 "use the
 * environment" (left to the environment source). Proxies are written {@code http://host port}
 * (Plasma 5) or {@code http://host:port}.
 */
public final class KdeProxySettings {

    static final String SOURCE = "KDE (kioslaverc)";

    private KdeProxySettings() {
    }

    public static OsProxySettings parse(String kioslaverc) {
        Map<String, String> v = new HashMap<>();
        boolean inGroup = false;
        for (String line : kioslaverc.split("\r?\n")) {
            String l = line.trim();
            if (l.startsWith("[")) {
                inGroup = l.equals("[Proxy Settings]");
            } else if (inGroup && l.contains("=")) {
                int eq = l.indexOf('=');
                v.put(l.substring(0, eq).trim(), l.substring(eq + 1).trim());
            }
        }
        var bypass = OsProxySettings.bypass(SOURCE, Arrays.asList(v.getOrDefault("NoProxyFor", "").split(",")));
        if (Boolean.parseBoolean(v.getOrDefault("ReversedException", "false"))) {
            // "use the proxy only for these": not expressible as a bypass list
            bypass = io.gangway.routing.NoProxyRules.none();
        }
        switch (v.getOrDefault("ProxyType", "0")) {
            case "1" -> {
                ProxyUrl http = proxy(v.get("httpProxy"), "http");
                ProxyUrl https = proxy(v.get("httpsProxy"), "http");
                ProxyUrl socks = proxy(v.get("socksProxy"), "socks5");
                return OsProxySettings.manual(SOURCE, http, https, socks, bypass);
            }
            case "2" -> {
                String pac = v.getOrDefault("Proxy Config Script", "");
                return pac.isBlank() ? OsProxySettings.none(SOURCE)
                        : new OsProxySettings(SOURCE, pac, false, null, null, bypass);
            }
            case "3" -> {
                return new OsProxySettings(SOURCE, null, true, null, null, bypass);
            }
            default -> {
                return OsProxySettings.none(SOURCE);
            }
        }
    }

    /** {@code scheme://host port}, {@code scheme://host:port} or {@code host:port}. */
    private static ProxyUrl proxy(String value, String scheme) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String s = value.trim();
        int sep = s.indexOf("://");
        if (sep >= 0) {
            s = s.substring(sep + 3);
        }
        String[] hostAndPort = s.split("\\s+");
        if (hostAndPort.length == 2) {
            return OsProxySettings.proxy(SOURCE, scheme, hostAndPort[0], hostAndPort[1]);
        }
        return OsProxySettings.proxy(SOURCE, scheme, s.replaceAll("/$", ""), null);
    }
}
