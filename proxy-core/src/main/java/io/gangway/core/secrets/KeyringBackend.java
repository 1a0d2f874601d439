package io.gangway.core.secrets;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The OS keyrings, each driven by its own command-line tool, with the password always on
 * standard input or output, never in the arguments (where {@code ps} would show it). An entry
 * is the service {@code gangway} and the account (the user as configured, {@code CORP\alice}).
 */
public enum KeyringBackend {
    /** The freedesktop Secret Service (GNOME Keyring, KWallet), by libsecret's {@code secret-tool}. */
    SECRET_SERVICE("the Secret Service (secret-tool)"),
    /** The login keychain, by {@code security}; stores go through its interactive mode on stdin. */
    MACOS_KEYCHAIN("the macOS Keychain (security)"),
    /** The Credential Manager's vault, by Windows PowerShell and WinRT's PasswordVault. */
    WINDOWS_CREDENTIALS("the Windows Credential Manager (PowerShell PasswordVault)");

    static final String SERVICE = "gangway";
    /** The exit code each backend's lookup and delete use for "no such entry" (security's own). */
    static final int NOT_FOUND = 44;
    private static final String VAULT = "$ErrorActionPreference='Stop'; "
            + "[void][Windows.Security.Credentials.PasswordVault,Windows.Security.Credentials,ContentType=WindowsRuntime]; "
            + "$v = New-Object Windows.Security.Credentials.PasswordVault; ";
    private static final String FIND = "try { $c = $v.Retrieve('gangway', $env:GANGWAY_KEYRING_USER) } catch { exit 44 }; ";

    /** A command to run: its arguments, what goes to its standard input, and variables to add. */
    public record Command(List<String> argv, String stdin, Map<String, String> env) {
        /** Without {@code stdin}: it may hold the password. */
        @Override
        public String toString() {
            return "Command" + argv + (stdin == null ? "" : " (with standard input)") + " " + env.keySet();
        }
    }

    private final String description;

    KeyringBackend(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    public static KeyringBackend forOs(String osName) {
        String os = osName.toLowerCase(Locale.ROOT);
        return os.startsWith("windows") ? WINDOWS_CREDENTIALS : os.startsWith("mac") ? MACOS_KEYCHAIN : SECRET_SERVICE;
    }

    /** Prints the password (nothing else) and exits 0; exits non-zero when there is none. */
    Command lookup(String user) {
        return switch (this) {
            case SECRET_SERVICE -> command(List.of("secret-tool", "lookup", "service", SERVICE, "user", user), null);
            case MACOS_KEYCHAIN -> command(List.of("security", "find-generic-password", "-s", SERVICE, "-a", user, "-w"), null);
            case WINDOWS_CREDENTIALS -> powershell(VAULT + FIND + "$c.RetrievePassword(); [Console]::Out.Write($c.Password)",
                    null, user);
        };
    }

    /** Stores (or replaces) the password, read from standard input. */
    Command store(String user, char[] password) {
        String secret = new String(password);
        return switch (this) {
            case SECRET_SERVICE -> command(List.of("secret-tool", "store", "--label=Gangway: " + user, "service", SERVICE,
                    "user", user), secret);
            case MACOS_KEYCHAIN -> command(List.of("security", "-i"), "add-generic-password -U -s " + SERVICE + " -a "
                    + quoted(user) + " -w " + quoted(secret) + "\n");
            case WINDOWS_CREDENTIALS -> powershell(VAULT + "$p = [Console]::In.ReadLine(); "
                    + "try { $v.Remove($v.Retrieve('gangway', $env:GANGWAY_KEYRING_USER)) } catch { }; "
                    + "$v.Add((New-Object Windows.Security.Credentials.PasswordCredential('gangway', $env:GANGWAY_KEYRING_USER, $p)))",
                    secret + "\n", user);
        };
    }

    /** Deletes the entry; exits {@link #NOT_FOUND} (or 1, secret-tool) when there was none. */
    Command delete(String user) {
        return switch (this) {
            case SECRET_SERVICE -> command(List.of("secret-tool", "clear", "service", SERVICE, "user", user), null);
            case MACOS_KEYCHAIN -> command(List.of("security", "delete-generic-password", "-s", SERVICE, "-a", user), null);
            case WINDOWS_CREDENTIALS -> powershell(VAULT + FIND + "$v.Remove($c)", null, user);
        };
    }

    private static Command command(List<String> argv, String stdin) {
        return new Command(argv, stdin, Map.of()); // the user is an attribute on the command line: not a secret
    }

    /** The user goes in a variable, so that no quoting of it inside the script is needed. */
    private static Command powershell(String script, String stdin, String user) {
        return new Command(List.of("powershell.exe", "-NoProfile", "-NonInteractive", "-Command", script), stdin,
                Map.of("GANGWAY_KEYRING_USER", user));
    }

    /** A word for security's interactive mode: in double quotes, with {@code "} and {@code \} escaped. */
    static String quoted(String word) {
        return "\"" + word.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
