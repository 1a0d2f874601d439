package io.gangway.core.cli;

import io.gangway.core.config.ConfigKey;
import io.gangway.core.config.ConfigLoader;
import io.gangway.core.config.ConfigValue;
import io.gangway.core.config.GangwayConfig;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * The settings options every command that needs a configuration shares ({@code run},
 * {@code check}): {@code --config FILE} and one option per {@link ConfigKey}.
 */
final class ConfigOptions {

    private ConfigOptions() {
    }

    static void addTo(CommandSpec spec) {
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

    /** The configuration: these flags over the environment over the {@code --config} file. */
    static GangwayConfig load(ParseResult parsed, Map<String, String> env) {
        return ConfigLoader.load(parsed.matchedOptionValue("--config", null), env, flags(parsed));
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
