package io.gangway.core.cli;

import io.gangway.auth.AuthScheme;
import io.gangway.auth.AuthSchemes;
import io.gangway.auth.Credentials;
import io.gangway.core.config.ConfigException;
import io.gangway.core.config.GangwayConfig;
import io.gangway.core.config.Profile;
import io.gangway.core.config.RoutingProfile;
import io.gangway.core.http.RequestTarget;
import io.gangway.core.routing.RouteDatabase;
import io.gangway.core.routing.RouteSources;
import io.gangway.core.routing.Router;
import io.gangway.core.routing.UpstreamCredentials;
import io.gangway.core.upstream.UpstreamTls;
import io.gangway.pac.PacRouteSource;
import io.gangway.routing.Route;
import io.gangway.routing.RoutePlan;
import io.gangway.routing.RoutingException;
import io.gangway.routing.Target;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParseResult;

/**
 * {@code gangway check URL [--connect]}: how Gangway, with the same settings as {@code run},
 * would route one URL: the source, the PAC's answer, the route plan, the account per upstream,
 * and with {@code --connect} whether each route answers and which schemes it asks for.
 */
final class CheckCommand implements Callable<Integer> {

    private final CommandSpec spec = CommandSpec.wrapWithoutInspection(this);
    private final Map<String, String> env;

    CheckCommand(Map<String, String> env) {
        this.env = env;
        HelpOptions.addTo(spec.name("check"));
        spec.usageMessage().description(
                "Shows how a URL would be routed with these settings (the same options as 'run'): the routing source, "
                        + "the PAC result if any, the route plan and the account used with each upstream.",
                "With --connect, also tries each route (no credentials are sent) and prints which authentication "
                        + "schemes each proxy asks for.",
                "With --login, logs in to each upstream of the plan with the configured credentials, as run would "
                        + "(one login attempt per upstream at most, honouring and updating the lockout back-off), and "
                        + "reports each scheme; exits 1 when no upstream accepted.");
        spec.addPositional(PositionalParamSpec.builder().paramLabel("URL").type(String.class)
                .description("http://..., https://... or host:port (a CONNECT target).").build());
        spec.addOption(OptionSpec.builder("--connect").arity("0").type(boolean.class)
                .description("Try each route of the plan.").build());
        spec.addOption(OptionSpec.builder("--login").arity("0").type(boolean.class)
                .description("Log in to each upstream of the plan with the configured credentials.").build());
        spec.addOption(OptionSpec.builder("--profile").paramLabel("PROFILE").type(String.class)
                .description("The routing profile: engine (the top-level settings, the default) or containers "
                        + "(the containers-* settings, else the top-level ones).").build());
        ConfigOptions.addTo(spec);
    }

    CommandSpec spec() {
        return spec;
    }

    @Override
    public Integer call() throws InterruptedException {
        ParseResult parsed = spec.commandLine().getParseResult();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        GangwayConfig config;
        RoutingProfile profile;
        Target target;
        try {
            config = ConfigOptions.load(parsed, env, TerminalPasswords.of(env));
            profile = config.profile(Profile.named(parsed.matchedOptionValue("--profile", "engine")));
            target = target(parsed.matchedPositionalValue(0, ""));
        } catch (ConfigException | IllegalArgumentException e) {
            err.println("gangway check: " + e.getMessage());
            return 2;
        }
        UpstreamCredentials credentials = new UpstreamCredentials();
        try (Router router = new Router(RouteSources.create(profile, config, env, credentials),
                new RouteDatabase(config.timeouts().routeRetry()))) {
            out.println("URL:      " + target.url());
            out.println("config:   " + ConfigOptions.configFile(parsed, env).map(Path::toString).orElse("(none: flags, environment, defaults)"));
            out.println("profile:  " + profile.profile());
            RoutePlan plan;
            try {
                out.println("source:   " + router.describe());
                if (router.source() instanceof PacRouteSource pac) {
                    PacRouteSource.Evaluation e = pac.evaluate(target);
                    out.println("PAC:      " + (e.result() != null ? "FindProxyForURL(\"" + e.url() + "\", \"" + target.host()
                            + "\") = \"" + e.result().raw() + "\"" : "no answer: " + e.error()));
                    if (e.result() != null) {
                        e.result().warnings().forEach(w -> out.println("          warning: " + w));
                    }
                }
                plan = router.planNow(target);
            } catch (RoutingException e) {
                out.println("plan:     none: " + e.getMessage());
                return 1;
            }
            out.println("plan:     " + plan);
            for (Route route : plan.routes()) {
                if (route.isHttpProxy()) {
                    out.println("account:  " + route + " as " + credentials.forRoute(route)
                            .map(c -> c.user().isEmpty() ? "(no user: Kerberos from the ticket cache, if any)" : c.identity())
                            .orElse("nobody (no credentials are sent to it)"));
                }
            }
            if (parsed.hasMatchedOption("--login")) {
                return login(config, profile, credentials, router.database(), target, plan, out) ? 0 : 1;
            }
            if (parsed.hasMatchedOption("--connect")) {
                return probe(config, profile, credentials, target, plan, out) ? 0 : 1;
            }
            return 0;
        }
    }

