package io.gangway.core.cli;

import io.gangway.core.config.ConfigException;
import io.gangway.core.files.FileReplacer;
import io.gangway.core.config.GangwayConfig;
import io.gangway.core.config.ListenAddress;
import io.gangway.core.config.Profile;
import io.gangway.routing.HostPort;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
 * the engine's systemd drop-in. It reads the same settings as {@code run}, so the URL names the
 * listener that {@code run} would open.
 */
final class EnvCommand implements Callable<Integer> {

    /** Loopback only: clients disagree on every other NO_PROXY form, so Gangway applies the real rules. */
    static final String NO_PROXY = "localhost,127.0.0.1,::1";
    static final String SYSTEMD_DROPIN = "/etc/systemd/system/docker.service.d/http-proxy.conf";
    private static final List<String> VARIABLES = List.of("HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY");

    private enum Audience { HOST, CONTAINERS }

    private final CommandSpec spec = CommandSpec.wrapWithoutInspection(this);
    private final Map<String, String> env;

    EnvCommand(Map<String, String> env) {
        this.env = env;
        spec.name("env").mixinStandardHelpOptions(true);
        spec.usageMessage().description(
                "Prints HTTP_PROXY, HTTPS_PROXY and NO_PROXY for a shell (eval \"$(gangway env)\"), pointing at the "
                        + "listener of the same settings as 'gangway run'; or the proxies sections of Docker's config.json "
                        + "and daemon.json (merged into the file with --write), or the engine's systemd drop-in.");
        spec.addOption(OptionSpec.builder("--shell").paramLabel("SHELL").type(String.class)
                .description("sh, fish, powershell or cmd. Default: sh (powershell on Windows).").build());
        spec.addOption(OptionSpec.builder("--for").paramLabel("WHO").type(String.class)
                .description("host: the engine listener (--listen); containers: http://http.docker.internal with the port "
                        + "of --containers-listen (its address when it is a bridge's). Default: host, containers for "
                        + "--docker-config.").build());
        spec.addOption(OptionSpec.builder("--proxy-url").paramLabel("URL").type(String.class)
                .description("The proxy URL to print instead of the listener's, e.g. http://172.17.0.1:3128.").build());
        spec.addOption(OptionSpec.builder("--unset").arity("0").type(boolean.class)
                .description("Print lines that unset the variables (with a Docker file: remove its proxies).").build());
        spec.addOption(OptionSpec.builder("--explain").arity("0").type(boolean.class)
                .description("Say, for each configured no-proxy entry (and NO_PROXY's), which common clients would read "
                        + "it otherwise than Gangway if it were put in their NO_PROXY.").build());
        spec.addOption(OptionSpec.builder("--docker-config").paramLabel("FILE").type(String.class).arity("0..1")
                .fallbackValue("").description("The Docker CLI's config.json with proxies.default set, which new "
                        + "containers get. Default FILE: $DOCKER_CONFIG/config.json, else ~/.docker/config.json.").build());
        spec.addOption(OptionSpec.builder("--daemon-json").paramLabel("FILE").type(String.class).arity("0..1")
                .fallbackValue("").description("The engine's daemon.json with proxies set, for its pulls (Docker 23+). "
                        + "Default FILE: /etc/docker/daemon.json.").build());
        spec.addOption(OptionSpec.builder("--systemd-dropin").paramLabel("FILE").type(String.class).arity("0..1")
                .fallbackValue("").description("The engine's systemd drop-in, for engines older than 23. Default FILE: "
                        + SYSTEMD_DROPIN + ".").build());
        spec.addOption(OptionSpec.builder("--write").arity("0").type(boolean.class)
                .description("Write the Docker file (atomically, the old one kept as FILE.bak) instead of printing it.").build());
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
        try {
            int outputs = count(parsed, "--docker-config", "--daemon-json", "--systemd-dropin", "--explain");
            if (outputs > 1) {
                throw new IllegalArgumentException("give one of --docker-config, --daemon-json, --systemd-dropin and --explain");
            }
            if (parsed.hasMatchedOption("--write") && count(parsed, "--docker-config", "--daemon-json", "--systemd-dropin") == 0) {
                throw new IllegalArgumentException("--write writes a Docker file: give --docker-config, --daemon-json or "
                        + "--systemd-dropin");
            }
            Audience audience = audience(parsed);
            ShellEnv shell = parsed.hasMatchedOption("--shell") ? ShellEnv.named(parsed.matchedOptionValue("--shell", ""))
                    : System.getProperty("os.name", "").startsWith("Windows") ? ShellEnv.POWERSHELL : ShellEnv.SH;
            GangwayConfig config = ConfigOptions.load(parsed, env);
            String url = parsed.hasMatchedOption("--proxy-url") ? checkedUrl(parsed.matchedOptionValue("--proxy-url", ""))
                    : defaultUrl(config, audience);
            boolean unset = parsed.hasMatchedOption("--unset");
            boolean write = parsed.hasMatchedOption("--write");
            if (parsed.hasMatchedOption("--explain")) {
                explain(config, audience, out);
            } else if (parsed.hasMatchedOption("--docker-config")) {
                String given = parsed.matchedOptionValue("--docker-config", "");
                dockerFile(DockerProxyFiles.CLI_CONFIG, given.isEmpty() ? cliConfigFile() : Path.of(given), "rw-------",
                        unset ? null : url, write, out, err);
            } else if (parsed.hasMatchedOption("--daemon-json")) {
                String given = parsed.matchedOptionValue("--daemon-json", "");
                dockerFile(DockerProxyFiles.DAEMON_JSON, Path.of(given.isEmpty() ? "/etc/docker/daemon.json" : given),
                        "rw-r--r--", unset ? null : url, write, out, err);
                if (write) {
                    err.println("gangway env: restart the engine for it to take effect: sudo systemctl restart docker");
                }
            } else if (parsed.hasMatchedOption("--systemd-dropin")) {
                String given = parsed.matchedOptionValue("--systemd-dropin", "");
                dropin(Path.of(given.isEmpty() ? SYSTEMD_DROPIN : given), unset ? null : url, write, out, err);
            } else {
                (unset ? shell.unset(VARIABLES) : shell.set(variables(url))).forEach(out::println);
            }
        } catch (ConfigException | IllegalArgumentException e) {
            err.println("gangway env: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("gangway env: " + e);
            return 1;
        }
        out.flush();
        err.flush();
        return 0;
    }

    private static int count(ParseResult parsed, String... options) {
        int n = 0;
        for (String option : options) {
            n += parsed.hasMatchedOption(option) ? 1 : 0;
        }
        return n;
    }

    private static Audience audience(ParseResult parsed) {
        if (!parsed.hasMatchedOption("--for")) {
            return parsed.hasMatchedOption("--docker-config") ? Audience.CONTAINERS : Audience.HOST;
        }
        String who = parsed.matchedOptionValue("--for", "").trim().toLowerCase(Locale.ROOT);
        return switch (who) {
            case "host" -> Audience.HOST;
            case "containers" -> Audience.CONTAINERS;
            default -> throw new IllegalArgumentException("--for '" + who + "': expected host or containers");
        };
    }

    private static Map<String, String> variables(String url) {
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("HTTP_PROXY", url);
        variables.put("HTTPS_PROXY", url);
        variables.put("NO_PROXY", NO_PROXY);
        return variables;
    }

    /**
     * The host's URL names the engine listener (a wildcard one by loopback). Containers reach
     * the containers listener (else the engine's port) by its own address when it listens on
     * a bridge's, else by http.docker.internal, as under Docker Desktop.
     */
    static String defaultUrl(GangwayConfig config, Audience audience) {
        ListenAddress engine = config.listen().get(0);
        if (audience == Audience.HOST) {
            return "http://" + HostPort.format(reachable(engine.host()), engine.port());
        }
        ListenAddress listener = config.containersListen().isEmpty() ? engine : config.containersListen().get(0);
        String host = listener.isLiteral() && !listener.isLoopback() && !isWildcard(listener.host())
                ? listener.host() : "http.docker.internal";
        return "http://" + HostPort.format(host, listener.port());
    }

    private static String reachable(String host) {
        return switch (host) {
            case "0.0.0.0" -> "127.0.0.1";
            case "::", "0:0:0:0:0:0:0:0" -> "::1";
            default -> host;
        };
    }

    private static boolean isWildcard(String host) {
        return !reachable(host).equals(host);
    }

    private static String checkedUrl(String text) {
        URI uri;
        try {
            uri = new URI(text.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("--proxy-url '" + text + "': " + e.getReason());
        }
        if (uri.getRawUserInfo() != null) { // not echoed: it may hold a password
            throw new IllegalArgumentException("--proxy-url names a user: clients reach Gangway with no user; give "
                    + "http://host:port");
        }
        if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("--proxy-url '" + text + "': expected http://host:port");
        }
        return text.trim();
    }

    private void explain(GangwayConfig config, Audience audience, PrintWriter out) {
        Profile profile = audience == Audience.HOST ? Profile.ENGINE : Profile.CONTAINERS;
        String configured = config.profile(profile).noProxy().toString();
        out.println("NO_PROXY from 'gangway env' is " + NO_PROXY + ": loopback, which every client reads alike. Gangway "
                + "applies the " + profile.name().toLowerCase(Locale.ROOT) + " profile's no-proxy entries itself:");
        List<String> lines = NoProxyClients.explain(configured);
        if (lines.isEmpty()) {
            out.println("  (none configured)");
        }
        lines.forEach(line -> out.println("  " + line));
        String fromEnv = env.getOrDefault("NO_PROXY", env.getOrDefault("no_proxy", ""));
        if (!fromEnv.isBlank() && !fromEnv.trim().equals(NO_PROXY)) {
            out.println("This shell's NO_PROXY:");
            NoProxyClients.explain(fromEnv).forEach(line -> out.println("  " + line));
        }
        out.println("Java and Node.js read no NO_PROXY (Java takes -Dhttp.nonProxyHosts; Node's fetch and npm their own).");
    }

    private Path cliConfigFile() {
        String dir = env.get("DOCKER_CONFIG");
        if (dir != null && !dir.isBlank()) {
            return Path.of(dir.trim(), "config.json");
        }
        return Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".docker", "config.json");
    }

