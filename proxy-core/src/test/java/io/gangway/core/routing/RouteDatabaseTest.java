package io.gangway.core.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.routing.ManualRouteSource;
import io.gangway.routing.NoProxyRules;
import io.gangway.routing.Route;
import io.gangway.routing.Target;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RouteDatabaseTest {

    private final AtomicLong now = new AtomicLong();
    private final RouteDatabase db = new RouteDatabase(Duration.ofSeconds(30), now::get);
    private final Route a = Route.http("a", 1);
    private final Route b = Route.http("b", 2);
    private final Router router = new Router(new RouteSources.Routing(new ManualRouteSource(List.of(a, b), NoProxyRules.none(), true), List.of()), db);
    private final Target target = new Target("http", "example.com", 80);

    @Test
    void aFailedRouteIsTriedLastUntilTheDelayPasses() {
        assertThat(router.planNow(target).routes()).containsExactly(a, b, Route.DIRECT);
        db.failed(a);
        assertThat(router.planNow(target).routes()).containsExactly(b, Route.DIRECT, a);
        now.addAndGet(Duration.ofSeconds(29).toNanos());
        assertThat(db.shouldPostpone(a)).isTrue();
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(router.planNow(target).routes()).containsExactly(a, b, Route.DIRECT);
    }

    @Test
    void aSuccessfulConnectClearsTheRecord() {
        db.failed(a);
        db.failed(b);
        assertThat(router.planNow(target).routes()).containsExactly(Route.DIRECT, a, b);
        db.connected(a);
        assertThat(router.planNow(target).routes()).containsExactly(a, Route.DIRECT, b);
    }
}
