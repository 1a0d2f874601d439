package io.gangway.pac;

import java.util.ArrayList;
import java.util.List;
import org.mozilla.javascript.Context;
import org.mozilla.javascript.LambdaFunction;
import org.mozilla.javascript.Script;
import org.mozilla.javascript.ScriptRuntime;
import org.mozilla.javascript.ScriptableObject;
import org.mozilla.javascript.SerializableCallable;
import org.mozilla.javascript.Undefined;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the Netscape and Microsoft PAC helpers into a script's global scope: the ones browsers
 * implement natively in Java, with Chrome's rules for missing and non-string arguments, and
 * those browsers share as JavaScript from {@link PacPrelude}.
 */
final class PacFunctions {

    private static final Logger log = LoggerFactory.getLogger("gangway.pac");

    /**
     * Builtins that allocate in one native call, beyond what the instruction budget sees
     * ({@code "x".repeat(1e9)}); no PAC needs them.
     */
    private static final String[][] REMOVED = {{"String", "repeat"}, {"String", "padStart"}, {"String", "padEnd"}};

    private PacFunctions() {
    }

    /** The prelude, compiled once: an interpreted script runs in any scope. */
    private static volatile Script prelude;

    static void install(ScriptableObject scope, PacEnvironment env, String scriptName) {
        PacNetHelpers net = new PacNetHelpers(env.dns(), env.localAddresses());
        PacTimeHelpers time = new PacTimeHelpers(env.clock());

        define(scope, "isPlainHostName", 1, a -> PacHostHelpers.isPlainHostName(oneString(a, "isPlainHostName")));
        define(scope, "shExpMatch", 2, a -> PacHostHelpers.shExpMatch(str(a, 0), stringArg(a, 1, "shExpMatch")));

        define(scope, "dnsResolve", 1, a -> net.dnsResolve(a.length > 0 ? a[0] : null));
        define(scope, "myIpAddress", 0, a -> net.myIpAddress());

        define(scope, "dnsResolveEx", 1, a -> net.dnsResolveEx(a.length > 0 ? a[0] : null));
        define(scope, "isInNetEx", 2, net::isInNetEx);
        define(scope, "myIpAddressEx", 0, a -> net.myIpAddressEx());
        define(scope, "sortIpAddressList", 1, a -> PacNetHelpers.sortIpAddressList(a.length > 0 ? a[0] : null));
        define(scope, "getClientVersion", 0, a -> "1.0");

        define(scope, "weekdayRange", 3, a -> time.weekdayRange(strings(a)));
        define(scope, "dateRange", 7, a -> time.dateRange(strings(a)));
        define(scope, "timeRange", 7, a -> time.timeRange(strings(a)));

        define(scope, "alert", 1, a -> {
            log.info("PAC {} alert: {}", scriptName, LogSafe.oneLine(str(a, 0)));
            return Undefined.instance;
        });

        Context cx = Context.getCurrentContext();
        Script compiled = prelude;
        if (compiled == null) {
            compiled = cx.compileString(PacPrelude.SOURCE, "gangway-pac-helpers", 1, null);
            prelude = compiled;
        }
        compiled.exec(cx, scope, scope);

        for (String[] builtin : REMOVED) {
            if (scope.get(builtin[0], scope) instanceof ScriptableObject ctor
                    && ctor.get("prototype", ctor) instanceof ScriptableObject proto) {
                proto.delete(builtin[1]);
            }
        }
    }

    /** Chrome's check for its native name helpers: one string, else a TypeError. */
    private static String oneString(Object[] args, String helper) {
        if (args.length < 1 || !(args[0] instanceof CharSequence text)) {
            throw ScriptRuntime.typeError(helper + ": requires 1 string parameter");
        }
        return text.toString();
    }

    /** An argument a browser calls a string method on: anything but a string is a TypeError there. */
    private static String stringArg(Object[] args, int i, String helper) {
        if (i >= args.length || !(args[i] instanceof CharSequence text)) {
            throw ScriptRuntime.typeError(helper + ": argument " + (i + 1) + " is not a string");
        }
        return text.toString();
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
