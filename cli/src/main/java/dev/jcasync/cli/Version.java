package dev.jcasync.cli;

import java.nio.file.Path;
import picocli.CommandLine;

/**
 * The version from the jar manifest ("dev" when run from classes), then which Java runs it: the
 * launcher picks a JDK, and this says which one it picked.
 */
final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Main.class.getPackage().getImplementationVersion();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return new String[] {
            "jcasync " + (v == null ? "dev" : v),
            "java " + System.getProperty("java.runtime.version") + " (" + System.getProperty("java.vm.name") + ") at "
                    + java
        };
    }
}
