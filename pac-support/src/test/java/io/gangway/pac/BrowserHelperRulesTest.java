package io.gangway.pac;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * The PAC helpers against the browsers' own test vectors, with their sources named:
 * Chromium's {@code services/proxy_resolver/test/data/proxy_resolver_v8_unittest/pac_library_unittest.js}
 * and {@code bindings.js} ("chromium"), the npm package pac-resolver's {@code packages/pac-resolver/test}
 * ("pac-resolver", where it agrees with the browsers), and Mozilla's
 * {@code netwerk/test/unit/test_proxy_pac.js} ("mozilla"). Each expression is evaluated inside a
 * real PAC call; the answer is {@code typeof:value}, or {@code throws:NAME}.
 */
class BrowserHelperRulesTest {

    /** Fixed answers, as the browsers' test resolvers give them; every name asked is recorded. */
    private static final List<String> asked = new CopyOnWriteArrayList<>();
    private static final Map<String, String> HOSTS = Map.of("www.example.test", "198.51.100.7",
            "dual.example.test", "2001:db8::7", "", "127.0.0.1");

    private static PacEnvironment env() {
        PacDns dns = host -> {
            asked.add(host);
            String a = HOSTS.get(host);
            if (a == null) {
                return List.of();
            }
            try {
                return List.of(InetAddress.getByName(a));
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        };
        List<InetAddress> mine = LocalAddresses.of("192.0.2.10");
        return new PacEnvironment(dns, () -> mine, Clock.fixed(Instant.parse("2009-03-03T03:34:01Z"), ZoneOffset.UTC));
    }

    static String eval(String expression) throws PacException {
        return eval(expression, env());
    }

    static String eval(String expression, PacEnvironment env) throws PacException {
        String source = "function FindProxyForURL(url, host) { try { var r = (" + expression + ");"
                + " return typeof r + ':' + r; } catch (e) { return 'throws:' + (e && e.name ? e.name : e); } }";
        return PacScript.compile(source, "test.pac", env).findProxy("http://www.example.test/", "www.example.test");
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiterString = " | ", value = {
        // chromium pac_library_unittest.js, testIsPlainHostName
        "isPlainHostName('google') | boolean:true",
        "isPlainHostName('google.com') | boolean:false",
        "isPlainHostName('192.168.1.1') | boolean:false",
        "isPlainHostName('.') | boolean:false",
        "isPlainHostName('.:') | boolean:false",
        "isPlainHostName('::1') | boolean:false",
        "isPlainHostName('::192.186.1.1') | boolean:false",
        "isPlainHostName('foopy::1') | boolean:true",
        "isPlainHostName('foo:112') | boolean:true",
        "isPlainHostName(':') | boolean:true",
        "isPlainHostName('[:]') | boolean:true",
        "isPlainHostName('[::1]') | boolean:true",
        "isPlainHostName('foo', 'foo', 'foo') | boolean:true",
        "isPlainHostName() | throws:TypeError",
        "isPlainHostName(null) | throws:TypeError",
        "isPlainHostName(1) | throws:TypeError",
        "isPlainHostName(function() {}) | throws:TypeError",
        // a dotless 32-bit number is an IPv4 literal to Chrome's URL parser
        "isPlainHostName('2130706433') | boolean:false",
        // chromium: testDnsDomainIs, testDnsDomainLevels, testLocalHostOrDomainIs, testShExpMatch
        "dnsDomainIs('google.com', '.com') | boolean:true",
        "dnsDomainIs('google.co.uk', '.co.uk') | boolean:true",
        "dnsDomainIs('google.com', '.co.uk') | boolean:false",
        "dnsDomainIs('www.adobe.com', '.ad') | boolean:false",
        "dnsDomainLevels('www') | number:0",
        "dnsDomainLevels('www.google.com') | number:2",
        "dnsDomainLevels('192.168.1.1') | number:3",
        "localHostOrDomainIs('www.google.com', 'www.google.com') | boolean:true",
        "localHostOrDomainIs('www', 'www.google.com') | boolean:true",
        "localHostOrDomainIs('maps.google.com', 'www.google.com') | boolean:false",
        "shExpMatch('foo.jpg', '*.jpg') | boolean:true",
        "shExpMatch('foo5.jpg', '*o?.jpg') | boolean:true",
        "shExpMatch('foo.jpg', '.jpg') | boolean:false",
        "shExpMatch('foo.jpg', 'foo') | boolean:false",
        // pac-resolver's shExpMatch vectors (the browsers run the pattern as a RegExp, so alternation works)
        "shExpMatch('http://home.netscape.com/people/ari/index.html', '*/ari/*') | boolean:true",
        "shExpMatch('http://home.netscape.com/people/montulli/index.html', '*/ari/*') | boolean:false",
        "shExpMatch('phishing-scam.com?email=someone@hotmail.com', '*hotmail.com*') | boolean:true",
        "shExpMatch('abcdomain.com', '(*.abcdomain.com|abcdomain.com)') | boolean:true",
        "shExpMatch('foo.abcdomain.com', '(*.abcdomain.com|abcdomain.com)') | boolean:true",
        "shExpMatch('abddomain.com', '(*.abcdomain.com|abcdomain.com)') | boolean:false",
        "shExpMatch('ab.com', '?.com') | boolean:false",
        // odd arguments, as the browsers' shared JavaScript has them
        "dnsDomainIs() | throws:TypeError",
        "dnsDomainIs('a.com') | throws:TypeError",
        "dnsDomainIs(1, '.com') | boolean:false",
        "dnsDomainIs('WWW.CORP.COM', '.corp.com') | boolean:false",
        "dnsDomainLevels(1) | throws:TypeError",
        "localHostOrDomainIs('www') | throws:TypeError",
        "shExpMatch('a') | throws:TypeError",
        "shExpMatch('a', 1) | throws:TypeError",
        "shExpMatch(undefined, 'undef*') | boolean:true",
        "shExpMatch('a', '[') | throws:SyntaxError",
        // chromium: testIsInNet; pac-resolver's null case
        "isInNet('192.89.132.25', '192.89.132.25', '255.255.255.255') | boolean:true",
        "isInNet('193.89.132.25', '192.89.132.25', '255.255.255.255') | boolean:false",
        "isInNet('192.89.132.25', '192.89.0.0', '255.255.0.0') | boolean:true",
        "isInNet('193.89.132.25', '192.89.0.0', '255.255.0.0') | boolean:false",
        "isInNet('192.89.132.a', '192.89.0.0', '255.255.0.0') | boolean:false",
        "isInNet(null, '198.95.0.0', '255.255.0.0') | boolean:false",
        "isInNet('www.example.test', '198.51.100.0', '255.255.255.0') | boolean:true",
        "convert_addr('255.255.255.255') | number:-1",
        // chromium: testSortIpAddressList
        "sortIpAddressList('::2;::3;::1') | string:::1;::2;::3",
        "sortIpAddressList('157.59.139.22;2001:4898:28:3:201:2ff:feea:fc14;fe80::5efe:157:9d3b:8b16') | string:2001:4898:28:3:201:2ff:feea:fc14;fe80::5efe:157:9d3b:8b16;157.59.139.22",
        "sortIpAddressList('127.0.0.1') | string:127.0.0.1",
        "sortIpAddressList('::1') | string:::1",
        "sortIpAddressList('192.168.1.1;0:0::1') | string:0:0::1;192.168.1.1",
        "sortIpAddressList('::1;192.168.1.3') | string:::1;192.168.1.3",
        "sortIpAddressList('0::1;::1;0:0::1') | string:0::1;::1;0:0::1",
        "sortIpAddressList(';127.0.0.1;') | string:127.0.0.1",
        "sortIpAddressList('192.168.0.1; 192.168.0.2') | string:192.168.0.1;192.168.0.2",
        "sortIpAddressList('127.0.0.1;\\t127.0.0.2;\\t 127.0.0.0') | string:127.0.0.0;127.0.0.1;127.0.0.2",
        "sortIpAddressList('') | boolean:false",
        "sortIpAddressList(' ') | boolean:false",
        "sortIpAddressList(';;') | boolean:false",
        "sortIpAddressList(' ;  ; ') | boolean:false",
        "sortIpAddressList('256.0.0.1') | boolean:false",
        "sortIpAddressList('192.168.1.1;0:0:0:1;127.0.0.1') | boolean:false",
        "sortIpAddressList() | object:null",
        "sortIpAddressList(null) | object:null",
        "sortIpAddressList(null, null) | object:null",
        "sortIpAddressList('10.0.0.1;10.0.0.1') | string:10.0.0.1;10.0.0.1",
        // chromium: testIsInNetEx
        "isInNetEx('198.95.249.79', '198.95.249.79/32') | boolean:true",
        "isInNetEx('198.95.115.10', '198.95.0.0/16') | boolean:true",
        "isInNetEx('198.95.1.1', '198.95.3.3/16') | boolean:true",
        "isInNetEx('0:0:0:0:0:0:7f00:1', '0:0:0:0:0:0:7f00:1/32') | boolean:true",
        "isInNetEx('3ffe:8311:ffff:abcd:1234:dead:beef:101', '3ffe:8311:ffff::/48') | boolean:true",
        "isInNetEx('127.0.0.1', '0:0:0:0:0:0:7f00:1/16') | boolean:true",
        "isInNetEx('::ffff:192.168.100.5', '192.168.1.1/16') | boolean:true",
        "isInNetEx('::ffff:192.168.100.5', '::ffff:192.168.1.1/112') | boolean:true",
        "isInNetEx('192.168.1.1', '::ffff:192.168.1.1/112') | boolean:true",
        "isInNetEx('192.168.24.3', 'fe80:0:0:0:0:0:c0a8:1803/32') | boolean:false",
        "isInNetEx('::ffff:10.168.100.5', '192.168.1.1/16') | boolean:false",
        "isInNetEx('::fffe:192.168.100.5', '192.168.1.1/16') | boolean:false",
        "isInNetEx('192.168.1.1', '::fffe:192.168.1.1/112') | boolean:false",
        "isInNetEx('198.95.249.78', '198.95.249.79/32') | boolean:false",
        "isInNetEx('3fff:8311:ffff:abcd:1234:dead:beef:101', '3ffe:8311:ffff::/48') | boolean:false",
        "isInNetEx('256.0.0.1', '198.95.249.79') | boolean:false",
        "isInNetEx('127.0.0.1 ', '127.0.0.1/32') | boolean:false",
        "isInNetEx(' 127.0.0.1', '127.0.0.1/32') | boolean:false",
        "isInNetEx('198.95.115.10', '198.95.0.0/34') | boolean:false",
        "isInNetEx('127.0.0.1', '127.0.0.1') | boolean:false",
        "isInNetEx() | object:null",
        "isInNetEx(null, null) | object:null",
        "isInNetEx('198.95.249.79') | object:null",
        // chromium bindings.js: dnsResolve's odd arguments, against a resolver that knows ''
        "dnsResolve() | object:null",
        "dnsResolve(null) | object:null",
        "dnsResolve(undefined) | object:null",
        "dnsResolve({foo: 'bar'}) | object:null",
        "dnsResolve(function() {}) | object:null",
        "dnsResolve(['3']) | object:null",
        "dnsResolve('') | string:127.0.0.1",
        "dnsResolve('www.example.test', 'arg2', 'arg3') | string:198.51.100.7",
        "dnsResolve('dual.example.test') | object:null",
        "dnsResolve('198.51.100.9') | string:198.51.100.9",
        "dnsResolveEx('dual.example.test') | string:2001:db8::7",
        "dnsResolveEx('nowhere.example.test') | string:",
        "dnsResolveEx(1) | undefined:undefined",
        "isResolvable('www.example.test') | boolean:true",
        "isResolvable('nowhere.example.test') | boolean:false",
        "isResolvable(1) | boolean:false",
        "myIpAddress(null, null) | string:192.0.2.10",
    })
    void helpersAnswerAsChromeDoes(String expression, String expected) throws PacException {
        assertThat(eval(expression)).isEqualTo(expected);
    }

    /** Chromium's pac_library_unittest.js time tests, on its clock: Tuesday 3 March 2009, 03:34:01 (UTC here). */
    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiterString = " | ", value = {
        "weekdayRange('MON', 'FRI') | boolean:true",
        "weekdayRange('TUE', 'FRI') | boolean:true",
        "weekdayRange('TUE', 'TUE') | boolean:true",
        "weekdayRange('SAT', 'WED') | boolean:true",
        "weekdayRange('TUE') | boolean:true",
        "weekdayRange('WED', 'FRI') | boolean:false",
        "weekdayRange('SUN', 'MON') | boolean:false",
        "weekdayRange('SAT') | boolean:false",
        "weekdayRange('FRI', 'MON') | boolean:false",
        "weekdayRange('MON', 'FRI', 'GMT') | boolean:true",
        "weekdayRange('TUE', 'GMT') | boolean:true",
        "weekdayRange('SAT', 'GMT') | boolean:false",
        "weekdayRange() | boolean:false",
        "weekdayRange('tue') | boolean:false",
        "weekdayRange(2) | boolean:false",
        "weekdayRange('TUE', 'XYZ', 'ABC') | boolean:true",
        "dateRange(3) | boolean:true",
        "dateRange(1) | boolean:false",
        "dateRange(3, 'GMT') | boolean:true",
        "dateRange(1, 4) | boolean:true",
        "dateRange(4, 20) | boolean:false",
        "dateRange(3, 'MAR') | boolean:true",
        "dateRange(3, 'MAR', 2009) | boolean:true",
        "dateRange('JAN', 'MAR') | boolean:true",
        "dateRange('MAR', 'JAN') | boolean:true",
        "dateRange('SEP', 'APR') | boolean:true",
        "dateRange('SEP', 'FEB') | boolean:false",
        "dateRange('MAR', 'APR') | boolean:true",
        "dateRange('MAY', 'SEP') | boolean:false",
        "dateRange(1, 'JAN', 3, 'MAR') | boolean:true",
        "dateRange(3, 'MAR', 4, 'SEP') | boolean:true",
        "dateRange(4, 'MAR', 4, 'SEP') | boolean:false",
        "dateRange('FEB', 2009, 'MAR', 2009) | boolean:true",
        "dateRange(1, 'JAN', 2009, 3, 'MAR', 2009) | boolean:true",
        "dateRange(4, 'MAR', 2009, 4, 'SEP', 2009) | boolean:false",
        "dateRange() | boolean:false",
        "dateRange('mar') | boolean:false",
        "timeRange(3) | boolean:true",
        "timeRange(2) | boolean:false",
        "timeRange(2, 3) | boolean:true",
        "timeRange(2, 4) | boolean:true",
        "timeRange(3, 5) | boolean:true",
        "timeRange(1, 2) | boolean:false",
        "timeRange(11, 12) | boolean:false",
        "timeRange(22, 6) | boolean:false",
        "timeRange(1, 0, 3, 34) | boolean:true",
        "timeRange(3, 34, 1, 0) | boolean:true",
        "timeRange(1, 0, 3, 35) | boolean:true",
        "timeRange(3, 34, 5, 0) | boolean:true",
        "timeRange(1, 0, 3, 0) | boolean:false",
        "timeRange(11, 0, 16, 0) | boolean:false",
        "timeRange(1, 0, 0, 3, 34, 0) | boolean:false",
        "timeRange(1, 0, 0, 3, 35, 0) | boolean:true",
        "timeRange(3, 34, 0, 5, 0, 0) | boolean:true",
        "timeRange(11, 0, 0, 16, 0, 0) | boolean:false",
        "timeRange() | boolean:false",
        "timeRange(1, 2, 3) | throws:timeRange: bad number of arguments",
    })
    void timeHelpersAnswerAsChromeDoes(String expression, String expected) throws PacException {
        assertThat(eval(expression)).isEqualTo(expected);
    }

