package io.gangway.pac;

/** Where a PAC comes from: a location ({@link PacLoader}) or a discovery ({@link WpadDiscovery}). */
public interface PacSource extends AutoCloseable {

    /** Loads the PAC; {@link PacLoader.Loaded#changed()} is false when it is unchanged since the last load. */
    PacLoader.Loaded load() throws PacException;

    /** For logs: the location, or how it is being discovered. */
    String location();

    @Override
    void close();
}
