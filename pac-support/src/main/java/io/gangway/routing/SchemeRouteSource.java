package io.gangway.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One upstream for plain HTTP and one for tunnels, with bypass rules: what the environment
 * variables and the OS settings (GNOME, KDE, macOS, Windows) describe. A target whose scheme has
 * no upstream goes DIRECT.
 */
public final class SchemeRouteSource implements RouteSource {

    private static final Logger log = LoggerFactory.getLogger(SchemeRouteSource.class);

    private final ProxyUrl http;
    private final ProxyUrl https;
    private final NoProxyRules noProxy;
    private final String description;

    /** @param name what the settings came from, for logs and {@code gangway check} */
    public SchemeRouteSource(String name, ProxyUrl http, ProxyUrl https, NoProxyRules noProxy) {
        this.http = http;
        this.https = https;
        this.noProxy = noProxy;
        this.description = name + " [http: " + (http == null ? "DIRECT" : http.route())
                + ", https: " + (https == null ? "DIRECT" : https.route()) + "]"
                + (noProxy.isEmpty() ? "" : " no-proxy [" + noProxy + "]");
    }

    /**
     * Reads the conventional variables, with curl's precedence: for plain HTTP
     * {@code http_proxy} then {@code HTTP_PROXY}; for tunnels {@code https_proxy} then
     * {@code HTTPS_PROXY}; then {@code all_proxy}/{@code ALL_PROXY}; bypass from
     * {@code no_proxy} then {@code NO_PROXY}. Lower case wins when both are set. A password in
     * a proxy URL becomes that upstream's password. A variable that does not parse is ignored
     * with a warning naming it (its value may hold a password, so it is not printed).
     */
    public static SchemeRouteSource fromEnvironment(Map<String, String> env) {
        ProxyUrl all = proxy(env, "all_proxy", "ALL_PROXY");
        ProxyUrl http = proxy(env, "http_proxy", "HTTP_PROXY");
        ProxyUrl https = proxy(env, "https_proxy", "HTTPS_PROXY");
        NoProxyRules noProxy = NoProxyRules.none();
        String noProxyName = first(env, "no_proxy", "NO_PROXY");
        if (noProxyName != null) {
            try {
                noProxy = NoProxyRules.parse(env.get(noProxyName));
            } catch (IllegalArgumentException e) {
                log.warn("ignoring {}: {}", noProxyName, e.getMessage());
            }
        }
        return new SchemeRouteSource("environment", http != null ? http : all, https != null ? https : all, noProxy);
    }

    /** The upstreams named, for their credentials. */
    public List<ProxyUrl> proxies() {
        List<ProxyUrl> out = new ArrayList<>();
        if (http != null) {
            out.add(http);
        }
        if (https != null && (http == null || !https.route().equals(http.route()))) {
            out.add(https);
        }
        return out;
    }

    @Override
    public RoutePlan plan(Target target) {
        ProxyUrl proxy = target.scheme().equals("http") ? http : https;
        if (proxy == null || noProxy.matches(target.host(), target.port())) {
            return RoutePlan.direct();
        }
        return new RoutePlan(List.of(proxy.route()));
    }

    @Override
    public String describe() {
        return description;
    }

    private static ProxyUrl proxy(Map<String, String> env, String lower, String upper) {
        String name = first(env, lower, upper);
        if (name == null) {
            return null;
        }
        try {
            return ProxyUrl.parse(env.get(name));
        } catch (IllegalArgumentException e) {
            log.warn("ignoring {}: {}", name, e.getMessage());
            return null;
        }
    }

    private static String first(Map<String, String> env, String lower, String upper) {
        String v = env.get(lower);
        if (v != null && !v.isBlank()) {
            return lower;
        }
        v = env.get(upper);
        return v != null && !v.isBlank() ? upper : null;
    }
}
