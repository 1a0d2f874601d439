package io.gangway.routing;

/** Shell-style wildcard matching, as PAC's {@code shExpMatch} and OS bypass lists use it. */
public final class Glob {

    private Glob() {
    }

    /**
     * Whether the whole of {@code text} matches {@code pattern}: {@code *} any run, {@code ?}
     * one character, everything else literal (so dots are dots, unlike a careless regex
     * translation). Matched by backtracking over the last star, without building a regex.
     */
    public static boolean matches(String text, String pattern) {
        int t = 0;
        int p = 0;
        int starP = -1;
        int starT = 0;
        while (t < text.length()) {
            if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == text.charAt(t))) {
                t++;
                p++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                starP = p++;
                starT = t;
            } else if (starP >= 0) {
                p = starP + 1;
                t = ++starT;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }
}
