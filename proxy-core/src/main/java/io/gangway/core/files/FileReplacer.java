package io.gangway.core.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Replaces a file's content so that a reader sees the old file or the new one, never half of
 * either: the new text goes to a temporary file beside it (same directory, so the same file
 * system), is flushed to the disk, takes the old file's permissions and owner, and is renamed
 * over it. {@link #replace} keeps the old file as {@code FILE.bak}. A symbolic link is followed
 * (even one whose file does not exist yet), so the file it names is written and the link stays.
 * A read-only file is refused rather than replaced behind its mode's back.
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

    /** Where writing {@code file} really writes: the end of its chain of symbolic links. */
    public static Path target(Path file) throws IOException {
        Path path = file.toAbsolutePath();
        for (int hops = 0; Files.isSymbolicLink(path); hops++) {
            if (hops == 40) {
                throw new FileSystemException(file.toString(), null, "too many levels of symbolic links");
            }
            path = path.resolveSibling(Files.readSymbolicLink(path)).normalize();
        }
        return path;
    }

    private static Path swap(Path file, String text, String modeIfNew, boolean keepBackup) throws IOException {
        Path target = target(file);
        if (Files.isDirectory(target)) {
            throw new FileSystemException(target.toString(), null, "is a directory");
        }
        boolean existed = Files.exists(target, LinkOption.NOFOLLOW_LINKS);
        if (existed && !Files.isWritable(target)) {
            throw new AccessDeniedException(target.toString(), null, "not writable (its mode or owner); it was left as it is");
        }
        Path dir = target.getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        try {
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                out.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
                out.force(true); // on the disk before the rename makes it the file
            }
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
        PosixFileAttributeView view = Files.getFileAttributeView(to, PosixFileAttributeView.class);
        PosixFileAttributes fresh = view.readAttributes();
        try {
            // Only root may give a file away; anyone else's new file is theirs already.
            if (!fresh.owner().equals(old.owner())) {
                view.setOwner(old.owner());
            }
            if (!fresh.group().equals(old.group())) {
                view.setGroup(old.group());
            }
        } catch (FileSystemException e) {
            throw new AccessDeniedException(from.toString(), null, "belongs to " + old.owner().getName() + ":"
                    + old.group().getName() + ", and its new version could not be given to them: run as that user, or as root");
        }
        view.setPermissions(old.permissions());
    }

    private static boolean supportsPosix(Path path) {
        return Files.getFileAttributeView(path, PosixFileAttributeView.class) != null;
    }

    /** An I/O failure as a sentence: the file and what is wrong, without Java's exception names. */
    public static String describe(IOException e) {
        if (e instanceof FileSystemException fs) {
            String reason = fs.getReason() != null ? fs.getReason()
                    : e instanceof AccessDeniedException ? "permission denied"
                    : e instanceof java.nio.file.FileAlreadyExistsException ? "exists and is not a directory"
                    : e instanceof java.nio.file.NoSuchFileException ? "does not exist" : "cannot be written";
            return fs.getFile() + ": " + reason;
        }
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }
}
