package io.gangway.core.admin;

import java.util.List;

/** Whether the proxy can serve, and if not, why (one line per problem). */
public record Readiness(boolean ready, List<String> problems) {
}
