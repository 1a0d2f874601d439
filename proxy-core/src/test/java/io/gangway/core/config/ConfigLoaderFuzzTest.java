package io.gangway.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of the configuration layers: a YAML file, flags and {@code GANGWAY_*}
 * variables merged by {@link ConfigLoader}. The input is text: the YAML file, then optionally a
 * line {@code %%} and one setting per line, {@code --flag=value} (a flag of {@code run}, the
 * containers twins included; a bare {@code --flag} for a switch) or {@code GANGWAY_X=value}.
 * Every input ends in a configuration (and the client view {@code gangway env} reads) or a
 * {@link ConfigException}, the one error a user is shown. No keyring and no terminal is asked.
 * Seeds: {@code ConfigLoaderFuzzTestInputs/yamlAndFlags/} (the user guide's examples, Docker
 * Desktop-like, containers profiles, PAC and lockout settings, and broken files).
 */
class ConfigLoaderFuzzTest {

    private static final PasswordSources NOBODY = new PasswordSources() {
        @Override
        public Optional<char[]> fromKeyring(String user) {
            return Optional.empty();
        }

        @Override
        public Optional<char[]> prompt(String user) {
            return Optional.empty();
        }
    };
    private static Path file;

    @BeforeAll
    static void file() throws IOException {
        file = Files.createTempFile("gangway-fuzz", ".yaml");
    }

    @AfterAll
    static void remove() throws IOException {
        Files.deleteIfExists(file);
    }

    @FuzzTest
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void yamlAndFlags(byte[] input) throws IOException {
        String text = new String(input, StandardCharsets.UTF_8);
        int split = text.startsWith("%%\n") ? 0 : text.indexOf("\n%%\n");
        Files.writeString(file, split < 0 ? text : text.substring(0, split));
        Map<ConfigKey<?>, ConfigValue> flags = new LinkedHashMap<>();
        Map<ConfigKey<?>, ConfigValue> containersFlags = new LinkedHashMap<>();
        Map<String, String> env = new HashMap<>();
        if (split >= 0) {
            for (String line : text.substring(split + 3).split("\n")) {
                setting(line, flags, containersFlags, env);
            }
        }
        try {
            GangwayConfig config = ConfigLoader.load(file, env, flags, containersFlags, NOBODY);
            assertThat(config.listeners().engine()).isNotEmpty();
            ConfigLoader.clientView(file, env, flags, containersFlags);
        } catch (ConfigException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }

    /** One line of settings, as picocli and the environment would hand it over. */
    private static void setting(String line, Map<ConfigKey<?>, ConfigValue> flags,
                                Map<ConfigKey<?>, ConfigValue> containersFlags, Map<String, String> env) {
        int eq = line.indexOf('=');
        String name = eq < 0 ? line : line.substring(0, eq);
        String value = eq < 0 ? "true" : line.substring(eq + 1);
        if (name.startsWith("GANGWAY_")) {
            env.put(name, value);
            return;
        }
        for (ConfigKey<?> key : ConfigKey.values()) {
            for (Profile profile : Profile.values()) {
                if ((profile == Profile.ENGINE || key.profiled()) && key.flag(profile).equals(name)) {
                    Object raw = key.arity() == ConfigKey.Arity.LIST ? Arrays.asList(value.split(",")) : value;
                    (profile == Profile.ENGINE ? flags : containersFlags).put(key, new ConfigValue(raw, name));
                }
            }
        }
    }
}
