package io.gangway.core.config;

/** The settings of one {@link Profile}, validated: where its requests go, and who they log in as. */
public record RoutingProfile(Profile profile, RouteSettings route, AccountSettings account) {

    @Override
    public String toString() {
        return profile + "[routing=" + route.mode() + ", upstreams=" + route.upstreams() + ", noProxy=" + route.noProxy()
                + ", directFallback=" + route.directFallback() + ", account=" + account + "]";
    }
}
