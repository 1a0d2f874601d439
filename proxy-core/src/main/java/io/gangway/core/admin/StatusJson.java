package io.gangway.core.admin;

import io.gangway.core.BuildInfo;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gangway.core.routing.RouteDatabase;
import io.gangway.core.telemetry.RecentActivity;
import io.gangway.core.upstream.CredentialGuard;
import io.gangway.pac.PacRouteSource;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** {@code /status} as JSON: times as ISO-8601 instants, ages and waits in whole seconds. */
final class StatusJson {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private StatusJson() {
    }

    static String of(StatusSnapshot s) {
        Instant now = Instant.now();
        ObjectNode root = JSON.createObjectNode();
        root.put("version", s.version());
        BuildInfo build = BuildInfo.current();
        root.putObject("build").put("commit", build.commit()).put("built", build.built()).put("java", build.java());
        root.put("startedAt", s.startedAt().toString());
        root.put("uptimeSeconds", Duration.between(s.startedAt(), now).toSeconds());
        root.put("ready", s.readiness().ready());
        s.readiness().problems().forEach(root.putArray("notReadyBecause")::add);
        ArrayNode listeners = root.putArray("listeners");
        s.listeners().forEach(l -> listeners.addObject().put("address", l.address()).put("serves", l.serves()));
        ArrayNode profiles = root.putArray("profiles");
        for (StatusSnapshot.ProfileState p : s.profiles()) {
            ObjectNode profile = profiles.addObject().put("profile", p.profile()).put("routing", p.routing());
            if (p.pac() != null) {
                pac(profile.putObject("pac"), p.pac(), now);
            }
            ArrayNode postponed = profile.putArray("postponedUpstreams");
            for (RouteDatabase.Postponed r : p.postponed()) {
                postponed.addObject().put("upstream", r.route().token()).put("until", r.until().toString())
                        .put("inSeconds", Math.max(0, Duration.between(now, r.until()).toSeconds())).put("why", r.reason());
            }
        }
        ArrayNode backOffs = root.putArray("credentialBackOffs");
        for (CredentialGuard.BackOff b : s.backOffs()) {
            backOffs.addObject().put("upstream", b.upstream()).put("user", b.user()).put("scheme", b.scheme())
                    .put("until", b.until().toString()).put("inSeconds", Math.max(0, Duration.between(now, b.until()).toSeconds()))
                    .put("rejections", b.strikes());
        }
        ObjectNode pools = root.putObject("upstreamConnections");
        for (Map.Entry<String, int[]> e : s.upstreamConnections().entrySet()) {
            pools.putObject(e.getKey()).put("idle", e.getValue()[0]).put("busy", e.getValue()[1]);
        }
        StatusSnapshot.Counts c = s.counts();
        root.putObject("counts").put("clientConnections", c.clientConnections()).put("tunnelsOpen", c.tunnelsOpen())
                .put("upstreamConnections", c.upstreamConnections()).put("requests", c.requests())
                .put("tunnels", c.tunnels()).put("upstreamConnectionsOpened", c.upstreamConnectionsOpened());
        ArrayNode recent = root.putArray("recentRequests");
        for (RecentActivity.Exchange x : s.recentRequests()) {
            recent.addObject().put("at", x.at().toString()).put("profile", x.profile()).put("client", x.client())
                    .put("method", x.method()).put("target", x.target()).put("route", x.routeToken()).put("status", x.status())
                    .put("ms", x.millis());
        }
        ArrayNode errors = root.putArray("recentErrors");
        for (RecentActivity.Failure f : s.recentErrors()) {
            errors.addObject().put("at", f.at().toString()).put("type", f.type()).put("client", f.client())
                    .put("target", f.target()).put("message", f.message());
        }
        if (s.lastReload() != null) {
            root.putObject("lastReload").put("at", s.lastReload().at().toString()).put("applied", s.lastReload().applied())
                    .put("message", s.lastReload().message());
        }
        return root.toPrettyString() + "\n";
    }

    private static void pac(ObjectNode node, PacRouteSource.Status pac, Instant now) {
        node.put("location", pac.location() == null ? "wpad" : pac.location()).put("loaded", pac.loaded())
                .put("loading", pac.loading()).put("usable", pac.usable());
        if (pac.loadedAt() != null) {
            node.put("loadedAt", pac.loadedAt().toString()).put("ageSeconds", Duration.between(pac.loadedAt(), now).toSeconds());
        }
        if (pac.lastError() != null) {
            node.put("lastError", pac.lastError()).put("lastErrorAt", pac.lastErrorAt().toString());
        }
        node.put("evaluations", pac.evaluations()).put("errors", pac.errors());
    }

    /** The outcome of a reload, as its response body. */
    static String of(ReloadOutcome outcome) {
        return JSON.createObjectNode().put("at", outcome.at().toString()).put("applied", outcome.applied())
                .put("message", outcome.message()).toPrettyString() + "\n";
    }
}
