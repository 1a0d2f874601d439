package io.gangway.auth;

import io.gangway.auth.AuthenticationException.Reason;
import java.util.Base64;
import java.util.Optional;
import jcifs.CIFSContext;
import jcifs.smb.NtlmUtil;
import jcifs.ntlmssp.Type1Message;
import jcifs.ntlmssp.Type2Message;
import jcifs.ntlmssp.Type3Message;

/**
 * NTLM (NTLMv2 with MIC) with JCIFS-NG's message classes: Type 1 out, Type 2 in, Type 3 out, all
 * on one connection, which is then authenticated. Works from a password or a stored NT hash.
 */
public final class NtlmScheme implements AuthScheme {

    /** The NT hash (MD4 of the UTF-16LE password) that {@code --nt-hash-file} takes. */
    public static byte[] ntHash(char[] password) {
        return NtlmUtil.getNTHash(new String(password));
    }

    @Override
    public String name() {
        return "NTLM";
    }

    @Override
    public int strength() {
        return 30;
    }

    @Override
    public boolean connectionBound() {
        return true;
    }

    @Override
    public AuthSession newSession(Credentials credentials, AuthTarget target) {
        return new Session(credentials, target);
    }

    private static final class Session implements AuthSession {
        private final Credentials credentials;
        private final AuthTarget target;
        private byte[] type1;
        private boolean answered;

        Session(Credentials credentials, AuthTarget target) {
            this.credentials = credentials;
            this.target = target;
        }

        @Override
        public Optional<String> initialToken(AuthRequest request) throws AuthenticationException {
            CIFSContext context = NtlmContext.get();
            type1 = new Type1Message(context, Type1Message.getDefaultFlags(context), null, null).toByteArray();
            answered = false;
            return Optional.of("NTLM " + Base64.getEncoder().encodeToString(type1));
        }

        @Override
        public boolean lastTokenProvesPassword() {
            return answered; // the Type 3; a Type 1 proves nothing
        }

        @Override
        public String respond(Challenge challenge, AuthRequest request) throws AuthenticationException {
            if (type1 == null) {
                return initialToken(request).orElseThrow();
            }
            if (answered) {
                throw new AuthenticationException(Reason.REJECTED, "upstream " + target
                        + " rejected NTLM credentials for user '" + credentials.identity() + "'");
            }
            byte[] type2Bytes = decode(challenge);
            Type2Message type2 = parseType2(type2Bytes);
            if (type2.getChallenge() == null || type2.getChallenge().length != 8) {
                throw malformed("its NTLM challenge (Type 2) has no 8-byte server challenge");
            }
            try {
                byte[] hash = ntHash();
                Type3Message type3 = new Type3Message(NtlmContext.get(), type2, null, hash, null,
                        credentials.domain(), credentials.userName(), NtlmContext.workstation(), 0, true);
                if (type3.isMICRequired()) {
                    type3.setupMIC(type1, type2Bytes);
                }
                answered = true;
                return "NTLM " + Base64.getEncoder().encodeToString(type3.toByteArray());
            } catch (AuthenticationException e) {
                throw e;
            } catch (Exception e) {
                throw new AuthenticationException(Reason.MALFORMED_CHALLENGE, "cannot answer the NTLM challenge of "
                        + target + ": " + e.getMessage(), e);
            }
        }

        /** Signature, type, target name field, flags and server challenge: what NTLMv2 needs. */
        private static final int TYPE2_FIXED_PART = 32;

        /**
         * Parses a Type 2 strictly, else leniently: some servers (Squid's ntlm_fake_auth among
         * them) send target fields with nonsense offsets. The flags and the 8-byte server
         * challenge at their fixed places are all NTLMv2 needs; the target information is then
         * left out of the response, as for servers that send none.
         */
        private Type2Message parseType2(byte[] bytes) throws AuthenticationException {
            // Said before the parser runs: on a short message it fails with an index out of bounds.
            if (bytes.length < TYPE2_FIXED_PART) {
                throw malformed("its NTLM challenge (Type 2) is " + bytes.length + " bytes, shorter than the "
                        + TYPE2_FIXED_PART + " of a Type 2's fixed part: truncated");
            }
            if (!new String(bytes, 0, 8, java.nio.charset.StandardCharsets.US_ASCII).equals("NTLMSSP\0")
                    || littleEndianInt(bytes, 8) != 2) {
                throw malformed("its NTLM challenge (Type 2) does not parse: no NTLMSSP signature and message type 2");
            }
            try {
                return new Type2Message(bytes);
            } catch (Exception strict) {
                return new Type2Message(NtlmContext.get(), littleEndianInt(bytes, 20),
                        java.util.Arrays.copyOfRange(bytes, 24, 32), null);
            }
        }

        private static int littleEndianInt(byte[] b, int at) {
            return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24;
        }

        private byte[] ntHash() throws AuthenticationException {
            Optional<byte[]> hash = credentials.ntHash();
            if (hash.isPresent()) {
                return hash.get();
            }
            Optional<char[]> password = credentials.password();
            if (password.isEmpty()) {
                throw new AuthenticationException(Reason.UNAVAILABLE, "NTLM for user '" + credentials.identity()
                        + "' needs a password (GANGWAY_PASSWORD, --password-file) or an NT hash (GANGWAY_NT_HASH, --nt-hash-file)");
            }
            return NtlmUtil.getNTHash(new String(password.get()));
        }

        private byte[] decode(Challenge challenge) throws AuthenticationException {
            String token = challenge.token().orElseThrow(() ->
                    malformed("it answered the NTLM negotiation (Type 1) without a challenge (Type 2)"));
            try {
                return Base64.getDecoder().decode(token);
            } catch (IllegalArgumentException e) {
                throw malformed("its NTLM challenge is not base64");
            }
        }

        private AuthenticationException malformed(String what) {
            return new AuthenticationException(Reason.MALFORMED_CHALLENGE, "upstream " + target + ": " + what);
        }
    }
}
