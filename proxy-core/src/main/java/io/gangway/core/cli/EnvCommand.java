package io.gangway.core.cli;

import io.gangway.core.config.ClientView;
import io.gangway.core.config.ConfigException;
import io.gangway.core.config.Profile;
import io.gangway.core.files.FileReplacer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * {@code gangway env}: the proxy settings that point other programs at Gangway, as shell lines,
 * as the {@code proxies} sections of Docker's {@code config.json} and {@code daemon.json}, or as
 * the engine's systemd drop-in. It reads the same settings as {@code run} (but no secret), so the
 * URL names the listener that {@code run} would open.
 */
final class EnvCommand implements Callable<Integer> {

    /** Loopback only: clients disagree on every other NO_PROXY form, so Gangway applies the real rules. */
    static final String NO_PROXY = "localhost,127.0.0.1,::1";
    private static final List<String> VARIABLES = List.of("HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY");
    private static final String DAEMON_JSON = "/etc/docker/daemon.json";

    /** What the command gives: one of these per run. */
    private enum Output {
        SHELL(null), EXPLAIN("--explain"), DOCKER_CONFIG("--docker-config"), DAEMON_JSON("--daemon-json"),
        SYSTEMD_DROPIN("--systemd-dropin");

        final String option;

        Output(String option) {
            this.option = option;
        }

        boolean isFile() {
            return this == DOCKER_CONFIG || this == DAEMON_JSON || this == SYSTEMD_DROPIN;
        }
    }

    private final CommandSpec spec = CommandSpec.wrapWithoutInspection(this);
    private final Map<String, String> env;

    EnvCommand(Map<String, String> env) {
        this.env = env;
        HelpOptions.addTo(spec.name("env"));
        spec.usageMessage().description(
                "Prints HTTP_PROXY, HTTPS_PROXY and NO_PROXY for a shell (eval \"$(gangway env)\"), pointing at the "
                        + "listener of the same settings as 'gangway run'; or the proxies sections of Docker's config.json "
                        + "and daemon.json (merged into the file with --write), or the engine's systemd drop-in.");
        spec.addOption(OptionSpec.builder("--shell").paramLabel("SHELL").type(String.class)
                .description("sh, fish, powershell or cmd. Default: sh (powershell on Windows).").build());
        spec.addOption(OptionSpec.builder("--for").paramLabel("WHO").type(String.class)
                .description("host: the engine listener (--listen); containers: the containers listener by its address "
                        + "when it is a bridge's, else http://http.docker.internal:PORT. Default: host, containers for "
                        + "--docker-config.").build());
        spec.addOption(OptionSpec.builder("--proxy-url").paramLabel("URL").type(String.class)
                .description("The proxy URL to give instead of the listener's, e.g. http://172.17.0.1:3128.").build());
        spec.addOption(OptionSpec.builder("--unset").arity("0").type(boolean.class)
                .description("Print lines that unset the variables (with a Docker file: remove its proxies).").build());
        spec.addOption(OptionSpec.builder("--explain").arity("0").type(boolean.class)
                .description("Say, for each configured no-proxy entry (and NO_PROXY's), which common clients would read "
                        + "it otherwise than Gangway if it were put in their NO_PROXY.").build());
        fileOption(Output.DOCKER_CONFIG, "The Docker CLI's config.json with proxies.default set, which new containers "
                + "get. Default FILE: $DOCKER_CONFIG/config.json, else ~/.docker/config.json.");
        fileOption(Output.DAEMON_JSON, "The engine's daemon.json with proxies set, for its pulls (Docker 23+). "
                + "Default FILE: " + DAEMON_JSON + ".");
        fileOption(Output.SYSTEMD_DROPIN, "The engine's systemd drop-in, for engines older than 23. Default FILE: "
                + SystemdDropin.DEFAULT + ".");
        spec.addOption(OptionSpec.builder("--write").arity("0").type(boolean.class)
                .description("Change the file (atomically, the file before kept as FILE.bak) instead of printing it.").build());
        ConfigOptions.addTo(spec);
    }

    private void fileOption(Output output, String description) {
        spec.addOption(OptionSpec.builder(output.option).paramLabel("FILE").type(String.class).arity("0..1")
                .fallbackValue("").description(description).build());
    }

    CommandSpec spec() {
        return spec;
    }