    private static boolean probe(GangwayConfig config, RoutingProfile profile, UpstreamCredentials credentials, Target target,
                                 RoutePlan plan, PrintWriter out) {
        AuthSchemes schemes = AuthSchemes.discover();
        RouteProbe probe = new RouteProbe(config.timeouts().connect(), tls(profile.route().upstreamCa()));
        boolean any = false;
        for (Route route : plan.routes()) {
            RouteProbe.Result r = probe.probe(route, target);
            any |= r.answered();
            StringBuilder line = new StringBuilder("try:      ").append(route)
                    .append(route.isHttpProxy() ? "" : " to " + target.authority()).append(": ").append(r.summary());
            if (!r.schemes().isEmpty()) {
                // What run would do: the first allowed scheme offered that this route's account can use.
                Optional<Credentials> account = credentials.forRoute(route);
                List<String> offered = profile.account().auth().stream().filter(r.schemes()::contains).toList();
                String usable = offered.stream().filter(name -> account.isPresent() && (!account.get().user().isEmpty()
                        || !schemes.find(name).map(AuthScheme::needsUser).orElse(true))).findFirst().orElse(null);
                line.append("; asks for ").append(String.join(", ", r.schemes())).append(usable != null
                        ? "; Gangway would answer with " + usable
                        : offered.isEmpty() ? "; none of them is allowed by --auth " + String.join(",", profile.account().auth())
                        : "; Gangway would answer 502: no user is configured for it (give the upstream as "
                                + "http://USER@host:port or set --user, with the password in GANGWAY_PASSWORD or --password-file)");
            }
            out.println(line);
        }
        return any;
    }

    /**
     * A probe without credentials first (it costs no login, and says what is offered), then one
     * login by run's own path where a proxy challenges. True when some upstream accepted.
     */
    private boolean login(GangwayConfig config, RoutingProfile profile, UpstreamCredentials credentials, RouteDatabase routes,
                          Target target, RoutePlan plan, PrintWriter out) throws InterruptedException {
        RouteProbe probe = new RouteProbe(config.timeouts().connect(), tls(profile.route().upstreamCa()));
        boolean any = false;
        boolean upstreams = false;
        try (LoginCheck check = new LoginCheck(config, profile, credentials, routes, env)) {
            for (Route route : new java.util.LinkedHashSet<>(plan.routes())) {
                if (!route.isHttpProxy()) {
                    continue;
                }
                upstreams = true;
                RouteProbe.Result r = probe.probe(route, target);
                String account = credentials.forRoute(route).map(c -> c.user().isEmpty() ? "(Kerberos from the ticket cache)"
                        : c.identity()).orElse("nobody");
                if (!r.answered()) {
                    out.println("login:    " + route + ": " + r.summary() + "; no login tried");
                } else if (r.schemes().isEmpty()) {
                    out.println("login:    " + route + ": " + r.summary() + "; it asks for no authentication");
                    any |= !r.summary().contains("answers 407");
                } else {
                    LoginCheck.Outcome outcome = check.login(route, target);
                    LoginReport.lines(route, r.schemes(), profile.account().auth(), account, outcome).forEach(out::println);
                    any |= outcome.accepted();
                }
                out.flush();
            }
        }
        if (!upstreams) {
            out.println("login:    the plan names no HTTP proxy: nothing to log in to");
        }
        return any;
    }

    /** {@code http://...} as a plain request; {@code https://...} or {@code host:port} as a tunnel. */
    static Target target(String text) {
        if (text.isBlank()) {
            throw new IllegalArgumentException("give a URL to check");
        }
        if (text.regionMatches(true, 0, "http://", 0, 7)) {
            return RequestTarget.absolute(text).target(); // as the proxy reads a plain request
        }
        if (!text.contains("://")) {
            URI authority = URI.create("https://" + text);
            return new Target("https", authority.getHost(), authority.getPort() < 0 ? 443 : authority.getPort());
        }
        if (!text.regionMatches(true, 0, "https://", 0, 8)) {
            // as run: a plain request must be http://, anything else comes as a CONNECT to host:port
            throw new IllegalArgumentException("cannot check '" + text + "': give an http:// or https:// URL, or host:port "
                    + "(a CONNECT target); a client sends other schemes to a proxy as CONNECT host:port");
        }
        URI uri = URI.create(text);
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("no host in " + text);
        }
        return new Target("https", uri.getHost(), uri.getPort() < 0 ? 443 : uri.getPort());
    }

    /** The probe trusts what Gangway trusts (the JDK's CAs, or those of --upstream-ca). */
    private static SSLSocketFactory tls(Path ca) {
        if (ca == null) {
            return (SSLSocketFactory) SSLSocketFactory.getDefault();
        }
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, UpstreamTls.trust(ca).getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS with CA file " + ca + ": " + e.getMessage(), e);
        }
    }
}
