package io.gangway.harness.audit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Looks for every form ({@link SecretForms}) of the test secrets in the files the suite wrote:
 * logs, test output, reports. A finding names the file, the line, the form and which ledger
 * entry, never the secret. Run as a test at the end of the build, or from the command line
 * ({@code SecretAudit LEDGER... -- FILE_OR_DIR...}, exit status 1 on a finding).
 */
public final class SecretAudit {

    /** Files too big to be a log the suite wrote, or of a kind that holds no output. */
    private static final long MAX_FILE = 256L << 20;
    private static final List<String> SKIPPED_SUFFIXES = List.of(".class", ".jar", ".ledger");

    /** A secret's form found in a file. */
    public record Finding(Path file, int line, String form, int secret) {
        @Override
        public String toString() {
            return file + ":" + line + ": test secret #" + secret + " (" + form + ")";
        }
    }

    /** What an audit read and found. */
    public record Report(int secrets, int files, long bytes, List<Finding> findings) {
    }

    /** One form of one secret, as bytes; its first four bytes are its key. */
    private record Needle(int secret, String form, byte[] bytes) {
        int key() {
            return SecretAudit.key(bytes, 0);
        }
    }

    private final int secrets;
    /** Needles by key; a bit per hashed key filters the positions worth a lookup (one pass over each file). */
    private final Map<Integer, List<Needle>> needles = new HashMap<>();
    private final BitSet filter = new BitSet(1 << FILTER_BITS);
    private static final int FILTER_BITS = 22;

    public SecretAudit(List<String> secrets) {
        secrets.stream().filter(s -> s.length() < TestSecrets.MIN_LENGTH).findAny().ifPresent(s -> {
            throw new IllegalArgumentException("a secret of " + s.length() + " characters cannot be looked for without "
                    + "false matches; at least " + TestSecrets.MIN_LENGTH);
        });
        this.secrets = secrets.size();
        for (int s = 0; s < secrets.size(); s++) {
            for (SecretForms.Form form : SecretForms.of(secrets.get(s))) {
                Needle needle = new Needle(s + 1, form.kind(), form.text().getBytes(StandardCharsets.ISO_8859_1));
                needles.computeIfAbsent(needle.key(), k -> new ArrayList<>()).add(needle);
                filter.set(slot(needle.key()));
            }
        }
    }

    public Report scan(List<Path> roots) throws IOException {
        List<Finding> findings = new ArrayList<>();
        int files = 0;
        long bytes = 0;
        for (Path root : roots) {
            if (!Files.exists(root)) {
                continue;
            }
            List<Path> paths;
            try (Stream<Path> walk = Files.walk(root)) {
                paths = walk.filter(Files::isRegularFile).filter(SecretAudit::readable).sorted().toList();
            }
            for (Path file : paths) {
                byte[] content = Files.readAllBytes(file);
                files++;
                bytes += content.length;
                scan(file, content, findings);
            }
        }
        return new Report(secrets, files, bytes, findings);
    }

    private void scan(Path file, byte[] content, List<Finding> findings) {
        int line = 1;
        for (int i = 0; i + 4 <= content.length; i++) {
            if (content[i] == '\n') {
                line++;
            }
            int key = key(content, i);
            if (!filter.get(slot(key))) {
                continue;
            }
            for (Needle needle : needles.getOrDefault(key, List.of())) {
                if (Arrays.equals(content, i, Math.min(content.length, i + needle.bytes.length), needle.bytes, 0,
                        needle.bytes.length)) {
                    findings.add(new Finding(file, line, needle.form, needle.secret));
                }
            }
        }
    }

    private static int key(byte[] b, int at) {
        return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
    }

    private static int slot(int key) {
        return (key * 0x9E3779B9) >>> (32 - FILTER_BITS);
    }

    private static boolean readable(Path file) {
        String name = file.getFileName().toString();
        try {
            return SKIPPED_SUFFIXES.stream().noneMatch(name::endsWith) && Files.size(file) <= MAX_FILE;
        } catch (IOException e) {
            return false;
        }
    }

    public static void main(String[] args) throws IOException {
        List<String> secrets = new ArrayList<>();
        List<Path> roots = new ArrayList<>();
        boolean scanning = false;
        for (String arg : args) {
            if (arg.equals("--")) {
                scanning = true;
            } else if (scanning) {
                roots.add(Path.of(arg));
            } else {
                secrets.addAll(TestSecrets.read(Path.of(arg)));
            }
        }
        Report report = new SecretAudit(secrets).scan(roots);
        report.findings().forEach(System.out::println);
        System.out.println("secret audit: " + report.secrets() + " secrets, " + report.files() + " files, "
                + report.bytes() + " bytes, " + report.findings().size() + " findings");
        System.exit(report.findings().isEmpty() ? 0 : 1);
    }
}
