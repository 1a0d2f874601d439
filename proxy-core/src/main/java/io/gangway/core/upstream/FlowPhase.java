package io.gangway.core.upstream;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/** Where an {@link UpstreamFlow} stands, and the steps it may take from there (its diagram). */
enum FlowPhase {
    /** Waiting for a pooled or new connection along the plan. */
    CONNECTING,
    /** The {@code Proxy-Authorization} for the next message is being made (maybe on the auth pool). */
    AUTHORIZING,
    /** The body-less probe is out; its response head is awaited. */
    PROBING,
    /** A 407 to the probe: its body is read, then the answer is made. */
    PROBE_CHALLENGED,
    /** The probe was answered: its body is read, then the request goes. */
    PROBE_ACCEPTED,
    /** The request is out (its body streams); its response head is awaited. */
    SENT,
    /** A 407 to the request: its body is read, then the answer is made. */
    CHALLENGED,
    /** The request's response head went to the exchange. */
    HANDED_OVER,
    FAILED;

    private static final Map<FlowPhase, Set<FlowPhase>> NEXT = new EnumMap<>(FlowPhase.class);

    static {
        NEXT.put(CONNECTING, EnumSet.of(AUTHORIZING, HANDED_OVER, FAILED));
        NEXT.put(AUTHORIZING, EnumSet.of(PROBING, SENT, CONNECTING, FAILED));
        NEXT.put(PROBING, EnumSet.of(PROBE_CHALLENGED, PROBE_ACCEPTED, CONNECTING, FAILED));
        NEXT.put(PROBE_CHALLENGED, EnumSet.of(AUTHORIZING, FAILED));
        NEXT.put(PROBE_ACCEPTED, EnumSet.of(AUTHORIZING, FAILED));
        NEXT.put(SENT, EnumSet.of(CHALLENGED, HANDED_OVER, CONNECTING, FAILED));
        NEXT.put(CHALLENGED, EnumSet.of(AUTHORIZING, FAILED));
        NEXT.put(HANDED_OVER, EnumSet.noneOf(FlowPhase.class));
        NEXT.put(FAILED, EnumSet.noneOf(FlowPhase.class));
    }

    /** Whether the flow may go from this phase to {@code next}. */
    boolean allows(FlowPhase next) {
        return NEXT.get(this).contains(next);
    }
}
