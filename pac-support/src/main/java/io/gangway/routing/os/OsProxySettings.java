package io.gangway.routing.os;

import io.gangway.routing.NoProxyRules;
import io.gangway.routing.ProxyUrl;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy settings an OS or desktop holds, as read (never written) by a detector: a PAC URL,
 * automatic discovery (WPAD), or manual proxies per scheme with a bypass list. A scheme with
 * no proxy of its own uses the SOCKS proxy when there is one.
 *
 * @param source     where they were read, e.g. {@code "GNOME (gsettings)"}
 * @param pacUrl     the PAC to use, or null
 * @param autoDetect whether WPAD is asked for (used when there is no PAC URL)
 * @param http       the proxy for plain HTTP, or null
 * @param https      the proxy for tunnels, or null
 */
public record OsProxySettings(String source, String pacUrl, boolean autoDetect, ProxyUrl http, ProxyUrl https,
                              NoProxyRules bypass) {

    private static final Logger log = LoggerFactory.getLogger(OsProxySettings.class);

    public static OsProxySettings none(String source) {
        return new OsProxySettings(source, null, false, null, null, NoProxyRules.none());
    }

    /**
     * Manual proxies: each of {@code http} and {@code https} that is missing (null) falls back to
     * {@code socks}, as desktops route a scheme without a proxy of its own through SOCKS.
     */
    static OsProxySettings manual(String source, ProxyUrl http, ProxyUrl https, ProxyUrl socks, NoProxyRules bypass) {
        return new OsProxySettings(source, null, false, http != null ? http : socks, https != null ? https : socks, bypass);
    }

    /** Whether these settings say anything but "no proxy". */
    public boolean isEmpty() {
        return pacUrl == null && !autoDetect && http == null && https == null;
    }

    /**
     * Bypass entries as an OS lists them, each one read by {@link NoProxyRules}; one it cannot
     * read is skipped with a warning, the rest still apply.
     */
    static NoProxyRules bypass(String source, List<String> entries) {
        return NoProxyRules.parseSkipping(entries,
                (entry, why) -> log.warn("{}: skipping bypass entry '{}': {}", source, entry, why));
    }

    /** {@code host} and {@code port} as a proxy URL of {@code scheme}, or null when the host is empty. */
    static ProxyUrl proxy(String source, String scheme, String host, String port) {
        if (host == null || host.isBlank() || host.equals("''")) {
            return null;
        }
        try {
            String h = host.trim();
            int sep = h.indexOf("://");
            if (sep >= 0) {
                h = h.substring(sep + 3).replaceAll("/$", ""); // "http://proxy:8080" in ProxyServer
            }
            boolean v6 = port != null && h.indexOf(':') >= 0 && !h.startsWith("[");
            return ProxyUrl.parse(scheme + "://" + (v6 ? "[" + h + "]" : h)
                    + (port == null || port.isBlank() || port.trim().equals("0") ? "" : ":" + port.trim()));
        } catch (IllegalArgumentException e) {
            log.warn("{}: ignoring proxy {}:{}: {}", source, host, port, e.getMessage());
            return null;
        }
    }
}
