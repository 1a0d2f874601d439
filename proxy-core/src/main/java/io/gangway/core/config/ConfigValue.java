package io.gangway.core.config;

import java.util.List;

/**
 * A raw setting and where it came from ("--listen", "GANGWAY_LISTEN", "gangway.yaml line 3"),
 * so that an error can say which one to fix. Lists hold strings; scalars a string.
 */
public record ConfigValue(Object raw, String origin) {

    @SuppressWarnings("unchecked")
    public List<String> asList() {
        return raw instanceof List<?> l ? (List<String>) l : List.of(String.valueOf(raw));
    }

    public String asString() {
        if (raw instanceof List<?> l) {
            return l.isEmpty() ? "" : String.valueOf(l.get(l.size() - 1));
        }
        return String.valueOf(raw);
    }
}
