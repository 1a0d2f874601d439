package io.gangway.core.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;

/** Reading the password and NT hash files: the first line of each. */
public final class SecretFiles {

    private SecretFiles() {
    }

    public static char[] readPassword(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        return lines.isEmpty() ? new char[0] : lines.get(0).toCharArray();
    }

    public static byte[] readNtHash(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        return parseNtHash(lines.isEmpty() ? "" : lines.get(0));
    }

    /** 32 hex digits, as {@code gangway hash} prints them. */
    public static byte[] parseNtHash(String hex) {
        try {
            byte[] hash = HexFormat.of().parseHex(hex.trim());
            if (hash.length == 16) {
                return hash;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new IllegalArgumentException("expected 32 hex digits (the output of 'gangway hash')");
    }

    /** A secret file that others than its owner can read is worth a warning (it is still used). */
    static void warnIfOthersCanRead(Path file, String key) {
        try {
            java.util.Set<java.nio.file.attribute.PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.contains(java.nio.file.attribute.PosixFilePermission.GROUP_READ)
                    || perms.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ)) {
                org.slf4j.LoggerFactory.getLogger("gangway").warn("{} {} can be read by others than its owner ({}): "
                        + "chmod 600 {}", key, file, java.nio.file.attribute.PosixFilePermissions.toString(perms), file);
            }
        } catch (IOException | UnsupportedOperationException e) {
            // no POSIX permissions here (Windows), or the file is unreadable: reading it says so
        }
    }
}
