package io.gangway.core.upstream;

import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * One first login per account and upstream. Until an upstream has accepted an account's
 * credentials once, one connection at a time may send them (the holder); the others wait for
 * its verdict. Twenty requests that start together with a wrong password then cost one failed
 * login at the domain controller, not twenty: after the rejection the next waiter goes on, finds
 * the credentials blocked by {@link CredentialGuard} and sends nothing. Once the credentials are
 * proven every connection uses them at once; a later rejection makes them unproven again.
 *
 * <p>A hold ends with the verdict, when the holder's connection closes, or, as a safety net for
 * a holder that is neither answered nor closed, after {@code lease} (renewed at each round of
 * its handshake; the flow's own response timeout closes the connection before that).
 * The gate is per Gangway process; {@link CredentialGuard#fleetTurn} extends it to the other
 * Gangways of a shared lockout-state file, and is told when a hold ends ({@code holdEnded}).
 */
final class FirstLoginGate {

    /** Where an account stands at an upstream. */
    enum Phase {
        /** Never accepted (or rejected since): the next connection to send the credentials holds the gate. */
        UNPROVEN,
        /** One connection's handshake is in flight; others wait. */
        PROVING,
        /** Accepted once: no waiting. */
        PROVEN
    }

    /** One connection's turn to send the credentials. */
    private static final class Hold {
        final UpstreamConnection conn;
        volatile ScheduledFuture<?> lease;
        volatile GenericFutureListener<Future<Void>> closed;

        Hold(UpstreamConnection conn) {
            this.conn = conn;
        }
    }

    private record Waiter(UpstreamConnection conn, Promise<Void> turn) {
    }

    private static final class Slot {
        /** Written under the lock; read without it by {@link #proven}, the fast path of every request. */
        volatile Phase phase = Phase.UNPROVEN;
        /** The secret (its fingerprint) that was accepted: a changed one is unproven again. */
        volatile String provenSecret;
        Hold hold;
        final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    }

    /**
     * What a transition decided under the slot's lock, carried out after it is released: a new
     * hold to watch, or the holder's lease to renew (its next round), and turns to give.
     */
    private record Outcome(Hold newHold, Hold renewed, List<Promise<Void>> turns) {
        static final Outcome NOTHING = new Outcome(null, null, List.of());

        static Outcome turns(Hold newHold, List<Promise<Void>> turns) {
            return new Outcome(newHold, null, turns);
        }
    }

    private final Map<CredentialGuard.Key, Slot> slots = new ConcurrentHashMap<>();
    private final Duration lease;
    private final Consumer<CredentialGuard.Key> holdEnded;

    FirstLoginGate(Duration lease, Consumer<CredentialGuard.Key> holdEnded) {
        this.lease = lease;
        this.holdEnded = holdEnded;
    }

    /**
     * The gate is per account at an upstream, whatever its secret: a password changed while a
     * first login is in flight waits for that login's verdict instead of racing it. Only the
     * secret that was accepted is proven: a changed one takes the gate again.
     */
    private static CredentialGuard.Key account(CredentialGuard.Key key) {
        return new CredentialGuard.Key(key.route(), key.identity(), "");
    }

    /** True when the credentials were accepted and not rejected since: nobody waits for them. */
    boolean proven(CredentialGuard.Key key) {
        Slot slot = slots.get(account(key));
        return slot != null && slot.phase == Phase.PROVEN && key.secretFingerprint().equals(slot.provenSecret);
    }

    Phase phase(CredentialGuard.Key key) {
        Slot slot = slots.get(account(key));
        return slot == null ? Phase.UNPROVEN : slot.phase;
    }

    /**
     * Completes on {@code conn}'s loop when {@code conn} may send the credentials of {@code key}:
     * at once when they are proven or nobody holds the gate (then {@code conn} holds it), else
     * when the holder's verdict or departure gives {@code conn} its turn.
     */
    Future<Void> enter(CredentialGuard.Key key, UpstreamConnection conn) {
        Slot slot = slots.computeIfAbsent(account(key), k -> new Slot());
        Promise<Void> turn = conn.channel().eventLoop().newPromise();
        Outcome outcome;
        synchronized (slot) {
            switch (slot.phase) {
                case PROVEN -> outcome = key.secretFingerprint().equals(slot.provenSecret)
                        ? Outcome.turns(null, List.of(turn))
                        : Outcome.turns(holdBy(slot, conn), List.of(turn)); // a changed secret: unproven
                case UNPROVEN -> outcome = Outcome.turns(holdBy(slot, conn), List.of(turn));
                default -> {
                    if (slot.hold.conn == conn) {
                        outcome = new Outcome(null, slot.hold, List.of(turn)); // the holder's next round: a new lease
                    } else {
                        slot.waiters.add(new Waiter(conn, turn));
                        outcome = Outcome.NOTHING;
                    }
                }
            }
        }
        carryOut(key, slot, outcome);
        return turn;
    }

    /**
     * Runs {@code work} (which makes a token for {@code conn}) once {@code conn} may send the
     * credentials of {@code key}; work that sends no token, or fails, lets the next one go.
     */
    Future<String> around(CredentialGuard.Key key, UpstreamConnection conn, Supplier<Future<String>> work) {
        Promise<String> result = conn.channel().eventLoop().newPromise();
        enter(key, conn).addListener(turn -> {
            Future<String> token;
            try {
                token = work.get();
            } catch (RuntimeException e) {
                left(key, conn);
                result.tryFailure(e);
                return;
            }
            token.addListener(done -> {
                if (!done.isSuccess() || done.getNow() == null) {
                    left(key, conn);
                }
                if (done.isSuccess()) {
                    result.trySuccess((String) done.getNow());
                } else {
                    result.tryFailure(done.cause());
                }
            });
        });
        return result;
    }

    /** {@code conn} is done with the credentials without a verdict (it sent none, or failed): the next waiter goes. */
    void left(CredentialGuard.Key key, UpstreamConnection conn) {
        Slot slot = slots.get(account(key));
        if (slot != null) {
            end(key, slot, hold -> hold.conn == conn);
        }
    }

    /** The upstream accepted the credentials: everyone waiting goes at once. */
    void accepted(CredentialGuard.Key key) {
        Slot slot = slots.computeIfAbsent(account(key), k -> new Slot());
        List<Promise<Void>> turns = new ArrayList<>();
        Hold ended;
        synchronized (slot) {
            ended = slot.hold;
            slot.phase = Phase.PROVEN;
            slot.provenSecret = key.secretFingerprint();
            slot.hold = null;
            slot.waiters.forEach(w -> turns.add(w.turn));
            slot.waiters.clear();
        }
        cancelLease(ended);
        carryOut(key, slot, Outcome.turns(null, turns));
    }

    /** The upstream rejected the credentials: unproven again, and the next waiter takes its turn (one at a time). */
    void rejected(CredentialGuard.Key key) {
        handOn(key, slots.computeIfAbsent(account(key), k -> new Slot()), slot -> true);
    }

    private void end(CredentialGuard.Key key, Slot slot, Predicate<Hold> which) {
        handOn(key, slot, s -> s.phase == Phase.PROVING && which.test(s.hold));
    }

    /** When {@code when} holds under the lock: the hold ends, the key is unproven, the next waiter goes. */
    private void handOn(CredentialGuard.Key key, Slot slot, Predicate<Slot> when) {
        Hold ended;
        Outcome outcome;
        synchronized (slot) {
            if (!when.test(slot)) {
                return;
            }
            ended = slot.hold;
            slot.hold = null;
            slot.phase = Phase.UNPROVEN;
            outcome = passOn(slot);
        }
        cancelLease(ended);
        if (ended != null) {
            holdEnded.accept(key);
        }
        carryOut(key, slot, outcome);
    }

    /** Under the lock: the first waiter whose connection is still open holds the gate; closed ones just go (to reconnect). */
    private Outcome passOn(Slot slot) {
        List<Promise<Void>> turns = new ArrayList<>();
        Hold next = null;
        while (next == null && !slot.waiters.isEmpty()) {
            Waiter w = slot.waiters.poll();
            turns.add(w.turn);
            if (w.conn.isActive()) {
                next = holdBy(slot, w.conn);
            }
        }
        return Outcome.turns(next, turns);
    }

    private static Hold holdBy(Slot slot, UpstreamConnection conn) {
        slot.phase = Phase.PROVING;
        slot.hold = new Hold(conn);
        return slot.hold;
    }

    /** Outside the lock: listeners of a close or of a turn may come straight back into the gate. */
    private void carryOut(CredentialGuard.Key key, Slot slot, Outcome outcome) {
        Hold hold = outcome.newHold;
        if (hold != null) {
            // A hold, not a connection: the same connection may hold the gate again later.
            hold.closed = f -> end(key, slot, h -> h == hold);
            hold.conn.channel().closeFuture().addListener(hold.closed);
            lease(key, slot, hold);
        }
        if (outcome.renewed != null) {
            outcome.renewed.lease.cancel(false);
            lease(key, slot, outcome.renewed);
        }
        outcome.turns.forEach(t -> t.trySuccess(null));
    }

    private void lease(CredentialGuard.Key key, Slot slot, Hold hold) {
        hold.lease = hold.conn.channel().eventLoop().schedule(() -> end(key, slot, h -> h == hold),
                lease.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The hold ended: its lease and its close listener go (the connection may live on in the pool). */
    private static void cancelLease(Hold hold) {
        if (hold == null) {
            return;
        }
        if (hold.lease != null) {
            hold.lease.cancel(false);
        }
        if (hold.closed != null) {
            hold.conn.channel().closeFuture().removeListener(hold.closed);
        }
    }
}
