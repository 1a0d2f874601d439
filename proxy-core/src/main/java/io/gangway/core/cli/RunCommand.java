package io.gangway.core.cli;

import io.gangway.auth.NegotiateScheme;
import io.gangway.core.config.ConfigException;
import io.gangway.core.config.ConfigKey;
import io.gangway.core.config.ConfigLoader;
import io.gangway.core.config.ConfigValue;
import io.gangway.core.config.GangwayConfig;
import io.gangway.core.server.GangwayServer;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * {@code gangway run}: its flags are made from {@link ConfigKey}, so that every setting has the
 * same name as a flag, a YAML key and a GANGWAY_* variable.
 */
final class RunCommand implements Callable<Integer> {

    private final CommandSpec spec = CommandSpec.wrapWithoutInspection(this);

    RunCommand() {
        spec.name("run").mixinStandardHelpOptions(true);
        spec.usageMessage().description(
                "Runs the proxy. With no options: listens on 127.0.0.1:3128 and routes as the environment says "
                        + "(HTTP_PROXY, HTTPS_PROXY, NO_PROXY), DIRECT when it says nothing.",
                "Each option is also a key of the --config file and a GANGWAY_<KEY> environment variable; "
                        + "flags override the environment, which overrides the file.",
                "The upstream password comes from GANGWAY_PASSWORD or --password-file.");
        spec.addOption(OptionSpec.builder("--config").paramLabel("FILE").type(Path.class)
                .description("YAML file of settings (keys as the long options below).").build());
        for (ConfigKey key : ConfigKey.values()) {
            OptionSpec.Builder option = OptionSpec.builder(key.flag()).paramLabel(key.paramLabel())
                    .description(key.description() + " Env: " + key.envName()
                            + (key.defaultValue().isEmpty() ? "." : ". Default: " + key.defaultValue() + "."));
            switch (key.type()) {
                case LIST -> option.type(List.class).auxiliaryTypes(String.class).splitRegex(",");
                case BOOLEAN -> option.type(String.class).arity("0..1").fallbackValue("true");
                default -> option.type(String.class);
            }
            spec.addOption(option.build());
        }
    }

    CommandSpec spec() {
        return spec;
    }

    @Override
    public Integer call() throws InterruptedException {
        ParseResult parsed = spec.commandLine().getParseResult();
        GangwayConfig config;
        try {
            config = ConfigLoader.load(parsed.matchedOptionValue("--config", null), System.getenv(), flags(parsed));
        } catch (ConfigException e) {
            spec.commandLine().getErr().println("gangway: invalid configuration: " + e.getMessage());
            return 2;
        }
        NegotiateScheme.honourKrb5Config(System.getenv());
        GangwayServer server = new GangwayServer(config, System.getenv());
        try {
            server.start();
        } catch (IllegalStateException e) {
            spec.commandLine().getErr().println("gangway: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "gangway-shutdown"));
        stopped.await();
        return 0;
    }

    private static Map<ConfigKey, ConfigValue> flags(ParseResult parsed) {
        Map<ConfigKey, ConfigValue> flags = new EnumMap<>(ConfigKey.class);
        for (ConfigKey key : ConfigKey.values()) {
            if (parsed.hasMatchedOption(key.flag())) {
                Object value = parsed.matchedOptionValue(key.flag(), null);
                flags.put(key, new ConfigValue(value, key.flag()));
            }
        }
        return flags;
    }
}
