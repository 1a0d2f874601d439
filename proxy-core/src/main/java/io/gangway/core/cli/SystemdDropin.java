package io.gangway.core.cli;

import java.util.Map;

/**
 * The engine's systemd drop-in {@code http-proxy.conf}, which engines older than 23 take their
 * proxy variables from. Its first line marks it as Gangway's, so that {@code --unset} removes
 * only a drop-in that Gangway wrote.
 */
final class SystemdDropin {

    static final String DEFAULT = "/etc/systemd/system/docker.service.d/http-proxy.conf";
    static final String MARK = "# Written by 'gangway env --systemd-dropin --write'; 'gangway env --systemd-dropin --write --unset' removes it.";

    private SystemdDropin() {
    }

    static String text(Map<String, String> variables) {
        StringBuilder text = new StringBuilder(MARK).append("\n[Service]\nEnvironment=");
        variables.forEach((name, value) -> text.append('"').append(name).append('=')
                .append(value.replace("%", "%%")) // systemd specifiers start with %
                .append("\" "));
        text.setLength(text.length() - 1);
        return text.append('\n').toString();
    }

    static boolean writtenByGangway(String text) {
        return text.startsWith(MARK);
    }
}
