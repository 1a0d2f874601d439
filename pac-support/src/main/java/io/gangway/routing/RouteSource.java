package io.gangway.routing;

/**
 * Decides the routes for a target: manual settings, the environment, the OS or a PAC script.
 * Implementations may block (a PAC may resolve names); callers keep them off I/O threads
 * unless {@link #mayBlock()} is false.
 */
public interface RouteSource {

    /** The routes for {@code target}; throws {@link RoutingException} when there are none to give. */
    RoutePlan plan(Target target);

    /**
     * The plan when it is known without blocking (always, for sources that never block; a
     * cached answer for a PAC), else null: the caller then runs {@link #plan} off its I/O thread.
     */
    default RoutePlan knownPlan(Target target) {
        return mayBlock() ? null : plan(target);
    }

    /** A short description for logs and {@code gangway check}, e.g. {@code "manual"}. */
    String describe();

    default boolean mayBlock() {
        return false;
    }
}
