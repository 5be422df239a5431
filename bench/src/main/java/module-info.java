/** JMH benchmarks, side-by-side comparisons and the {@code inertia} command-line program. */
module org.inertia.bench {
    requires org.inertia.kernels;
    requires org.inertia.nativebindings;
    requires org.inertia.optim;
    requires org.inertia.nn;
    requires jmh.core;
    requires info.picocli;
    requires org.knowm.xchart;
    requires java.desktop;

    opens org.inertia.bench.cli to info.picocli;
}
