package io.gangway.core.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/** Reads the three layers of raw settings: the YAML file, the environment and the flags. */
final class ConfigSources {

    private ConfigSources() {
    }

    /**
     * A YAML file's settings: its top-level keys, and the routing keys of its {@code containers:}
     * block (the containers profile).
     */
    record FileLayers(Map<ConfigKey<?>, ConfigValue> top, Map<ConfigKey<?>, ConfigValue> containers) {
        static final FileLayers EMPTY = new FileLayers(Map.of(), Map.of());
    }

    /** The keys of a YAML file, each with its line, so that errors can point at it. */
    static FileLayers fromFile(Path file) {
        Node root;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            LoaderOptions options = new LoaderOptions();
            root = new Yaml(options).compose(reader);
        } catch (MarkedYAMLException e) {
            throw new ConfigException(file + " line " + (e.getProblemMark().getLine() + 1) + ": " + e.getProblem());
        } catch (YAMLException e) {
            throw new ConfigException(file + ": " + e.getMessage());
        } catch (RuntimeException e) {
            // SnakeYAML fails on some input with other exceptions (IllegalArgumentException for a
            // tag with spaces, found by fuzzing): still this file's fault, not a crash
            throw new ConfigException(file + ": not readable as YAML: " + e.getMessage());
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
        }
        if (root == null) {
            return FileLayers.EMPTY; // empty file
        }
        if (!(root instanceof MappingNode mapping)) {
            throw new ConfigException(file + " line " + line(root) + ": expected a mapping of keys such as 'listen:'");
        }
        Map<ConfigKey<?>, ConfigValue> containers = Map.of();
        Map<ConfigKey<?>, ConfigValue> top = new LinkedHashMap<>();
        refuseDuplicates(mapping.getValue(), file);
        for (NodeTuple tuple : mapping.getValue()) {
            String origin = file + " line " + line(tuple.getKeyNode());
            if (tuple.getKeyNode() instanceof ScalarNode k && k.getValue().equals(Profile.CONTAINERS.key())) {
                if (!(tuple.getValueNode() instanceof MappingNode block)) {
                    throw new ConfigException(origin + ": 'containers' expects a mapping of routing keys, such as 'upstream:'");
                }
                refuseDuplicates(block.getValue(), file);
                containers = keys(block.getValue(), file, true);
            } else {
                top.putAll(keys(List.of(tuple), file, false));
            }
        }
        return new FileLayers(top, containers);
    }

    /**
     * A key given twice in one mapping is an error naming both lines (composing a YAML document
     * does not look for them, and the second would silently win).
     */
    private static void refuseDuplicates(List<NodeTuple> tuples, Path file) {
        Map<String, Integer> seen = new java.util.HashMap<>();
        for (NodeTuple tuple : tuples) {
            if (tuple.getKeyNode() instanceof ScalarNode key) {
                Integer first = seen.putIfAbsent(key.getValue(), line(key));
                if (first != null) {
                    throw new ConfigException(file + " line " + line(key) + ": '" + key.getValue()
                            + "' is given twice (first on line " + first + ")");
                }
            }
        }
    }

    /** The settings of one mapping: the top level, or (only routing keys) a profile's block. */
    private static Map<ConfigKey<?>, ConfigValue> keys(List<NodeTuple> tuples, Path file, boolean profileBlock) {
        Map<ConfigKey<?>, ConfigValue> values = new LinkedHashMap<>();
        for (NodeTuple tuple : tuples) {
            String origin = file + " line " + line(tuple.getKeyNode());
            if (!(tuple.getKeyNode() instanceof ScalarNode keyNode)) {
                throw new ConfigException(origin + ": expected a plain key");
            }
            ConfigKey<?> key = ConfigKey.byKey(keyNode.getValue());
            if (key == null || profileBlock && !key.profiled()) {
                throw new ConfigException(origin + ": unknown key '" + keyNode.getValue() + "'" + (profileBlock
                        ? " in 'containers'; its keys are the routing settings: " + knownKeys(true)
                        : "; known keys: " + knownKeys(false)));
            }
            values.put(key, new ConfigValue(scalarOrList(tuple.getValueNode(), origin, key),
                    profileBlock ? "'containers' in " + origin : origin));
        }
        return values;
    }

    /**
     * {@code GANGWAY_*} variables (the engine), or a profile's {@code GANGWAY_CONTAINERS_*} twins
     * of the routing keys; list values are comma-separated.
     */
    static Map<ConfigKey<?>, ConfigValue> fromEnvironment(Map<String, String> env, Profile profile) {
        Map<ConfigKey<?>, ConfigValue> values = new LinkedHashMap<>();
        for (ConfigKey<?> key : ConfigKey.values()) {
            if (profile != Profile.ENGINE && !key.profiled()) {
                continue;
            }
            String value = env.get(key.envName(profile));
            if (value != null) {
                Object raw = key.isList() ? splitList(value) : value.trim();
                values.put(key, new ConfigValue(raw, "environment variable " + key.envName(profile)));
            }
        }
        return values;
    }

    static List<String> splitList(String value) {
        List<String> out = new ArrayList<>();
        for (String part : value.split(",")) {
            if (!part.isBlank()) {
                out.add(part.trim());
            }
        }
        return out;
    }

    private static Object scalarOrList(Node node, String origin, ConfigKey<?> key) {
        if (node instanceof ScalarNode scalar) {
            return key.isList() ? splitList(scalar.getValue()) : scalar.getValue();
        }
        if (node instanceof SequenceNode seq && key.isList()) {
            List<String> out = new ArrayList<>();
            for (Node item : seq.getValue()) {
                if (!(item instanceof ScalarNode scalar)) {
                    throw new ConfigException(origin + ": '" + key.key() + "' items must be plain values");
                }
                out.add(scalar.getValue());
            }
            return out;
        }
        throw new ConfigException(origin + ": '" + key.key() + "' expects "
                + (key.isList() ? "a value or a list of values" : "a single value"));
    }

    private static int line(Node node) {
        return node.getStartMark().getLine() + 1;
    }

    private static String knownKeys(boolean profiledOnly) {
        List<String> keys = new ArrayList<>();
        for (ConfigKey<?> k : ConfigKey.values()) {
            if (!profiledOnly || k.profiled()) {
                keys.add(k.key());
            }
        }
        if (!profiledOnly) {
            keys.add(Profile.CONTAINERS.key());
        }
        return String.join(", ", keys);
    }
}