    @Test
    void aNameThatDidNotResolveIsNotLookedUpAsTheWordNull() throws PacException {
        // mozilla test_proxy_pac.js, test_bug1724345: dnsResolve answered null, isInNet must not resolve "null"
        asked.clear();
        assertThat(eval("isInNet(dnsResolve('nowhere.example.test'), '127.0.0.0', '255.0.0.0')")).isEqualTo("boolean:false");
        assertThat(asked).containsExactly("nowhere.example.test");
        asked.clear();
        assertThat(eval("isResolvable(null) + ',' + isInNet(undefined, '1.2.3.4', '255.0.0.0')")).isEqualTo("string:false,false");
        assertThat(asked).isEmpty();
    }

    @Test
    void oneEvaluationLooksANameUpOnce() throws PacException {
        asked.clear();
        eval("isInNet(host, '10.0.0.0', '255.0.0.0') || isInNet(host, '172.16.0.0', '255.240.0.0') || "
                + "isInNet(host, '192.168.0.0', '255.255.0.0') || dnsResolve(host)");
        assertThat(asked).containsExactly("www.example.test");
    }

    @ParameterizedTest(name = "returning {0}")
    @CsvSource(delimiterString = " | ", value = {"42 | a number", "{} | an object", "function() {} | a function",
            "null | null", "undefined | undefined", "new String('DIRECT') | an object", "true | a boolean"})
    void anAnswerThatIsNotAStringIsAScriptError(String value, String kind) {
        // chromium proxy_resolver_v8 BadReturnType: "FindProxyForURL() did not return a string."
        String source = "function FindProxyForURL(url, host) { return " + value + "; }";
        assertThatThrownBy(() -> PacScript.compile(source, "bad.pac", env()).findProxy("http://a/", "a"))
                .isInstanceOf(PacException.class)
                .hasMessage("PAC bad.pac did not return a string for a (it returned " + kind + ")")
                .hasMessageNotContaining("Context");
    }

