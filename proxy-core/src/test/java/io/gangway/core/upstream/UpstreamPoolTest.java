package io.gangway.core.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.routing.ProxyUrl;
import io.gangway.routing.Route;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import io.gangway.core.LeakWatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The idle pool of one event loop, on Netty's {@code EmbeddedChannel} and its clock. */
class UpstreamPoolTest {

    private static final Route ROUTE = ProxyUrl.parse("http://proxy.test:3128").route();
    private final EmbeddedChannel loopOwner = new EmbeddedChannel();
    private final UpstreamPool pool = new UpstreamPool(loopOwner.eventLoop(), 2, Duration.ofSeconds(30));
    private final List<ScriptedUpstream> made = new ArrayList<>();

    @AfterEach
    void finish() {
        made.forEach(ScriptedUpstream::finish);
        loopOwner.finishAndReleaseAll();
    }

    private UpstreamConnection connection(String identity) {
        ScriptedUpstream u = new ScriptedUpstream(ROUTE, identity);
        made.add(u);
        return u.connection();
    }

    @AfterAll
    static void noLeaks() {
        LeakWatch.assertNoLeaks();
    }

    @Test
    void theMostRecentlyReleasedConnectionOfTheSameKeyGoesOutFirst() {
        UpstreamConnection older = connection("alice");
        UpstreamConnection newer = connection("alice");
        pool.release(older);
        pool.release(newer);
        assertThat(pool.poll(newer.key())).isSameAs(newer);
        assertThat(pool.poll(older.key())).isSameAs(older);
        assertThat(pool.poll(older.key())).isNull();
    }

    @Test
    void connectionsOfAnotherAccountAreNeverHandedOut() {
        UpstreamConnection alices = connection("alice");
        pool.release(alices);
        assertThat(pool.poll(connection("bob").key())).isNull();
        assertThat(pool.poll(alices.key())).isSameAs(alices);
    }

    @Test
    void aFullPoolClosesWhatItCannotKeep() {
        UpstreamConnection a = connection("alice");
        UpstreamConnection b = connection("alice");
        UpstreamConnection c = connection("alice");
        pool.release(a);
        pool.release(b);
        pool.release(c);
        assertThat(c.isActive()).isFalse();
        assertThat(a.isActive()).isTrue();
    }

    @Test
    void anIdleConnectionIsClosedAfterTheIdleTimeout() {
        loopOwner.freezeTime();
        UpstreamConnection idle = connection("alice");
        pool.release(idle);
        loopOwner.advanceTimeBy(29, TimeUnit.SECONDS);
        loopOwner.runScheduledPendingTasks();
        assertThat(idle.isActive()).isTrue();
        loopOwner.advanceTimeBy(2, TimeUnit.SECONDS);
        loopOwner.runScheduledPendingTasks();
        assertThat(idle.isActive()).isFalse();
        assertThat(pool.poll(idle.key())).isNull();
    }

    @Test
    void eachIdleConnectionHasItsOwnIdleTimeout() {
        loopOwner.freezeTime();
        UpstreamConnection first = connection("alice");
        UpstreamConnection second = connection("bob");
        UpstreamConnection third = connection("alice");
        pool.release(first);
        loopOwner.advanceTimeBy(20, TimeUnit.SECONDS);
        pool.release(second);
        loopOwner.advanceTimeBy(5, TimeUnit.SECONDS);
        pool.release(third);
        loopOwner.advanceTimeBy(6, TimeUnit.SECONDS); // 31 s, 11 s and 6 s idle
        loopOwner.runScheduledPendingTasks();
        assertThat(List.of(first.isActive(), second.isActive(), third.isActive())).containsExactly(false, true, true);
        loopOwner.advanceTimeBy(20, TimeUnit.SECONDS); // 31 s and 26 s
        loopOwner.runScheduledPendingTasks();
        assertThat(List.of(second.isActive(), third.isActive())).containsExactly(false, true);
        assertThat(pool.poll(third.key())).isSameAs(third);
    }

    @Test
    void aConnectionTakenFromThePoolIsNoLongerTimed() {
        loopOwner.freezeTime();
        UpstreamConnection conn = connection("alice");
        pool.release(conn);
        assertThat(pool.poll(conn.key())).isSameAs(conn);
        conn.startExchange(null);
        loopOwner.advanceTimeBy(60, TimeUnit.SECONDS);
        loopOwner.runScheduledPendingTasks();
        assertThat(conn.isActive()).as("in use: the idle timer was cancelled").isTrue();
    }

    @Test
    void aClosedOrTalkativeIdleConnectionLeavesThePool() {
        ScriptedUpstream closing = new ScriptedUpstream(ROUTE, "alice", pool);
        ScriptedUpstream talkative = new ScriptedUpstream(ROUTE, "alice", pool);
        made.add(closing);
        made.add(talkative);
        pool.release(closing.connection());
        pool.release(talkative.connection());
        assertThat(pool.idle(closing.connection().key())).isEqualTo(2);
        closing.close();
        assertThat(pool.idle(closing.connection().key())).as("the closed one is forgotten").isEqualTo(1);
        talkative.reply("HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\n\r\n"); // an idle HTTP connection must not speak
        assertThat(talkative.isOpen()).isFalse();
        assertThat(pool.idle(closing.connection().key())).isZero();
    }
}
