package io.gangway.harness;

import io.gangway.harness.audit.TestSecrets;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kerby.kerberos.kerb.KrbException;
import org.apache.kerby.kerberos.kerb.server.KdcConfigKey;
import org.apache.kerby.kerberos.kerb.server.SimpleKdcServer;

/**
 * A throwaway Kerberos realm on loopback (Apache Kerby), with a krb5.conf that the JVM is
 * pointed at. Principals, keytabs and ticket caches on demand.
 */
public final class TestKdc implements AutoCloseable {

    public static final String REALM = "GANGWAY.TEST";

    private final SimpleKdcServer kdc;
    private final Path dir;

    /** @param ticketLifetimeSeconds how long tickets live (short ones let tests watch them expire) */
    public TestKdc(Path dir, long ticketLifetimeSeconds) throws KrbException, IOException {
        this.dir = dir;
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        kdc = new SimpleKdcServer();
        kdc.setWorkDir(dir.toFile());
        kdc.setKdcHost("127.0.0.1");
        kdc.setKdcRealm(REALM);
        kdc.setAllowUdp(false);
        kdc.setKdcTcpPort(port);
        kdc.getKdcConfig().setLong(KdcConfigKey.MAXIMUM_TICKET_LIFETIME, ticketLifetimeSeconds);
        kdc.init();
        kdc.start();
        Path krb5 = dir.resolve("krb5.conf");
        Files.writeString(krb5, String.join("\n",
                "[libdefaults]",
                "  default_realm = " + REALM,
                "  udp_preference_limit = 1",
                "  dns_lookup_kdc = false",
                "  dns_lookup_realm = false",
                "  dns_canonicalize_hostname = false",
                "  rdns = false",
                "  forwardable = false",
                "[realms]",
                "  " + REALM + " = {",
                "    kdc = 127.0.0.1:" + port,
                "  }",
                ""));
        // The JDK reads one krb5.conf per process; logins refresh it (refreshKrb5Config).
        System.setProperty("java.security.krb5.conf", krb5.toString());
    }

    public void createUser(String name, String password) throws KrbException {
        kdc.createPrincipal(name + "@" + REALM, TestSecrets.record(password));
    }

    /** A service principal with a random key, exported to a keytab (the proxy's side). */
    public Path serviceKeytab(String service) throws KrbException {
        Path keytab = dir.resolve(service.replace('/', '_') + ".keytab");
        kdc.createPrincipal(service + "@" + REALM);
        kdc.exportPrincipal(service + "@" + REALM, keytab.toFile());
        return keytab;
    }

    /** A keytab for an existing principal (a user's, for --keytab). */
    public Path keytabOf(String name) throws KrbException {
        Path keytab = dir.resolve(name + ".keytab");
        kdc.exportPrincipal(name + "@" + REALM, keytab.toFile());
        return keytab;
    }

    /** Logs in as {@code kinit} would and writes the TGT to a ticket cache file. */
    public void kinit(String name, String password, Path cache) throws KrbException {
        var client = kdc.getKrbClient();
        client.storeTicket(client.requestTgt(name + "@" + REALM, password), cache.toFile());
    }

    @Override
    public void close() throws KrbException {
        kdc.stop();
    }
}
