package io.gangway.core.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gangway.core.config.ClientView;
import io.gangway.core.config.ConfigException;
import io.gangway.core.config.ListenAddress;
import io.gangway.routing.HostPort;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * {@code gangway status}: the running Gangway's {@code /status}, for a person; exit 0 when it is
 * ready, 1 when it is not or cannot be reached (a container's health check). The admin address is
 * {@code --admin}, else the {@code admin} setting of the same configuration {@code run} reads.
 */
final class StatusCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final CommandSpec spec = CommandSpec.wrapWithoutInspection(this);
    private final Map<String, String> env;

    StatusCommand(Map<String, String> env) {
        this.env = env;
        HelpOptions.addTo(spec.name("status"));
        spec.usageMessage().description("Shows what the running Gangway is doing, from its admin listener (--admin): "
                + "readiness, listeners, routing and PAC, postponed upstreams, credential back-offs, connections and recent "
                + "errors. Exit status 0 when it is ready, 1 when it is not or cannot be reached.");
        spec.addOption(OptionSpec.builder("--json").arity("0").type(boolean.class)
                .description("Print /status as JSON, as the endpoint gives it.").build());
        ConfigOptions.addTo(spec);
    }

    CommandSpec spec() {
        return spec;
    }

    @Override
    public Integer call() {
        ParseResult parsed = spec.commandLine().getParseResult();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ListenAddress admin;
        try {
            ClientView view = ConfigOptions.clientView(parsed, env);
            admin = view.admin();
        } catch (ConfigException e) {
            err.println("gangway: invalid configuration: " + e.getMessage());
            return 2;
        }
        if (admin == null) {
            err.println("gangway: no admin listener is configured: give --admin ADDR:PORT (as run was given)");
            return 2;
        }
        String host = wildcard(admin.host()) ? (admin.host().contains(":") ? "::1" : "127.0.0.1") : admin.host();
        URI uri = URI.create("http://" + HostPort.format(host, admin.port()) + "/status");
        HttpClient client = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY)
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> response;
        try {
            response = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            err.println("gangway: cannot reach the admin listener at " + uri + ": " + e);
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
        if (response.statusCode() != 200) {
            err.println("gangway: " + uri + " answered " + response.statusCode());
            return 1;
        }
        JsonNode status;
        try {
            status = JSON.readTree(response.body());
        } catch (IOException e) {
            err.println("gangway: " + uri + " did not answer with JSON: " + e.getMessage());
            return 1;
        }
        if (parsed.hasMatchedOption("--json")) {
            out.print(response.body());
        } else {
            lines(status).forEach(out::println);
        }
        out.flush();
        return status.path("ready").asBoolean() ? 0 : 1;
    }

    private static boolean wildcard(String host) {
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]") || host.isEmpty();
    }

    /** {@code /status} for a person: one topic per line, details indented. */
    static List<String> lines(JsonNode s) {
        List<String> out = new ArrayList<>();
        out.add("Gangway " + s.path("version").asText() + ": " + (s.path("ready").asBoolean() ? "ready" : "NOT READY")
                + ", up " + s.path("uptimeSeconds").asLong() + " s");
        s.path("notReadyBecause").forEach(p -> out.add("  not ready: " + p.asText()));
        s.path("listeners").forEach(l -> out.add("listening on " + l.path("address").asText() + ": " + l.path("serves").asText()));
        for (JsonNode p : s.path("profiles")) {
            out.add(p.path("profile").asText() + " profile: " + p.path("routing").asText());
            JsonNode pac = p.path("pac");
            if (!pac.isMissingNode()) {
                out.add("  PAC " + pac.path("location").asText() + ": " + (pac.path("loaded").asBoolean()
                        ? "loaded " + pac.path("ageSeconds").asLong() + " s ago" : pac.path("loading").asBoolean() ? "loading"
                        : "not loaded") + ", " + pac.path("evaluations").asLong() + " evaluations, "
                        + pac.path("errors").asLong() + " errors" + (pac.has("lastError") ? "; last error at "
                        + pac.path("lastErrorAt").asText() + ": " + pac.path("lastError").asText() : ""));
            }
            p.path("postponedUpstreams").forEach(u -> out.add("  postponed: " + u.path("upstream").asText() + " for "
                    + u.path("inSeconds").asLong() + " s more (" + u.path("why").asText() + ")"));
        }
        JsonNode backOffs = s.path("credentialBackOffs");
        if (backOffs.isEmpty()) {
            out.add("credential back-offs: none");
        }
        backOffs.forEach(b -> out.add("credential back-off: '" + b.path("user").asText() + "' at " + b.path("upstream").asText()
                + " (" + b.path("scheme").asText() + "), not sent again for " + b.path("inSeconds").asLong() + " s ("
                + b.path("rejections").asInt() + " rejections)"));
        JsonNode c = s.path("counts");
        out.add("open now: " + c.path("clientConnections").asInt() + " client connections, " + c.path("tunnelsOpen").asInt()
                + " tunnels, " + c.path("upstreamConnections").asInt() + " upstream connections; so far "
                + c.path("requests").asLong() + " requests, " + c.path("tunnels").asLong() + " tunnels");
        s.path("upstreamConnections").fields().forEachRemaining(e -> out.add("  " + e.getKey() + ": "
                + e.getValue().path("idle").asInt() + " idle, " + e.getValue().path("busy").asInt() + " busy"));
        JsonNode errors = s.path("recentErrors");
        for (int i = 0; i < Math.min(5, errors.size()); i++) {
            JsonNode e = errors.get(i);
            out.add("recent error " + e.path("at").asText() + " " + e.path("type").asText() + ": " + e.path("client").asText()
                    + " " + e.path("target").asText() + ": " + e.path("message").asText());
        }
        JsonNode reload = s.path("lastReload");
        if (!reload.isMissingNode()) {
            out.add("last reload " + reload.path("at").asText() + ": " + (reload.path("applied").asBoolean() ? "applied"
                    : "refused") + " (" + reload.path("message").asText() + ")");
        }
        return out;
    }
}
