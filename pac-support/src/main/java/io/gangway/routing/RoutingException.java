package io.gangway.routing;

/** No route can be given for a target (a PAC that cannot be had, with the policy "fail"). */
public class RoutingException extends RuntimeException {

    public RoutingException(String message) {
        super(message);
    }
}
