package io.gangway.harness;

import io.gangway.harness.audit.TestSecrets;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import jcifs.CIFSContext;
import jcifs.config.PropertyConfiguration;
import jcifs.context.BaseContext;
import jcifs.ntlmssp.NtlmFlags;
import jcifs.ntlmssp.Type1Message;
import jcifs.ntlmssp.Type2Message;
import jcifs.ntlmssp.Type3Message;
import jcifs.smb.NtlmUtil;

/**
 * A server side of NTLM for tests: Type 1 gets a Type 2 with a random challenge; Type 3 is checked
 * as a domain controller would check NTLMv2 (HMAC-MD5 of the challenge and the client blob under
 * NTOWFv2 of the known password). Counts successes and failures, so tests can count logins.
 * A connection that completed the handshake passes without further headers.
 */
public final class NtlmChallenger implements Challenger {

    private static final SecureRandom RANDOM = new SecureRandom();
    private final String user;
    private final String password;
    private final CIFSContext context;
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger rejected = new AtomicInteger();
    private final AtomicInteger handshakes = new AtomicInteger();

    public NtlmChallenger(String user, String password) {
        this.user = user;
        this.password = TestSecrets.record(password);
        Properties props = new Properties();
        props.setProperty("jcifs.netbios.hostname", "UPSTREAM");
        props.setProperty("jcifs.netbios.laddr", "127.0.0.1");
        try {
            this.context = new BaseContext(new PropertyConfiguration(props));
        } catch (jcifs.CIFSException e) {
            throw new IllegalStateException(e);
        }
    }

    public int accepted() {
        return accepted.get();
    }

    public int rejected() {
        return rejected.get();
    }

    /** Type 1 messages received: one per handshake started. */
    public int handshakes() {
        return handshakes.get();
    }

    @Override
    public Verdict check(HttpRequest request, ConnectionState connection) {
        if (connection.authenticated) {
            return new Pass();
        }
        String header = request.headers().get(HttpHeaderNames.PROXY_AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "NTLM ", 0, 5)) {
            return Challenge.of("NTLM");
        }
        byte[] message;
        try {
            message = Base64.getDecoder().decode(header.substring(5).trim());
        } catch (IllegalArgumentException e) {
            return Challenge.of("NTLM");
        }
        try {
            if (message.length > 8 && message[8] == 1) {
                handshakes.incrementAndGet();
                new Type1Message(message);
                byte[] challenge = new byte[8];
                RANDOM.nextBytes(challenge);
                int flags = NtlmFlags.NTLMSSP_NEGOTIATE_UNICODE | NtlmFlags.NTLMSSP_NEGOTIATE_NTLM
                        | NtlmFlags.NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY | NtlmFlags.NTLMSSP_REQUEST_TARGET
                        | NtlmFlags.NTLMSSP_NEGOTIATE_TARGET_INFO;
                Type2Message type2 = new Type2Message(context, flags, challenge, "CORP");
                connection.handshake = challenge;
                return Challenge.of("NTLM " + Base64.getEncoder().encodeToString(type2.toByteArray()));
            }
            if (message.length > 8 && message[8] == 3 && connection.handshake instanceof byte[] challenge) {
                connection.handshake = null;
                if (verify(new Type3Message(message), challenge)) {
                    accepted.incrementAndGet();
                    connection.authenticated = true;
                    return new Pass();
                }
                rejected.incrementAndGet();
            }
        } catch (Exception e) {
            rejected.incrementAndGet();
        }
        return Challenge.of("NTLM");
    }

    private boolean verify(Type3Message type3, byte[] challenge) throws Exception {
        byte[] nt = type3.getNTResponse();
        if (nt == null || nt.length <= 24 || !user.equalsIgnoreCase(type3.getUser())) {
            return false; // anonymous, NTLMv1, or another user
        }
        byte[] proof = Arrays.copyOf(nt, 16);
        byte[] blob = Arrays.copyOfRange(nt, 16, nt.length);
        byte[] key = NtlmUtil.nTOWFv2(type3.getDomain(), type3.getUser(), password);
        Mac hmac = Mac.getInstance("HmacMD5");
        hmac.init(new SecretKeySpec(key, "HmacMD5"));
        hmac.update(challenge);
        hmac.update(blob);
        return MessageDigest.isEqual(proof, hmac.doFinal());
    }
}
