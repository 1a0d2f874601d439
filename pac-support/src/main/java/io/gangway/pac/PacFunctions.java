package io.gangway.pac;

import java.util.ArrayList;
import java.util.List;
import org.mozilla.javascript.Context;
import org.mozilla.javascript.LambdaFunction;
import org.mozilla.javascript.ScriptableObject;
import org.mozilla.javascript.SerializableCallable;
import org.mozilla.javascript.Undefined;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Puts the Netscape and Microsoft PAC helpers, implemented in Java, into a script's global scope. */
final class PacFunctions {

    private static final Logger log = LoggerFactory.getLogger("gangway.pac");

    /**
     * Builtins that allocate in one native call, beyond what the instruction budget sees
     * ({@code "x".repeat(1e9)}); no PAC needs them.
     */
    private static final String[][] REMOVED = {{"String", "repeat"}, {"String", "padStart"}, {"String", "padEnd"}};

    private PacFunctions() {
    }

    static void install(ScriptableObject scope, PacEnvironment env, String scriptName) {
        PacNetHelpers net = new PacNetHelpers(env.dns(), env.localAddresses());
        PacTimeHelpers time = new PacTimeHelpers(env.clock());

        define(scope, "isPlainHostName", 1, a -> PacHostHelpers.isPlainHostName(str(a, 0)));
        define(scope, "dnsDomainIs", 2, a -> PacHostHelpers.dnsDomainIs(str(a, 0), str(a, 1)));
        define(scope, "localHostOrDomainIs", 2, a -> PacHostHelpers.localHostOrDomainIs(str(a, 0), str(a, 1)));
        define(scope, "dnsDomainLevels", 1, a -> PacHostHelpers.dnsDomainLevels(str(a, 0)));
        define(scope, "shExpMatch", 2, a -> PacHostHelpers.shExpMatch(str(a, 0), str(a, 1)));

        define(scope, "isResolvable", 1, a -> net.isResolvable(str(a, 0)));
        define(scope, "dnsResolve", 1, a -> net.dnsResolve(str(a, 0)));
        define(scope, "isInNet", 3, a -> net.isInNet(str(a, 0), str(a, 1), str(a, 2)));
        define(scope, "convert_addr", 1, a -> (double) PacNetHelpers.convertAddr(str(a, 0)));
        define(scope, "myIpAddress", 0, a -> net.myIpAddress());

        define(scope, "isResolvableEx", 1, a -> net.isResolvableEx(str(a, 0)));
        define(scope, "dnsResolveEx", 1, a -> net.dnsResolveEx(str(a, 0)));
        define(scope, "isInNetEx", 2, a -> net.isInNetEx(str(a, 0), str(a, 1)));
        define(scope, "myIpAddressEx", 0, a -> net.myIpAddressEx());
        define(scope, "sortIpAddressList", 1, a -> PacNetHelpers.sortIpAddressList(str(a, 0)));
        define(scope, "getClientVersion", 0, a -> "1.0");

        define(scope, "weekdayRange", 3, a -> time.weekdayRange(strings(a)));
        define(scope, "dateRange", 7, a -> time.dateRange(strings(a)));
        define(scope, "timeRange", 7, a -> time.timeRange(strings(a)));

        define(scope, "alert", 1, a -> {
            log.info("PAC {} alert: {}", scriptName, LogSafe.oneLine(str(a, 0)));
            return Undefined.instance;
        });

        for (String[] builtin : REMOVED) {
            if (scope.get(builtin[0], scope) instanceof ScriptableObject ctor
                    && ctor.get("prototype", ctor) instanceof ScriptableObject proto) {
                proto.delete(builtin[1]);
            }
        }
    }

    private interface Helper {
        Object apply(Object[] args);
    }

    private static void define(ScriptableObject scope, String name, int arity, Helper helper) {
        SerializableCallable call = (cx, s, thisObj, args) -> helper.apply(args);
        ScriptableObject.defineProperty(scope, name, new LambdaFunction(scope, name, arity, call),
                ScriptableObject.DONTENUM);
    }

    /** An argument as a string, as JavaScript would convert it; {@code "undefined"} when missing. */
    private static String str(Object[] args, int i) {
        return i < args.length ? Context.toString(args[i]) : "undefined";
    }

    private static List<String> strings(Object[] args) {
        List<String> out = new ArrayList<>(args.length);
        for (Object arg : args) {
            out.add(Context.toString(arg));
        }
        return out;
    }
}
