/**
 * The {@code inertia} command-line program ({@code org.inertia.app.cli}: {@code ./inertia <verb>}) and the
 * experiments its verbs run ({@code org.inertia.app.experiments}). Compiled against the libraries only;
 * bench's JMH benchmarks are on its run-time class path for the {@code bench} verb.
 */
module org.inertia.app {
    requires org.inertia.kernels;
    requires org.inertia.nativebindings;
    requires org.inertia.optim;
    requires org.inertia.nn;
    requires jmh.core;
    requires info.picocli;
    requires org.knowm.xchart;
    requires java.desktop;

    opens org.inertia.app.cli to info.picocli;
}
