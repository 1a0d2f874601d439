package io.gangway.pac;

/**
 * Text that comes from a PAC script (what it throws, alerts or returns) made safe for one log
 * line: control characters escaped, so a script cannot forge log lines, and the length capped.
 */
final class LogSafe {

    static final int MAX = 300;

    private LogSafe() {
    }

    static String oneLine(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX) + 8);
        for (int i = 0; i < text.length() && out.length() < MAX; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.length() >= MAX && text.length() > MAX ? out.append('…').toString() : out.toString();
    }
}
