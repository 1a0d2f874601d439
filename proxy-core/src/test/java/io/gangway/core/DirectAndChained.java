package io.gangway.core;

import io.gangway.core.config.ConfigKey;
import io.gangway.harness.Origin;
import io.gangway.harness.UpstreamProxy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * A fixture shared by test classes that run each case twice: through a Gangway going DIRECT,
 * and through one chained to an open upstream proxy; one origin serves both.
 */
abstract class DirectAndChained {

    static Origin origin;
    static UpstreamProxy upstream;
    static RunningGangway direct;
    static RunningGangway chained;

    @BeforeAll
    static void startFixture() throws Exception {
        origin = new Origin();
        upstream = UpstreamProxy.open();
        direct = RunningGangway.builder().start();
        chained = RunningGangway.builder().with(ConfigKey.UPSTREAM, upstream.url(null)).start();
    }

    @AfterAll
    static void stopFixture() {
        direct.close();
        chained.close();
        upstream.close();
        origin.close();
    }

    /** "direct" or "chained", as the parameterized tests name them. */
    static RunningGangway gangway(String route) {
        return route.equals("direct") ? direct : chained;
    }
}
