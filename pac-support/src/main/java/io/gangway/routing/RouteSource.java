package io.gangway.routing;

/**
 * Decides the routes for a target: manual settings, the environment, the OS or a PAC script.
 * Implementations may block (a PAC may resolve names); callers keep them off I/O threads
 * unless {@link #mayBlock()} is false.
 */
public interface RouteSource {

    RoutePlan plan(Target target);

    /** A short description for logs and {@code gangway check}, e.g. {@code "manual"}. */
    String describe();

    default boolean mayBlock() {
        return false;
    }
}
