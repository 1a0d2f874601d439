package io.gangway.core.cli;

import io.gangway.pac.PacEnvironment;
import io.gangway.pac.PacException;
import io.gangway.pac.PacLoader;
import io.gangway.pac.PacScript;
import io.gangway.routing.Target;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code gangway pac ...}: PAC tools. */
@Command(name = "pac", mixinStandardHelpOptions = true, description = "PAC script tools.",
        subcommands = PacCommand.Test.class)
final class PacCommand {

    /**
     * {@code gangway pac test}: evaluates a PAC offline, one {@code URL : RESULT} line per URL with
     * the script's raw answer, as libpacparser's {@code pactester} prints, so that the two can be
     * compared. The host passed to the script is the URL's, as pactester does.
     */
    @Command(name = "test", mixinStandardHelpOptions = true,
            description = "Evaluates a PAC for each URL and prints 'URL : RESULT' with the script's raw answer.")
    static final class Test implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = {"--pac", "-p"}, required = true, paramLabel = "FILE|URL",
                description = "The PAC: a file, a file:, http(s):// or data: URL (fetched DIRECT).")
        String pac;

        @Option(names = {"-f", "--urls-file"}, paramLabel = "FILE", description = "A file of URLs, one per line.")
        Path urlsFile;

        @Option(names = {"--my-ip", "-c"}, paramLabel = "IP[;IP]",
                description = "What myIpAddress() returns (pactester's -c). Default: the outward interface's address.")
        String myIp;

        @Parameters(paramLabel = "URL", arity = "0..*", description = "URLs to evaluate.")
        List<String> urls = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            List<String> all = new ArrayList<>(urls);
            if (urlsFile != null) {
                for (String line : Files.readAllLines(urlsFile)) {
                    if (!line.isBlank() && !line.trim().startsWith("#")) {
                        all.add(line.trim());
                    }
                }
            }
            if (all.isEmpty()) {
                err.println("gangway pac test: give URLs, or -f FILE");
                return 2;
            }
            PacScript script;
            try (PacLoader loader = new PacLoader(pac, Duration.ofSeconds(15))) {
                PacLoader.Loaded loaded = loader.load();
                script = PacScript.compile(loaded.text(), loaded.location(), PacEnvironment.withMyIp(myIp));
            } catch (PacException | IllegalArgumentException e) {
                err.println("gangway pac test: " + e.getMessage());
                return 2;
            }
            int failed = 0;
            for (String url : all) {
                String host;
                try {
                    host = URI.create(url).getHost();
                } catch (IllegalArgumentException e) {
                    host = null;
                }
                if (host == null) {
                    err.println(url + " : not a URL with a host");
                    failed++;
                    continue;
                }
                try {
                    // the host as Gangway passes it: lower case, an IPv6 literal without brackets
                    out.println(url + " : " + script.findProxy(url, new Target("http", host, 80).host()));
                } catch (PacException e) {
                    err.println(url + " : " + e.getMessage());
                    failed++;
                }
            }
            out.flush();
            return failed == 0 ? 0 : 1;
        }
    }
}
