package io.gangway.pac;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Broken scripts give a clear {@link PacException}, quickly, and leave the JVM and the engine working. */
@Timeout(30)
class BrokenPacTest {

    private static final PacSandbox.Limits TIGHT = new PacSandbox.Limits(5_000_000, Duration.ofSeconds(2), 64L << 20);

    private static PacScript compile(String name) throws PacException {
        return PacScript.compile(PacFixtures.read("broken/" + name), name, PacFixtures.env(), TIGHT);
    }

    private static String failure(String name) {
        try {
            compile(name).findProxy("http://www.example.com/", "www.example.com");
        } catch (PacException e) {
            return e.getMessage();
        }
        throw new AssertionError(name + " did not fail");
    }

    @Test
    void syntaxErrorNamesTheLine() {
        assertThatThrownBy(() -> compile("syntax-error.pac")).isInstanceOf(PacException.class)
                .hasMessageContaining("syntax error in PAC syntax-error.pac line 2");
    }

    @Test
    void aThrowIsReportedWithWhatWasThrownAndTheRequest() {
        assertThat(failure("throws.pac")).contains("throws.pac line 3 threw")
                .contains("no rule for www.example.com").contains("FindProxyForURL(\"http://www.example.com/\"");
    }

    @Test
    void anUndefinedFunctionIsReported() throws PacException {
        PacScript script = compile("throws.pac");
        assertThatThrownBy(() -> script.findProxy("http://intranet/", "intranet")).hasMessageContaining("undefinedHelper");
    }

    @Test
    void endlessLoopsStopOnTheInstructionBudgetEvenInsideTryCatch() {
        long start = System.nanoTime();
        assertThat(failure("endless-loop.pac")).contains("stopped").contains("instructions");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void anEndlessTopLevelFailsTheLoad() {
        assertThatThrownBy(() -> compile("endless-top-level.pac")).hasMessageContaining("top level")
                .hasMessageContaining("instructions");
    }

    @Test
    void growingMemoryStopsOnTheAllocationBudget() {
        PacSandbox.Limits roomyCpu = new PacSandbox.Limits(Long.MAX_VALUE, Duration.ofSeconds(20), 64L << 20);
        assertThatThrownBy(() -> PacScript.compile(PacFixtures.read("broken/huge-allocation.pac"), "huge", PacFixtures.env(), roomyCpu)
                .findProxy("http://x/", "x")).hasMessageContaining("allocated more than 64 MiB");
    }

    @Test
    void oneCallAllocationsAreNotAvailable() {
        assertThat(failure("repeat.pac")).contains("repeat");
    }

    @Test
    void doublingAStringDoesNotTakeTheJvmDown() {
        assertThat(failure("doubling.pac")).contains("doubling.pac");
    }

    @Test
    void javaIsNotReachable() {
        assertThat(failure("java-access.pac")).contains("java");
    }

    @Test
    void deepRecursionIsReported() {
        assertThat(failure("deep-recursion.pac")).contains("deep-recursion.pac");
    }

    @Test
    void aScriptWithoutFindProxyForUrlIsRefusedAtLoad() {
        assertThatThrownBy(() -> compile("no-function.pac")).hasMessageContaining("defines no FindProxyForURL");
    }

    @Test
    void returningNothingIsAnError() {
        assertThat(failure("returns-nothing.pac")).contains("did not return a string for www.example.com (it returned undefined)");
    }

    @Test
    void utf16WithoutAByteOrderMarkIsASyntaxErrorNotAHang() {
        assertThatThrownBy(() -> compile("utf16-no-bom.pac")).hasMessageContaining("syntax error");
    }

    @Test
    void whatAScriptThrowsCannotForgeLogLines() throws PacException {
        PacScript script = PacScript.compile("function FindProxyForURL(u, h) { throw 'x\\n2026-11-29 INFO access forged'; }",
                "forger", PacFixtures.env(), TIGHT);
        assertThatThrownBy(() -> script.findProxy("http://a/", "a")).hasMessageNotContaining("\n")
                .hasMessageContaining("x\\n2026-11-29 INFO access forged");
        assertThat(PacResult.parse("PROXY a:1;\u0001BOGUS\nx").warnings()).singleElement().asString().doesNotContain("\n");
    }

    @Test
    void theEngineStillWorksAfterAFailure() throws PacException {
        PacScript script = PacScript.compile("var n = 0; function FindProxyForURL(u, h) { n++; "
                + "if (h == 'loop') { while (true) {} } return 'PROXY p:' + n; }", "stateful", PacFixtures.env(), TIGHT);
        assertThat(script.findProxy("http://a/", "a")).isEqualTo("PROXY p:1");
        assertThatThrownBy(() -> script.findProxy("http://loop/", "loop")).isInstanceOf(PacException.class);
        assertThat(script.findProxy("http://a/", "a")).isEqualTo("PROXY p:1"); // scope rebuilt after the failure
    }
}
