package io.gangway.core.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The keyring: for real against GNOME Keyring on a private D-Bus session (secret-tool), and for
 * the macOS and Windows tools by the command lines they are given.
 */
class KeyringTest {

    @TempDir
    static Path home;
    private static PrivateSecretService service;

    @BeforeAll
    static void start() throws Exception {
        service = PrivateSecretService.start(home);
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
    }

    private static Keyring secretService() {
        assumeTrue(service != null, "dbus-daemon, gnome-keyring-daemon and secret-tool are installed by .ci/run");
        return new Keyring(KeyringBackend.SECRET_SERVICE, service.env());
    }

    @Test
    void aPasswordStoredInTheSecretServiceIsReadBackWhole() throws Exception {
        Keyring keyring = secretService();
        String tricky = "Wïnter 2026 \"quoted\" 'single' $HOME \\back";
        keyring.store("CORP\\alice", tricky.toCharArray());
        assertThat(keyring.lookup("CORP\\alice")).map(String::new).contains(tricky);
        keyring.store("CORP\\alice", "replaced".toCharArray());
        assertThat(keyring.lookup("CORP\\alice")).map(String::new).contains("replaced");
        assertThat(keyring.lookup("CORP\\bob")).as("another user: nothing").isEmpty();
        assertThat(keyring.delete("CORP\\alice")).isTrue();
        assertThat(keyring.lookup("CORP\\alice")).isEmpty();
        assertThat(keyring.delete("CORP\\alice")).as("nothing left to delete").isFalse();
    }

    /** A stand-in secret-tool on a PATH of its own: a shell script doing what a broken or stuck one does. */
    private static Keyring fakeTool(Path dir, String script, java.time.Duration timeout) throws Exception {
        Path tool = dir.resolve("secret-tool");
        java.nio.file.Files.writeString(tool, "#!/bin/sh\n" + script + "\n");
        tool.toFile().setExecutable(true);
        return new Keyring(KeyringBackend.SECRET_SERVICE, Map.of("PATH", dir + ":/usr/bin:/bin"), timeout);
    }

    @Test
    void aToolThatNeverAnswersEndsInAnErrorWithinTheLimit(@TempDir Path dir) throws Exception {
        // It holds its output open and never exits, as a keyring waiting for an unlock dialog.
        Keyring keyring = fakeTool(dir, "exec sleep 60", java.time.Duration.ofSeconds(2));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> keyring.lookup("bob"))
                .isInstanceOf(KeyringException.class).hasMessageContaining("did not answer within 2 s");
    }

    @Test
    void exitOneWithAMessageIsAFailureNotAMissingEntry(@TempDir Path dir) throws Exception {
        Keyring broken = fakeTool(dir, "echo 'Cannot autolaunch D-Bus without X11 $DISPLAY' >&2; exit 1",
                java.time.Duration.ofSeconds(10));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> broken.lookup("bob"))
                .isInstanceOf(KeyringException.class).hasMessageContaining("Cannot autolaunch D-Bus");
        Keyring empty = fakeTool(dir, "exit 1", java.time.Duration.ofSeconds(10));
        assertThat(empty.lookup("bob")).as("exit 1 and nothing said: no such entry").isEmpty();
    }

    @Test
    void aMissingToolSaysWhatToInstall() {
        Keyring keyring = new Keyring(KeyringBackend.SECRET_SERVICE, Map.of("PATH", "/nonexistent"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> keyring.lookup("bob"))
                .isInstanceOf(KeyringException.class).hasMessageContaining("secret-tool")
                .hasMessageContaining("apt install libsecret-tools");
    }

    @Test
    void theMacOsKeychainGetsThePasswordOnStandardInputOnly() {
        KeyringBackend.Command store = KeyringBackend.MACOS_KEYCHAIN.store("CORP\\alice", "p\"w\\x".toCharArray());
        assertThat(store.argv()).containsExactly("security", "-i");
        assertThat(store.stdin()).isEqualTo("add-generic-password -U -s gangway -a \"CORP\\\\alice\" -w \"p\\\"w\\\\x\"\n");
        assertThat(KeyringBackend.MACOS_KEYCHAIN.lookup("bob").argv())
                .containsExactly("security", "find-generic-password", "-s", "gangway", "-a", "bob", "-w");
        assertThat(KeyringBackend.MACOS_KEYCHAIN.delete("bob").argv())
                .containsExactly("security", "delete-generic-password", "-s", "gangway", "-a", "bob");
    }

    @Test
    void theWindowsVaultGetsTheUserInAVariableAndThePasswordOnStandardInput() {
        KeyringBackend.Command store = KeyringBackend.WINDOWS_CREDENTIALS.store("CORP\\alice", "s3cret".toCharArray());
        assertThat(store.argv()).startsWith("powershell.exe", "-NoProfile", "-NonInteractive", "-Command");
        assertThat(String.join(" ", store.argv())).contains("PasswordVault").contains("[Console]::In.ReadLine()")
                .doesNotContain("s3cret").doesNotContain("alice");
        assertThat(store.stdin()).isEqualTo("s3cret\n");
        assertThat(store.env()).containsEntry("GANGWAY_KEYRING_USER", "CORP\\alice");
        assertThat(String.join(" ", KeyringBackend.WINDOWS_CREDENTIALS.lookup("bob").argv()))
                .contains("RetrievePassword()").contains("exit 44");
        assertThat(KeyringBackend.forOs("Windows 11")).isEqualTo(KeyringBackend.WINDOWS_CREDENTIALS);
        assertThat(KeyringBackend.forOs("Mac OS X")).isEqualTo(KeyringBackend.MACOS_KEYCHAIN);
        assertThat(KeyringBackend.forOs("Linux")).isEqualTo(KeyringBackend.SECRET_SERVICE);
    }

    @Test
    void noBackendPutsThePasswordInItsArguments() {
        for (KeyringBackend backend : KeyringBackend.values()) {
            assertThat(String.join(" ", backend.store("bob", "Pa55-word".toCharArray()).argv())).as(backend.name())
                    .doesNotContain("Pa55-word");
        }
    }
}
