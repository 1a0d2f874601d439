package io.gangway.core.files;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Replaces a file's content so that a reader sees the old file or the new one, never half of
 * either: the new text goes to a temporary file beside it (same directory, so the same file
 * system), takes the old file's permissions and owner, and is renamed over it. {@link #replace}
 * keeps the old file as {@code FILE.bak}. A symbolic link is followed, so the file it names is replaced.
 */
public final class FileReplacer {

    private FileReplacer() {
    }

    /** @return the backup, or null when there was no file before */
    public static Path replace(Path file, String text, String modeIfNew) throws IOException {
        return swap(file, text, modeIfNew, true);
    }

    /** As {@link #replace}, without a backup (a file that the program itself keeps). */
    public static void write(Path file, String text, String modeIfNew) throws IOException {
        swap(file, text, modeIfNew, false);
    }

    private static Path swap(Path file, String text, String modeIfNew, boolean keepBackup) throws IOException {
        Path target = Files.exists(file) ? file.toRealPath() : file.toAbsolutePath();
        Path dir = target.getParent();
        Files.createDirectories(dir);
        boolean existed = Files.exists(target);
        Path temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        try {
            Files.writeString(temp, text, StandardCharsets.UTF_8);
            if (existed) {
                copyOwnerAndMode(target, temp);
            } else if (supportsPosix(temp)) {
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString(modeIfNew));
            }
            Path backup = null;
            if (existed && keepBackup) {
                backup = target.resolveSibling(target.getFileName() + ".bak");
                Files.copy(target, backup, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return backup;
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static void copyOwnerAndMode(Path from, Path to) throws IOException {
        if (!supportsPosix(from)) {
            return;
        }
        PosixFileAttributes old = Files.readAttributes(from, PosixFileAttributes.class);
        Set<PosixFilePermission> mode = old.permissions();
        PosixFileAttributeView view = Files.getFileAttributeView(to, PosixFileAttributeView.class);
        PosixFileAttributes fresh = view.readAttributes();
        // Only root may give a file away; anyone else's new file is theirs already.
        if (!fresh.owner().equals(old.owner())) {
            view.setOwner(old.owner());
        }
        if (!fresh.group().equals(old.group())) {
            view.setGroup(old.group());
        }
        view.setPermissions(mode);
    }

    private static boolean supportsPosix(Path path) {
        return Files.getFileAttributeView(path, PosixFileAttributeView.class) != null;
    }
}
