package io.gangway.core.cli;

import io.gangway.core.BuildInfo;
import picocli.CommandLine.IVersionProvider;

/** {@code gangway --version}: the version, the commit, the build time and the Java it runs on. */
final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
        BuildInfo b = BuildInfo.current();
        return new String[] {"gangway " + b.version(), "commit " + b.commit(), "built " + b.built(), "java " + b.java()};
    }
}
