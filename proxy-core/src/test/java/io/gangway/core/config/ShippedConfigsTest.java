package io.gangway.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The configuration files the project ships (the Debian package's conffile, the Kubernetes base
 * and overlays) load as they are and mean what their comments say.
 */
class ShippedConfigsTest {

    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @Test
    void theDebianPackagesFileIsALoopbackProxyWithSystemRouting() {
        GangwayConfig c = ConfigLoader.load(REPO.resolve("packaging/deb/gangway.yaml"), Map.of(), Map.of());
        assertThat(c.listeners().engine()).containsExactly(new ListenAddress("127.0.0.1", 3128));
        assertThat(c.engine().route().mode()).isEqualTo(RoutingMode.SYSTEM);
        assertThat(c.admin().enabled()).isFalse();
        assertThat(c.lockout().stateFile()).as("the unit's StateDirectory").isEqualTo(Path.of("/var/lib/gangway/lockout.json"));
    }

    /** The shipped service definitions for macOS (launchd) and Windows (WinSW): well-formed, and running `gangway.jar run`. */
    @Test
    void theMacOsAgentAndTheWindowsServiceRunTheJarsRunCommand() throws Exception {
        javax.xml.parsers.DocumentBuilderFactory factory = javax.xml.parsers.DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        org.w3c.dom.Document plist = factory.newDocumentBuilder().parse(REPO.resolve("packaging/macos/io.gangway.proxy.plist").toFile());
        org.w3c.dom.NodeList strings = plist.getElementsByTagName("string");
        java.util.List<String> values = new java.util.ArrayList<>();
        for (int i = 0; i < strings.getLength(); i++) {
            values.add(strings.item(i).getTextContent());
        }
        assertThat(values).startsWith("io.gangway.proxy").containsSubsequence("-jar", "/usr/local/share/gangway/gangway.jar", "run");
        org.w3c.dom.Document winsw = factory.newDocumentBuilder().parse(REPO.resolve("packaging/windows/gangway-service.xml").toFile());
        assertThat(winsw.getElementsByTagName("arguments").item(0).getTextContent()).contains("-jar \"%BASE%\\gangway.jar\" run");
        assertThat(winsw.getElementsByTagName("env").item(0).getAttributes().getNamedItem("name").getTextContent())
                .isEqualTo("GANGWAY_" + "CONFIG");
    }

    @Test
    void theKubernetesBaseIsAGatewayBehindAnAllowListWithAnAdminListener() {
        GangwayConfig c = ConfigLoader.load(REPO.resolve("deploy/kubernetes/base/gangway.yaml"), Map.of(), Map.of());
        assertThat(c.listeners().engine()).containsExactly(new ListenAddress("0.0.0.0", 3128));
        assertThat(c.listeners().allow()).extracting(Object::toString).contains("10.0.0.0/8");
        assertThat(c.admin().address()).isEqualTo(new ListenAddress("0.0.0.0", 9128));
        assertThat(c.lockout().stateFile()).isEqualTo(Path.of("/var/lib/gangway/lockout.json"));
    }

    @Test
    void theNtlmOverlayUsesTheNtHashFromItsSecret() throws Exception {
        Path overlay = REPO.resolve("deploy/kubernetes/overlays/ntlm/gangway.yaml");
        assertThat(Files.readString(overlay)).contains("nt-hash-file: /etc/gangway/account/nt-hash");
        // the secret's file is mounted in the pod; here a file of the same form stands in for it
        Path ntHash = Files.writeString(dir.resolve("nt-hash"), "a4f49c406510bdcab6824ee7c30fd852\n");
        GangwayConfig c = ConfigLoader.load(overlay, Map.of(),
                Map.of(ConfigKey.NT_HASH_FILE, new ConfigValue(ntHash.toString(), "--nt-hash-file")));
        assertThat(c.engine().route().upstreams()).extracting(Object::toString).containsExactly("http://proxy.corp.example:8080");
        assertThat(c.engine().account().user()).isEqualTo("CORP\\svc-build");
        assertThat(c.engine().account().auth()).containsExactly("ntlm");
        assertThat(c.engine().account().ntHash()).hasSize(16);
        assertThat(c.listeners().engine()).containsExactly(new ListenAddress("0.0.0.0", 3128));
    }

    @Test
    void theKerberosOverlayLogsInWithTheKeytabFromItsSecret() throws Exception {
        Path overlay = REPO.resolve("deploy/kubernetes/overlays/kerberos/gangway.yaml");
        assertThat(Files.readString(overlay)).contains("keytab: /etc/gangway/account/keytab");
        Path keytab = Files.write(dir.resolve("keytab"), new byte[] {5, 2});
        GangwayConfig c = ConfigLoader.load(overlay, Map.of(),
                Map.of(ConfigKey.KEYTAB, new ConfigValue(keytab.toString(), "--keytab")));
        assertThat(c.engine().account().auth()).containsExactly("negotiate");
        assertThat(c.engine().account().principal()).isEqualTo("svc-build@CORP.EXAMPLE.COM");
        assertThat(c.engine().account().keytab()).isEqualTo(keytab);
    }
}
