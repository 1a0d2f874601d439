package io.gangway.core.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.core.upstream.FirstLoginGate.Phase;
import io.gangway.routing.Route;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.Future;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The states of the first-login gate, on embedded channels whose loops and clocks the test drives. */
class FirstLoginGateTest {

    private static final Route UPSTREAM = Route.http("proxy.test", 3128);
    private final FirstLoginGate gate = new FirstLoginGate(Duration.ofSeconds(30), key -> { });
    private final CredentialGuard.Key alice = new CredentialGuard.Key(UPSTREAM, "CORP\\alice", "fingerprint-1");
    private final CredentialGuard.Key bob = new CredentialGuard.Key(UPSTREAM, "CORP\\bob", "fingerprint-2");

    private static UpstreamConnection connection() {
        return new UpstreamConnection(new EmbeddedChannel(), new PoolKey(UPSTREAM, null, "CORP\\alice"));
    }

    private static void runTasks(UpstreamConnection... conns) {
        for (UpstreamConnection c : conns) {
            ((EmbeddedChannel) c.channel()).runPendingTasks();
        }
    }

    @Test
    void theFirstConnectionHoldsTheGateAndTheOthersWaitForItsVerdict() {
        UpstreamConnection first = connection();
        UpstreamConnection second = connection();
        UpstreamConnection third = connection();

        assertThat(gate.enter(alice, first).isSuccess()).isTrue();
        assertThat(gate.phase(alice)).isEqualTo(Phase.PROVING);
        Future<Void> secondTurn = gate.enter(alice, second);
        Future<Void> thirdTurn = gate.enter(alice, third);
        assertThat(secondTurn.isDone()).isFalse();
        assertThat(thirdTurn.isDone()).isFalse();
        assertThat(gate.enter(alice, first).isSuccess()).as("the holder's next round (NTLM's Type 3)").isTrue();
        assertThat(gate.enter(bob, second).isSuccess()).as("another account does not wait").isTrue();

        gate.accepted(alice);
        assertThat(secondTurn.isSuccess()).isTrue();
        assertThat(thirdTurn.isSuccess()).isTrue();
        assertThat(gate.proven(alice)).isTrue();
        assertThat(gate.enter(alice, connection()).isSuccess()).isTrue();
    }

    @Test
    void afterARejectionTheWaitersGoOneAtATime() {
        UpstreamConnection first = connection();
        UpstreamConnection second = connection();
        UpstreamConnection third = connection();
        gate.enter(alice, first);
        Future<Void> secondTurn = gate.enter(alice, second);
        Future<Void> thirdTurn = gate.enter(alice, third);

        gate.rejected(alice);
        assertThat(secondTurn.isSuccess()).isTrue();
        assertThat(thirdTurn.isDone()).as("the second holds the gate now").isFalse();
        gate.left(alice, first);
        assertThat(thirdTurn.isDone()).as("the rejected holder leaving changes nothing").isFalse();

        gate.left(alice, second); // it found the credentials blocked and sent nothing
        assertThat(thirdTurn.isSuccess()).isTrue();
        assertThat(gate.phase(alice)).isEqualTo(Phase.PROVING);
        gate.left(alice, third);
        assertThat(gate.phase(alice)).isEqualTo(Phase.UNPROVEN);
    }

    @Test
    void aRejectionOfProvenCredentialsMakesThemUnprovenAgain() {
        gate.accepted(alice);
        gate.rejected(alice);
        UpstreamConnection next = connection();
        assertThat(gate.enter(alice, next).isSuccess()).isTrue();
        assertThat(gate.enter(alice, connection()).isDone()).isFalse();
    }

    @Test
    void theHoldEndsWhenTheHoldersConnectionCloses() {
        UpstreamConnection first = connection();
        UpstreamConnection second = connection();
        gate.enter(alice, first);
        Future<Void> secondTurn = gate.enter(alice, second);

        first.channel().close();
        runTasks(first);
        assertThat(secondTurn.isSuccess()).isTrue();
        assertThat(gate.phase(alice)).isEqualTo(Phase.PROVING);
    }

