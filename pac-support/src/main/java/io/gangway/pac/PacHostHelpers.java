package io.gangway.pac;

/**
 * The Java side of the helpers that look only at names: {@code isPlainHostName} (native in
 * Chrome, whose rule this follows) and {@code shExpMatch}. The others of that family, whose
 * browsers' behaviour on odd arguments is plain JavaScript's, are in {@link PacPrelude}.
 */
final class PacHostHelpers {

    private PacHostHelpers() {
    }

    /**
     * {@code shExpMatch(text, pattern)} as browsers run it: {@code .} is literal, {@code *} any
     * run, {@code ?} one character, and the rest is a regular expression ({@code (a|b)} works),
     * matched against the whole text. An invalid pattern is a script error, as a browser's
     * SyntaxError. The match reads the text through {@link Deadline}, so a pattern that
     * backtracks without end stops at the call's budget.
     */
    static boolean shExpMatch(String text, String pattern) {
        if (!hasRegexSyntax(pattern)) {
            // the common case (*.corp.com, */ari/*): a linear wildcard match, no regex to backtrack
            return io.gangway.routing.Glob.matches(text, pattern);
        }
        String regex = pattern.replace(".", "\\.").replace("*", ".*").replace("?", ".");
        java.util.regex.Pattern compiled;
        try {
            compiled = java.util.regex.Pattern.compile(regex, java.util.regex.Pattern.DOTALL);
        } catch (java.util.regex.PatternSyntaxException e) {
            throw org.mozilla.javascript.ScriptRuntime.constructError("SyntaxError",
                    "shExpMatch: invalid pattern " + LogSafe.oneLine(pattern));
        }
        return compiled.matcher(new Deadline(text, PacSandbox.current())).matches();
    }

    /** Whether a pattern uses more than {@code *}, {@code ?} and literal text: a browser would run it as a RegExp. */
    private static boolean hasRegexSyntax(String pattern) {
        for (int i = 0; i < pattern.length(); i++) {
            if ("\\^$+()[]{}|".indexOf(pattern.charAt(i)) >= 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * The text of a match, which checks the call's budget every few thousand reads: a pattern
     * that backtracks reads the same few characters over and over, so the count (not the index
     * read) is what tells that time goes by.
     */
    private static final class Deadline implements CharSequence {
        private final CharSequence text;
        private final PacSandbox.Budget budget;
        private final int[] reads;

        Deadline(CharSequence text, PacSandbox.Budget budget) {
            this(text, budget, new int[1]);
        }

        private Deadline(CharSequence text, PacSandbox.Budget budget, int[] reads) {
            this.text = text;
            this.budget = budget;
            this.reads = reads;
        }

        @Override
        public char charAt(int index) {
            if (budget != null && (++reads[0] & 0xfff) == 0) {
                budget.checkTime();
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Deadline(text.subSequence(start, end), budget, reads);
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }

    /**
     * Chrome's rule: a name with a dot is not plain; one without is plain unless it is an IP
     * literal ({@code ::1}, or a 32-bit number such as {@code 2130706433}). So {@code foo:112} and
     * {@code [::1]} (brackets are not part of an address) are plain, {@code ::1} is not.
     */
    static boolean isPlainHostName(String host) {
        if (host.indexOf('.') >= 0) {
            return false;
        }
        if (host.indexOf(':') >= 0) {
            return PacAddresses.parse(host) == null;
        }
        return !isIpv4Number(host);
    }

    /** A dotless IPv4 address as URL parsers read one: decimal, 0x-hex or 0-octal, at most 2^32 - 1. */
    private static boolean isIpv4Number(String s) {
        if (s.isEmpty()) {
            return false;
        }
        int radix = 10;
        String digits = s;
        if (s.length() > 1 && (s.startsWith("0x") || s.startsWith("0X"))) {
            radix = 16;
            digits = s.substring(2);
        } else if (s.length() > 1 && s.startsWith("0")) {
            radix = 8;
            digits = s.substring(1);
        }
        if (digits.isEmpty()) {
            return radix == 16; // "0x" is 0
        }
        try {
            return Long.parseLong(digits, radix) <= 0xFFFF_FFFFL && digits.chars().allMatch(c -> Character.digit(c, 16) >= 0);
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
