package io.gangway.core;

import io.gangway.harness.Origin;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * An origin that answers every request with 200 and a fixed body, started once per test class:
 * {@code @RegisterExtension static final OriginFixture origin = new OriginFixture("ok");}
 */
final class OriginFixture implements BeforeAllCallback, AfterAllCallback {

    private final String body;
    private Origin origin;

    OriginFixture(String body) {
        this.body = body;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        origin = Origin.answering(body);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        origin.close();
    }

    Origin get() {
        return origin;
    }

    String http(String path) {
        return origin.http(path);
    }

    String https(String path) {
        return origin.https(path);
    }
}
