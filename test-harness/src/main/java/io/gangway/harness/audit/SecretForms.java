package io.gangway.harness.audit;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.crypto.digests.MD4Digest;

/**
 * The forms in which a secret could leak into a log or an error body: as written, percent- and
 * JSON-escaped, in base64 (as inside a Basic {@code Proxy-Authorization} or any larger base64
 * run, at each of its three alignments), and as its NT hash (what an NT hash file holds), in hex
 * and base64. Each form is named, so a finding says how the secret leaked without repeating it.
 */
public final class SecretForms {

    /** A form of a secret, as the bytes a file would hold (ISO-8859-1, one char per byte). */
    public record Form(String kind, String text) {
    }

    private SecretForms() {
    }

    public static List<Form> of(String secret) {
        List<Form> out = new ArrayList<>();
        out.add(new Form("as written", latin1(secret)));
        addIfNew(out, "percent-encoded", latin1(URLEncoder.encode(secret, StandardCharsets.UTF_8)));
        addIfNew(out, "JSON-escaped", latin1(secret.replace("\\", "\\\\").replace("\"", "\\\"")));
        out.addAll(base64("base64", secret.getBytes(StandardCharsets.UTF_8)));
        byte[] ntHash = ntHash(secret);
        out.add(new Form("NT hash, hex", HexFormat.of().formatHex(ntHash)));
        out.add(new Form("NT hash, HEX", HexFormat.of().withUpperCase().formatHex(ntHash)));
        out.addAll(base64("NT hash, base64", ntHash));
        return out;
    }

    private static String latin1(String text) {
        return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    private static void addIfNew(List<Form> forms, String kind, String text) {
        if (forms.stream().noneMatch(f -> f.text.equals(text))) {
            forms.add(new Form(kind, text));
        }
    }

    /** MD4 of the UTF-16LE password: NTLM's NT hash. */
    public static byte[] ntHash(String password) {
        byte[] unicode = password.getBytes(StandardCharsets.UTF_16LE);
        MD4Digest md4 = new MD4Digest();
        md4.update(unicode, 0, unicode.length);
        byte[] out = new byte[md4.getDigestSize()];
        md4.doFinal(out, 0);
        return out;
    }

    /**
     * The base64 characters that depend on {@code bytes} alone, when they start {@code k} bytes
     * into a longer run (k = 0, 1, 2): whatever surrounds them, a run holding the bytes holds one
     * of these (standard and URL-safe alphabets).
     */
    static List<Form> base64(String kind, byte[] bytes) {
        List<Form> out = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            byte[] shifted = new byte[k + bytes.length];
            System.arraycopy(bytes, 0, shifted, k, bytes.length);
            String encoded = Base64.getEncoder().withoutPadding().encodeToString(shifted);
            int from = (8 * k + 5) / 6;                 // the first character with no bit of the k bytes before
            int to = 8 * (k + bytes.length) / 6;        // past the last character with no bit of what follows
            String interior = encoded.substring(from, to);
            out.add(new Form(kind + " (alignment " + k + ")", interior));
            String urlSafe = interior.replace('+', '-').replace('/', '_');
            if (!urlSafe.equals(interior)) {
                out.add(new Form(kind + " URL-safe (alignment " + k + ")", urlSafe));
            }
        }
        return out;
    }
}
