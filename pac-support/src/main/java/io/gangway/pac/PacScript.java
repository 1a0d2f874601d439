package io.gangway.pac;

import org.mozilla.javascript.Context;
import org.mozilla.javascript.EvaluatorException;
import org.mozilla.javascript.Function;
import org.mozilla.javascript.JavaScriptException;
import org.mozilla.javascript.RhinoException;
import org.mozilla.javascript.Script;
import org.mozilla.javascript.ScriptableObject;
import org.mozilla.javascript.Undefined;

/**
 * A compiled PAC script, ready to answer {@code FindProxyForURL(url, host)} (or
 * {@code FindProxyForURLEx} when the script defines it, as Windows prefers). Compiled once;
 * each thread that evaluates it gets its own global scope, so scripts that keep state in
 * globals stay correct without locks. A call that fails or runs over its budget throws
 * {@link PacException} with the script's name and line; that thread's scope is rebuilt.
 */
public final class PacScript {

    private static final PacSandbox SANDBOX = new PacSandbox();
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger("gangway.pac");

    private final String name;
    private final Script compiled;
    private final PacEnvironment env;
    private final PacSandbox.Limits limits;
    private final ThreadLocal<ScriptableObject> scopes = new ThreadLocal<>();

    private PacScript(String name, Script compiled, PacEnvironment env, PacSandbox.Limits limits) {
        this.name = name;
        this.compiled = compiled;
        this.env = env;
        this.limits = limits;
    }

    /**
     * Compiles {@code source} and runs its top level once, so that a syntax error, a throwing
     * top level or a script without {@code FindProxyForURL} is reported now, not per request.
     */
    public static PacScript compile(String source, String name, PacEnvironment env) throws PacException {
        return compile(source, name, env, PacSandbox.Limits.DEFAULT);
    }

    static PacScript compile(String source, String name, PacEnvironment env, PacSandbox.Limits limits)
            throws PacException {
        Script compiled;
        try {
            compiled = SANDBOX.run(limits, cx -> cx.compileString(source, name, 1, null));
        } catch (EvaluatorException e) {
            throw new PacException("syntax error in PAC " + where(name, e) + ": " + e.details());
        }
        PacScript script = new PacScript(name, compiled, env, limits);
        script.scope();
        return script;
    }

    public String name() {
        return name;
    }

    /** The script's answer for {@code url} and {@code host}, as the raw string it returned. */
    public String findProxy(String url, String host) throws PacException {
        ScriptableObject scope = scope();
        try {
            Object result = SANDBOX.run(limits, cx -> {
                Function f = function(scope, "FindProxyForURLEx");
                if (f == null) {
                    f = function(scope, "FindProxyForURL");
                }
                Object answer = f.call(cx, scope, scope, new Object[] {url, host});
                // As Chrome: only a string is an answer (a number or an object is not turned into one)
                return answer instanceof CharSequence text ? text.toString() : answer;
            });
            if (!(result instanceof String answer)) {
                throw new PacException("PAC " + name + " did not return a string for " + LogSafe.oneLine(host) + " (it returned "
                        + kind(result) + ")");
            }
            return answer;
        } catch (PacSandbox.BudgetExceeded | RuntimeException e) {
            if (e instanceof PacSandbox.BudgetExceeded) {
                scopes.remove(); // stopped half-way: its globals may be anything; an ordinary error keeps them, as in browsers
            }
            throw failure("FindProxyForURL(\"" + LogSafe.oneLine(url) + "\", \"" + LogSafe.oneLine(host) + "\")", e);
        }
    }

    /** This thread's scope, built (helpers installed, top level run) on first use. */
    private ScriptableObject scope() throws PacException {
        ScriptableObject scope = scopes.get();
        if (scope != null) {
            return scope;
        }
        try {
            scope = SANDBOX.run(limits, cx -> {
                ScriptableObject s = cx.initSafeStandardObjects();
                PacFunctions.install(s, env, name);
                compiled.exec(cx, s, s);
                return s;
            });
        } catch (PacSandbox.BudgetExceeded | RuntimeException e) {
            throw failure("its top level", e);
        }
        if (function(scope, "FindProxyForURL") == null && function(scope, "FindProxyForURLEx") == null) {
            throw new PacException("PAC " + name + " defines no FindProxyForURL(url, host) function");
        }
        scopes.set(scope);
        return scope;
    }

    private static Function function(ScriptableObject scope, String name) {
        return ScriptableObject.getProperty(scope, name) instanceof Function f ? f : null;
    }

    private PacException failure(String what, Throwable e) {
        if (e instanceof PacSandbox.BudgetExceeded) {
            return new PacException("PAC " + name + " stopped in " + what + ": it " + e.getMessage());
        }
        if (e instanceof RhinoException r) {
            String kind = r instanceof JavaScriptException ? "threw" : "failed";
            return new PacException("PAC " + where(name, r) + " " + kind + " in " + what + ": " + LogSafe.oneLine(r.details()));
        }
        // The engine itself gave up (a string too long to build, for one): its own message
        // says nothing to a PAC's author, and is kept for the debug log.
        log.debug("PAC {} failed in {}", name, what, e);
        return new PacException("PAC " + name + " failed in " + what + ": the script engine gave up ("
                + e.getClass().getSimpleName() + ")", e);
    }

    /** What a script returned instead of a string, in JavaScript's words. */
    private static String kind(Object result) {
        if (result == null) {
            return "null";
        }
        if (result instanceof Undefined) {
            return "undefined";
        }
        if (result instanceof Number) {
            return "a number";
        }
        if (result instanceof Boolean) {
            return "a boolean";
        }
        if (result instanceof org.mozilla.javascript.Function) {
            return "a function";
        }
        return "an object";
    }

    private static String where(String name, RhinoException e) {
        return e.lineNumber() > 0 ? name + " line " + e.lineNumber() : name;
    }
}
