package org.lodge.provisioning;

import java.util.List;

/**
 * What an alert says, as judged or as stored with its episode: its {@code kind}, the English line
 * it was judged with, and that line's parameters ({@link UnitAlert}). {@link AlertLines} says it
 * in a reader's language from the kind and the parameters; an episode stored before V39 has no
 * parameters ({@code args} null) and keeps its English line.
 */
public interface AlertDetail {

    String kind();

    String message();

    List<String> args();
}