    @Test
    void aWaiterWhoseConnectionClosedIsLetGoWithoutHoldingTheGate() {
        UpstreamConnection first = connection();
        UpstreamConnection closed = connection();
        UpstreamConnection third = connection();
        gate.enter(alice, first);
        Future<Void> closedTurn = gate.enter(alice, closed);
        Future<Void> thirdTurn = gate.enter(alice, third);
        closed.channel().close();
        runTasks(closed);

        gate.left(alice, first);
        assertThat(closedTurn.isSuccess()).as("let go, to reconnect").isTrue();
        assertThat(thirdTurn.isSuccess()).as("the next open connection holds the gate").isTrue();
    }

    @Test
    void aHolderThatIsNeitherAnsweredNorClosedLosesTheGateAfterTheLease() {
        UpstreamConnection first = connection();
        UpstreamConnection second = connection();
        gate.enter(alice, first);
        Future<Void> secondTurn = gate.enter(alice, second);

        EmbeddedChannel firstChannel = (EmbeddedChannel) first.channel();
        firstChannel.advanceTimeBy(29, TimeUnit.SECONDS);
        firstChannel.runScheduledPendingTasks();
        assertThat(secondTurn.isDone()).isFalse();
        firstChannel.advanceTimeBy(2, TimeUnit.SECONDS);
        firstChannel.runScheduledPendingTasks();
        assertThat(secondTurn.isSuccess()).isTrue();
    }

    @Test
    void aChangedPasswordWaitsForTheFirstLoginOfTheSameAccountAndOneVerdictSettlesBoth() {
        CredentialGuard.Key aliceFixed = new CredentialGuard.Key(UPSTREAM, "CORP\\alice", "fingerprint-of-the-fixed-one");
        UpstreamConnection first = connection();
        gate.enter(alice, first);
        Future<Void> fixedTurn = gate.enter(aliceFixed, connection());
        assertThat(fixedTurn.isDone()).as("no second first login while one is in flight").isFalse();

        gate.accepted(aliceFixed); // the holder had picked up the fixed password
        assertThat(fixedTurn.isSuccess()).isTrue();
        assertThat(gate.proven(aliceFixed)).isTrue();
        assertThat(gate.proven(alice)).as("only the secret that was accepted").isFalse();
    }

    @Test
    void aPasswordChangedAfterTheFirstLoginIsUnprovenAgain() {
        gate.accepted(alice);
        CredentialGuard.Key aliceTypo = new CredentialGuard.Key(UPSTREAM, "CORP\\alice", "fingerprint-of-a-typo");
        assertThat(gate.proven(aliceTypo)).isFalse();
        assertThat(gate.enter(aliceTypo, connection()).isSuccess()).as("it takes the gate").isTrue();
        assertThat(gate.enter(aliceTypo, connection()).isDone()).as("and the next waits").isFalse();
        assertThat(gate.enter(alice, connection()).isDone()).as("the old one waits too: one login at a time").isFalse();
    }

    @Test
    void eachRoundOfTheHoldersHandshakeRenewsItsLease() {
        UpstreamConnection first = connection();
        Future<Void> secondTurn;
        EmbeddedChannel firstChannel = (EmbeddedChannel) first.channel();
        gate.enter(alice, first); // NTLM's Type 1
        secondTurn = gate.enter(alice, connection());
        firstChannel.advanceTimeBy(20, TimeUnit.SECONDS);
        gate.enter(alice, first); // its Type 3, 20 s later
        firstChannel.advanceTimeBy(20, TimeUnit.SECONDS);
        firstChannel.runScheduledPendingTasks();
        assertThat(secondTurn.isDone()).as("40 s after the hold began, 20 s after its last round").isFalse();
        firstChannel.advanceTimeBy(11, TimeUnit.SECONDS);
        firstChannel.runScheduledPendingTasks();
        assertThat(secondTurn.isSuccess()).isTrue();
    }

    @Test
    void anEndedHoldsLeaseDoesNotEndALaterHoldOfTheSameConnection() {
        UpstreamConnection first = connection();
        UpstreamConnection second = connection();
        EmbeddedChannel firstChannel = (EmbeddedChannel) first.channel();
        gate.enter(alice, first);
        gate.left(alice, first);
        firstChannel.advanceTimeBy(20, TimeUnit.SECONDS);
        gate.enter(alice, first);
        Future<Void> secondTurn = gate.enter(alice, second);

        firstChannel.advanceTimeBy(15, TimeUnit.SECONDS); // the first hold's lease would have ended now
        firstChannel.runScheduledPendingTasks();
        assertThat(secondTurn.isDone()).isFalse();
    }
}
