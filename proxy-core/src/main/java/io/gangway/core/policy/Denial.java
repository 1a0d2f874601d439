package io.gangway.core.policy;

/**
 * Why the destination policy refused a destination: the rule, and words for the client's 403 and
 * the log line. Only what the client asked for and the addresses it led to appear, never a secret
 * (targets carry no userinfo and the path is never part of it).
 *
 * @param rule              the rule that refused it
 * @param subject           what was refused: {@code host:port}, with the resolved address when it was a name
 * @param reason            why, and how to allow it back when it can be
 * @param addressProhibited whether an address was refused (RFC 9209 {@code destination_ip_prohibited}),
 *                          rather than a name or a port ({@code http_request_denied})
 */
public record Denial(DenyRule rule, String subject, String reason, boolean addressProhibited) {

    static Denial of(DenyRule rule, String subject, String reason) {
        return new Denial(rule, subject, reason, rule.aboutAddresses());
    }

    public String message() {
        return subject + " is refused by the destination policy (rule " + rule.label() + "): " + reason;
    }

    @Override
    public String toString() {
        return message();
    }
}
