package io.gangway.core.cli;

import io.gangway.core.files.FileReplacer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Prints, or with {@code write} changes, the files that point Docker at Gangway: the CLI's
 * {@code config.json}, the engine's {@code daemon.json} and its systemd drop-in. A file is
 * written only when its content changes, and what is said about it goes to {@code out} (the
 * file's new text when printing) and {@code err} (what to do next).
 */
final class ClientFileEdits {

    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean write;

    ClientFileEdits(PrintWriter out, PrintWriter err, boolean write) {
        this.out = out;
        this.err = err;
        this.write = write;
    }

    /**
     * @param url         the proxy for both schemes, or null to remove the proxies
     * @param afterChange what the user must do once the file changed (restart the engine), or null
     */
    void docker(DockerProxyFiles kind, Path file, String modeIfNew, String url, String afterChange) throws IOException {
        String existing = read(file);
        if (url == null && existing == null) {
            out.println(file + ": does not exist; no proxies to remove");
            return;
        }
        DockerProxyFiles.Merged merged = kind.merge(existing, file, url, EnvCommand.NO_PROXY);
        if (!write) {
            out.print(merged.text());
            return;
        }
        if (!merged.changed()) {
            out.println(file + ": unchanged (" + (url == null ? "it has no proxies to remove" : "its proxies are " + url) + ")");
            return;
        }
        Path backup = FileReplacer.replace(file, merged.text(), modeIfNew);
        out.println(file + ": " + (url == null ? "proxies removed" : "proxies set to " + url)
                + (backup == null ? " (a new file)" : "; the file before is " + backup));
        if (afterChange != null) {
            err.println("gangway env: " + afterChange);
        }
    }

    /** @param variables the drop-in's variables, or null to remove a drop-in that Gangway wrote */
    void dropin(Path file, Map<String, String> variables) throws IOException {
        String existing = read(file);
        boolean ours = existing != null && SystemdDropin.writtenByGangway(existing);
        if (variables == null) {
            if (existing == null) {
                out.println(file + ": does not exist; nothing to remove");
            } else if (!ours) {
                throw new IllegalArgumentException(file + " was not written by gangway env: it was left as it is");
            } else if (!write) {
                out.println("rm " + file);
            } else {
                Files.delete(FileReplacer.target(file));
                out.println(file + ": removed");
                err.println("gangway env: then: sudo systemctl daemon-reload && sudo systemctl restart docker");
            }
            return;
        }
        String text = SystemdDropin.text(variables);
        if (!write) {
            out.print(text);
        } else if (text.equals(existing)) {
            out.println(file + ": unchanged");
        } else {
            // A drop-in of the user's own is kept as FILE.bak; Gangway's own earlier one is not worth keeping.
            Path backup = ours ? null : FileReplacer.replace(file, text, "rw-r--r--");
            if (ours) {
                FileReplacer.write(file, text, "rw-r--r--");
            }
            out.println(file + ": written" + (backup == null ? "" : "; the file before is " + backup));
            err.println("gangway env: then: sudo systemctl daemon-reload && sudo systemctl restart docker");
        }
    }

    /** The file's text (through its symbolic links), or null when there is none. */
    private static String read(Path file) throws IOException {
        Path target = FileReplacer.target(file);
        if (Files.isDirectory(target)) {
            throw new IllegalArgumentException(file + " is a directory: name the file");
        }
        return Files.exists(target) ? Files.readString(target, StandardCharsets.UTF_8) : null;
    }
}
