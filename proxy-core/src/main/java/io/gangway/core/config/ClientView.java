package io.gangway.core.config;

import io.gangway.routing.Cidr;
import io.gangway.routing.NoProxyRules;
import java.util.List;

/**
 * The part of the configuration that Gangway's clients are told about ({@code gangway env}):
 * where it listens, who may connect, what each profile sends DIRECT, and where its admin
 * listener is ({@code gangway status}). Built by
 * {@link ConfigLoader#clientView} without reading any secret.
 */
public record ClientView(List<ListenAddress> listen, List<ListenAddress> containersListen, List<Cidr> allow,
                         NoProxyRules engineNoProxy, NoProxyRules containersNoProxy, ListenAddress admin) {

    public NoProxyRules noProxy(Profile profile) {
        return profile == Profile.ENGINE ? engineNoProxy : containersNoProxy;
    }
}
