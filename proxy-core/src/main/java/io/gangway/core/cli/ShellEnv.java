package io.gangway.core.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Proxy variables as lines a shell can eval, or lines that unset them. */
enum ShellEnv {
    SH, FISH, POWERSHELL, CMD;

    static ShellEnv named(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown shell '" + text + "'; expected sh, fish, powershell or cmd");
        }
    }

    /**
     * Both cases where the OS may tell them apart (curl reads only lower-case http_proxy, Go
     * both); PowerShell runs on Linux and macOS too, and on Windows the second line sets the
     * same variable again. cmd runs on Windows only, where variables have one case.
     */
    private boolean bothCases() {
        return this != CMD;
    }

    List<String> set(Map<String, String> variables) {
        List<String> lines = new ArrayList<>();
        variables.forEach((name, value) -> {
            for (String n : names(name)) {
                lines.add(switch (this) {
                    case SH -> "export " + n + "=" + quoteSh(value);
                    case FISH -> "set -gx " + n + " " + quoteSh(value);
                    case POWERSHELL -> "$env:" + n + " = '" + value.replace("'", "''") + "'";
                    case CMD -> "set \"" + n + "=" + value + "\"";
                });
            }
        });
        return lines;
    }

    List<String> unset(Iterable<String> variables) {
        List<String> lines = new ArrayList<>();
        for (String name : variables) {
            for (String n : names(name)) {
                lines.add(switch (this) {
                    case SH -> "unset " + n;
                    case FISH -> "set -e " + n;
                    case POWERSHELL -> "Remove-Item Env:" + n + " -ErrorAction SilentlyContinue";
                    case CMD -> "set " + n + "=";
                });
            }
        }
        return lines;
    }

    private List<String> names(String upper) {
        return bothCases() ? List.of(upper, upper.toLowerCase(Locale.ROOT)) : List.of(upper);
    }

    private static String quoteSh(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }
}
