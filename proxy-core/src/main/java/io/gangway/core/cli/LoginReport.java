package io.gangway.core.cli;

import io.gangway.routing.Route;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The lines {@code check --login} prints for one upstream: what it offers, and each configured scheme's fate. */
final class LoginReport {

    private LoginReport() {
    }

    /**
     * @param offered    the schemes the upstream's 407 offered (from a probe without credentials)
     * @param configured the schemes Gangway may use, in order of preference
     * @param account    who logs in ("CORP\alice")
     */
    static List<String> lines(Route route, List<String> offered, List<String> configured, String account,
                              LoginCheck.Outcome outcome) {
        List<String> lines = new ArrayList<>();
        lines.add("login:    " + route + " offers " + String.join(", ", offered) + "; " + (outcome.accepted()
                ? "accepted " + account + " (" + outcome.summary() + ")" : "did not accept " + account));
        String used = outcome.scheme().toLowerCase(Locale.ROOT);
        for (String scheme : configured) {
            String line;
            if (!offered.contains(scheme)) {
                line = "not offered";
            } else if (outcome.accepted() && scheme.equals(used)) {
                line = "accepted";
            } else if (outcome.notes().containsKey(scheme)) {
                line = outcome.notes().get(scheme);
            } else if (!outcome.accepted() && outcome.summary().contains("will not send them again")) {
                line = "not tried (the credentials are held back: see below)";
            } else {
                line = "not tried (one login per upstream)";
            }
            lines.add("          " + scheme + ": " + line);
        }
        if (!outcome.accepted()) {
            lines.add("          " + outcome.summary()); // the back-off it started or met, or why it failed
        }
        return lines;
    }
}