    private static void dockerFile(DockerProxyFiles kind, Path file, String modeIfNew, String url, boolean write,
                                   PrintWriter out, PrintWriter err) throws IOException {
        String existing = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : null;
        String merged = kind.merge(existing, file, url, NO_PROXY);
        if (!write) {
            out.print(merged);
            return;
        }
        if (merged.equals(existing)) {
            out.println(file + ": unchanged");
            return;
        }
        Path backup = FileReplacer.replace(file, merged, modeIfNew);
        out.println(file + ": " + (url == null ? "proxies removed" : "proxies set to " + url)
                + (backup == null ? " (a new file)" : "; the old file is " + backup));
    }

    private static void dropin(Path file, String url, boolean write, PrintWriter out, PrintWriter err) throws IOException {
        if (url == null) {
            if (write && Files.deleteIfExists(file)) {
                out.println(file + ": removed");
                err.println("gangway env: then: sudo systemctl daemon-reload && sudo systemctl restart docker");
            } else if (!write) {
                out.println("rm " + file);
            }
            return;
        }
        StringBuilder text = new StringBuilder("# ").append(file).append(", written by gangway env\n[Service]\nEnvironment=");
        variables(url).forEach((name, value) -> text.append('"').append(name).append('=').append(value).append("\" "));
        text.setLength(text.length() - 1);
        text.append('\n');
        if (!write) {
            out.print(text);
            return;
        }
        Path backup = FileReplacer.replace(file, text.toString(), "rw-r--r--");
        out.println(file + ": written" + (backup == null ? "" : "; the old file is " + backup));
        err.println("gangway env: then: sudo systemctl daemon-reload && sudo systemctl restart docker");
    }
}
