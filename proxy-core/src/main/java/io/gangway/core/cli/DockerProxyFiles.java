package io.gangway.core.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code proxies} sections of Docker's two files, merged into what the file already holds
 * (every other key kept, in its order): the CLI's {@code config.json} gives new containers
 * {@code proxies.default.httpProxy/httpsProxy/noProxy}; the engine's {@code daemon.json} (Docker
 * 23+) takes {@code proxies.http-proxy/https-proxy/no-proxy} for its own pulls.
 */
enum DockerProxyFiles {
    CLI_CONFIG(List.of("proxies", "default"), "httpProxy", "httpsProxy", "noProxy"),
    DAEMON_JSON(List.of("proxies"), "http-proxy", "https-proxy", "no-proxy");

    private static final ObjectMapper JSON = new ObjectMapper();
    /** As the Docker CLI writes config.json: tab-indented, "key": value. */
    private static final DefaultPrettyPrinter PRETTY = new DefaultPrettyPrinter(Separators.createDefaultInstance()
            .withObjectFieldValueSpacing(Separators.Spacing.AFTER))
            .withObjectIndenter(new DefaultIndenter("\t", "\n"))
            .withArrayIndenter(new DefaultIndenter("\t", "\n"));

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

    /** The file's text with the proxies set ({@code proxyUrl} for both schemes), or removed when it is null. */
    String merge(String existing, Path file, String proxyUrl, String noProxy) {
        ObjectNode root = parse(existing, file);
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
            return JSON.writer(PRETTY).writeValueAsString(root) + "\n";
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
            throw new IllegalArgumentException(file + " is not JSON: " + e.getOriginalMessage() + " (line "
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
}
