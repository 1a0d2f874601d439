package io.gangway.core.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code proxies} sections of Docker's two files, merged into what the file already holds
 * (every other key kept, in its order): the CLI's {@code config.json} gives new containers
 * {@code proxies.default.httpProxy/httpsProxy/noProxy}; the engine's {@code daemon.json} (Docker
 * 23+) takes {@code proxies.http-proxy/https-proxy/no-proxy} for its own pulls. Parsing is
 * strict (a duplicated key or text after the object is an error, so that nothing is dropped
 * silently) and numbers keep their digits.
 */
enum DockerProxyFiles {
    CLI_CONFIG(List.of("proxies", "default"), "httpProxy", "httpsProxy", "noProxy"),
    DAEMON_JSON(List.of("proxies"), "http-proxy", "https-proxy", "no-proxy");

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    /** What a merge gives: the file's new text, and whether it differs from the old one's content. */
    record Merged(String text, boolean changed) {
    }

    private final List<String> path;
    private final String httpKey;
    private final String httpsKey;
    private final String noProxyKey;

    DockerProxyFiles(List<String> path, String httpKey, String httpsKey, String noProxyKey) {
        this.path = path;
        this.httpKey = httpKey;
        this.httpsKey = httpsKey;
        this.noProxyKey = noProxyKey;
    }

    /** The file's content with the proxies set ({@code proxyUrl} for both schemes), or removed when it is null. */
    Merged merge(String existing, Path file, String proxyUrl, String noProxy) {
        ObjectNode before = parse(existing, file);
        ObjectNode root = before.deepCopy();
        if (proxyUrl != null) {
            ObjectNode section = root;
            for (String name : path) {
                section = objectAt(section, name, file);
            }
            section.put(httpKey, proxyUrl).put(httpsKey, proxyUrl).put(noProxyKey, noProxy);
        } else {
            remove(root, 0, file);
        }
        try {
            return new Merged(JSON.writer(new TabPrinter()).writeValueAsString(root) + "\n", !root.equals(before));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Removes the three keys under path[depth..], and each object that they leave empty. */
    private void remove(ObjectNode node, int depth, Path file) {
        if (depth == path.size()) {
            node.remove(List.of(httpKey, httpsKey, noProxyKey));
            return;
        }
        JsonNode child = node.get(path.get(depth));
        if (child == null) {
            return;
        }
        if (!child.isObject()) {
            throw notAnObject(path.get(depth), file);
        }
        remove((ObjectNode) child, depth + 1, file);
        if (child.isEmpty()) {
            node.remove(path.get(depth));
        }
    }

    private static ObjectNode parse(String existing, Path file) {
        if (existing == null || existing.isBlank()) {
            return JSON.createObjectNode();
        }
        JsonNode root;
        try {
            root = JSON.readTree(existing);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + " is not a JSON object: " + e.getOriginalMessage() + " (line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + "); it was left as it is");
        }
        if (!root.isObject()) {
            throw new IllegalArgumentException(file + " holds a JSON " + root.getNodeType().name().toLowerCase()
                    + ", not an object; it was left as it is");
        }
        return (ObjectNode) root;
    }

    private static ObjectNode objectAt(ObjectNode parent, String name, Path file) {
        JsonNode child = parent.get(name);
        if (child == null) {
            return parent.putObject(name);
        }
        if (!child.isObject()) {
            throw notAnObject(name, file);
        }
        return (ObjectNode) child;
    }

    private static IllegalArgumentException notAnObject(String name, Path file) {
        return new IllegalArgumentException("'" + name + "' in " + file + " is not an object; it was left as it is");
    }

    /** As Go's json.MarshalIndent(v, "", "\t") writes, which the Docker CLI uses: tabs, "key": value, {} and []. */
    private static final class TabPrinter extends DefaultPrettyPrinter {

        TabPrinter() {
            super(Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER));
            indentObjectsWith(new DefaultIndenter("\t", "\n"));
            indentArraysWith(new DefaultIndenter("\t", "\n"));
        }

        private TabPrinter(TabPrinter base) {
            super(base);
        }

        @Override
        public DefaultPrettyPrinter createInstance() {
            return new TabPrinter(this);
        }

        @Override
        public void writeEndObject(JsonGenerator g, int entries) throws IOException {
            if (entries == 0) {
                _nesting--;
                g.writeRaw('}');
            } else {
                super.writeEndObject(g, entries);
            }
        }

        @Override
        public void writeEndArray(JsonGenerator g, int values) throws IOException {
            if (values == 0) {
                _nesting--;
                g.writeRaw(']');
            } else {
                super.writeEndArray(g, values);
            }
        }
    }
}
