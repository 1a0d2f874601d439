package io.gangway.core.cli;

import io.gangway.core.config.ConfigException;
import io.gangway.core.config.GangwayConfig;
import io.gangway.core.config.ListenAddress;
import io.gangway.core.config.PortSet;
import io.gangway.core.config.PublishSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * {@code gangway transparent-rules --interface IF}: the iptables (and nftables) rules that send
 * the TCP traffic arriving on a bridge to the transparent listener, and the ones that undo
 * them; {@code --apply} and {@code --remove} run the iptables ones. It reads the same settings
 * as {@code run}: the listener's port comes from {@code --transparent}, the ports from
 * {@code --transparent-ports} unless {@code --ports} says otherwise.
 */
final class TransparentRulesCommand implements Callable<Integer> {

    private final CommandSpec spec = CommandSpec.wrapWithoutInspection(this);
    private final Map<String, String> env;

    TransparentRulesCommand(Map<String, String> env) {
        this.env = env;
        HelpOptions.addTo(spec.name("transparent-rules"));
        spec.usageMessage().description(
                "Prints the iptables and nftables rules that redirect the TCP traffic arriving on an interface (a "
                        + "container bridge such as docker0) to the transparent listener (--transparent), and the rules "
                        + "that undo them. With --apply it adds the iptables rules (as root), with --remove it deletes them.");
        spec.addOption(OptionSpec.builder("--interface").paramLabel("IF").type(String.class).required(true)
                .description("The interface whose incoming traffic is redirected, e.g. docker0.").build());
        spec.addOption(OptionSpec.builder("--ports").paramLabel("PORTS").type(String.class)
                .description("Destination ports to redirect (80,443 or * for all). Default: --transparent-ports.").build());
        spec.addOption(OptionSpec.builder("--apply").arity("0").type(boolean.class)
                .description("Add the iptables rules (each only if it is not there yet).").build());
        spec.addOption(OptionSpec.builder("--remove").arity("0").type(boolean.class)
                .description("Delete the iptables rules.").build());
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
        String iface = parsed.matchedOptionValue("--interface", "");
        GangwayConfig config;
        PortSet ports;
        try {
            config = ConfigOptions.load(parsed, env);
            ports = parsed.hasMatchedOption("--ports") ? PortSet.parse(parsed.matchedOptionValue("--ports", ""))
                    : config.listeners().ports();
        } catch (ConfigException | IllegalArgumentException e) {
            err.println("gangway transparent-rules: " + e.getMessage());
            return 2;
        }
        if (config.listeners().transparent().isEmpty()) {
            err.println("gangway transparent-rules: no transparent listener: give --transparent ADDR:PORT (or 'transparent' "
                    + "in the config file), as for 'gangway run'");
            return 2;
        }
        if (!iface.matches("[A-Za-z0-9_.@-]{1,15}")) {
            err.println("gangway transparent-rules: '" + iface + "' is not an interface name");
            return 2;
        }
        int to = config.listeners().transparent().get(0).port();
        List<List<String>> add = iptables("-A", iface, ports, to, gangwayPorts(config));
        if (parsed.hasMatchedOption("--apply")) {
            return run(add, out, err, true);
        }
        if (parsed.hasMatchedOption("--remove")) {
            return run(iptables("-D", iface, ports, to, gangwayPorts(config)), out, err, false);
        }
        out.println("# iptables: redirect TCP " + (ports.all() ? "to every port but Gangway's own" : "to ports " + ports)
                + " arriving on " + iface + " to the transparent listener (port " + to + ")");
        add.forEach(rule -> out.println(shell(rule)));
        out.println("# undo:");
        iptables("-D", iface, ports, to, gangwayPorts(config)).forEach(rule -> out.println(shell(rule)));
        out.println();
        out.println("# nftables, the same:");
        out.println("nft add table ip gangway");
        out.println("nft 'add chain ip gangway prerouting { type nat hook prerouting priority dstnat; }'");
        out.println("nft 'add rule ip gangway prerouting iifname \"" + iface + "\" tcp dport "
                + (ports.all() ? "!= { " + join(gangwayPorts(config), ", ") + " }" : "{ " + join(ports.ports(), ", ") + " }")
                + " redirect to :" + to + "'");
        out.println("# undo:");
        out.println("nft delete table ip gangway");
        out.println();
        out.println("# The listener must be on an address of " + iface + " (or 0.0.0.0), with --allow for the bridge's range.");
        out.flush();
        return 0;
    }

    /** Every port Gangway listens on: never redirected back to it. */
    private static TreeSet<Integer> gangwayPorts(GangwayConfig config) {
        TreeSet<Integer> ports = new TreeSet<>();
        for (ListenAddress a : config.listeners().all()) {
            ports.add(a.port());
        }
        for (PublishSpec p : config.listeners().publish()) {
            ports.add(p.bind().port());
        }
        return ports;
    }

    static List<List<String>> iptables(String action, String iface, PortSet ports, int to, TreeSet<Integer> own) {
        List<String> rule = new ArrayList<>(List.of("iptables", "-t", "nat", action, "PREROUTING", "-i", iface, "-p", "tcp",
                "-m", "multiport"));
        if (ports.all()) {
            rule.addAll(List.of("!", "--dports", join(own, ",")));
        } else {
            rule.addAll(List.of("--dports", join(ports.ports(), ",")));
        }
        rule.addAll(List.of("-m", "comment", "--comment", "gangway transparent", "-j", "REDIRECT", "--to-ports",
                String.valueOf(to)));
        return List.of(rule);
    }

    /** A command as a shell line: words with spaces or '!' quoted. */
    private static String shell(List<String> command) {
        List<String> words = new ArrayList<>();
        for (String w : command) {
            words.add(w.matches("[A-Za-z0-9_./:,=@-]+") ? w : "'" + w + "'");
        }
        return String.join(" ", words);
    }

    private static String join(Iterable<Integer> ports, String separator) {
        List<String> out = new ArrayList<>();
        new TreeSet<Integer>((java.util.Collection<Integer>) ports).forEach(p -> out.add(String.valueOf(p)));
        return String.join(separator, out);
    }

    /** Runs each rule; with {@code onlyIfMissing}, a rule already there (iptables -C) is left alone. */
    private static int run(List<List<String>> rules, PrintWriter out, PrintWriter err, boolean onlyIfMissing)
            throws InterruptedException {
        for (List<String> rule : rules) {
            if (onlyIfMissing) {
                List<String> check = new ArrayList<>(rule);
                check.set(check.indexOf("-A"), "-C");
                if (exec(check, null) == 0) {
                    out.println("present: " + shell(rule));
                    continue;
                }
            }
            StringBuilder output = new StringBuilder();
            int code = exec(rule, output);
            if (code != 0) {
                err.println("gangway transparent-rules: " + shell(rule) + " failed (" + code + "): " + output.toString().trim());
                return 1;
            }
            out.println((onlyIfMissing ? "added: " : "removed: ") + shell(rule));
        }
        out.flush();
        return 0;
    }

    private static int exec(List<String> command, StringBuilder output) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            if (output != null) {
                output.append(text);
            }
            return p.exitValue();
        } catch (IOException e) {
            if (output != null) {
                output.append(e.getMessage());
            }
            return -1;
        }
    }
}
