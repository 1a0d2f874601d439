package io.gangway.core.config;

import io.gangway.routing.NoProxyRules;
import io.gangway.routing.ProxyUrl;
import java.nio.file.Path;
import java.util.List;

/**
 * Where one profile's requests go.
 *
 * @param mode           where routes come from
 * @param pac            where the PAC comes from and how it is used
 * @param upstreams      the manual upstreams, in order
 * @param upstreamCa     the CA file https:// upstreams are checked against, or null for the JDK's
 * @param noProxy        what goes DIRECT whatever the route source says
 * @param directFallback whether to go DIRECT when every upstream fails
 */
public record RouteSettings(RoutingMode mode, PacSettings pac, List<ProxyUrl> upstreams, Path upstreamCa,
                            NoProxyRules noProxy, boolean directFallback) {
}
