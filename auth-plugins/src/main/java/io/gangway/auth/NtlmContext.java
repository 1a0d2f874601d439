package io.gangway.auth;

import java.util.Locale;
import java.util.Properties;
import jcifs.CIFSContext;
import jcifs.CIFSException;
import jcifs.config.PropertyConfiguration;
import jcifs.context.BaseContext;

/**
 * The one JCIFS context NTLM messages need: NTLMv2 (lmCompatibility 3), no SMB networking. Its
 * creation costs about half a second, so it is made once, on first use.
 */
final class NtlmContext {

    private static final String WORKSTATION = workstationName();

    private NtlmContext() {
    }

    private static final class Holder {
        static final CIFSContext CONTEXT = create();
    }

    static CIFSContext get() {
        return Holder.CONTEXT;
    }

    /** The workstation name sent in Type 3: this host's short name, upper case, at most 15 characters. */
    static String workstation() {
        return WORKSTATION;
    }

    private static CIFSContext create() {
        Properties props = new Properties();
        props.setProperty("jcifs.smb.lmCompatibility", "3");
        // Both set, or JCIFS looks up the local host name (a blocking DNS call).
        props.setProperty("jcifs.netbios.hostname", WORKSTATION);
        props.setProperty("jcifs.netbios.laddr", "127.0.0.1");
        try {
            return new BaseContext(new PropertyConfiguration(props));
        } catch (CIFSException e) {
            throw new IllegalStateException("cannot set up NTLM: " + e.getMessage(), e);
        }
    }

    private static String workstationName() {
        String name = System.getenv("COMPUTERNAME");
        if (name == null || name.isBlank()) {
            name = System.getenv("HOSTNAME");
        }
        if (name == null || name.isBlank()) {
            name = "GANGWAY";
        }
        int dot = name.indexOf('.');
        name = (dot > 0 ? name.substring(0, dot) : name).toUpperCase(Locale.ROOT);
        return name.length() > 15 ? name.substring(0, 15) : name;
    }
}
