package io.gangway.core.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.core.config.GangwayConfig;
import io.gangway.core.config.Limits;
import io.gangway.core.config.OverloadLimit;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The counts behind the overload limits: taken while there is room, given back when the channel closes. */
class ConnectionBudgetTest {

    private final ConnectionBudget budget = new ConnectionBudget();

    private static Limits limits(int connections, int tunnels) {
        Limits d = GangwayConfig.defaults().limits();
        return new Limits(d.requestLine(), d.headerSize(), d.headers(), d.replayBuffer(), d.poolMaxIdle(),
                connections, d.clientConnectionsPerAddress(), d.pendingRequests(), tunnels);
    }

    private static List<EmbeddedChannel> channels(int n) {
        List<EmbeddedChannel> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new EmbeddedChannel());
        }
        return out;
    }

    @Test
    void aConnectionIsCountedUntilItClosesAndOneBeyondTheLimitIsNotCountedAtAll() {
        List<EmbeddedChannel> open = channels(2);
        open.forEach(ch -> assertThat(budget.admit(ch, limits(2, 1))).isEmpty());
        EmbeddedChannel over = new EmbeddedChannel();
        assertThat(budget.admit(over, limits(2, 1))).contains(OverloadLimit.CLIENT_CONNECTIONS);
        over.close();
        assertThat(budget.openConnections()).isEqualTo(2);
        open.get(0).close();
        assertThat(budget.openConnections()).isEqualTo(1);
        assertThat(budget.admit(new EmbeddedChannel(), limits(2, 1))).as("room again").isEmpty();
    }

    @Test
    void tunnelsHaveTheirOwnCount() {
        EmbeddedChannel first = new EmbeddedChannel();
        assertThat(budget.openTunnel(first, 1)).isTrue();
        assertThat(budget.openTunnel(new EmbeddedChannel(), 1)).isFalse();
        first.close();
        assertThat(budget.openTunnels()).isZero();
        assertThat(budget.openTunnel(new EmbeddedChannel(), 1)).isTrue();
    }

    @Test
    void onlySoManyRefusedConnectionsMayWaitToBeToldWhy() {
        List<EmbeddedChannel> waiting = channels(ConnectionBudget.ANSWERING);
        waiting.forEach(ch -> assertThat(budget.mayAnswer(ch)).isTrue());
        assertThat(budget.mayAnswer(new EmbeddedChannel())).as("closed unanswered").isFalse();
        waiting.get(0).close();
        assertThat(budget.mayAnswer(new EmbeddedChannel())).isTrue();
    }
}