    @Test
    void aHostWithCharactersNoHostNameHoldsIsSkipped() {
        PacResult result = PacResult.parse("PROXY proxy\u200B.corp:8080; PROXY ok.corp:3128; PROXY tab\u0007.corp:1");
        assertThat(result.routes()).extracting(r -> r.authority()).containsExactly("ok.corp:3128");
        assertThat(result.warnings()).hasSize(2).first().asString().contains("U+200B");
    }

    @Test
    @org.junit.jupiter.api.Timeout(30) // without the bound, the evaluation would wait for the resolver for ever
    void aNameServerThatNeverAnswersCostsTheEvaluationItsDnsAllowanceOnly() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        List<String> tried = new CopyOnWriteArrayList<>();
        PacDns silent = host -> {
            tried.add(host);
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return List.of();
        };
        PacEnvironment env = new PacEnvironment(silent, () -> LocalAddresses.of("192.0.2.10"), Clock.systemUTC());
        PacSandbox.Limits limits = new PacSandbox.Limits(50_000_000, Duration.ofSeconds(2), 256L << 20, Duration.ofMillis(300));
        String source = "function FindProxyForURL(url, host) {"
                + " var a = dnsResolve('one.silent.test'), b = dnsResolve('two.silent.test'), c = isResolvable('one.silent.test');"
                + " return (a == null && b == null && !c) ? 'DIRECT' : 'PROXY wrong:1'; }";
        try {
            PacScript script = PacScript.compile(source, "slow-dns.pac", env, limits);
            assertThat(script.findProxy("http://a/", "a")).as("answered as failed lookups, within the budget").isEqualTo("DIRECT");
            assertThat(tried).as("the second lookup is not even made: the allowance is spent; the first is kept")
                    .containsExactly("one.silent.test");
        } finally {
            never.countDown();
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(30)
    void aDeadNameHoldsOneLookupThreadNotAll() throws Exception {
        // getaddrinfo ignores interrupts: a lookup of a dead name holds its thread until the OS gives up
        CountDownLatch release = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger deadLookups = new java.util.concurrent.atomic.AtomicInteger();
        PacDns dns = host -> {
            if (host.startsWith("dead.")) {
                deadLookups.incrementAndGet();
                while (true) {
                    try {
                        release.await();
                        return List.of();
                    } catch (InterruptedException e) {
                        // as getaddrinfo: carries on
                    }
                }
            }
            try {
                return List.of(InetAddress.getByName("198.51.100.8"));
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        };
        PacEnvironment env = new PacEnvironment(dns, () -> LocalAddresses.of("192.0.2.10"), Clock.systemUTC());
        PacSandbox.Limits limits = new PacSandbox.Limits(50_000_000, Duration.ofSeconds(2), 256L << 20, Duration.ofMillis(200));
        PacScript script = PacScript.compile("function FindProxyForURL(url, host) { return dnsResolve(host) || 'DIRECT'; }",
                "dead.pac", env, limits);
        try {
            java.util.concurrent.ExecutorService callers = java.util.concurrent.Executors.newFixedThreadPool(20);
            List<java.util.concurrent.Future<String>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < 40; i++) {
                answers.add(callers.submit(() -> script.findProxy("http://dead.example.test/", "dead.example.test")));
            }
            for (java.util.concurrent.Future<String> a : answers) {
                assertThat(a.get()).isEqualTo("DIRECT");
            }
            callers.shutdown();
            assertThat(deadLookups.get()).as("one lookup under way for the dead name, shared").isEqualTo(1);
            assertThat(script.findProxy("http://live.example.test/", "live.example.test")).as("other names still resolve")
                    .isEqualTo("198.51.100.8");
        } finally {
            release.countDown();
        }
    }
}