    @Override
    public Integer call() {
        ParseResult parsed = spec.commandLine().getParseResult();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            Output output = output(parsed);
            boolean unset = parsed.hasMatchedOption("--unset");
            Profile audience = audience(parsed, output);
            if (output == Output.SHELL && unset) {
                shell(parsed).unset(VARIABLES).forEach(out::println); // needs no settings at all
                return done(out, err);
            }
            ClientView view = ConfigOptions.clientView(parsed, env);
            if (output == Output.EXPLAIN) {
                explain(view, audience, out);
                return done(out, err);
            }
            ClientUrl url = parsed.hasMatchedOption("--proxy-url") ? ClientUrl.given(parsed.matchedOptionValue("--proxy-url", ""))
                    : audience == Profile.ENGINE ? ClientUrl.forHost(view) : ClientUrl.forContainers(view);
            if (!unset) {
                url.warnings().forEach(w -> err.println("gangway env: warning: " + w));
            }
            ClientFileEdits files = new ClientFileEdits(out, err, parsed.hasMatchedOption("--write"));
            String proxy = unset ? null : url.url();
            switch (output) {
                case SHELL -> shell(parsed).set(variables(url.url())).forEach(out::println);
                case DOCKER_CONFIG -> files.docker(DockerProxyFiles.CLI_CONFIG, file(parsed, output, cliConfigFile()),
                        "rw-------", proxy, null);
                case DAEMON_JSON -> files.docker(DockerProxyFiles.DAEMON_JSON, file(parsed, output, Path.of(DAEMON_JSON)),
                        "rw-r--r--", proxy, "restart the engine for it to take effect: sudo systemctl restart docker");
                case SYSTEMD_DROPIN -> files.dropin(file(parsed, output, Path.of(SystemdDropin.DEFAULT)),
                        unset ? null : variables(url.url()));
                default -> throw new IllegalStateException(output.name());
            }
        } catch (ConfigException | IllegalArgumentException e) {
            err.println("gangway env: " + e.getMessage());
            err.flush();
            return 2;
        } catch (IOException e) {
            err.println("gangway env: " + FileReplacer.describe(e));
            err.flush();
            return 1;
        }
        return done(out, err);
    }

    private static int done(PrintWriter out, PrintWriter err) {
        out.flush();
        err.flush();
        return 0;
    }

    private static Output output(ParseResult parsed) {
        Output chosen = Output.SHELL;
        for (Output o : Output.values()) {
            if (o.option != null && parsed.hasMatchedOption(o.option)) {
                if (chosen != Output.SHELL) {
                    throw new IllegalArgumentException("give one of --docker-config, --daemon-json, --systemd-dropin "
                            + "and --explain");
                }
                chosen = o;
            }
        }
        if (parsed.hasMatchedOption("--write") && !chosen.isFile()) {
            throw new IllegalArgumentException("--write changes a Docker file: give --docker-config, --daemon-json or "
                    + "--systemd-dropin");
        }
        return chosen;
    }

    private static Profile audience(ParseResult parsed, Output output) {
        if (!parsed.hasMatchedOption("--for")) {
            return output == Output.DOCKER_CONFIG ? Profile.CONTAINERS : Profile.ENGINE;
        }
        String who = parsed.matchedOptionValue("--for", "").trim().toLowerCase(Locale.ROOT);
        return switch (who) {
            case "host" -> Profile.ENGINE;
            case "containers" -> Profile.CONTAINERS;
            default -> throw new IllegalArgumentException("--for '" + who + "': expected host or containers");
        };
    }

    private static ShellEnv shell(ParseResult parsed) {
        if (parsed.hasMatchedOption("--shell")) {
            return ShellEnv.named(parsed.matchedOptionValue("--shell", ""));
        }
        return System.getProperty("os.name", "").startsWith("Windows") ? ShellEnv.POWERSHELL : ShellEnv.SH;
    }

    private static Path file(ParseResult parsed, Output output, Path byDefault) {
        String given = parsed.matchedOptionValue(output.option, "");
        return given.isEmpty() ? byDefault : Path.of(given);
    }

    private static Map<String, String> variables(String url) {
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("HTTP_PROXY", url);
        variables.put("HTTPS_PROXY", url);
        variables.put("NO_PROXY", NO_PROXY);
        return variables;
    }

    private void explain(ClientView view, Profile profile, PrintWriter out) {
        out.println("NO_PROXY from 'gangway env' is " + NO_PROXY + ", the loopback names and addresses (Python's urllib "
                + "and Ruby miss ::1, and send such a request to Gangway, which routes it by its own rules). Gangway applies "
                + "the " + profile.key() + " profile's no-proxy entries itself:");
        List<String> lines = NoProxyClients.explain(view.noProxy(profile).toString());
        if (lines.isEmpty()) {
            out.println("  (none configured)");
        }
        lines.forEach(line -> out.println("  " + line));
        // lower case first, as Gangway and curl read them
        String fromEnv = env.getOrDefault("no_proxy", env.getOrDefault("NO_PROXY", ""));
        if (!fromEnv.isBlank() && !fromEnv.trim().equals(NO_PROXY)) {
            out.println("This shell's NO_PROXY:");
            NoProxyClients.explain(fromEnv).forEach(line -> out.println("  " + line));
        }
        out.println("Java and Node.js read no NO_PROXY (Java takes -Dhttp.nonProxyHosts; npm its own noproxy setting).");
    }

    private Path cliConfigFile() {
        String dir = env.get("DOCKER_CONFIG");
        if (dir != null && !dir.isBlank()) {
            return Path.of(dir.trim(), "config.json");
        }
        return Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".docker", "config.json");
    }
}
