package io.gangway.core.cli;

import io.gangway.core.config.ClientView;
import io.gangway.core.config.ConfigKey;
import io.gangway.core.config.ConfigLoader;
import io.gangway.core.config.ConfigValue;
import io.gangway.core.config.GangwayConfig;
import io.gangway.core.config.PasswordSources;
import io.gangway.core.config.Profile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
                .description("YAML file of settings (keys as the long options below). Default: $GANGWAY_CONFIG, else "
                        + "~/.config/gangway/gangway.yaml, else /etc/gangway/gangway.yaml, the first that exists.").build());
        for (ConfigKey<?> key : ConfigKey.values()) {
            spec.addOption(option(key, Profile.ENGINE, key.description() + " Env: " + key.envName()
                    + (key.defaultValue().isEmpty() ? "." : ". Default: " + key.defaultValue() + ".")));
        }
        for (ConfigKey<?> key : ConfigKey.values()) {
            if (key.profiled()) {
                spec.addOption(option(key, Profile.CONTAINERS, "The containers profile's " + key.flag()
                        + " (YAML: '" + key.key() + "' in the 'containers' block). Env: " + key.envName(Profile.CONTAINERS)
                        + ". Default: the top-level setting."));
            }
        }
    }

    private static OptionSpec option(ConfigKey<?> key, Profile profile, String description) {
        OptionSpec.Builder option = OptionSpec.builder(key.flag(profile)).paramLabel(key.paramLabel()).description(description);
        switch (key.arity()) {
            case LIST -> option.type(List.class).auxiliaryTypes(String.class).splitRegex(",");
            case FLAG -> option.type(String.class).arity("0..1").fallbackValue("true");
            case ONE -> option.type(String.class);
        }
        return option.build();
    }

    /** The configuration: these flags over the environment over the config file ({@link #configFile}). */
    static GangwayConfig load(ParseResult parsed, Map<String, String> env) {
        return load(parsed, env, PasswordSources.keyringOnly(env));
    }

    /** As {@link #load(ParseResult, Map)}, a missing password asked of {@code passwords}. */
    static GangwayConfig load(ParseResult parsed, Map<String, String> env, PasswordSources passwords) {
        return load(parsed, env, passwords, Map.of());
    }

    /** As {@link #load(ParseResult, Map, PasswordSources)}, with settings that outrank even the flags (systemd's sockets). */
    static GangwayConfig load(ParseResult parsed, Map<String, String> env, PasswordSources passwords,
                              Map<ConfigKey<?>, ConfigValue> imposed) {
        Map<ConfigKey<?>, ConfigValue> engine = flags(parsed, Profile.ENGINE);
        engine.putAll(imposed);
        return ConfigLoader.load(configFile(parsed, env).orElse(null), env, engine, flags(parsed, Profile.CONTAINERS),
                passwords);
    }

    /** What clients are told ({@code gangway env}), from the same layers as {@link #load}, without reading secrets. */
    static ClientView clientView(ParseResult parsed, Map<String, String> env) {
        return ConfigLoader.clientView(configFile(parsed, env).orElse(null), env, flags(parsed, Profile.ENGINE),
                flags(parsed, Profile.CONTAINERS));
    }

    /**
     * The config file: {@code --config}, else {@code $GANGWAY_CONFIG}, else the first that exists
     * of {@code ${XDG_CONFIG_HOME:-~/.config}/gangway/gangway.yaml} and {@code /etc/gangway/gangway.yaml}.
     */
    static Optional<Path> configFile(ParseResult parsed, Map<String, String> env) {
        Path given = parsed.matchedOptionValue("--config", null);
        if (given != null) {
            return Optional.of(given);
        }
        String named = env.get("GANGWAY_CONFIG");
        if (named != null && !named.isBlank()) {
            return Optional.of(Path.of(named.trim()));
        }
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        String xdg = env.get("XDG_CONFIG_HOME");
        Path user = (xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(home, ".config")).resolve("gangway/gangway.yaml");
        for (Path candidate : List.of(user, Path.of("/etc/gangway/gangway.yaml"))) {
            if (Files.isRegularFile(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static Map<ConfigKey<?>, ConfigValue> flags(ParseResult parsed, Profile profile) {
        Map<ConfigKey<?>, ConfigValue> flags = new LinkedHashMap<>();
        for (ConfigKey<?> key : ConfigKey.values()) {
            if ((profile == Profile.ENGINE || key.profiled()) && parsed.hasMatchedOption(key.flag(profile))) {
                Object value = parsed.matchedOptionValue(key.flag(profile), null);
                flags.put(key, new ConfigValue(value, key.flag(profile)));
            }
        }
        return flags;
    }
}
