package io.gangway.routing.os;

import io.gangway.routing.ProxyUrl;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * macOS's settings, from {@code scutil --proxy}: a dictionary of {@code Key : value} lines and
 * an {@code ExceptionsList} array. A PAC ({@code ProxyAutoConfigEnable}) wins over discovery,
 * which wins over the manual proxies; {@code ExcludeSimpleHostnames} adds {@code <local>};
 * the short CIDR form macOS writes ({@code 169.254/16}) is widened.
 */
public final class MacProxySettings {

    static final String SOURCE = "macOS (scutil --proxy)";

    private MacProxySettings() {
    }

    public static OsProxySettings parse(String output) {
        Map<String, String> v = new HashMap<>();
        List<String> exceptions = new ArrayList<>();
        boolean inExceptions = false;
        for (String line : output.split("\r?\n")) {
            String l = line.trim();
            if (l.startsWith("ExceptionsList")) {
                inExceptions = true;
            } else if (inExceptions && l.equals("}")) {
                inExceptions = false;
            } else if (l.contains(" : ")) {
                String[] kv = l.split(" : ", 2);
                if (inExceptions) {
                    exceptions.add(widen(kv[1].trim()));
                } else {
                    v.put(kv[0].trim(), kv[1].trim());
                }
            }
        }
        if (v.getOrDefault("ExcludeSimpleHostnames", "0").equals("1")) {
            exceptions.add("<local>");
        }
        var bypass = OsProxySettings.bypass(SOURCE, exceptions);
        if (on(v, "ProxyAutoConfigEnable") && !v.getOrDefault("ProxyAutoConfigURLString", "").isBlank()) {
            return new OsProxySettings(SOURCE, v.get("ProxyAutoConfigURLString"), false, null, null, bypass);
        }
        if (on(v, "ProxyAutoDiscoveryEnable")) {
            return new OsProxySettings(SOURCE, null, true, null, null, bypass);
        }
        ProxyUrl http = on(v, "HTTPEnable") ? OsProxySettings.proxy(SOURCE, "http", v.get("HTTPProxy"), v.get("HTTPPort")) : null;
        ProxyUrl https = on(v, "HTTPSEnable") ? OsProxySettings.proxy(SOURCE, "http", v.get("HTTPSProxy"), v.get("HTTPSPort")) : null;
        ProxyUrl socks = on(v, "SOCKSEnable") ? OsProxySettings.proxy(SOURCE, "socks5", v.get("SOCKSProxy"), v.get("SOCKSPort")) : null;
        return OsProxySettings.manual(SOURCE, http, https, socks, bypass);
    }

    private static boolean on(Map<String, String> v, String key) {
        return v.getOrDefault(key, "0").equals("1");
    }

    /** {@code 169.254/16} to {@code 169.254.0.0/16}. */
    private static String widen(String entry) {
        int slash = entry.indexOf('/');
        if (slash < 0 || entry.indexOf(':') >= 0) {
            return entry;
        }
        String ip = entry.substring(0, slash);
        if (!ip.matches("[0-9.]+")) {
            return entry;
        }
        int dots = ip.length() - ip.replace(".", "").length();
        return ip + ".0".repeat(Math.max(0, 3 - dots)) + entry.substring(slash);
    }
}
